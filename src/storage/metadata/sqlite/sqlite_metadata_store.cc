// SqliteMetadataStore: the embedded metadata backend.
//
// Every statement is a string literal prepared once per pooled connection. Reads run without an
// explicit transaction (a single SELECT is already a consistent snapshot in WAL mode); writes
// that read first use BEGIN IMMEDIATE. Keeping invariants in constraints rather than in C++
// checks is deliberate: the admin CLI writes the same file from another process.
#include "storage/metadata/sqlite/sqlite_metadata_store.h"

#include "storage/metadata/sqlite/migrations.h"
#include "storage/metadata/sqlite/sqlite_db.h"
#include "storage/metadata/sqlite/sqlite_rows.h"

namespace spacestore::storage {

using sqlite::Connection;
using sqlite::JoinScopes;
using sqlite::NotFound;
using sqlite::QueryAll;
using sqlite::QueryOne;
using sqlite::ReadApp;
using sqlite::ReadOrg;
using sqlite::ReadSpace;
using sqlite::ReadUser;
using sqlite::SelectSpace;
using sqlite::Statement;
using sqlite::Subject;
using sqlite::WriteTransaction;

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(const std::string& path,
                                                                       SqliteOptions options) {
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < std::max(1, options.connections); ++i) {
    auto conn = Connection::Open(path);
    if (!conn) return conn.error();
    conns.push_back(std::move(*conn));
  }
  // Migrate on the first connection; BEGIN IMMEDIATE serializes concurrent starters.
  Connection& conn = *conns.front();
  {
    auto tx = WriteTransaction::Begin(conn);
    if (!tx) return tx.error();
    auto version = QueryOne<int64_t>(
        conn, "PRAGMA user_version", [](Statement&) {},
        [](const Statement& st) { return st.Int(0); }, "schema", "");
    if (!version) return version.error();
    const auto migrations = sqlite::Migrations();
    if (*version > static_cast<int64_t>(migrations.size())) {
      return MakeError(Errc::kInternal, "schema",
                       "database schema version " + std::to_string(*version) +
                           " is newer than this binary supports");
    }
    for (size_t i = static_cast<size_t>(*version); i < migrations.size(); ++i) {
      if (auto r = conn.Exec(migrations[i]); !r) return r.error();
      const std::string bump = "PRAGMA user_version = " + std::to_string(i + 1);
      if (auto r = conn.Exec(bump.c_str()); !r) return r.error();
    }
    if (auto r = tx->Commit(); !r) return r.error();
  }
  return std::unique_ptr<SqliteMetadataStore>(
      new SqliteMetadataStore(std::make_unique<sqlite::ConnectionPool>(std::move(conns))));
}

SqliteMetadataStore::SqliteMetadataStore(std::unique_ptr<sqlite::ConnectionPool> pool)
    : pool_(std::move(pool)) {}

SqliteMetadataStore::~SqliteMetadataStore() = default;

Result<int> SqliteMetadataStore::SchemaVersion() {
  auto conn = pool_->Acquire();
  auto v = QueryOne<int64_t>(
      *conn, "PRAGMA user_version", [](Statement&) {},
      [](const Statement& st) { return st.Int(0); }, "schema", "");
  if (!v) return v.error();
  return static_cast<int>(*v);
}

// MetadataStore

