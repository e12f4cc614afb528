#include "storage/metadata/sqlite/migrations.h"

#include <array>

namespace spacestore::storage::sqlite {
namespace {

constexpr auto kMigrations = std::to_array<const char*>({
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
    // 2: dentries, versions, uploads and space reservations.
    R"sql(
ALTER TABLE spaces ADD COLUMN reserved_bytes INTEGER NOT NULL DEFAULT 0
  CHECK (reserved_bytes >= 0);
CREATE TABLE dentries (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  id             TEXT NOT NULL UNIQUE,
  space_id       TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  parent_id      TEXT NOT NULL,
  uuid           TEXT NOT NULL,
  type           INTEGER NOT NULL,
  name           TEXT NOT NULL,
  path           TEXT NOT NULL,
  size           INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  status         INTEGER NOT NULL,
  creator_id     TEXT NOT NULL,
  modifier_id    TEXT NOT NULL,
  create_time    INTEGER NOT NULL,
  modified_time  INTEGER NOT NULL,
  read_only      INTEGER NOT NULL,
  blob_id        TEXT NOT NULL,
  app_properties TEXT NOT NULL
);
-- status 0 is NORMAL: names are unique among a folder's NORMAL children, and every listing
-- order has its own index so a page is a range scan whatever the folder's size.
CREATE UNIQUE INDEX dentries_by_name ON dentries (space_id, parent_id, name) WHERE status = 0;
CREATE INDEX dentries_by_modified ON dentries (space_id, parent_id, modified_time, id)
  WHERE status = 0;
CREATE INDEX dentries_by_created ON dentries (space_id, parent_id, create_time, id)
  WHERE status = 0;
CREATE INDEX dentries_by_size ON dentries (space_id, parent_id, size, id) WHERE status = 0;
CREATE INDEX dentries_all_by_modified ON dentries (space_id, modified_time, id) WHERE status = 0;
CREATE TABLE dentry_versions (
  dentry_id     TEXT NOT NULL,
  version       INTEGER NOT NULL,
  size          INTEGER NOT NULL,
  blob_id       TEXT NOT NULL,
  modifier_id   TEXT NOT NULL,
  modified_time INTEGER NOT NULL,
  PRIMARY KEY (dentry_id, version)
);
CREATE INDEX dentry_versions_by_blob ON dentry_versions (blob_id);
CREATE TABLE uploads (
  key            TEXT PRIMARY KEY,
  corp_id        TEXT NOT NULL,
  space_id       TEXT NOT NULL,
  app_id         TEXT NOT NULL,
  creator_id     TEXT NOT NULL,
  multipart      INTEGER NOT NULL,
  state          INTEGER NOT NULL,
  declared_size  INTEGER NOT NULL,
  reserved_bytes INTEGER NOT NULL,
  expected_md5   TEXT NOT NULL,
  blob_id        TEXT NOT NULL,
  blob_size      INTEGER NOT NULL,
  blob_md5       TEXT NOT NULL,
  create_time    INTEGER NOT NULL,
  expire_time    INTEGER NOT NULL
);
CREATE INDEX uploads_by_expiry ON uploads (expire_time);
CREATE INDEX uploads_by_blob ON uploads (blob_id);
CREATE TABLE upload_parts (
  upload_key  TEXT NOT NULL,
  part_number INTEGER NOT NULL,
  blob_id     TEXT NOT NULL,
  size        INTEGER NOT NULL,
  PRIMARY KEY (upload_key, part_number)
);
CREATE INDEX upload_parts_by_blob ON upload_parts (blob_id);
)sql",
    // 3: a per-space dentry generation, kept by triggers so that every writer of the dentries
    // table (the server, admin tools, a bulk loader) moves it in the same transaction.
    R"sql(
ALTER TABLE spaces ADD COLUMN dentry_generation INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER dentries_generation_on_insert AFTER INSERT ON dentries BEGIN
  UPDATE spaces SET dentry_generation = dentry_generation + 1 WHERE id = NEW.space_id;
END;
CREATE TRIGGER dentries_generation_on_update AFTER UPDATE ON dentries BEGIN
  UPDATE spaces SET dentry_generation = dentry_generation + 1
    WHERE id IN (OLD.space_id, NEW.space_id);
END;
CREATE TRIGGER dentries_generation_on_delete AFTER DELETE ON dentries BEGIN
  UPDATE spaces SET dentry_generation = dentry_generation + 1 WHERE id = OLD.space_id;
END;
)sql",
    // 4: paths are computed on read from the parent chain, so a rename or move of a folder
    // rewrites one row. The column stays (dropping it would shift every column after it for
    // no gain) but is cleared and never read again.
    R"sql(
UPDATE dentries SET path = '' WHERE path <> '';
)sql",
    // 5: durable background tasks (async copy, move, delete, restore). A task is inserted in
    // the transaction of the request that submits it and finished in the transaction that
    // does the work, so its row always agrees with the tree. status: 0 INIT, 1 IN_PROGRESS,
    // 2 SUCCESS, 3 FAIL. fail_code is the Errc of the failure (NULL unless FAIL).
    R"sql(
CREATE TABLE tasks (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  corp_id       TEXT NOT NULL,
  app_id        TEXT NOT NULL,
  actor_id      TEXT NOT NULL,
  kind          TEXT NOT NULL,
  params        TEXT NOT NULL,
  status        INTEGER NOT NULL,
  total_count   INTEGER NOT NULL,
  success_count INTEGER NOT NULL,
  fail_count    INTEGER NOT NULL,
  fail_code     INTEGER,
  fail_subject  TEXT NOT NULL,
  fail_message  TEXT NOT NULL,
  create_time   INTEGER NOT NULL,
  begin_time    INTEGER NOT NULL,
  end_time      INTEGER NOT NULL
);
CREATE INDEX tasks_unfinished ON tasks (create_time, seq) WHERE status < 2;
)sql",
    // 6: recycle items, and on each dentry the item that
    // recycled it. Recycled rows stay in place (status 1, DELETED), so restore and purge are one
    // statement over dentries_by_recycle_item whatever the tree's size.
    R"sql(
