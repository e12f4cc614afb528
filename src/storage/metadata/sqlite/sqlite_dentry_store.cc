// SqliteMetadataStore, part two: the write transaction behind Transact() and the dentry, upload
// and collection queries. Listings use keyset pagination over the per-order partial indexes
// (migration 2): a page is one range scan of limit+1 rows, whatever the folder's size.
#include "storage/metadata/sqlite/sqlite_db.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_rows.h"

namespace spacestore::storage {

using sqlite::AllSql;
using sqlite::ChildrenSql;
using sqlite::Connection;
using sqlite::QueryAll;
using sqlite::QueryOne;
using sqlite::ReadDentry;
using sqlite::ReadUpload;
using sqlite::Statement;

namespace {

// Runs a statement that returns no rows.
template <class Bind>
Result<void> Exec(Connection& conn, const char* sql, Bind bind) {
  auto st = conn.Prepare(sql);
  if (!st) return st.error();
  bind(*st);
  return st->Run();
}

class SqliteTransaction final : public domain::MetadataTransaction {
 public:
  explicit SqliteTransaction(Connection& conn) : conn_(conn) {}

  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override {
    return sqlite::SelectSpace(conn_, corp_id, space_id);
  }

  Result<void> AdjustSpaceBytes(std::string_view space_id, int64_t used_delta,
                                int64_t reserved_delta) override {
    auto r = Exec(
        conn_,
        "UPDATE spaces SET used_bytes = used_bytes + ?2, "
        "reserved_bytes = reserved_bytes + ?3 WHERE id = ?1",
        [&](Statement& st) { st.Bind(1, space_id).Bind(2, used_delta).Bind(3, reserved_delta); });
    if (!r) return r.error();
    if (conn_.Changes() == 0) return sqlite::NotFound("space", space_id);
    return {};
  }

  Result<domain::UsageTotals> Totals(std::string_view corp_id, std::string_view app_id) override {
    return QueryOne<domain::UsageTotals>(
        conn_,
        "SELECT o.capacity_bytes, "
        "  (SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1), "
        "  (SELECT COALESCE(SUM(reserved_bytes), 0) FROM spaces WHERE corp_id = ?1), "
        "  (SELECT quota_bytes FROM apps WHERE app_id = ?2), "
        "  (SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1 AND app_id = ?2), "
        "  (SELECT COALESCE(SUM(reserved_bytes), 0) FROM spaces WHERE corp_id = ?1 AND app_id = "
        "?2) "
        "FROM orgs o WHERE o.corp_id = ?1",
        [&](Statement& st) { st.Bind(1, corp_id).Bind(2, app_id); },
        [](const Statement& st) {
          return domain::UsageTotals{st.Int(0),         st.Int(1), st.Int(2),
                                     st.OptionalInt(3), st.Int(4), st.Int(5)};
        },
        "org", corp_id);
  }

  Result<domain::Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id) override {
    return sqlite::SelectDentry(conn_, space_id, dentry_id);
  }

  Result<std::optional<domain::Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) override {
    auto d = QueryOne<domain::Dentry>(
        conn_,
        "SELECT " DENTRY_COLUMNS
        " FROM dentries WHERE space_id = ?1 AND parent_id = ?2 AND name = ?3 AND status = 0",
        [&](Statement& st) { st.Bind(1, space_id).Bind(2, parent_id).Bind(3, name); }, ReadDentry,
        "dentry", name);
    if (d) return std::optional<domain::Dentry>(std::move(*d));
    if (d.error().code == Errc::kNotFound) return std::optional<domain::Dentry>();
    return d.error();
  }

  Result<void> InsertDentry(const domain::Dentry& d) override {
    auto r = Exec(conn_,
                  "INSERT INTO dentries (" DENTRY_COLUMNS
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                  "?16, ?17)",
                  [&](Statement& st) { sqlite::BindDentry(st, d); });
    if (!r) {
      // The only foreign key is the space; a UNIQUE clash is the name or the id.
      if (r.error().code == Errc::kNotFound) return sqlite::NotFound("space", d.space_id);
      return sqlite::Subject(r.error(), "dentry");
    }
    return {};
  }

