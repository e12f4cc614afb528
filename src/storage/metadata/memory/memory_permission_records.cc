// The permission aggregate in memory.
#include "storage/metadata/memory/memory_permission_records.h"

#include <set>

namespace spacestore::storage::memory {

void MemoryPermissionRecords::MoveGeneration(const std::string& space_id) {
  const auto it = state_.spaces.find(space_id);
  if (it == state_.spaces.end()) return;
  ++it->second.permission_generation;
  // By id, not by reference: a later write of the transaction may erase and the undo restore
  // the space, which moves its node. Newest-first playback has restored it by then.
  // The state, not `this`: DeleteUser and SpaceRecords::Delete use short-lived records.
  undo_.Add([&state = state_, space_id] {
    if (const auto s = state.spaces.find(space_id); s != state.spaces.end()) {
      --s->second.permission_generation;
    }
  });
}

void MemoryPermissionRecords::MoveOrgGenerations(std::string_view corp_id) {
  for (const auto& [id, space] : state_.spaces) {
    if (space.corp_id == corp_id) MoveGeneration(id);
  }
}

void MemoryPermissionRecords::EraseMember(const MemoryState::MemberKey& key) {
  if (state_.department_members.erase(key) == 0) return;
  undo_.Add([&state = state_, key] { state.department_members.insert(key); });
}

void MemoryPermissionRecords::EraseSpaceGrants(std::string_view space_id) {
  std::erase_if(state_.grants, [&](const auto& kv) {
    if (std::get<0>(kv.first) != space_id) return false;
    undo_.Remember(state_.grants, kv.first);
    return true;
  });
}

void MemoryPermissionRecords::EraseUserMemberships(std::string_view corp_id,
                                                   std::string_view union_id) {
  std::vector<MemoryState::MemberKey> keys;
  for (const auto& key : state_.department_members) {
    if (std::get<0>(key) == corp_id && std::get<2>(key) == union_id) keys.push_back(key);
  }
  for (const auto& key : keys) EraseMember(key);
}

// Grants

Result<void> MemoryPermissionRecords::PutGrant(const domain::Grant& grant) {
  if (!state_.spaces.contains(grant.space_id)) return NotFound("space", grant.space_id);
  const MemoryState::GrantKey key{grant.space_id, grant.dentry_id, grant.member_type,
                                  grant.member_id};
  undo_.Remember(state_.grants, key);
  domain::Grant stored = grant;
  if (const auto it = state_.grants.find(key); it != state_.grants.end()) {
    stored.create_time = it->second.create_time;
  }
  state_.grants.insert_or_assign(key, std::move(stored));
  MoveGeneration(grant.space_id);
  return {};
}

Result<bool> MemoryPermissionRecords::RemoveGrant(std::string_view space_id,
                                                  std::string_view dentry_id,
                                                  domain::MemberType member_type,
                                                  std::string_view member_id) {
  const MemoryState::GrantKey key{std::string(space_id), std::string(dentry_id), member_type,
                                  std::string(member_id)};
  if (!state_.grants.contains(key)) return false;
  undo_.Remember(state_.grants, key);
  state_.grants.erase(key);
  MoveGeneration(std::get<0>(key));
  return true;
}

Result<std::vector<domain::Grant>> MemoryPermissionRecords::ListSpaceGrants(
    std::string_view space_id) {
  std::vector<domain::Grant> out;
  // The key starts with the space id, so the space's grants are one ordered run.
  for (auto it = state_.grants.lower_bound({std::string(space_id), "", {}, ""});
       it != state_.grants.end() && std::get<0>(it->first) == space_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<int64_t> MemoryPermissionRecords::RemoveMemberGrants(std::string_view corp_id,
                                                            domain::MemberType member_type,
                                                            std::string_view member_id) {
  std::set<std::string> touched;
  const auto removed = std::erase_if(state_.grants, [&](const auto& kv) {
    const domain::Grant& g = kv.second;
    if (g.member_type != member_type || g.member_id != member_id) return false;
    const auto space = state_.spaces.find(g.space_id);
    if (space == state_.spaces.end() || space->second.corp_id != corp_id) return false;
    undo_.Remember(state_.grants, kv.first);
    touched.insert(g.space_id);
    return true;
  });
  for (const auto& id : touched) MoveGeneration(id);
  return static_cast<int64_t>(removed);
}

Result<void> MemoryPermissionRecords::TouchOrg(std::string_view corp_id) {
  MoveOrgGenerations(corp_id);
  return {};
}

// Departments

Result<void> MemoryPermissionRecords::InsertDepartment(const domain::Department& department) {
  if (!state_.orgs.contains(department.corp_id)) return NotFound("org", department.corp_id);
  const MemoryState::DepartmentKey key{department.corp_id, department.dept_id};
  if (state_.departments.contains(key)) return Exists("department", department.dept_id);
  undo_.Remember(state_.departments, key);
  state_.departments.emplace(key, department);
  return {};
}

Result<domain::Department> MemoryPermissionRecords::GetDepartment(std::string_view corp_id,
                                                                  std::string_view dept_id) {
  const auto it =
      state_.departments.find(MemoryState::DepartmentKey{std::string(corp_id), dept_id});
  if (it == state_.departments.end()) return NotFound("department", dept_id);
  return it->second;
}

Result<std::vector<domain::Department>> MemoryPermissionRecords::ListDepartments(
    std::string_view corp_id) {
  std::vector<domain::Department> out;
  for (const auto& [key, department] : state_.departments) {
    if (key.first == corp_id) out.push_back(department);
  }
  return out;
}

Result<bool> MemoryPermissionRecords::AddDepartmentMember(std::string_view corp_id,
                                                          std::string_view dept_id,
                                                          std::string_view union_id) {
  if (!state_.departments.contains(MemoryState::DepartmentKey{corp_id, dept_id})) {
    return NotFound("department", dept_id);
  }
  if (!state_.users.contains(MemoryState::UserKey{corp_id, union_id})) {
    return NotFound("user", union_id);
  }
  MemoryState::MemberKey key{std::string(corp_id), std::string(dept_id), std::string(union_id)};
  if (!state_.department_members.insert(key).second) return false;
  undo_.Add([&state = state_, key] { state.department_members.erase(key); });
  MoveOrgGenerations(corp_id);
  return true;
}

Result<bool> MemoryPermissionRecords::RemoveDepartmentMember(std::string_view corp_id,
                                                             std::string_view dept_id,
                                                             std::string_view union_id) {
  const MemoryState::MemberKey key{std::string(corp_id), std::string(dept_id),
                                   std::string(union_id)};
  if (!state_.department_members.contains(key)) return false;
  EraseMember(key);
  MoveOrgGenerations(corp_id);
  return true;
}

Result<std::vector<std::string>> MemoryPermissionRecords::ListDepartmentMembers(
    std::string_view corp_id, std::string_view dept_id) {
  std::vector<std::string> out;
  for (const auto& [corp, dept, union_id] : state_.department_members) {
    if (corp == corp_id && dept == dept_id) out.push_back(union_id);
  }
  return out;
}

Result<std::vector<std::string>> MemoryPermissionRecords::UserDepartments(
    std::string_view corp_id, std::string_view union_id) {
  std::vector<std::string> out;
  for (const auto& [corp, dept, user] : state_.department_members) {
    if (corp == corp_id && user == union_id) out.push_back(dept);
  }
  return out;
}

}  // namespace spacestore::storage::memory
