// MemoryMetadataStore: every call runs under the one mutex against MemoryState; writes apply
// at once and are recorded in an undo log that a failed transaction plays back.
#include "storage/metadata/memory/memory_metadata_store.h"

#include "storage/metadata/memory/memory_dentry_records.h"
#include "storage/metadata/memory/memory_event_records.h"
#include "storage/metadata/memory/memory_identity_records.h"
#include "storage/metadata/memory/memory_open_records.h"
#include "storage/metadata/memory/memory_permission_records.h"
#include "storage/metadata/memory/memory_recycle_records.h"
#include "storage/metadata/memory/memory_space_records.h"
#include "storage/metadata/memory/memory_task_records.h"
#include "storage/metadata/memory/memory_upload_records.h"

namespace spacestore::storage {
namespace memory {

Error NotFound(const std::string& subject, std::string_view id) {
  return MakeError(Errc::kNotFound, subject, subject + " " + std::string(id) + " not found");
}

Error Exists(const std::string& subject, std::string_view id) {
  return MakeError(Errc::kAlreadyExists, subject,
                   subject + " " + std::string(id) + " already exists");
}

void MemoryState::PutDentry(const domain::Dentry& d) {
  EraseDentry(d.id);
  if (const auto it = spaces.find(d.space_id); it != spaces.end()) ++it->second.dentry_generation;
  domain::Dentry& stored = dentries[d.id] = d;
  stored.path.clear();  // Computed on read (domain::FolderPaths), as on SQLite.
  if (d.status == domain::DentryStatus::kNormal) names[{d.space_id, d.parent_id, d.name}] = d.id;
}

void MemoryState::EraseDentry(const std::string& id) {
  const auto it = dentries.find(id);
  if (it == dentries.end()) return;
  const domain::Dentry& old = it->second;
  if (const auto s = spaces.find(old.space_id); s != spaces.end()) ++s->second.dentry_generation;
  const auto name = names.find({old.space_id, old.parent_id, old.name});
  if (name != names.end() && name->second == id) names.erase(name);
  dentries.erase(it);
}

namespace {

// The aggregates over the locked state and one undo log.
class Txn final : public domain::MetadataTransaction {
 public:
  explicit Txn(MemoryState& state)
      : identity_(state, undo_),
        spaces_(state, undo_),
        dentries_(state, undo_),
        uploads_(state, undo_),
        tasks_(state, undo_),
        recycle_(state, undo_),
        permissions_(state, undo_),
        events_(state, undo_),
        open_(state, undo_) {}

  void Rollback() { undo_.Rollback(); }

  // MetadataTransaction
  domain::IdentityRecords& identity() override { return identity_; }
  domain::SpaceRecords& spaces() override { return spaces_; }
  domain::DentryRecords& dentries() override { return dentries_; }
  domain::UploadRecords& uploads() override { return uploads_; }
  domain::TaskRecords& tasks() override { return tasks_; }
  domain::RecycleRecords& recycle() override { return recycle_; }
  domain::PermissionRecords& permissions() override { return permissions_; }
  domain::EventRecords& events() override { return events_; }
  domain::OpenRecords& open() override { return open_; }

 private:
  UndoLog undo_;  // Declared first: the records borrow it.
  MemoryIdentityRecords identity_;
  MemorySpaceRecords spaces_;
  MemoryDentryRecords dentries_;
  MemoryUploadRecords uploads_;
  MemoryTaskRecords tasks_;
  MemoryRecycleRecords recycle_;
  MemoryPermissionRecords permissions_;
  MemoryEventRecords events_;
  MemoryOpenRecords open_;
};

}  // namespace
}  // namespace memory

// MetadataStore

Result<void> MemoryMetadataStore::Transact(const TransactionFn& fn) {
  MutexLock lock(mu_);
  memory::Txn txn(state_);
  try {
    auto r = fn(txn);
    if (!r) txn.Rollback();
    return r;
  } catch (...) {
    txn.Rollback();  // Like SQLite's ROLLBACK when the transaction object unwinds.
    throw;
  }
}

Result<void> MemoryMetadataStore::View(const TransactionFn& fn) {
  return Transact(fn);  // One mutex serves both; a view that wrote would simply commit.
}

Result<void> MemoryMetadataStore::ReadOne(const TransactionFn& fn) { return Transact(fn); }

}  // namespace spacestore::storage
