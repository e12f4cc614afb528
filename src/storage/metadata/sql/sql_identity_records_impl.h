#pragma once

// The identity aggregate's statements, one text for SQLite and PostgreSQL. Member definitions of
// SqlIdentityRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_identity_records.h"

#include "storage/metadata/sql/sql_permission_records.h"
#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

#define ORG_SELECT "SELECT corp_id, name, capacity_bytes, create_time FROM orgs "
#define APP_SELECT                                                                         \
  "SELECT app_id, app_key, secret_hash, corp_id, name, scopes, quota_bytes, create_time, " \
  "modified_time FROM apps "
// NULL and '' both mean "no password" (the column is NULL for users made before it existed).
#define USER_SELECT \
  "SELECT union_id, corp_id, name, create_time, COALESCE(password_hash, '') FROM users "

// IdentityRecords

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::InsertOrg(const domain::Org& org) {
  auto r =
      InsertRow(conn_,
                "INSERT INTO orgs (corp_id, name, capacity_bytes, create_time) VALUES (?1, ?2, "
                "?3, ?4) ON CONFLICT DO NOTHING",
                [&](Statement& st) {
                  st.Bind(1, org.corp_id)
                      .Bind(2, org.name)
                      .Bind(3, org.capacity_bytes)
                      .Bind(4, org.create_time);
                });
  if (!r) return Subject(r.error(), "org");
  return {};
}

template <class Connection>
Result<domain::Org> SqlIdentityRecords<Connection>::GetOrg(std::string_view corp_id) {
  return QueryOne<domain::Org>(
      conn_, ORG_SELECT "WHERE corp_id = ?1", [&](Statement& st) { st.Bind(1, corp_id); },
      ReadOrg<Statement>, "org", corp_id);
}

template <class Connection>
Result<std::vector<domain::Org>> SqlIdentityRecords<Connection>::ListOrgs() {
  return QueryAll<domain::Org>(
      conn_, ORG_SELECT "ORDER BY corp_id", [](Statement&) {}, ReadOrg<Statement>);
}

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::InsertApp(const domain::App& app) {
  auto r = InsertRow(conn_,
                     "INSERT INTO apps (app_id, app_key, secret_hash, corp_id, name, scopes, "
                     "quota_bytes, create_time, modified_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                     "?8, ?9) ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, app.app_id)
                           .Bind(2, app.app_key)
                           .Bind(3, app.secret_hash)
                           .Bind(4, app.corp_id)
                           .Bind(5, app.name)
                           .Bind(6, JoinScopes(app.scopes))
                           .Bind(7, app.quota_bytes)
                           .Bind(8, app.create_time)
                           .Bind(9, app.modified_time);
                     });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("org", app.corp_id);
    return Subject(r.error(), "app");
  }
  return {};
}

template <class Connection>
Result<domain::App> SqlIdentityRecords<Connection>::GetApp(std::string_view app_id) {
  return QueryOne<domain::App>(
      conn_, APP_SELECT "WHERE app_id = ?1", [&](Statement& st) { st.Bind(1, app_id); },
      ReadApp<Statement>, "app", app_id);
}

template <class Connection>
Result<domain::App> SqlIdentityRecords<Connection>::FindAppByKey(std::string_view app_key) {
  return QueryOne<domain::App>(
      conn_, APP_SELECT "WHERE app_key = ?1", [&](Statement& st) { st.Bind(1, app_key); },
      ReadApp<Statement>, "app", app_key);
}

template <class Connection>
Result<std::vector<domain::App>> SqlIdentityRecords<Connection>::ListApps(
    std::string_view corp_id) {
  return QueryAll<domain::App>(
      conn_, APP_SELECT "WHERE ?1 = '' OR corp_id = ?1 ORDER BY app_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, ReadApp<Statement>);
}

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::InsertUser(const domain::User& user) {
  auto r = InsertRow(conn_,
                     "INSERT INTO users (union_id, corp_id, name, create_time, password_hash) "
                     "VALUES (?1, ?2, ?3, ?4, NULLIF(?5, '')) ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, user.union_id)
                           .Bind(2, user.corp_id)
                           .Bind(3, user.name)
                           .Bind(4, user.create_time)
                           .Bind(5, user.password_hash);
                     });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("org", user.corp_id);
    return Subject(r.error(), "user");
  }
  return {};
}

