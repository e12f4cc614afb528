#pragma once

// The task aggregate's statements, one text for SQLite and PostgreSQL. Member definitions of
// SqlTaskRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_task_records.h"

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

namespace detail {

#define TASK_COLUMNS                                                                  \
  "id, corp_id, app_id, actor_id, kind, params, status, total_count, success_count, " \
  "fail_count, fail_code, fail_subject, fail_message, create_time, begin_time, end_time"

template <class Statement>
domain::Task ReadTask(const Statement& st) {
  domain::Task t;
  t.id = st.Text(0);
  t.corp_id = st.Text(1);
  t.app_id = st.Text(2);
  t.actor_id = st.Text(3);
  t.kind = st.Text(4);
  t.params = st.Text(5);
  t.status = static_cast<domain::TaskStatus>(st.Int(6));
  t.counts = domain::TaskCounts{st.Int(7), st.Int(8), st.Int(9)};
  if (const auto code = st.OptionalInt(10)) {
    t.failure = Error{static_cast<Errc>(*code), st.Text(11), st.Text(12)};
  }
  t.create_time = st.Int(13);
  t.begin_time = st.Int(14);
  t.end_time = st.Int(15);
  return t;
}

// Binds every TASK_COLUMNS to parameters 1..16. Update uses only some of them, but PostgreSQL
// must know every parameter's type, so it binds them all too.
template <class Statement>
void BindTask(Statement& st, const domain::Task& t) {
  st.Bind(1, t.id)
      .Bind(2, t.corp_id)
      .Bind(3, t.app_id)
      .Bind(4, t.actor_id)
      .Bind(5, t.kind)
      .Bind(6, t.params)
      .Bind(14, t.create_time)
      .Bind(7, static_cast<int64_t>(t.status))
      .Bind(8, t.counts.total)
      .Bind(9, t.counts.success)
      .Bind(10, t.counts.fail)
      .Bind(11, t.failure ? std::optional<int64_t>(static_cast<int64_t>(t.failure->code))
                          : std::nullopt)
      // "" rather than an empty view: a null pointer would bind NULL.
      .Bind(12, t.failure ? std::string_view(t.failure->subject) : std::string_view(""))
      .Bind(13, t.failure ? std::string_view(t.failure->message) : std::string_view(""))
      .Bind(15, t.begin_time)
      .Bind(16, t.end_time);
}

}  // namespace detail

// TaskRecords

template <class Connection>
Result<void> SqlTaskRecords<Connection>::Insert(const domain::Task& t) {
  auto r = InsertRow(conn_,
                     "INSERT INTO tasks (" TASK_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                     "?16) ON CONFLICT DO NOTHING",
                     [&](Statement& st) { detail::BindTask(st, t); });
  if (!r) return Subject(r.error(), "task");
  return {};
}

template <class Connection>
Result<domain::Task> SqlTaskRecords<Connection>::Get(std::string_view task_id) {
  return QueryOne<domain::Task>(
      conn_, "SELECT " TASK_COLUMNS " FROM tasks WHERE id = ?1",
      [&](Statement& st) { st.Bind(1, task_id); }, detail::ReadTask<Statement>, "task", task_id);
}

template <class Connection>
Result<void> SqlTaskRecords<Connection>::Update(const domain::Task& t) {
  auto r = Exec(conn_,
                "UPDATE tasks SET status = ?7, total_count = ?8, success_count = ?9, "
                "fail_count = ?10, fail_code = ?11, fail_subject = ?12, fail_message = ?13, "
                "begin_time = ?15, end_time = ?16 WHERE id = ?1",
                [&](Statement& st) { detail::BindTask(st, t); });
  if (!r) return Subject(r.error(), "task");
  if (conn_.Changes() == 0) return NotFound("task", t.id);
  return {};
}

template <class Connection>
Result<std::vector<domain::Task>> SqlTaskRecords<Connection>::ListUnfinished(int limit) {
  return QueryAll<domain::Task>(
      conn_,
      "SELECT " TASK_COLUMNS " FROM tasks WHERE status < 2 ORDER BY create_time, seq LIMIT ?1",
      [&](Statement& st) { st.Bind(1, int64_t{limit}); }, detail::ReadTask<Statement>);
}

}  // namespace spacestore::storage::sql
