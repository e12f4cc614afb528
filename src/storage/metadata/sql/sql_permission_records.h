#pragma once

#include "domain/permission_records.h"

namespace spacestore::storage::sql {

// The statements whose plans matter as the tables grow, named so that a plan test can check
// them (sqlite/query_plan_test.cc): a space's grants are a range of the primary key, a member's
// grants and a user's departments are searches of their own indexes.
#define GRANT_COLUMNS                                                                \
  "space_id, dentry_id, member_type, member_id, member_corp_id, role, expire_time, " \
  "operator_id, create_time, modified_time"
inline constexpr const char* kListSpaceGrantsSql =
    "SELECT " GRANT_COLUMNS
    " FROM permissions WHERE space_id = ?1 ORDER BY dentry_id, member_type, member_id";
// ?1 corp_id, ?2 member_type, ?3 member_id. The spaces first, while the grants naming them are
// still there.
inline constexpr const char* kMoveMemberSpacesSql =
    "UPDATE spaces SET permission_generation = permission_generation + 1 WHERE corp_id = ?1 AND "
    "id IN (SELECT space_id FROM permissions WHERE member_type = ?2 AND member_id = ?3)";
inline constexpr const char* kRemoveMemberGrantsSql =
    "DELETE FROM permissions WHERE member_type = ?2 AND member_id = ?3 AND space_id IN "
    "(SELECT id FROM spaces WHERE corp_id = ?1)";
inline constexpr const char* kUserDepartmentsSql =
    "SELECT dept_id FROM department_members WHERE corp_id = ?1 AND union_id = ?2 ORDER BY dept_id";

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
  // Runs a membership write `sql` (?1 corp, ?2 department, ?3 user); when it changed a row,
  // moves the org's generations. Whether it changed one.
  Result<bool> ChangeMembership(const char* sql, std::string_view corp_id, std::string_view dept_id,
                                std::string_view union_id);

  Connection& conn_;
};

}  // namespace spacestore::storage::sql