  Result<void> UpdateDentry(const domain::Dentry& d) override {
    auto r = Exec(conn_,
                  "UPDATE dentries SET parent_id = ?3, name = ?6, path = ?7, size = ?8, "
                  "version = ?9, status = ?10, modifier_id = ?12, modified_time = ?14, "
                  "read_only = ?15, blob_id = ?16, app_properties = ?17 "
                  "WHERE id = ?1 AND space_id = ?2",
                  [&](Statement& st) { sqlite::BindDentry(st, d); });
    if (!r) return sqlite::Subject(r.error(), "dentry");
    if (conn_.Changes() == 0) return sqlite::NotFound("dentry", d.id);
    return {};
  }

  Result<void> InsertVersion(const domain::DentryVersion& v) override {
    auto r = Exec(conn_,
                  "INSERT INTO dentry_versions (dentry_id, version, size, blob_id, modifier_id, "
                  "modified_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  [&](Statement& st) {
                    st.Bind(1, v.dentry_id)
                        .Bind(2, v.version)
                        .Bind(3, v.size)
                        .Bind(4, v.blob_id)
                        .Bind(5, v.modifier_id)
                        .Bind(6, v.modified_time);
                  });
    if (!r) return sqlite::Subject(r.error(), "version");
    return {};
  }

  Result<domain::DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) override {
    return QueryOne<domain::DentryVersion>(
        conn_,
        "SELECT dentry_id, version, size, blob_id, modifier_id, modified_time FROM "
        "dentry_versions WHERE dentry_id = ?1 AND version = ?2",
        [&](Statement& st) { st.Bind(1, dentry_id).Bind(2, version); },
        [](const Statement& st) {
          return domain::DentryVersion{st.Text(0), st.Int(1),  st.Int(2),
                                       st.Text(3), st.Text(4), st.Int(5)};
        },
        "version", std::to_string(version));
  }

  Result<domain::UploadSession> GetUpload(std::string_view key) override {
    return QueryOne<domain::UploadSession>(
        conn_, "SELECT " UPLOAD_COLUMNS " FROM uploads WHERE key = ?1",
        [&](Statement& st) { st.Bind(1, key); }, ReadUpload, "upload", key);
  }

  Result<void> PutUpload(const domain::UploadSession& u) override {
    return Exec(conn_,
                "INSERT OR REPLACE INTO uploads (" UPLOAD_COLUMNS
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                [&](Statement& st) {
                  st.Bind(1, u.key)
                      .Bind(2, u.corp_id)
                      .Bind(3, u.space_id)
                      .Bind(4, u.app_id)
                      .Bind(5, u.creator_id)
                      .Bind(6, int64_t{u.multipart})
                      .Bind(7, static_cast<int64_t>(u.state))
                      .Bind(8, u.declared_size)
                      .Bind(9, u.reserved_bytes)
                      .Bind(10, u.expected_md5)
                      .Bind(11, u.blob_id)
                      .Bind(12, u.blob_size)
                      .Bind(13, u.blob_md5)
                      .Bind(14, u.create_time)
                      .Bind(15, u.expire_time);
                });
  }

  Result<void> DeleteUpload(std::string_view key) override {
    auto r = Exec(conn_, "DELETE FROM upload_parts WHERE upload_key = ?1",
                  [&](Statement& st) { st.Bind(1, key); });
    if (!r) return r;
    return Exec(conn_, "DELETE FROM uploads WHERE key = ?1",
                [&](Statement& st) { st.Bind(1, key); });
  }

  Result<void> PutUploadPart(const domain::UploadPart& p) override {
    return Exec(conn_,
                "INSERT OR REPLACE INTO upload_parts (upload_key, part_number, blob_id, size) "
                "VALUES (?1, ?2, ?3, ?4)",
                [&](Statement& st) {
                  st.Bind(1, p.upload_key)
                      .Bind(2, int64_t{p.part_number})
                      .Bind(3, p.blob_id)
                      .Bind(4, p.size);
                });
  }

  Result<std::vector<domain::UploadPart>> ListUploadParts(std::string_view key) override {
    return QueryAll<domain::UploadPart>(
        conn_,
        "SELECT upload_key, part_number, blob_id, size FROM upload_parts WHERE upload_key = ?1 "
        "ORDER BY part_number",
        [&](Statement& st) { st.Bind(1, key); },
        [](const Statement& st) {
          return domain::UploadPart{st.Text(0), static_cast<int32_t>(st.Int(1)), st.Text(2),
                                    st.Int(3)};
        });
  }

 private:
  Connection& conn_;
};

