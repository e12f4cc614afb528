#include "domain/event.h"

#include <algorithm>

namespace spacestore::domain {

const EventField::Value* Event::Field(std::string_view name) const {
  for (const auto& f : body) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

const char* EventScopeName(EventScope scope) { return scope == EventScope::kOrg ? "ORG" : "SPACE"; }

std::optional<EventScope> ParseEventScope(std::string_view name) {
  if (name == "ORG") return EventScope::kOrg;
  if (name == "SPACE") return EventScope::kSpace;
  return std::nullopt;
}

EventFilter EventFilter::Of(const std::vector<Subscription>& subscriptions) {
  EventFilter filter;
  for (const auto& s : subscriptions) {
    if (s.scope == EventScope::kOrg) {
      filter.whole_org = true;
    } else {
      filter.space_ids.push_back(s.scope_id);
    }
  }
  std::sort(filter.space_ids.begin(), filter.space_ids.end());
  filter.space_ids.erase(std::unique(filter.space_ids.begin(), filter.space_ids.end()),
                         filter.space_ids.end());
  return filter;
}

bool EventFilter::Matches(const Event& event) const {
  return whole_org ||
         std::find(space_ids.begin(), space_ids.end(), event.space_id) != space_ids.end();
}

}  // namespace spacestore::domain
