#pragma once

// The permission aggregate's statements, one text for SQLite and PostgreSQL. Member definitions
// of SqlPermissionRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_permission_records.h"

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

namespace detail {

template <class Statement>
domain::Grant ReadGrant(const Statement& st) {
  domain::Grant g;
  g.space_id = st.Text(0);
  g.dentry_id = st.Text(1);
  g.member_type = static_cast<domain::MemberType>(st.Int(2));
  g.member_id = st.Text(3);
  g.member_corp_id = st.Text(4);
  g.role = static_cast<domain::Role>(st.Int(5));
  g.expire_time = st.OptionalInt(6);
  g.operator_id = st.Text(7);
  g.create_time = st.Int(8);
  g.modified_time = st.Int(9);
  return g;
}

template <class Statement>
domain::Department ReadDepartment(const Statement& st) {
  return domain::Department{st.Text(0), st.Text(1), st.Text(2), st.Int(3)};
}

template <class Statement>
std::string ReadFirstText(const Statement& st) {
  return st.Text(0);
}

}  // namespace detail

template <class Connection>
Result<void> SqlPermissionRecords<Connection>::MoveGeneration(std::string_view space_id) {
  return Exec(conn_,
              "UPDATE spaces SET permission_generation = permission_generation + 1 WHERE id = ?1",
              [&](Statement& st) { st.Bind(1, space_id); });
}

// Grants

template <class Connection>
Result<void> SqlPermissionRecords<Connection>::PutGrant(const domain::Grant& g) {
  // The upsert leaves create_time as first written; the space's foreign key reports a missing
  // space.
  auto r = Exec(conn_,
                "INSERT INTO permissions (" GRANT_COLUMNS
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                "ON CONFLICT (space_id, dentry_id, member_type, member_id) DO UPDATE SET "
                "member_corp_id = excluded.member_corp_id, role = excluded.role, "
                "expire_time = excluded.expire_time, operator_id = excluded.operator_id, "
                "modified_time = excluded.modified_time",
                [&](Statement& st) {
                  st.Bind(1, g.space_id)
                      .Bind(2, g.dentry_id)
                      .Bind(3, static_cast<int64_t>(g.member_type))
                      .Bind(4, g.member_id)
                      .Bind(5, g.member_corp_id)
                      .Bind(6, static_cast<int64_t>(g.role))
                      .Bind(7, g.expire_time)
                      .Bind(8, g.operator_id)
                      .Bind(9, g.create_time)
                      .Bind(10, g.modified_time);
                });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("space", g.space_id);
    return Subject(r.error(), "grant");
  }
  return MoveGeneration(g.space_id);
}

template <class Connection>
Result<bool> SqlPermissionRecords<Connection>::RemoveGrant(std::string_view space_id,
                                                           std::string_view dentry_id,
                                                           domain::MemberType member_type,
                                                           std::string_view member_id) {
  auto r = Exec(conn_,
                "DELETE FROM permissions WHERE space_id = ?1 AND dentry_id = ?2 AND "
                "member_type = ?3 AND member_id = ?4",
                [&](Statement& st) {
                  st.Bind(1, space_id)
                      .Bind(2, dentry_id)
                      .Bind(3, static_cast<int64_t>(member_type))
                      .Bind(4, member_id);
                });
  if (!r) return r.error();
  if (conn_.Changes() == 0) return false;
  if (auto moved = MoveGeneration(space_id); !moved) return moved.error();
  return true;
}

template <class Connection>
Result<std::vector<domain::Grant>> SqlPermissionRecords<Connection>::ListSpaceGrants(
    std::string_view space_id) {
  return QueryAll<domain::Grant>(
      conn_, kListSpaceGrantsSql, [&](Statement& st) { st.Bind(1, space_id); },
      detail::ReadGrant<Statement>);
}

template <class Connection>
Result<int64_t> SqlPermissionRecords<Connection>::RemoveMemberGrants(std::string_view corp_id,
                                                                     domain::MemberType member_type,
                                                                     std::string_view member_id) {
  auto bind = [&](Statement& st) {
    st.Bind(1, corp_id).Bind(2, static_cast<int64_t>(member_type)).Bind(3, member_id);
  };
  if (auto moved = Exec(conn_, kMoveMemberSpacesSql, bind); !moved) return moved.error();
  if (auto removed = Exec(conn_, kRemoveMemberGrantsSql, bind); !removed) return removed.error();
  return conn_.Changes();
}

