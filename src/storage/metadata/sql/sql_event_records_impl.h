#pragma once

// The event aggregate's statements, one text for SQLite and PostgreSQL. Member definitions of
// SqlEventRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_event_records.h"

#include <algorithm>

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

namespace detail {

template <class Statement>
domain::Event ReadEvent(const Statement& st) {
  domain::Event e;
  e.corp_id = st.Text(0);
  e.seq = st.Int(1);
  e.event_id = st.Text(2);
  e.type = st.Text(3);
  e.space_id = st.Text(4);
  e.dentry_id = st.Text(5);
  e.operator_id = st.Text(6);
  e.time = st.Int(7);
  e.body = DecodeEventBody(st.Text(8));
  return e;
}

template <class Statement>
domain::Subscription ReadSubscription(const Statement& st) {
  return domain::Subscription{st.Text(0), static_cast<domain::EventScope>(st.Int(1)), st.Text(2),
                              st.Text(3), st.Int(4)};
}

template <class Statement>
domain::EventDelivery ReadDelivery(const Statement& st) {
  return domain::EventDelivery{st.Text(0), st.Int(1), st.Int(2), st.Int(3), st.Text(4)};
}

template <class Statement>
domain::DeadLetter ReadDeadLetter(const Statement& st) {
  return domain::DeadLetter{st.Text(0), st.Int(1), st.Text(2), st.Int(3), st.Text(4), st.Int(5)};
}

template <class Statement>
int64_t ReadFirstInt(const Statement& st) {
  return st.Int(0);
}

template <class Statement>
std::string ReadFirstString(const Statement& st) {
  return st.Text(0);
}

}  // namespace detail

// The log

template <class Connection>
Result<int64_t> SqlEventRecords<Connection>::Append(const domain::Event& e) {
  auto seq = QueryOne<int64_t>(
      conn_, "UPDATE orgs SET event_seq = event_seq + 1 WHERE corp_id = ?1 RETURNING event_seq",
      [&](Statement& st) { st.Bind(1, e.corp_id); }, detail::ReadFirstInt<Statement>, "org",
      e.corp_id);
  if (!seq) return seq.error();
  auto r = InsertRow(conn_,
                     "INSERT INTO events (" EVENT_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, e.corp_id)
                           .Bind(2, *seq)
                           .Bind(3, e.event_id)
                           .Bind(4, e.type)
                           .Bind(5, e.space_id)
                           .Bind(6, e.dentry_id)
                           .Bind(7, e.operator_id)
                           .Bind(8, e.time)
                           .Bind(9, EncodeEventBody(e.body));
                     });
  if (!r) return Subject(r.error(), "event");
  return *seq;
}

template <class Connection>
Result<int64_t> SqlEventRecords<Connection>::LastSeq(std::string_view corp_id) {
  return QueryOne<int64_t>(
      conn_, "SELECT event_seq FROM orgs WHERE corp_id = ?1",
      [&](Statement& st) { st.Bind(1, corp_id); }, detail::ReadFirstInt<Statement>, "org", corp_id);
}

template <class Connection>
Result<std::vector<domain::Event>> SqlEventRecords<Connection>::List(
    std::string_view corp_id, int64_t after_seq, const domain::EventFilter& filter, int limit) {
  const auto max = static_cast<int64_t>(limit);
  if (filter.whole_org) {
    return QueryAll<domain::Event>(
        conn_, kListOrgEventsSql,
        [&](Statement& st) { st.Bind(1, corp_id).Bind(2, after_seq).Bind(3, max); },
        detail::ReadEvent<Statement>);
  }
  std::vector<domain::Event> out;
  for (const auto& space_id : filter.space_ids) {
    auto events = QueryAll<domain::Event>(
        conn_, kListSpaceEventsSql,
        [&](Statement& st) {
          st.Bind(1, space_id).Bind(2, after_seq).Bind(3, corp_id).Bind(4, max);
        },
        detail::ReadEvent<Statement>);
    if (!events) return events.error();
    std::move(events->begin(), events->end(), std::back_inserter(out));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  // A space listed twice would give its events twice.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.seq == b.seq; }),
            out.end());
  if (out.size() > static_cast<size_t>(std::max(limit, 0))) {
    out.resize(static_cast<size_t>(std::max(limit, 0)));
  }
  return out;
}

template <class Connection>
Result<domain::Event> SqlEventRecords<Connection>::Get(std::string_view corp_id, int64_t seq) {
  return QueryOne<domain::Event>(
      conn_, "SELECT " EVENT_COLUMNS " FROM events WHERE corp_id = ?1 AND seq = ?2",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, seq); }, detail::ReadEvent<Statement>,
      "event", std::to_string(seq));
}

// Subscriptions