Result<void> SqliteMetadataStore::CreateOrg(const domain::Org& org) {
  auto conn = pool_->Acquire();
  auto st = conn->Prepare(
      "INSERT INTO orgs (corp_id, name, capacity_bytes, create_time) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->Bind(1, org.corp_id).Bind(2, org.name).Bind(3, org.capacity_bytes).Bind(4, org.create_time);
  if (auto r = st->Run(); !r) return Subject(r.error(), "org");
  return {};
}

Result<domain::Org> SqliteMetadataStore::GetOrg(std::string_view corp_id) {
  auto conn = pool_->Acquire();
  return QueryOne<domain::Org>(
      *conn, "SELECT corp_id, name, capacity_bytes, create_time FROM orgs WHERE corp_id = ?1",
      [&](Statement& st) { st.Bind(1, corp_id); }, ReadOrg, "org", corp_id);
}

Result<std::vector<domain::Org>> SqliteMetadataStore::ListOrgs() {
  auto conn = pool_->Acquire();
  return QueryAll<domain::Org>(
      *conn, "SELECT corp_id, name, capacity_bytes, create_time FROM orgs ORDER BY corp_id",
      [](Statement&) {}, ReadOrg);
}

Result<void> SqliteMetadataStore::CreateApp(const domain::App& app) {
  auto conn = pool_->Acquire();
  auto st = conn->Prepare(
      "INSERT INTO apps (app_id, app_key, secret_hash, corp_id, name, scopes, quota_bytes, "
      "create_time, modified_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!st) return st.error();
  st->Bind(1, app.app_id)
      .Bind(2, app.app_key)
      .Bind(3, app.secret_hash)
      .Bind(4, app.corp_id)
      .Bind(5, app.name)
      .Bind(6, JoinScopes(app.scopes))
      .Bind(7, app.quota_bytes)
      .Bind(8, app.create_time)
      .Bind(9, app.modified_time);
  if (auto r = st->Run(); !r) {
    Error e = r.error();
    if (e.code == Errc::kNotFound) return NotFound("org", app.corp_id);
    return Subject(std::move(e), "app");
  }
  return {};
}

#define APP_SELECT                                                                         \
  "SELECT app_id, app_key, secret_hash, corp_id, name, scopes, quota_bytes, create_time, " \
  "modified_time FROM apps "

Result<domain::App> SqliteMetadataStore::GetApp(std::string_view app_id) {
  auto conn = pool_->Acquire();
  return QueryOne<domain::App>(
      *conn, APP_SELECT "WHERE app_id = ?1", [&](Statement& st) { st.Bind(1, app_id); }, ReadApp,
      "app", app_id);
}

Result<domain::App> SqliteMetadataStore::FindAppByKey(std::string_view app_key) {
  auto conn = pool_->Acquire();
  return QueryOne<domain::App>(
      *conn, APP_SELECT "WHERE app_key = ?1", [&](Statement& st) { st.Bind(1, app_key); }, ReadApp,
      "app", app_key);
}

Result<std::vector<domain::App>> SqliteMetadataStore::ListApps(std::string_view corp_id) {
  auto conn = pool_->Acquire();
  return QueryAll<domain::App>(
      *conn, APP_SELECT "WHERE ?1 = '' OR corp_id = ?1 ORDER BY app_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, ReadApp);
}

Result<void> SqliteMetadataStore::CreateUser(const domain::User& user) {
  auto conn = pool_->Acquire();
  auto st = conn->Prepare(
      "INSERT INTO users (union_id, corp_id, name, create_time) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->Bind(1, user.union_id).Bind(2, user.corp_id).Bind(3, user.name).Bind(4, user.create_time);
  if (auto r = st->Run(); !r) {
    Error e = r.error();
    if (e.code == Errc::kNotFound) return NotFound("org", user.corp_id);
    return Subject(std::move(e), "user");
  }
  return {};
}

Result<domain::User> SqliteMetadataStore::GetUser(std::string_view corp_id,
                                                  std::string_view union_id) {
  auto conn = pool_->Acquire();
  return QueryOne<domain::User>(
      *conn,
      "SELECT union_id, corp_id, name, create_time FROM users WHERE corp_id = ?1 AND "
      "union_id = ?2",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, union_id); }, ReadUser, "user", union_id);
}

Result<std::vector<domain::User>> SqliteMetadataStore::ListUsers(std::string_view corp_id) {
  auto conn = pool_->Acquire();
  return QueryAll<domain::User>(
      *conn,
      "SELECT union_id, corp_id, name, create_time FROM users WHERE ?1 = '' OR corp_id = ?1 "
      "ORDER BY union_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, ReadUser);
}

Result<std::string> SqliteMetadataStore::GetOrCreateSetting(std::string_view key,
                                                            std::string_view value_if_absent) {
  auto conn = pool_->Acquire();
  auto insert =
      conn->Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!insert) return insert.error();
  insert->Bind(1, key).Bind(2, value_if_absent);
  if (auto r = insert->Run(); !r) return r.error();
  return QueryOne<std::string>(
      *conn, "SELECT value FROM settings WHERE key = ?1", [&](Statement& st) { st.Bind(1, key); },
      [](const Statement& st) { return st.Text(0); }, "setting", key);
}

Result<domain::CreatedSpace> SqliteMetadataStore::CreateSpace(const domain::Space& s) {
  auto conn = pool_->Acquire();
  auto tx = WriteTransaction::Begin(*conn);
  if (!tx) return tx.error();
  // The idempotency key is a UNIQUE constraint: a second identical create inserts nothing and
  // reads the first one's row, inside the same write transaction.
  auto insert = conn->Prepare(
      "INSERT INTO spaces (" SPACE_COLUMNS
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18, ?19, ?20, 0) ON CONFLICT (corp_id, app_id, scene, scene_id) DO NOTHING");
  if (!insert) return insert.error();
  insert->Bind(1, s.id)
      .Bind(2, s.corp_id)
      .Bind(3, s.app_id)
      .Bind(4, s.name)
      .Bind(5, static_cast<int64_t>(s.owner_type))
      .Bind(6, static_cast<int64_t>(s.kind))
      .Bind(7, s.owner_id)
      .Bind(8, s.creator_id)
      .Bind(9, s.modifier_id)
      .Bind(10, s.used_bytes)
      .Bind(11, s.quota_bytes)
      .Bind(12, int64_t{s.disabled})
      .Bind(13, s.scene)
      .Bind(14, s.scene_id)
      .Bind(15, int64_t{s.capabilities.can_search})
      .Bind(16, int64_t{s.capabilities.can_rename})
      .Bind(17, int64_t{s.capabilities.can_record_recent_file})
      .Bind(18, s.create_time)
      .Bind(19, s.modified_time)
      .Bind(20, s.reserved_bytes);
  if (auto r = insert->Run(); !r) {
    Error e = r.error();
    if (e.code == Errc::kNotFound) return NotFound("org", s.corp_id);
    return Subject(std::move(e), "id");
  }
  const bool created = conn->Changes() > 0;
  auto stored = QueryOne<domain::Space>(
      *conn,
      "SELECT " SPACE_COLUMNS
      " FROM spaces WHERE corp_id = ?1 AND app_id = ?2 AND scene = ?3 AND scene_id = ?4",
      [&](Statement& st) {
        st.Bind(1, s.corp_id).Bind(2, s.app_id).Bind(3, s.scene).Bind(4, s.scene_id);
      },
      ReadSpace, "space", s.id);
  if (!stored) return stored.error();
  if (auto r = tx->Commit(); !r) return r.error();
  return domain::CreatedSpace{std::move(*stored), created};
}

Result<domain::Space> SqliteMetadataStore::GetSpace(std::string_view corp_id,
                                                    std::string_view space_id) {
  auto conn = pool_->Acquire();
  return SelectSpace(*conn, corp_id, space_id);
}

Result<std::vector<domain::Space>> SqliteMetadataStore::ListSpaces(
    std::string_view corp_id, const domain::SpaceFilter& filter) {
  auto conn = pool_->Acquire();
  return QueryAll<domain::Space>(
      *conn,
      "SELECT " SPACE_COLUMNS
      " FROM spaces WHERE corp_id = ?1 AND (?2 IS NULL OR owner_id = ?2) AND "
      "(?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR app_id = ?4) ORDER BY seq",
      [&](Statement& st) {
        st.Bind(1, corp_id);
        if (filter.owner_id) st.Bind(2, *filter.owner_id);
        if (filter.kind) st.Bind(3, static_cast<int64_t>(*filter.kind));
        if (filter.app_id) st.Bind(4, *filter.app_id);
      },
      ReadSpace);
}

Result<domain::Space> SqliteMetadataStore::UpdateSpace(std::string_view corp_id,
                                                       std::string_view space_id,
                                                       const domain::SpaceUpdate& update) {
  auto conn = pool_->Acquire();
  auto tx = WriteTransaction::Begin(*conn);
  if (!tx) return tx.error();
  auto st = conn->Prepare(
      "UPDATE spaces SET quota_bytes = CASE WHEN ?3 THEN ?4 ELSE quota_bytes END, "
      "disabled = COALESCE(?5, disabled), modifier_id = ?6, modified_time = ?7 "
      "WHERE id = ?1 AND corp_id = ?2");
  if (!st) return st.error();
  st->Bind(1, space_id)
      .Bind(2, corp_id)
      .Bind(3, int64_t{update.quota_bytes.has_value()})
      .Bind(4, update.quota_bytes.value_or(std::nullopt))
      .Bind(5, update.disabled ? std::optional<int64_t>(*update.disabled) : std::nullopt)
      .Bind(6, update.modifier_id)
      .Bind(7, update.modified_time);
  if (auto r = st->Run(); !r) return r.error();
  if (conn->Changes() == 0) return NotFound("space", space_id);
  auto stored = SelectSpace(*conn, corp_id, space_id);
  if (!stored) return stored.error();
  if (auto r = tx->Commit(); !r) return r.error();
  return stored;
}

Result<void> SqliteMetadataStore::DeleteSpace(std::string_view corp_id, std::string_view space_id) {
  auto conn = pool_->Acquire();
  auto tx = WriteTransaction::Begin(*conn);
  if (!tx) return tx.error();
  // Everything the space holds goes with it, so its blobs become unreferenced and collectable.
  static constexpr const char* kCascade[] = {
      "DELETE FROM dentry_versions WHERE dentry_id IN "
      "(SELECT id FROM dentries WHERE space_id = ?1) AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM upload_parts WHERE upload_key IN (SELECT key FROM uploads WHERE space_id = ?1) "
      "AND EXISTS (SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM uploads WHERE space_id = ?1 AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM dentries WHERE space_id = ?1 AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
  };
  for (const char* sql : kCascade) {
    auto st = conn->Prepare(sql);
    if (!st) return st.error();
    st->Bind(1, space_id).Bind(2, corp_id);
    if (auto r = st->Run(); !r) return r.error();
  }
  auto st = conn->Prepare("DELETE FROM spaces WHERE id = ?1 AND corp_id = ?2");
  if (!st) return st.error();
  st->Bind(1, space_id).Bind(2, corp_id);
  if (auto r = st->Run(); !r) return r.error();
  if (conn->Changes() == 0) return NotFound("space", space_id);
  return tx->Commit();
}

Result<int64_t> SqliteMetadataStore::SumUsedBytes(std::string_view corp_id,
                                                  std::string_view app_id) {
  auto conn = pool_->Acquire();
  return QueryOne<int64_t>(
      *conn,
      "SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1 AND "
      "(?2 = '' OR app_id = ?2)",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, app_id); },
      [](const Statement& st) { return st.Int(0); }, "org", corp_id);
}

}  // namespace spacestore::storage