template <class Connection>
Result<void> SqlPermissionRecords<Connection>::TouchOrg(std::string_view corp_id) {
  return Exec(
      conn_,
      "UPDATE spaces SET permission_generation = permission_generation + 1 WHERE corp_id = ?1",
      [&](Statement& st) { st.Bind(1, corp_id); });
}

// Departments

#define DEPARTMENT_SELECT "SELECT corp_id, dept_id, name, create_time FROM departments "

template <class Connection>
Result<void> SqlPermissionRecords<Connection>::InsertDepartment(const domain::Department& d) {
  auto r =
      InsertRow(conn_,
                "INSERT INTO departments (corp_id, dept_id, name, create_time) VALUES (?1, "
                "?2, ?3, ?4) ON CONFLICT DO NOTHING",
                [&](Statement& st) {
                  st.Bind(1, d.corp_id).Bind(2, d.dept_id).Bind(3, d.name).Bind(4, d.create_time);
                });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("org", d.corp_id);
    return Subject(r.error(), "department");
  }
  return {};
}

template <class Connection>
Result<domain::Department> SqlPermissionRecords<Connection>::GetDepartment(
    std::string_view corp_id, std::string_view dept_id) {
  return QueryOne<domain::Department>(
      conn_, DEPARTMENT_SELECT "WHERE corp_id = ?1 AND dept_id = ?2",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, dept_id); },
      detail::ReadDepartment<Statement>, "department", dept_id);
}

template <class Connection>
Result<std::vector<domain::Department>> SqlPermissionRecords<Connection>::ListDepartments(
    std::string_view corp_id) {
  return QueryAll<domain::Department>(
      conn_, DEPARTMENT_SELECT "WHERE corp_id = ?1 ORDER BY dept_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, detail::ReadDepartment<Statement>);
}

template <class Connection>
Result<bool> SqlPermissionRecords<Connection>::AddDepartmentMember(std::string_view corp_id,
                                                                   std::string_view dept_id,
                                                                   std::string_view union_id) {
  // Looked up first so that the error names which one is missing (a foreign key would not).
  if (auto d = GetDepartment(corp_id, dept_id); !d) return d.error();
  auto user = QueryOne<std::string>(
      conn_, "SELECT union_id FROM users WHERE corp_id = ?1 AND union_id = ?2",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); },
      detail::ReadFirstText<Statement>, "user", union_id);
  if (!user) return user.error();
  return ChangeMembership(
      "INSERT INTO department_members (corp_id, dept_id, union_id) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING",
      corp_id, dept_id, union_id);
}

template <class Connection>
Result<bool> SqlPermissionRecords<Connection>::RemoveDepartmentMember(std::string_view corp_id,
                                                                      std::string_view dept_id,
                                                                      std::string_view union_id) {
  return ChangeMembership(
      "DELETE FROM department_members WHERE corp_id = ?1 AND dept_id = ?2 AND union_id = ?3",
      corp_id, dept_id, union_id);
}

template <class Connection>
Result<bool> SqlPermissionRecords<Connection>::ChangeMembership(const char* sql,
                                                                std::string_view corp_id,
                                                                std::string_view dept_id,
                                                                std::string_view union_id) {
  auto r = Exec(conn_, sql,
                [&](Statement& st) { st.Bind(1, corp_id).Bind(2, dept_id).Bind(3, union_id); });
  if (!r) return r.error();
  if (conn_.Changes() == 0) return false;
  if (auto moved = TouchOrg(corp_id); !moved) return moved.error();
  return true;
}

template <class Connection>
Result<std::vector<std::string>> SqlPermissionRecords<Connection>::ListDepartmentMembers(
    std::string_view corp_id, std::string_view dept_id) {
  return QueryAll<std::string>(
      conn_,
      "SELECT union_id FROM department_members WHERE corp_id = ?1 AND dept_id = ?2 "
      "ORDER BY union_id",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, dept_id); },
      detail::ReadFirstText<Statement>);
}

template <class Connection>
Result<std::vector<std::string>> SqlPermissionRecords<Connection>::UserDepartments(
    std::string_view corp_id, std::string_view union_id) {
  return QueryAll<std::string>(
      conn_, kUserDepartmentsSql, [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); },
      detail::ReadFirstText<Statement>);
}

template <class Connection>
Result<void> SqlPermissionRecords<Connection>::RemoveUserMemberships(std::string_view corp_id,
                                                                     std::string_view union_id) {
  return Exec(conn_, "DELETE FROM department_members WHERE corp_id = ?1 AND union_id = ?2",
              [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); });
}

}  // namespace spacestore::storage::sql