// Runs a listing statement for limit+1 rows and turns the extra row into a cursor.
Result<domain::DentryPage> Page(Connection& conn, const char* sql, std::string_view space_id,
                                std::string_view parent_id, const domain::ListQuery& query,
                                const std::optional<domain::Cursor>& cursor) {
  auto rows = QueryAll<domain::Dentry>(
      conn, sql,
      [&](Statement& st) {
        st.Bind(1, space_id).Bind(2, parent_id).Bind(3, int64_t{query.limit} + 1);
        if (cursor) {
          if (query.order == domain::DentryOrder::kName) {
            st.Bind(4, cursor->text);
          } else {
            st.Bind(4, cursor->number).Bind(5, cursor->id);
          }
        }
      },
      ReadDentry);
  if (!rows) return rows.error();
  domain::DentryPage page;
  page.dentries = std::move(*rows);
  if (page.dentries.size() > static_cast<size_t>(query.limit)) {
    page.dentries.resize(static_cast<size_t>(query.limit));
    page.next_cursor = domain::EncodeCursor(query.order, page.dentries.back());
  }
  return page;
}

}  // namespace

Result<void> SqliteMetadataStore::Transact(
    const std::function<Result<void>(domain::MetadataTransaction&)>& fn) {
  auto conn = pool_->Acquire();
  auto tx = sqlite::WriteTransaction::Begin(*conn);
  if (!tx) return tx.error();
  SqliteTransaction view(*conn);
  if (auto r = fn(view); !r) return r;  // The WriteTransaction rolls back.
  return tx->Commit();
}

Result<void> SqliteMetadataStore::View(
    const std::function<Result<void>(domain::MetadataTransaction&)>& fn) {
  auto conn = pool_->Acquire();
  // A deferred transaction takes no lock until its first read, and then only a read lock: in
  // WAL mode it never waits for writers.
  if (auto r = conn->Exec("BEGIN DEFERRED"); !r) return r;
  SqliteTransaction view(*conn);
  auto r = fn(view);
  (void)conn->Exec(r ? "COMMIT" : "ROLLBACK");
  return r;
}

Result<domain::Dentry> SqliteMetadataStore::GetDentry(std::string_view space_id,
                                                      std::string_view dentry_id) {
  auto conn = pool_->Acquire();
  return sqlite::SelectDentry(*conn, space_id, dentry_id);
}

Result<std::vector<domain::Dentry>> SqliteMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  // One statement per batch of ids: a read transaction per id would cost a lock round trip
  // each.
  constexpr size_t kBatch = sqlite::kMaxIdsPerSelect;
  auto conn = pool_->Acquire();
  std::vector<domain::Dentry> out;
  for (size_t first = 0; first < ids.size(); first += kBatch) {
    const size_t n = std::min(kBatch, ids.size() - first);
    auto rows = QueryAll<domain::Dentry>(
        *conn, sqlite::SelectDentriesByIdSql(n),
        [&](Statement& st) {
          st.Bind(1, space_id);
          for (size_t i = 0; i < n; ++i) st.Bind(static_cast<int>(i + 2), ids[first + i]);
        },
        ReadDentry);
    if (!rows) return rows.error();
    for (auto& d : *rows) out.push_back(std::move(d));
  }
  return out;
}