CREATE TABLE recycle_items (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  id                 TEXT NOT NULL UNIQUE,
  corp_id            TEXT NOT NULL,
  app_id             TEXT NOT NULL,
  space_id           TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  dentry_id          TEXT NOT NULL,
  type               INTEGER NOT NULL,
  original_name      TEXT NOT NULL,
  original_parent_id TEXT NOT NULL,
  original_path      TEXT NOT NULL,
  size               INTEGER NOT NULL,
  dentry_count       INTEGER NOT NULL,
  operator_id        TEXT NOT NULL,
  operator_time      INTEGER NOT NULL
);
CREATE INDEX recycle_items_by_org ON recycle_items (corp_id, operator_time, id);
CREATE INDEX recycle_items_by_app ON recycle_items (corp_id, app_id, operator_time, id);
CREATE INDEX recycle_items_by_space ON recycle_items (space_id, operator_time, id);
ALTER TABLE dentries ADD COLUMN recycle_item_id TEXT;
CREATE INDEX dentries_by_recycle_item ON dentries (recycle_item_id)
  WHERE recycle_item_id IS NOT NULL;
)sql",
    // 7: leases, so that background work (collector, upload expiry, task runner) runs on one
    // node at a time when several share the store. expires_at is milliseconds since the epoch.
    R"sql(
CREATE TABLE leases (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
)sql",
    // 8: permissions. A grant of a role on a dentry (the space's root dentry: the whole space)
    // to a member; member_type 0 USER, 1 DEPT, 2 ORG, 3 ALL_USERS; role 1 READER .. 5 OWNER;
    // expire_time NULL is permanent. Departments are flat. permission_generation is moved by
    // the permission records' own statements in the writing transaction (not by triggers: a
    // membership change moves every space of its org).
    R"sql(
