#pragma once

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "domain/metadata_store.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage {

// MemoryMetadataStore keeps all metadata in process memory behind one mutex. It is a complete
// implementation of the port (it passes the same contract suites as SQLite), used by unit tests
// and by `serve --metadata memory` for throwaway instances. Nothing survives the process. The
// aggregates are in memory_<aggregate>_records.cc.
// Thread-safety: fully thread-safe; Transact, View and ReadOne hold mu_ for the whole call,
// which is what makes each one a transaction. A failed Transact undoes its writes from an undo
// log.
class MemoryMetadataStore final : public domain::MetadataStore {
 public:
  MemoryMetadataStore() = default;

  // MetadataStore
  Result<void> Transact(const TransactionFn& fn) override;
  Result<void> View(const TransactionFn& fn) override;
  Result<void> ReadOne(const TransactionFn& fn) override;

 private:
  Mutex mu_;
  memory::MemoryState state_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage
