#pragma once

#include "domain/permission_records.h"

namespace spacestore::storage::sql {

// The permission aggregate on SQLite and PostgreSQL (one text for both, over a backend's
// Connection; sql_rows.h): tables permissions, departments and department_members (migration
// 8). Each write moves spaces.permission_generation with its own UPDATE in the same
// transaction, not by triggers: a membership change moves every space of the org, which a row
// trigger would repeat per member row on a bulk copy (`admin migrate`, restore).
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlPermissionRecords final : public domain::PermissionRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlPermissionRecords(Connection& conn) : conn_(conn) {}

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

  // Removes every membership of the user in the org's departments; moves nothing (DeleteUser
  // moves the whole org once).
  Result<void> RemoveUserMemberships(std::string_view corp_id, std::string_view union_id);

 private:
  Result<void> MoveGeneration(std::string_view space_id);

  Connection& conn_;
};

}  // namespace spacestore::storage::sql
