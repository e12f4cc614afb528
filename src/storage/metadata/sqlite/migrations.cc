#include "storage/metadata/sqlite/migrations.h"

namespace spacestore::storage::sqlite {
namespace {

constexpr const char* kMigrations[] = {
    // 1: identity, settings and spaces.
    R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE orgs (
  corp_id        TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  capacity_bytes INTEGER NOT NULL,
  create_time    INTEGER NOT NULL
);
CREATE TABLE apps (
  app_id        TEXT PRIMARY KEY,
  app_key       TEXT NOT NULL UNIQUE,
  secret_hash   TEXT NOT NULL,
  corp_id       TEXT NOT NULL REFERENCES orgs (corp_id),
  name          TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  quota_bytes   INTEGER,
  create_time   INTEGER NOT NULL,
  modified_time INTEGER NOT NULL
);
CREATE TABLE users (
  corp_id     TEXT NOT NULL REFERENCES orgs (corp_id),
  union_id    TEXT NOT NULL,
  name        TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (corp_id, union_id)
);
CREATE TABLE spaces (
  seq                    INTEGER PRIMARY KEY AUTOINCREMENT,
  id                     TEXT NOT NULL UNIQUE,
  corp_id                TEXT NOT NULL REFERENCES orgs (corp_id),
  app_id                 TEXT NOT NULL,
  name                   TEXT NOT NULL,
  owner_type             INTEGER NOT NULL,
  kind                   INTEGER NOT NULL,
  owner_id               TEXT NOT NULL,
  creator_id             TEXT NOT NULL,
  modifier_id            TEXT NOT NULL,
  used_bytes             INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
  quota_bytes            INTEGER,
  disabled               INTEGER NOT NULL DEFAULT 0,
  scene                  TEXT NOT NULL,
  scene_id               TEXT NOT NULL,
  can_search             INTEGER NOT NULL,
  can_rename             INTEGER NOT NULL,
  can_record_recent_file INTEGER NOT NULL,
  create_time            INTEGER NOT NULL,
  modified_time          INTEGER NOT NULL,
  UNIQUE (corp_id, app_id, scene, scene_id)
);
CREATE INDEX spaces_by_owner ON spaces (corp_id, owner_id, kind);
CREATE INDEX spaces_by_app ON spaces (corp_id, app_id);
)sql",
};

}  // namespace

std::span<const char* const> Migrations() { return kMigrations; }

}  // namespace spacestore::storage::sqlite
