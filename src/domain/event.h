#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace spacestore::domain {

// Value types of the event log: events, subscriptions, and the push delivery's cursor and dead
// letters. Plain data; thread-compatible. The log's rules (one per-org sequence in commit order,
// what each type carries) are in docs/events.md; the port is event_records.h; who appends is
// event_emitter.h.

// The event types. Each change of a space or its dentries, versions or grants appends one,
// in the transaction that makes the change.
inline constexpr std::string_view kEventSpaceCreated = "space.created";
inline constexpr std::string_view kEventSpaceUpdated = "space.updated";
inline constexpr std::string_view kEventSpaceDeleted = "space.deleted";
inline constexpr std::string_view kEventDentryCreated = "dentry.created";  // Folder or new file.
inline constexpr std::string_view kEventDentryUpdated = "dentry.updated";  // New file version.
inline constexpr std::string_view kEventDentryRenamed = "dentry.renamed";
inline constexpr std::string_view kEventDentryMoved = "dentry.moved";
inline constexpr std::string_view kEventDentryCopied = "dentry.copied";
inline constexpr std::string_view kEventDentryDeleted = "dentry.deleted";
inline constexpr std::string_view kEventDentryRestored = "dentry.restored";
inline constexpr std::string_view kEventDentryReverted = "dentry.reverted";
inline constexpr std::string_view kEventDentryPropertiesChanged = "dentry.propertiesChanged";
inline constexpr std::string_view kEventRecycleItemPurged = "recycleItem.purged";
inline constexpr std::string_view kEventPermissionAdded = "permission.added";
inline constexpr std::string_view kEventPermissionUpdated = "permission.updated";
inline constexpr std::string_view kEventPermissionDeleted = "permission.deleted";

// One named value of an event's body. The domain knows no JSON: a body is an ordered list of
// these, which the API layer renders as one JSON object in this order (strings as strings,
// integers as numbers, booleans as booleans) and the SQL stores encode in events.body.
struct EventField {
  using Value = std::variant<std::string, int64_t, bool>;
  std::string name;
  Value value;

  friend bool operator==(const EventField&, const EventField&) = default;
};

// The body of an event: what a receiver needs without reading back (docs/events.md, one
// example per type).
using EventBody = std::vector<EventField>;

// One entry of an org's log. `seq` is the org's sequence number, given by EventRecords::Append
// in commit order (1, 2, 3, ... per org, no gaps); `event_id` is unique across orgs, for a
// receiver's deduplication of an at-least-once delivery.
struct Event {
  std::string corp_id;
  int64_t seq = 0;
  std::string event_id;
  std::string type;         // One of the kEvent* names.
  std::string space_id;     // The space the change is in.
  std::string dentry_id;    // The dentry changed (the top one of a subtree); "" for a space.
  std::string operator_id;  // unionId, or appId when the app acted alone.
  int64_t time = 0;         // Epoch milliseconds.
  EventBody body;

  // The body field `name`, if present.
  const EventField::Value* Field(std::string_view name) const;

  friend bool operator==(const Event&, const Event&) = default;
};

// What a subscription covers: the whole org (scope_id is the corpId) or one space (its id).
enum class EventScope { kOrg = 0, kSpace = 1 };

// "ORG", "SPACE".
const char* EventScopeName(EventScope scope);
// The scope named exactly `name`; nullopt otherwise.
std::optional<EventScope> ParseEventScope(std::string_view name);

// An app's interest in the events of one scope. (app_id, scope, scope_id) is the key.
struct Subscription {
  std::string app_id;
  EventScope scope = EventScope::kOrg;
  std::string scope_id;
  std::string corp_id;  // The app's org.
  int64_t create_time = 0;

  friend bool operator==(const Subscription&, const Subscription&) = default;
};

// Which of an org's events a listing returns: every event of the org, or those of some spaces.
// An empty filter matches nothing.
struct EventFilter {
  bool whole_org = false;
  std::vector<std::string> space_ids;

  // The filter matching any of `subscriptions`.
  static EventFilter Of(const std::vector<Subscription>& subscriptions);
  bool Matches(const Event& event) const;
  bool Empty() const { return !whole_org && space_ids.empty(); }
};

// Push delivery's progress for one app: every event up to `delivered_seq` was delivered (or
// dead-lettered); the next one has failed `attempts` times and is due at `next_attempt_at`.
struct EventDelivery {
  std::string app_id;
  int64_t delivered_seq = 0;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;  // Epoch milliseconds.
  std::string last_error;

  friend bool operator==(const EventDelivery&, const EventDelivery&) = default;
};

// An event push delivery gave up on for one app, after `attempts` failures.
struct DeadLetter {
  std::string app_id;
  int64_t seq = 0;
  std::string corp_id;
  int64_t attempts = 0;
  std::string last_error;
  int64_t dead_time = 0;  // Epoch milliseconds.

  friend bool operator==(const DeadLetter&, const DeadLetter&) = default;
};

}  // namespace spacestore::domain
