#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/metadata_store.h"

namespace spacestore::app {

// CommitNotifyingStore forwards every call to the store it wraps and calls `on_commit` after
// each write transaction that committed: the event dispatcher's wake-up, so an event appended
// by this process is pushed at once instead of at the next poll (docs/events.md, "Push
// delivery"). A commit that appended no event costs the dispatcher one look at the apps with
// an event URL, and nothing when there are none; telling the two apart would need a hook in
// every backend's transaction, for a saving no measurement asked for.
//
// Ownership: borrows the store. Thread-safety: as thread-safe as the wrapped store;
// `on_commit` is called on the committing thread and must be cheap and thread-safe.
class CommitNotifyingStore final : public domain::MetadataStore {
 public:
  CommitNotifyingStore(domain::MetadataStore& store, std::function<void()> on_commit)
      : store_(store), on_commit_(std::move(on_commit)) {}

  // MetadataStore
  Result<void> Transact(const TransactionFn& fn) override {
    auto result = store_.Transact(fn);
    if (result) on_commit_();
    return result;
  }
  Result<void> View(const TransactionFn& fn) override { return store_.View(fn); }
  Result<void> ReadOne(const TransactionFn& fn) override { return store_.ReadOne(fn); }
  // Forwarded so that the backend's fast paths stay fast.
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override {
    return store_.GetSpace(corp_id, space_id);
  }
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override {
    return store_.GetDentries(space_id, ids);
  }

 private:
  domain::MetadataStore& store_;
  std::function<void()> on_commit_;
};

}  // namespace spacestore::app
