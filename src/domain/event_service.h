#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/event.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"

namespace spacestore::domain {

// One page of an app's event log.
struct EventPage {
  std::vector<Event> events;  // In seq order.
  int64_t next_seq = 0;       // Where the next page starts (after this seq).
  bool has_more = false;      // Whether events past next_seq were already there.
};

// EventService is the subscriber's side of the event log (docs/events.md): an app subscribes
// to the events of its org or of one space, and reads the events of its subscriptions in seq
// order. The log itself is written by the services that make changes (event_emitter.h).
//
// Errors shared by all methods: kPermissionDenied (subject "user") when the acting unionId is
// not a member of the token's org; those of the store.
// Thread-safety: safe for concurrent use (no state of its own). Borrows the store, clock and
// space service.
class EventService {
 public:
  // A page holds at most this many events.
  static constexpr int kMaxPageSize = 1000;

  EventService(MetadataStore& store, const Clock& clock, SpaceService& spaces);

  // Subscribes the actor's app to `scope` ("ORG" or "SPACE") `scope_id`; subscribing again is
  // a success that changes nothing. ORG: `scope_id` must be the actor's corpId
  // (kPermissionDenied, subject "org"). SPACE: a space of the actor's org the user may see
  // (SpaceService::GetSpace's errors: kNotFound "space", kPermissionDenied "space").
  // kInvalidArgument: subject "scope" (missing or unknown), "scopeId" (missing).
  Result<void> Subscribe(const Actor& actor, std::string_view scope, std::string_view scope_id);

  // Removes the app's subscription; removing one it does not have is a success. The same
  // checks as Subscribe except that a SPACE scope needs no access to the space (it may be gone).
  Result<void> Unsubscribe(const Actor& actor, std::string_view scope, std::string_view scope_id);

  // Up to `limit` (1..kMaxPageSize) events of the app's current subscriptions with seq >
  // `after_seq`, in seq order. kInvalidArgument (subject "maxResults") for a bad limit.
  Result<EventPage> ReadLog(const Actor& actor, int64_t after_seq, int limit);

 private:
  // The parsed scope, after the checks both calls share.
  Result<EventScope> CheckScope(const Actor& actor, std::string_view scope,
                                std::string_view scope_id);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
};

}  // namespace spacestore::domain