CREATE TABLE permissions (
  space_id       TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  dentry_id      TEXT NOT NULL,
  member_type    INTEGER NOT NULL,
  member_id      TEXT NOT NULL,
  member_corp_id TEXT NOT NULL,
  role           INTEGER NOT NULL,
  expire_time    INTEGER,
  operator_id    TEXT NOT NULL,
  create_time    INTEGER NOT NULL,
  modified_time  INTEGER NOT NULL,
  PRIMARY KEY (space_id, dentry_id, member_type, member_id)
);
CREATE INDEX permissions_by_member ON permissions (member_type, member_id, space_id);
CREATE TABLE departments (
  corp_id     TEXT NOT NULL REFERENCES orgs (corp_id),
  dept_id     TEXT NOT NULL,
  name        TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (corp_id, dept_id)
);
CREATE TABLE department_members (
  corp_id  TEXT NOT NULL,
  dept_id  TEXT NOT NULL,
  union_id TEXT NOT NULL,
  PRIMARY KEY (corp_id, dept_id, union_id),
  FOREIGN KEY (corp_id, dept_id) REFERENCES departments (corp_id, dept_id),
  FOREIGN KEY (corp_id, union_id) REFERENCES users (corp_id, union_id)
);
CREATE INDEX department_members_by_user ON department_members (corp_id, union_id, dept_id);
ALTER TABLE spaces ADD COLUMN permission_generation INTEGER NOT NULL DEFAULT 0;
)sql",
    // 9: events, open links and console logins.
    // Events: a per-org log in commit order. orgs.event_seq is the org's last seq; a writing
    // transaction takes the next one by updating that row, so on PostgreSQL too seq order is
    // commit order and a reader after seq N never misses a later-committed N-1. Subscriptions
    // are per app and scope (0 ORG, 1 SPACE); an app's push delivery keeps one cursor
    // (event_deliveries) and a dead-letter list.
    // Open links: RegisterOpenInfo's provider URLs per dentry (open_type 0 PREVIEW, 1 EDIT),
    // and the tokens of preview links and WebOffice sessions, stored by their SHA-256 only
    // (kind 0 preview link, 1 WebOffice access token, 2 WebOffice refresh token, 3 the
    // session of an opened preview page: OpenTokenKind).
    // users.password_hash: a user's console password, as apps.secret_hash; NULL cannot log in.
    R"sql(
ALTER TABLE orgs ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN event_url TEXT;
ALTER TABLE apps ADD COLUMN event_secret TEXT;
CREATE TABLE events (
  corp_id     TEXT NOT NULL REFERENCES orgs (corp_id),
  seq         INTEGER NOT NULL,
  event_id    TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  space_id    TEXT NOT NULL,
  dentry_id   TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  time        INTEGER NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (corp_id, seq)
);
CREATE INDEX events_by_space ON events (space_id, seq);
CREATE TABLE event_subscriptions (
  app_id      TEXT NOT NULL REFERENCES apps (app_id),
  scope       INTEGER NOT NULL,
  scope_id    TEXT NOT NULL,
  corp_id     TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (app_id, scope, scope_id)
);
CREATE TABLE event_deliveries (
  app_id          TEXT PRIMARY KEY REFERENCES apps (app_id),
  delivered_seq   INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL
);
CREATE TABLE event_dead_letters (
  app_id     TEXT NOT NULL REFERENCES apps (app_id),
  seq        INTEGER NOT NULL,
  corp_id    TEXT NOT NULL,
  attempts   INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  dead_time  INTEGER NOT NULL,
  PRIMARY KEY (app_id, seq)
);
CREATE TABLE open_infos (
  space_id      TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  dentry_id     TEXT NOT NULL,
  open_type     INTEGER NOT NULL,
  provider      TEXT NOT NULL,
  url           TEXT NOT NULL,
  operator_id   TEXT NOT NULL,
  modified_time INTEGER NOT NULL,
  PRIMARY KEY (space_id, dentry_id, open_type)
);
CREATE TABLE open_tokens (
  token_hash  TEXT PRIMARY KEY,
  kind        INTEGER NOT NULL,
  pair_hash   TEXT,
  corp_id     TEXT NOT NULL,
  app_id      TEXT NOT NULL,
  union_id    TEXT NOT NULL,
  space_id    TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
  dentry_id   TEXT NOT NULL,
  version     INTEGER,
  check_login INTEGER NOT NULL,
  water_mark  INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  used_time   INTEGER
);
CREATE INDEX open_tokens_by_expiry ON open_tokens (expire_time);
ALTER TABLE users ADD COLUMN password_hash TEXT;
)sql",
    // 10: no change to the tables. From this version on, every write marks the write sequence
    // (`metadata.db-seq`, sqlite/write_seq.h) that lets a server answer GetSpace from memory; a
    // binary from before it wrote without marking, and would leave those answers stale. The
    // version alone makes such a binary refuse the file ("newer than this binary supports").
    // PostgreSQL's migration 10 is empty too, so that both schemas keep one numbering.
    "SELECT 1;",
});

}  // namespace

std::span<const char* const> Migrations() { return kMigrations; }

}  // namespace spacestore::storage::sqlite
