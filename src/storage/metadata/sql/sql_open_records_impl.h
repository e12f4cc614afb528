#pragma once

// The open-link aggregate's statements, one text for SQLite and PostgreSQL. Member definitions
// of SqlOpenRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_open_records.h"

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

namespace detail {

#define OPEN_INFO_COLUMNS \
  "space_id, dentry_id, open_type, provider, url, operator_id, modified_time"
#define OPEN_TOKEN_COLUMNS                                                                 \
  "token_hash, kind, pair_hash, corp_id, app_id, union_id, space_id, dentry_id, version, " \
  "check_login, water_mark, create_time, expire_time, used_time"

template <class Statement>
domain::OpenInfo ReadOpenInfo(const Statement& st) {
  domain::OpenInfo i;
  i.space_id = st.Text(0);
  i.dentry_id = st.Text(1);
  i.type = static_cast<domain::OpenType>(st.Int(2));
  i.provider = st.Text(3);
  i.url = st.Text(4);
  i.operator_id = st.Text(5);
  i.modified_time = st.Int(6);
  return i;
}

template <class Statement>
domain::OpenToken ReadOpenToken(const Statement& st) {
  domain::OpenToken t;
  t.token_hash = st.Text(0);
  t.kind = static_cast<domain::OpenTokenKind>(st.Int(1));
  t.pair_hash = st.Text(2);
  t.corp_id = st.Text(3);
  t.app_id = st.Text(4);
  t.union_id = st.Text(5);
  t.space_id = st.Text(6);
  t.dentry_id = st.Text(7);
  t.version = st.OptionalInt(8);
  t.check_login = st.Int(9) != 0;
  t.water_mark = st.Int(10) != 0;
  t.create_time = st.Int(11);
  t.expire_time = st.Int(12);
  t.used_time = st.OptionalInt(13);
  return t;
}

}  // namespace detail

// OpenRecords

template <class Connection>
Result<void> SqlOpenRecords<Connection>::PutOpenInfo(const domain::OpenInfo& i) {
  auto r = Exec(conn_,
                "INSERT INTO open_infos (" OPEN_INFO_COLUMNS
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (space_id, dentry_id, "
                "open_type) DO UPDATE SET provider = excluded.provider, url = excluded.url, "
                "operator_id = excluded.operator_id, modified_time = excluded.modified_time",
                [&](Statement& st) {
                  st.Bind(1, i.space_id)
                      .Bind(2, i.dentry_id)
                      .Bind(3, static_cast<int64_t>(i.type))
                      .Bind(4, i.provider)
                      .Bind(5, i.url)
                      .Bind(6, i.operator_id)
                      .Bind(7, i.modified_time);
                });
  if (!r) return Subject(r.error(), "space");
  return {};
}

template <class Connection>
Result<std::vector<domain::OpenInfo>> SqlOpenRecords<Connection>::ListOpenInfos(
    std::string_view space_id, std::string_view dentry_id) {
  return QueryAll<domain::OpenInfo>(
      conn_,
      "SELECT " OPEN_INFO_COLUMNS
      " FROM open_infos WHERE space_id = ?1 AND dentry_id = ?2 ORDER BY open_type",
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, dentry_id); },
      detail::ReadOpenInfo<Statement>);
}

template <class Connection>
Result<void> SqlOpenRecords<Connection>::InsertToken(const domain::OpenToken& t) {
  auto r = InsertRow(conn_,
                     "INSERT INTO open_tokens (" OPEN_TOKEN_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                     "ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, t.token_hash)
                           .Bind(2, static_cast<int64_t>(t.kind))
                           .Bind(3, t.pair_hash)
                           .Bind(4, t.corp_id)
                           .Bind(5, t.app_id)
                           .Bind(6, t.union_id)
                           .Bind(7, t.space_id)
                           .Bind(8, t.dentry_id)
                           .Bind(9, t.version)
                           .Bind(10, int64_t{t.check_login})
                           .Bind(11, int64_t{t.water_mark})
                           .Bind(12, t.create_time)
                           .Bind(13, t.expire_time)
                           .Bind(14, t.used_time);
                     });
  if (!r) {
    return Subject(r.error(), r.error().code == Errc::kAlreadyExists ? "token" : "space");
  }
  return {};
}

template <class Connection>
Result<domain::OpenToken> SqlOpenRecords<Connection>::GetToken(std::string_view token_hash) {
  return QueryOne<domain::OpenToken>(
      conn_, "SELECT " OPEN_TOKEN_COLUMNS " FROM open_tokens WHERE token_hash = ?1",
      [&](Statement& st) { st.Bind(1, token_hash); }, detail::ReadOpenToken<Statement>, "token",
      "");
}

template <class Connection>
Result<bool> SqlOpenRecords<Connection>::ConsumeToken(std::string_view token_hash, int64_t now,
                                                      int64_t new_expire_time) {
  auto r =
      Exec(conn_,
           "UPDATE open_tokens SET used_time = ?2, expire_time = ?3 WHERE token_hash = ?1 "
           "AND used_time IS NULL AND expire_time > ?2",
           [&](Statement& st) { st.Bind(1, token_hash).Bind(2, now).Bind(3, new_expire_time); });
  if (!r) return r.error();
  return conn_.Changes() == 1;
}

template <class Connection>
Result<bool> SqlOpenRecords<Connection>::RemoveToken(std::string_view token_hash) {
  auto r = Exec(conn_, "DELETE FROM open_tokens WHERE token_hash = ?1",
                [&](Statement& st) { st.Bind(1, token_hash); });
  if (!r) return r.error();
  return conn_.Changes() == 1;
}

template <class Connection>
Result<int64_t> SqlOpenRecords<Connection>::RemoveExpiredTokens(int64_t now) {
  auto r = Exec(conn_, "DELETE FROM open_tokens WHERE expire_time <= ?1",
                [&](Statement& st) { st.Bind(1, now); });
  if (!r) return r.error();
  return conn_.Changes();
}

}  // namespace spacestore::storage::sql
