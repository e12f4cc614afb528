// The event aggregate in memory.
#include "storage/metadata/memory/memory_event_records.h"

#include <algorithm>
#include <set>

namespace spacestore::storage::memory {

// The log

Result<int64_t> MemoryEventRecords::Append(const domain::Event& event) {
  if (!state_.orgs.contains(event.corp_id)) return NotFound("org", event.corp_id);
  if (state_.event_ids.contains(event.event_id)) return Exists("event", event.event_id);
  undo_.Remember(state_.event_seq, event.corp_id);
  const int64_t seq = ++state_.event_seq[event.corp_id];
  const std::pair<std::string, int64_t> key{event.corp_id, seq};
  undo_.Remember(state_.events, key);
  domain::Event stored = event;
  stored.seq = seq;
  state_.events.emplace(key, std::move(stored));
  state_.event_ids.insert(event.event_id);
  undo_.Add([&state = state_, id = event.event_id] { state.event_ids.erase(id); });
  return seq;
}

Result<int64_t> MemoryEventRecords::LastSeq(std::string_view corp_id) {
  if (!state_.orgs.contains(corp_id)) return NotFound("org", corp_id);
  const auto it = state_.event_seq.find(corp_id);
  return it == state_.event_seq.end() ? 0 : it->second;
}

Result<std::vector<domain::Event>> MemoryEventRecords::List(std::string_view corp_id,
                                                            int64_t after_seq,
                                                            const domain::EventFilter& filter,
                                                            int limit) {
  std::vector<domain::Event> out;
  if (filter.Empty()) return out;
  for (auto it = state_.events.upper_bound({std::string(corp_id), after_seq});
       it != state_.events.end() && it->first.first == corp_id &&
       out.size() < static_cast<size_t>(std::max(limit, 0));
       ++it) {
    if (filter.Matches(it->second)) out.push_back(it->second);
  }
  return out;
}

Result<domain::Event> MemoryEventRecords::Get(std::string_view corp_id, int64_t seq) {
  const auto it = state_.events.find({std::string(corp_id), seq});
  if (it == state_.events.end()) return NotFound("event", std::to_string(seq));
  return it->second;
}

// Subscriptions

Result<bool> MemoryEventRecords::PutSubscription(const domain::Subscription& subscription) {
  if (!state_.apps.contains(subscription.app_id)) return NotFound("app", subscription.app_id);
  const MemoryState::SubscriptionKey key{subscription.app_id, subscription.scope,
                                         subscription.scope_id};
  if (state_.subscriptions.contains(key)) return false;
  undo_.Remember(state_.subscriptions, key);
  state_.subscriptions.emplace(key, subscription);
  return true;
}

Result<bool> MemoryEventRecords::RemoveSubscription(std::string_view app_id,
                                                    domain::EventScope scope,
                                                    std::string_view scope_id) {
  const MemoryState::SubscriptionKey key{std::string(app_id), scope, std::string(scope_id)};
  if (!state_.subscriptions.contains(key)) return false;
  undo_.Remember(state_.subscriptions, key);
  state_.subscriptions.erase(key);
  return true;
}

Result<std::vector<domain::Subscription>> MemoryEventRecords::ListSubscriptions(
    std::string_view app_id) {
  std::vector<domain::Subscription> out;
  for (auto it = state_.subscriptions.lower_bound({std::string(app_id), domain::EventScope{}, ""});
       it != state_.subscriptions.end() && std::get<0>(it->first) == app_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<std::vector<std::string>> MemoryEventRecords::ListSubscribedApps(std::string_view corp_id) {
  std::set<std::string> apps;
  for (const auto& [key, s] : state_.subscriptions) {
    if (s.corp_id == corp_id) apps.insert(s.app_id);
  }
  return std::vector<std::string>(apps.begin(), apps.end());
}

// Push delivery

Result<std::optional<domain::EventDelivery>> MemoryEventRecords::GetDelivery(
    std::string_view app_id) {
  const auto it = state_.deliveries.find(app_id);
  if (it == state_.deliveries.end()) return std::optional<domain::EventDelivery>();
  return std::optional<domain::EventDelivery>(it->second);
}

Result<void> MemoryEventRecords::PutDelivery(const domain::EventDelivery& delivery) {
  if (!state_.apps.contains(delivery.app_id)) return NotFound("app", delivery.app_id);
  undo_.Remember(state_.deliveries, delivery.app_id);
  state_.deliveries.insert_or_assign(delivery.app_id, delivery);
  return {};
}

Result<void> MemoryEventRecords::PutDeadLetter(const domain::DeadLetter& letter) {
  if (!state_.apps.contains(letter.app_id)) return NotFound("app", letter.app_id);
  const std::pair<std::string, int64_t> key{letter.app_id, letter.seq};
  undo_.Remember(state_.dead_letters, key);
  state_.dead_letters.insert_or_assign(key, letter);
  return {};
}

Result<std::vector<domain::DeadLetter>> MemoryEventRecords::ListDeadLetters(std::string_view app_id,
                                                                            int64_t after_seq,
                                                                            int limit) {
  std::vector<domain::DeadLetter> out;
  for (auto it = state_.dead_letters.upper_bound({std::string(app_id), after_seq});
       it != state_.dead_letters.end() && it->first.first == app_id &&
       out.size() < static_cast<size_t>(std::max(limit, 0));
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace spacestore::storage::memory
