#pragma once

#include "domain/permission_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The permission aggregate in memory: MemoryState's grants, departments and department
// members, each write recorded in the transaction's undo log together with the move of the
// permission generations it causes.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryPermissionRecords final : public domain::PermissionRecords {
 public:
  MemoryPermissionRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // PermissionRecords
  Result<void> PutGrant(const domain::Grant& grant) override;
  Result<bool> RemoveGrant(std::string_view space_id, std::string_view dentry_id,
                           domain::MemberType member_type, std::string_view member_id) override;
  Result<std::vector<domain::Grant>> ListSpaceGrants(std::string_view space_id) override;
  Result<int64_t> RemoveMemberGrants(std::string_view corp_id, domain::MemberType member_type,
                                     std::string_view member_id) override;
  Result<void> TouchOrg(std::string_view corp_id) override;
  Result<void> InsertDepartment(const domain::Department& department) override;
  Result<domain::Department> GetDepartment(std::string_view corp_id,
                                           std::string_view dept_id) override;
  Result<std::vector<domain::Department>> ListDepartments(std::string_view corp_id) override;
  Result<bool> AddDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                   std::string_view union_id) override;
  Result<bool> RemoveDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                      std::string_view union_id) override;
  Result<std::vector<std::string>> ListDepartmentMembers(std::string_view corp_id,
                                                         std::string_view dept_id) override;
  Result<std::vector<std::string>> UserDepartments(std::string_view corp_id,
                                                   std::string_view union_id) override;

  // Erases every grant of the space (SpaceRecords::Delete). Moves no generation: the space
  // goes too.
  void EraseSpaceGrants(std::string_view space_id);
  // Erases the user's memberships in every department of the org; moves nothing.
  void EraseUserMemberships(std::string_view corp_id, std::string_view union_id);

 private:
  // Moves one space's permission generation (undone with the transaction).
  void MoveGeneration(const std::string& space_id);
  void MoveOrgGenerations(std::string_view corp_id);
  void EraseMember(const MemoryState::MemberKey& key);

  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