template <class Connection>
Result<bool> SqlEventRecords<Connection>::PutSubscription(const domain::Subscription& s) {
  auto r = InsertRow(conn_,
                     "INSERT INTO event_subscriptions (app_id, scope, scope_id, corp_id, "
                     "create_time) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, s.app_id)
                           .Bind(2, static_cast<int64_t>(s.scope))
                           .Bind(3, s.scope_id)
                           .Bind(4, s.corp_id)
                           .Bind(5, s.create_time);
                     });
  if (r) return true;
  if (r.error().code == Errc::kAlreadyExists) return false;
  if (r.error().code == Errc::kNotFound) return NotFound("app", s.app_id);
  return r.error();
}

template <class Connection>
Result<bool> SqlEventRecords<Connection>::RemoveSubscription(std::string_view app_id,
                                                             domain::EventScope scope,
                                                             std::string_view scope_id) {
  auto r = Exec(conn_,
                "DELETE FROM event_subscriptions WHERE app_id = ?1 AND scope = ?2 AND "
                "scope_id = ?3",
                [&](Statement& st) {
                  st.Bind(1, app_id).Bind(2, static_cast<int64_t>(scope)).Bind(3, scope_id);
                });
  if (!r) return r.error();
  return conn_.Changes() != 0;
}

template <class Connection>
Result<std::vector<domain::Subscription>> SqlEventRecords<Connection>::ListSubscriptions(
    std::string_view app_id) {
  return QueryAll<domain::Subscription>(
      conn_,
      "SELECT app_id, scope, scope_id, corp_id, create_time FROM event_subscriptions WHERE "
      "app_id = ?1 ORDER BY scope, scope_id",
      [&](Statement& st) { st.Bind(1, app_id); }, detail::ReadSubscription<Statement>);
}

template <class Connection>
Result<std::vector<std::string>> SqlEventRecords<Connection>::ListSubscribedApps(
    std::string_view corp_id) {
  return QueryAll<std::string>(
      conn_, "SELECT DISTINCT app_id FROM event_subscriptions WHERE corp_id = ?1 ORDER BY app_id",
      [&](Statement& st) { st.Bind(1, corp_id); }, detail::ReadFirstString<Statement>);
}

// Push delivery

template <class Connection>
Result<std::optional<domain::EventDelivery>> SqlEventRecords<Connection>::GetDelivery(
    std::string_view app_id) {
  auto rows = QueryAll<domain::EventDelivery>(
      conn_,
      "SELECT app_id, delivered_seq, attempts, next_attempt_at, last_error FROM "
      "event_deliveries WHERE app_id = ?1",
      [&](Statement& st) { st.Bind(1, app_id); }, detail::ReadDelivery<Statement>);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<domain::EventDelivery>();
  return std::optional<domain::EventDelivery>(std::move(rows->front()));
}

template <class Connection>
Result<void> SqlEventRecords<Connection>::PutDelivery(const domain::EventDelivery& d) {
  auto r = Exec(conn_,
                "INSERT INTO event_deliveries (app_id, delivered_seq, attempts, next_attempt_at, "
                "last_error) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (app_id) DO UPDATE SET "
                "delivered_seq = excluded.delivered_seq, attempts = excluded.attempts, "
                "next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error",
                [&](Statement& st) {
                  st.Bind(1, d.app_id)
                      .Bind(2, d.delivered_seq)
                      .Bind(3, d.attempts)
                      .Bind(4, d.next_attempt_at)
                      .Bind(5, d.last_error);
                });
  if (!r && r.error().code == Errc::kNotFound) return NotFound("app", d.app_id);
  return r;
}

template <class Connection>
Result<void> SqlEventRecords<Connection>::PutDeadLetter(const domain::DeadLetter& l) {
  auto r = Exec(conn_,
                "INSERT INTO event_dead_letters (app_id, seq, corp_id, attempts, last_error, "
                "dead_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (app_id, seq) DO UPDATE "
                "SET corp_id = excluded.corp_id, attempts = excluded.attempts, "
                "last_error = excluded.last_error, dead_time = excluded.dead_time",
                [&](Statement& st) {
                  st.Bind(1, l.app_id)
                      .Bind(2, l.seq)
                      .Bind(3, l.corp_id)
                      .Bind(4, l.attempts)
                      .Bind(5, l.last_error)
                      .Bind(6, l.dead_time);
                });
  if (!r && r.error().code == Errc::kNotFound) return NotFound("app", l.app_id);
  return r;
}

template <class Connection>
Result<std::vector<domain::DeadLetter>> SqlEventRecords<Connection>::ListDeadLetters(
    std::string_view app_id, int64_t after_seq, int limit) {
  return QueryAll<domain::DeadLetter>(
      conn_,
      "SELECT app_id, seq, corp_id, attempts, last_error, dead_time FROM event_dead_letters "
      "WHERE app_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
      [&](Statement& st) {
        st.Bind(1, app_id).Bind(2, after_seq).Bind(3, static_cast<int64_t>(limit));
      },
      detail::ReadDeadLetter<Statement>);
}

}  // namespace spacestore::storage::sql