template <class Connection>
Result<domain::User> SqlIdentityRecords<Connection>::GetUser(std::string_view corp_id,
                                                             std::string_view union_id) {
  return QueryOne<domain::User>(
      conn_, USER_SELECT "WHERE corp_id = ?1 AND union_id = ?2",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); }, ReadUser<Statement>, "user",
      union_id);
}

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::SetUserPassword(std::string_view corp_id,
                                                             std::string_view union_id,
                                                             std::string_view password_hash) {
  auto r =
      Exec(conn_,
           "UPDATE users SET password_hash = NULLIF(?3, '') WHERE corp_id = ?1 AND "
           "union_id = ?2",
           [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id).Bind(3, password_hash); });
  if (!r) return r;
  if (conn_.Changes() == 0) return NotFound("user", union_id);
  return {};
}

template <class Connection>
Result<std::vector<domain::User>> SqlIdentityRecords<Connection>::ListUsers(
    std::string_view corp_id) {
  return QueryAll<domain::User>(
      conn_, USER_SELECT "WHERE ?1 = '' OR corp_id = ?1 ORDER BY union_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, ReadUser<Statement>);
}

// The memberships and grants go first (department_members references users); a missing user
// fails the call, and the store rolls the transaction back.
template <class Connection>
Result<void> SqlIdentityRecords<Connection>::DeleteUser(std::string_view corp_id,
                                                        std::string_view union_id) {
  SqlPermissionRecords<Connection> permissions(conn_);
  if (auto r = permissions.RemoveUserMemberships(corp_id, union_id); !r) return r;
  if (auto r = permissions.RemoveMemberGrants(corp_id, domain::MemberType::kUser, union_id); !r) {
    return r.error();
  }
  auto r = Exec(conn_, "DELETE FROM users WHERE corp_id = ?1 AND union_id = ?2",
                [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); });
  if (!r) return r;
  if (conn_.Changes() == 0) return NotFound("user", union_id);
  return permissions.TouchOrg(corp_id);
}

template <class Connection>
Result<std::optional<std::string>> SqlIdentityRecords<Connection>::GetSetting(
    std::string_view key) {
  auto rows = QueryAll<std::string>(
      conn_, "SELECT value FROM settings WHERE key = ?1", [&](Statement& st) { st.Bind(1, key); },
      [](const Statement& st) { return st.Text(0); });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(rows->front()));
}

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::InsertSetting(std::string_view key,
                                                           std::string_view value) {
  auto r =
      InsertRow(conn_, "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                [&](Statement& st) { st.Bind(1, key).Bind(2, value); });
  if (!r) return Subject(r.error(), "setting");
  return {};
}

// One upsert takes, renews or leaves the lease; its WHERE keeps a live lease of another holder.
// Reading the holder back then answers whether `holder` holds it, whichever branch ran. Two
// nodes racing for a free lease: the upsert of the one that cannot see the other's row is a
// serialization failure, and its transaction runs again and reads the winner.
template <class Connection>
Result<bool> SqlIdentityRecords<Connection>::AcquireLease(std::string_view name,
                                                          std::string_view holder,
                                                          int64_t now_millis,
                                                          int64_t until_millis) {
  auto r = Exec(conn_,
                "INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?4) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                "expires_at = excluded.expires_at "
                "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?3",
                [&](Statement& st) {
                  st.Bind(1, name).Bind(2, holder).Bind(3, now_millis).Bind(4, until_millis);
                });
  if (!r) return r.error();
  auto current = QueryOne<std::string>(
      conn_, "SELECT holder FROM leases WHERE name = ?1", [&](Statement& st) { st.Bind(1, name); },
      [](const Statement& st) { return st.Text(0); }, "lease", name);
  if (!current) return current.error();
  return *current == holder;
}

template <class Connection>
Result<bool> SqlIdentityRecords<Connection>::HoldsLease(std::string_view name,
                                                        std::string_view holder,
                                                        int64_t now_millis) {
  auto rows = QueryAll<int64_t>(
      conn_, "SELECT 1 FROM leases WHERE name = ?1 AND holder = ?2 AND expires_at > ?3",
      [&](Statement& st) { st.Bind(1, name).Bind(2, holder).Bind(3, now_millis); },
      [](const Statement& st) { return st.Int(0); });
  if (!rows) return rows.error();
  return !rows->empty();
}

template <class Connection>
Result<void> SqlIdentityRecords<Connection>::ReleaseLease(std::string_view name,
                                                          std::string_view holder) {
  return Exec(conn_, "DELETE FROM leases WHERE name = ?1 AND holder = ?2",
              [&](Statement& st) { st.Bind(1, name).Bind(2, holder); });
}

}  // namespace spacestore::storage::sql
