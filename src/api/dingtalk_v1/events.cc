// The events endpoints: SubscribeEvent and UnsubscribeEvent (reference 4.13) and our
// extension GET /v1.0/storage/events, which pages through the calling app's log
// (docs/events.md). Also the one JSON form of an event (event_json.h), so that the log and push
// delivery cannot drift apart. The cursor is opaque on the wire ("e" and the seq it stands
// after, docs/api/dingtalk-v1.md); a cursor is read strictly, so a mangled one is a 400 rather
// than a silent restart from the beginning.
#include <charconv>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/event_json.h"
#include "api/dingtalk_v1/request_fields.h"
#include "base/clock.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr size_t kEventBytes = 400;

Error BadCursor() {
  return MakeError(Errc::kInvalidArgument, "cursor", "cursor is not one this API returned");
}

std::string EncodeCursor(int64_t seq) { return "e" + std::to_string(seq); }

// "e" then a decimal seq without leading zeros; absent or empty is the log's start.
Result<int64_t> DecodeCursor(std::optional<std::string_view> text) {
  if (!text || text->empty()) return 0;
  const std::string_view digits = text->substr(1);
  if ((*text)[0] != 'e' || digits.empty() || (digits.size() > 1 && digits[0] == '0')) {
    return BadCursor();
  }
  int64_t seq = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (ec != std::errc() || end != digits.data() + digits.size()) return BadCursor();
  return seq;
}

Result<int> ReadPageSize(const server::HttpRequest& request) {
  const auto v = request.Query("maxResults");
  if (!v || v->empty()) return kDefaultPageSize;
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 1 ||
      n > domain::EventService::kMaxPageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-1000");
  }
  return static_cast<int>(n);
}

// SubscribeEvent and UnsubscribeEvent: reads {scope*, scopeId*}, applies `change`, answers
// {success: true}.
using SubscriptionChange = Result<void> (domain::EventService::*)(const domain::Actor&,
                                                                  std::string_view,
                                                                  std::string_view);
Result<Reply> ChangeSubscription(domain::EventService& events, SubscriptionChange change,
                                 const domain::Actor& actor, const boost::json::object& body) {
  auto scope = ReadRequiredString(body, "scope");
  if (!scope) return scope.error();
  auto scope_id = ReadRequiredString(body, "scopeId");
  if (!scope_id) return scope_id.error();
  if (auto ok = (events.*change)(actor, *scope, *scope_id); !ok) return ok.error();
  boost::json::object out;
  out["success"] = true;
  return out;
}

}  // namespace

void WriteEvent(server::JsonWriter& w, const domain::Event& e) {
  w.BeginObject()
      .Member("eventId", e.event_id)
      .Member("seq", e.seq)
      .Member("type", e.type)
      .Member("corpId", e.corp_id)
      .Member("spaceId", e.space_id);
  if (!e.dentry_id.empty()) w.Member("dentryId", e.dentry_id);
  w.Member("operatorId", e.operator_id).Member("time", FormatIsoMillis(e.time));
  w.Key("data").BeginObject();
  for (const auto& field : e.body) {
    w.Key(field.name);
    if (const auto* text = std::get_if<std::string>(&field.value)) {
      w.String(*text);
    } else if (const auto* number = std::get_if<int64_t>(&field.value)) {
      w.Int(*number);
    } else {
      w.Bool(std::get<bool>(field.value));
    }
  }
  w.EndObject().EndObject();
}

std::string EventJson(const domain::Event& event) {
  server::JsonWriter w(kEventBytes);
  WriteEvent(w, event);
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::SubscribeEvent(const Call& call) const {
  return ChangeSubscription(events_, &domain::EventService::Subscribe, call.actor, call.body);
}

Result<Reply> DingTalkApi::UnsubscribeEvent(const Call& call) const {
  return ChangeSubscription(events_, &domain::EventService::Unsubscribe, call.actor, call.body);
}

Result<Reply> DingTalkApi::ListEvents(const Call& call) const {
  auto after = DecodeCursor(call.request.Query("cursor"));
  if (!after) return after.error();
  auto limit = ReadPageSize(call.request);
  if (!limit) return limit.error();
  auto page = events_.ReadLog(call.actor, *after, *limit);
  if (!page) return page.error();
  server::JsonWriter w(kEventBytes * (page->events.size() + 1));
  w.BeginObject().Key("events").BeginArray();
  for (const auto& e : page->events) WriteEvent(w, e);
  w.EndArray()
      .Member("nextCursor", EncodeCursor(page->next_seq))
      .Member("hasMore", page->has_more)
      .EndObject();
  return std::move(w).Finish();
}

}  // namespace spacestore::api::dingtalk_v1
