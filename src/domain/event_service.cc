// EventService: subscriptions and paging through an app's log. A page is read in one snapshot
// with the app's subscriptions, so it matches one state of both; when the page is the last,
// the next cursor moves to the org's last seq (read in the same snapshot), so a caught-up
// reader does not scan events of other scopes again.
#include "domain/event_service.h"

#include <string>

namespace spacestore::domain {

EventService::EventService(MetadataStore& store, const Clock& clock, SpaceService& spaces)
    : store_(store), clock_(clock), spaces_(spaces) {}

Result<EventScope> EventService::CheckScope(const Actor& actor, std::string_view scope,
                                            std::string_view scope_id) {
  if (scope.empty()) return MakeError(Errc::kInvalidArgument, "scope", "scope is required");
  const auto parsed = ParseEventScope(scope);
  if (!parsed) {
    return MakeError(Errc::kInvalidArgument, "scope",
                     "scope must be ORG or SPACE, not " + std::string(scope));
  }
  if (scope_id.empty()) {
    return MakeError(Errc::kInvalidArgument, "scopeId", "scopeId is required");
  }
  if (auto ok = spaces_.access().CheckMember(actor); !ok) return ok.error();
  if (*parsed == EventScope::kOrg && scope_id != actor.corp_id) {
    return MakeError(Errc::kPermissionDenied, "org",
                     "the access token does not belong to org " + std::string(scope_id));
  }
  return *parsed;
}

Result<void> EventService::Subscribe(const Actor& actor, std::string_view scope,
                                     std::string_view scope_id) {
  auto parsed = CheckScope(actor, scope, scope_id);
  if (!parsed) return parsed.error();
  if (*parsed == EventScope::kSpace) {
    if (auto space = spaces_.GetSpace(actor, scope_id); !space) return space.error();
  }
  const Subscription subscription{actor.app_id, *parsed, std::string(scope_id), actor.corp_id,
                                  clock_.NowMillis()};
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto put = tx.events().PutSubscription(subscription);
    if (!put) return put.error();
    return {};
  });
}

Result<void> EventService::Unsubscribe(const Actor& actor, std::string_view scope,
                                       std::string_view scope_id) {
  auto parsed = CheckScope(actor, scope, scope_id);
  if (!parsed) return parsed.error();
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto removed = tx.events().RemoveSubscription(actor.app_id, *parsed, scope_id);
    if (!removed) return removed.error();
    return {};
  });
}

Result<EventPage> EventService::ReadLog(const Actor& actor, int64_t after_seq, int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults",
                     "maxResults must be between 1 and " + std::to_string(kMaxPageSize));
  }
  if (after_seq < 0) return MakeError(Errc::kInvalidArgument, "cursor", "bad cursor");
  if (auto ok = spaces_.access().CheckMember(actor); !ok) return ok.error();
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<EventPage> {
    auto subscriptions = tx.events().ListSubscriptions(actor.app_id);
    if (!subscriptions) return subscriptions.error();
    auto last = tx.events().LastSeq(actor.corp_id);
    if (!last) return last.error();
    if (after_seq > *last) {
      // Never handed out: a cursor is at most the log's end when it is issued.
      return MakeError(Errc::kInvalidArgument, "cursor", "cursor is not one of this log");
    }
    EventPage page;
    page.next_seq = after_seq;
    const EventFilter filter = EventFilter::Of(*subscriptions);
    auto events = tx.events().List(actor.corp_id, after_seq, filter, limit + 1);
    if (!events) return events.error();
    if (events->size() > static_cast<size_t>(limit)) {
      events->resize(static_cast<size_t>(limit));
      page.has_more = true;
      page.next_seq = events->back().seq;
    } else if (*last > after_seq) {
      page.next_seq = *last;  // Nothing else matches up to the log's end.
    }
    page.events = std::move(*events);
    return page;
  });
}

}  // namespace spacestore::domain
