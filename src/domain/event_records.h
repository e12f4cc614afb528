#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/event.h"

namespace spacestore::domain {

// EventRecords is the event aggregate of the metadata port: each org's event log, the apps'
// subscriptions, and push delivery's cursor and dead letters per app, as seen inside one
// metadata transaction. Reads see the transaction's own writes.
//
// The log's order: Append takes the org's next sequence number by writing the org's row
// (orgs.event_seq) in the appending transaction, so two transactions appending to one org are
// serialized by that row and seq order is commit order on every backend. A reader that has seen
// seq N will never later see a new event below N.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class EventRecords {
 public:
  virtual ~EventRecords() = default;

  // ---- The log ----

  // Appends `event` to its org's log with the org's next seq (`event.seq` is ignored) and
  // returns that seq. kNotFound (subject "org"); kAlreadyExists (subject "event") if its
  // event_id is taken.
  virtual Result<int64_t> Append(const Event& event) = 0;
  // The org's last seq: 0 before its first event. kNotFound (subject "org").
  virtual Result<int64_t> LastSeq(std::string_view corp_id) = 0;
  // Up to `limit` events of org `corp_id` with seq > `after_seq` that `filter` matches, in seq
  // order. An empty filter returns none.
  virtual Result<std::vector<Event>> List(std::string_view corp_id, int64_t after_seq,
                                          const EventFilter& filter, int limit) = 0;
  // The event `seq` of org `corp_id`. kNotFound (subject "event").
  virtual Result<Event> Get(std::string_view corp_id, int64_t seq) = 0;

  // ---- Subscriptions ----

  // Stores the subscription; false (and the stored create_time kept) if the app already had it.
  virtual Result<bool> PutSubscription(const Subscription& subscription) = 0;
  // Removes the app's subscription to (scope, scope_id); false if it had none.
  virtual Result<bool> RemoveSubscription(std::string_view app_id, EventScope scope,
                                          std::string_view scope_id) = 0;
  // The app's subscriptions, ordered by (scope, scope_id).
  virtual Result<std::vector<Subscription>> ListSubscriptions(std::string_view app_id) = 0;
  // The apps of org `corp_id` with at least one subscription, ordered by app id.
  virtual Result<std::vector<std::string>> ListSubscribedApps(std::string_view corp_id) = 0;

  // ---- Push delivery ----

  // The app's delivery cursor; nullopt before the first PutDelivery.
  virtual Result<std::optional<EventDelivery>> GetDelivery(std::string_view app_id) = 0;
  // Inserts or replaces the app's delivery cursor. kNotFound (subject "app").
  virtual Result<void> PutDelivery(const EventDelivery& delivery) = 0;
  // Stores a dead letter; replaces one with the same (app_id, seq). kNotFound (subject "app").
  virtual Result<void> PutDeadLetter(const DeadLetter& letter) = 0;
  // Up to `limit` of the app's dead letters with seq > `after_seq`, in seq order.
  virtual Result<std::vector<DeadLetter>> ListDeadLetters(std::string_view app_id,
                                                          int64_t after_seq, int limit) = 0;
};

}  // namespace spacestore::domain
