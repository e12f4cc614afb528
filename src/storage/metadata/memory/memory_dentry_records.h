#pragma once

#include "domain/dentry_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The dentry aggregate in memory: the tables of MemoryState it owns, each write recorded in the
// transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryDentryRecords final : public domain::DentryRecords {
 public:
  MemoryDentryRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // DentryRecords
  Result<domain::Dentry> Get(std::string_view space_id, std::string_view dentry_id) override;
  Result<std::vector<domain::Dentry>> GetMany(std::string_view space_id,
                                              const std::vector<std::string>& ids) override;
  Result<std::optional<domain::Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) override;
  Result<void> Insert(const domain::Dentry& dentry) override;
  Result<void> Update(const domain::Dentry& dentry) override;
  Result<std::vector<domain::AncestorLink>> Ancestry(std::string_view space_id,
                                                     std::string_view folder_id) override;
  Result<int64_t> Rehome(std::string_view space_id, std::string_view root_id,
                         std::string_view target_space_id, std::string_view target_parent_id,
                         std::string_view name) override;
  Result<std::vector<domain::Dentry>> ListChildren(std::string_view space_id,
                                                   std::string_view parent_id,
                                                   const domain::PageRange& range) override;
  Result<std::vector<domain::Dentry>> ListAll(std::string_view space_id,
                                              const domain::PageRange& range) override;
  Result<void> InsertVersion(const domain::DentryVersion& version) override;
  Result<domain::DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) override;
  Result<std::vector<domain::DentryVersion>> ListVersions(std::string_view dentry_id) override;
  Result<std::vector<domain::DentryVersion>> ListVersionsPage(std::string_view dentry_id,
                                                              std::optional<int64_t> before,
                                                              int limit) override;
  Result<int64_t> SumVersionBytes(std::string_view space_id) override;
  Result<bool> IsBlobReferenced(std::string_view blob_id) override;
  Result<std::vector<domain::DentryVersion>> ListSpaceVersions(std::string_view space_id,
                                                               std::string_view after_dentry_id,
                                                               int64_t after_version,
                                                               int limit) override;
  Result<std::vector<domain::Dentry>> ListSubtree(std::string_view space_id,
                                                  std::string_view root_id) override;
  Result<domain::SubtreeTotals> MeasureSubtree(std::string_view space_id,
                                               std::string_view root_id) override;

 private:
  // Sorts `rows` in `range`'s order and keeps at most range.limit after range.after.
  static std::vector<domain::Dentry> Page(std::vector<domain::Dentry> rows,
                                          const domain::PageRange& range);
  // Ids of the NORMAL dentries below `root_id` in the space (not the root), parents first.
  std::vector<std::string> Descendants(std::string_view space_id, std::string_view root_id) const;
  // Fills the paths of `rows`, all of `space_id`.
  Result<std::vector<domain::Dentry>> WithPaths(std::string_view space_id,
                                                std::vector<domain::Dentry> rows);

  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
