#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/permission.h"

namespace spacestore::domain {

// PermissionRecords is the permission aggregate of the metadata port: grants (table
// permissions), departments and their members, as seen inside one metadata transaction. Reads
// see the transaction's own writes.
//
// Every write here moves Space::permission_generation of each space whose answers it can
// change, in the same transaction: a grant write moves its space's; a department membership
// change or a user's removal moves every space of the org. That is what lets the access cache
// (domain/access.h) stay exact without reading grants on every request.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class PermissionRecords {
 public:
  virtual ~PermissionRecords() = default;

  // ---- Grants ----

  // Inserts the grant, or replaces the one with the same key (space, dentry, member type,
  // member id), keeping that one's create_time. kNotFound (subject "space").
  virtual Result<void> PutGrant(const Grant& grant) = 0;
  // Removes the grant with that key; false (and nothing written) if there is none.
  virtual Result<bool> RemoveGrant(std::string_view space_id, std::string_view dentry_id,
                                   MemberType member_type, std::string_view member_id) = 0;
  // Every grant of a space, ordered by (dentry_id, member_type, member_id). Expired grants
  // included: expiry is the caller's to judge, on its clock.
  virtual Result<std::vector<Grant>> ListSpaceGrants(std::string_view space_id) = 0;
  // Removes every grant naming member (`member_type`, `member_id`) in the spaces of org
  // `corp_id`; the number removed.
  virtual Result<int64_t> RemoveMemberGrants(std::string_view corp_id, MemberType member_type,
                                             std::string_view member_id) = 0;
  // Moves the permission generation of every space of org `corp_id`.
  virtual Result<void> TouchOrg(std::string_view corp_id) = 0;

  // ---- Departments ----

  // kAlreadyExists (subject "department") if the org has that id; kNotFound (subject "org").
  virtual Result<void> InsertDepartment(const Department& department) = 0;
  // kNotFound (subject "department").
  virtual Result<Department> GetDepartment(std::string_view corp_id, std::string_view dept_id) = 0;
  // The departments of an org, ordered by id.
  virtual Result<std::vector<Department>> ListDepartments(std::string_view corp_id) = 0;
  // Puts a user of the org in a department; false if it already was. kNotFound (subject
  // "department" or "user").
  virtual Result<bool> AddDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                           std::string_view union_id) = 0;
  // Takes a user out of a department; false if it was not in it.
  virtual Result<bool> RemoveDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                              std::string_view union_id) = 0;
  // The unionIds in a department, ordered.
  virtual Result<std::vector<std::string>> ListDepartmentMembers(std::string_view corp_id,
                                                                 std::string_view dept_id) = 0;
  // The departments a user is in, ordered by id.
  virtual Result<std::vector<std::string>> UserDepartments(std::string_view corp_id,
                                                           std::string_view union_id) = 0;
};

}  // namespace spacestore::domain
