#pragma once

#include "domain/event_records.h"

namespace spacestore::storage::sql {

// The statements whose plans matter as the log grows, named so that a plan test can check them:
// an org's events after a seq are a range of the primary key (corp_id, seq), a space's a range
// of events_by_space (space_id, seq).
#define EVENT_COLUMNS "corp_id, seq, event_id, type, space_id, dentry_id, operator_id, time, body"
inline constexpr const char* kListOrgEventsSql =
    "SELECT " EVENT_COLUMNS " FROM events WHERE corp_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";
inline constexpr const char* kListSpaceEventsSql =
    "SELECT " EVENT_COLUMNS
    " FROM events WHERE space_id = ?1 AND seq > ?2 AND corp_id = ?3 ORDER BY seq LIMIT ?4";

// The event aggregate on SQLite and PostgreSQL (one text for both, over a backend's Connection;
// sql_rows.h): tables events, event_subscriptions, event_deliveries, event_dead_letters and the
// column orgs.event_seq (migration 9). Append takes the seq with UPDATE ... RETURNING on the
// org's row, which is what serializes appenders (domain/event_records.h). A filter of several
// spaces runs one range read per space and merges them by seq: each read is an index range,
// where one statement would need a variable IN list (a text per length) or a scan of the whole
// org's log.
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlEventRecords final : public domain::EventRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlEventRecords(Connection& conn) : conn_(conn) {}

  // EventRecords
  Result<int64_t> Append(const domain::Event& event) override;
  Result<int64_t> LastSeq(std::string_view corp_id) override;
  Result<std::vector<domain::Event>> List(std::string_view corp_id, int64_t after_seq,
                                          const domain::EventFilter& filter, int limit) override;
  Result<domain::Event> Get(std::string_view corp_id, int64_t seq) override;
  Result<bool> PutSubscription(const domain::Subscription& subscription) override;
  Result<bool> RemoveSubscription(std::string_view app_id, domain::EventScope scope,
                                  std::string_view scope_id) override;
  Result<std::vector<domain::Subscription>> ListSubscriptions(std::string_view app_id) override;
  Result<std::vector<std::string>> ListSubscribedApps(std::string_view corp_id) override;
  Result<std::optional<domain::EventDelivery>> GetDelivery(std::string_view app_id) override;
  Result<void> PutDelivery(const domain::EventDelivery& delivery) override;
  Result<void> PutDeadLetter(const domain::DeadLetter& letter) override;
  Result<std::vector<domain::DeadLetter>> ListDeadLetters(std::string_view app_id,
                                                          int64_t after_seq, int limit) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