Result<domain::DentryPage> SqliteMetadataStore::ListChildren(std::string_view space_id,
                                                             std::string_view parent_id,
                                                             const domain::ListQuery& query) {
  std::optional<domain::Cursor> cursor;
  if (!query.cursor.empty()) {
    auto c = domain::DecodeCursor(query.order, query.cursor);
    if (!c) return c.error();
    cursor = std::move(*c);
  }
  auto conn = pool_->Acquire();
  return Page(*conn, ChildrenSql(query.order, query.descending, cursor.has_value()), space_id,
              parent_id, query, cursor);
}

Result<domain::DentryPage> SqliteMetadataStore::ListAll(std::string_view space_id,
                                                        const domain::ListQuery& query) {
  std::optional<domain::Cursor> cursor;
  if (!query.cursor.empty()) {
    auto c = domain::DecodeCursor(domain::DentryOrder::kModifiedTime, query.cursor);
    if (!c) return c.error();
    cursor = std::move(*c);
  }
  domain::ListQuery by_time = query;
  by_time.order = domain::DentryOrder::kModifiedTime;
  auto conn = pool_->Acquire();
  // ?2 is unused by the whole-space statements; binding it keeps one Page() for both.
  return Page(*conn, AllSql(query.descending, cursor.has_value()), space_id, "", by_time, cursor);
}

Result<std::vector<domain::DentryVersion>> SqliteMetadataStore::ListVersions(
    std::string_view dentry_id) {
  auto conn = pool_->Acquire();
  return QueryAll<domain::DentryVersion>(
      *conn,
      "SELECT dentry_id, version, size, blob_id, modifier_id, modified_time FROM dentry_versions "
      "WHERE dentry_id = ?1 ORDER BY version DESC",
      [&](Statement& st) { st.Bind(1, dentry_id); },
      [](const Statement& st) {
        return domain::DentryVersion{st.Text(0), st.Int(1),  st.Int(2),
                                     st.Text(3), st.Text(4), st.Int(5)};
      });
}

Result<std::vector<std::string>> SqliteMetadataStore::ListExpiredUploads(int64_t now_millis,
                                                                         int limit) {
  auto conn = pool_->Acquire();
  return QueryAll<std::string>(
      *conn, "SELECT key FROM uploads WHERE expire_time < ?1 ORDER BY expire_time LIMIT ?2",
      [&](Statement& st) { st.Bind(1, now_millis).Bind(2, int64_t{limit}); },
      [](const Statement& st) { return st.Text(0); });
}

Result<bool> SqliteMetadataStore::IsBlobReferenced(std::string_view blob_id) {
  auto conn = pool_->Acquire();
  return QueryOne<bool>(
      *conn,
      "SELECT EXISTS (SELECT 1 FROM dentry_versions WHERE blob_id = ?1) OR "
      "EXISTS (SELECT 1 FROM uploads WHERE blob_id = ?1) OR "
      "EXISTS (SELECT 1 FROM upload_parts WHERE blob_id = ?1)",
      [&](Statement& st) { st.Bind(1, blob_id); },
      [](const Statement& st) { return st.Int(0) != 0; }, "blob", blob_id);
}

Result<int64_t> SqliteMetadataStore::SumVersionBytes(std::string_view space_id) {
  auto conn = pool_->Acquire();
  return QueryOne<int64_t>(
      *conn,
      "SELECT COALESCE(SUM(v.size), 0) FROM dentry_versions v JOIN dentries d "
      "ON d.id = v.dentry_id WHERE d.space_id = ?1",
      [&](Statement& st) { st.Bind(1, space_id); }, [](const Statement& st) { return st.Int(0); },
      "space", space_id);
}

}  // namespace spacestore::storage
