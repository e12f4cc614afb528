// KooDrive space management: query by container or owner, create, modify, delete, batch query
// and the usage calls. Capacities travel in GB (documented); spaceUsed in bytes and the usage
// totals in KB (our choices, docs/api/koodrive.md).
#include <charconv>

#include <boost/json/array.hpp>

#include "api/koodrive/json_mapping.h"
#include "api/koodrive/koodrive_api.h"
#include "base/clock.h"
#include "domain/quota.h"
#include "server/json_body.h"

namespace spacestore::api::koodrive {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxCapacityGb = 104857600;  // The carrier reference's upper bound.
constexpr int64_t kMaxPageSize = 100;

Error BadParam(const std::string& field, const std::string& why) {
  return MakeError(Errc::kInvalidArgument, field, field + " " + why);
}

Result<int64_t> ParseInt(std::string_view text, std::string_view field) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return BadParam(std::string(field), "must be an integer");
  }
  return n;
}

Result<domain::SpaceKind> ToKind(int64_t type) {
  if (type < 0 || type > 2) return BadParam("type", "must be 0, 1 or 2");
  return static_cast<domain::SpaceKind>(type);
}

// `type` from the query string: required unless `optional`.
Result<std::optional<domain::SpaceKind>> QueryKind(const server::HttpRequest& request,
                                                   bool optional) {
  const auto text = request.Query("type");
  if (!text || text->empty()) {
    if (optional) return std::optional<domain::SpaceKind>();
    return BadParam("type", "is required");
  }
  auto n = ParseInt(*text, "type");
  if (!n) return n.error();
  auto kind = ToKind(*n);
  if (!kind) return kind.error();
  return std::optional<domain::SpaceKind>(*kind);
}

std::optional<std::string_view> QueryNonEmpty(const server::HttpRequest& request,
                                              std::string_view name) {
  auto v = request.Query(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

// offset/limit paging from the query string (limit 1..100, default 100).
Result<std::pair<size_t, size_t>> QueryPage(const server::HttpRequest& request) {
  int64_t offset = 0;
  int64_t limit = kMaxPageSize;
  if (auto v = QueryNonEmpty(request, "offset")) {
    auto n = ParseInt(*v, "offset");
    if (!n) return n.error();
    offset = *n;
  }
  if (auto v = QueryNonEmpty(request, "limit")) {
    auto n = ParseInt(*v, "limit");
    if (!n) return n.error();
    limit = *n;
  }
  if (offset < 0) return BadParam("offset", "must be >= 0");
  if (limit < 1 || limit > kMaxPageSize) return BadParam("limit", "must be 1-100");
  return std::pair<size_t, size_t>(offset, limit);
}

Result<std::optional<int64_t>> CapacityBytes(const json::object& body) {
  auto gb = server::GetInt64(body, "capacity", true);
  if (!gb) return gb.error();
  if (!*gb) return std::optional<int64_t>();
  if (**gb < 1 || **gb > kMaxCapacityGb) return BadParam("capacity", "must be 1-104857600 (GB)");
  return std::optional<int64_t>(**gb * kBytesPerGb);
}

int64_t OrgCapacity(domain::SpaceService& spaces, const domain::Actor& actor) {
  auto usage = spaces.GetOrgUsage(actor, actor.corp_id);
  return usage ? usage->org.capacity_bytes : 0;
}

}  // namespace

Result<Reply> KooDriveApi::GetSpaceByContainerId(const Call& call) const {
  auto space = spaces_.GetSpace(call.actor, call.Param("containerId"));
  if (!space) return space.error();
  return Reply{SpaceInfoJson(*space, OrgCapacity(spaces_, call.actor)), {}};
}

Result<Reply> KooDriveApi::GetOwnerSpace(const Call& call) const {
  auto kind = QueryKind(call.request, false);
  if (!kind) return kind.error();
  auto space = spaces_.FindOwnedSpace(call.actor, call.Param("ownerId"), **kind,
                                      QueryNonEmpty(call.request, "containerId"));
  if (!space) return space.error();
  return Reply{SpaceInfoJson(*space, OrgCapacity(spaces_, call.actor)), {}};
}

Result<Reply> KooDriveApi::GetOwnerSpaces(const Call& call) const {
  auto kind = QueryKind(call.request, true);
  if (!kind) return kind.error();
  auto spaces = spaces_.ListSpaces(
      call.actor, domain::SpaceFilter{std::string(call.Param("ownerId")), *kind, std::nullopt});
  if (!spaces) return spaces.error();
  const int64_t capacity = OrgCapacity(spaces_, call.actor);
  json::array data;
  for (const auto& s : *spaces) data.push_back(SpaceInfoJson(s, capacity));
  return Reply{json::value(std::move(data)), {}};
}

Result<Reply> KooDriveApi::CreateSpace(const Call& call) const {
  auto type = server::GetInt64(call.body, "type", true);
  if (!type) return type.error();
  if (!*type) return BadParam("type", "is required");
  auto kind = ToKind(**type);
  if (!kind) return kind.error();
  auto capacity = CapacityBytes(call.body);
  if (!capacity) return capacity.error();
  auto space = spaces_.CreateOwnedSpace(
      call.actor, domain::OwnedSpaceParams{std::string(call.Param("ownerId")), *kind, *capacity});
  if (!space) return space.error();
  return Reply{};
}

Result<Reply> KooDriveApi::ModifySpace(const Call& call) const {
  auto type = server::GetInt64(call.body, "type", true);
  if (!type) return type.error();
  if (!*type) return BadParam("type", "is required");
  auto kind = ToKind(**type);
  if (!kind) return kind.error();
  auto container_id = server::GetString(call.body, "containerId");
  if (!container_id) return container_id.error();
  auto status = server::GetInt64(call.body, "status", true);
  if (!status) return status.error();
  if (*status && **status != 0 && **status != 1) return BadParam("status", "must be 0 or 1");
  auto capacity = CapacityBytes(call.body);
  if (!capacity) return capacity.error();

  auto space = spaces_.FindOwnedSpace(
      call.actor, call.Param("ownerId"), *kind,
      *container_id ? std::optional<std::string_view>(**container_id) : std::nullopt);
  if (!space) return space.error();
  domain::SpaceUpdate update;
  if (*capacity) update.quota_bytes = *capacity;
  if (*status) update.disabled = **status == 1;
  auto updated = spaces_.UpdateSpace(call.actor, space->id, std::move(update));
  if (!updated) return updated.error();
  return Reply{};
}

Result<Reply> KooDriveApi::DeleteSpace(const Call& call) const {
  auto kind = QueryKind(call.request, false);
  if (!kind) return kind.error();
  auto space = spaces_.FindOwnedSpace(call.actor, call.Param("ownerId"), **kind,
                                      QueryNonEmpty(call.request, "containerId"));
  if (!space) return space.error();
  if (auto r = spaces_.DeleteSpace(call.actor, space->id); !r) return r.error();
  return Reply{};
}

Result<Reply> KooDriveApi::BatchGetSpace(const Call& call) const {
  auto kind = QueryKind(call.request, true);
  if (!kind) return kind.error();
  domain::SpaceFilter filter;
  filter.kind = *kind;
  if (auto owner = QueryNonEmpty(call.request, "ownerId")) filter.owner_id = std::string(*owner);
  auto spaces = spaces_.ListSpaces(call.actor, filter);
  if (!spaces) return spaces.error();
  const auto container = QueryNonEmpty(call.request, "containerId");
  const int64_t capacity = OrgCapacity(spaces_, call.actor);
  json::array data;
  for (const auto& s : *spaces) {
    if (!container || s.id == *container) data.push_back(SpaceInfoJson(s, capacity));
  }
  return Reply{json::value(std::move(data)), {}};
}

Result<Reply> KooDriveApi::UsageOverview(const Call& call) const {
  auto usage = spaces_.GetOrgUsage(call.actor, call.actor.corp_id);
  if (!usage) return usage.error();
  auto spaces = spaces_.ListSpaces(call.actor, {});
  if (!spaces) return spaces.error();
  int64_t allocated = 0;
  for (const auto& s : *spaces) allocated = domain::AddBytes(allocated, s.quota_bytes.value_or(0));
  json::object data;
  data["totalAllocation"] = allocated / kBytesPerKb;
  data["totalCapacity"] = usage->org.capacity_bytes / kBytesPerKb;
  data["totalUsed"] = usage->used_bytes / kBytesPerKb;
  data["quota"] = usage->org.capacity_bytes / kBytesPerGb;
  return Reply{json::value(std::move(data)), {}};
}

Result<Reply> KooDriveApi::UsageQuota(const Call& call) const {
  auto page = QueryPage(call.request);
  if (!page) return page.error();
  auto spaces = spaces_.ListSpaces(call.actor, {});
  if (!spaces) return spaces.error();
  const int64_t capacity = OrgCapacity(spaces_, call.actor);
  json::array data;
  for (size_t i = page->first; i < spaces->size() && data.size() < page->second; ++i) {
    const auto& s = (*spaces)[i];
    json::object item;
    item["containerId"] = s.id;
    item["ownerId"] = s.owner_id;
    item["type"] = static_cast<int64_t>(s.kind);
    item["capacity"] = s.quota_bytes.value_or(capacity) / kBytesPerGb;
    item["used"] = s.used_bytes / kBytesPerKb;
    data.push_back(std::move(item));
  }
  Reply reply{json::value(std::move(data)), {}};
  reply.top_level["total"] = static_cast<int64_t>(spaces->size());
  return reply;
}

Result<Reply> KooDriveApi::NotServed(const Call& call) const {
  return MakeError(Errc::kNotFound, "route",
                   call.request.method + " " + call.request.path + " is not served");
}

Result<Reply> KooDriveApi::UsageUser(const Call& call) const {
  auto user_ids = server::GetStringArray(call.body, "userIds");
  if (!user_ids) return user_ids.error();
  if (!*user_ids || (*user_ids)->empty()) return BadParam("userIds", "is required");
  auto offset = server::GetInt64(call.body, "offset", true);
  if (!offset) return offset.error();
  auto limit = server::GetInt64(call.body, "limit", true);
  if (!limit) return limit.error();
  const int64_t first = offset->value_or(0);
  const int64_t count = limit->value_or(kMaxPageSize);
  if (first < 0 || count < 1 || count > kMaxPageSize) {
    return BadParam("limit", "must be 1-100 with offset >= 0");
  }
  const auto& ids = **user_ids;
  json::array data;
  for (auto i = static_cast<size_t>(first); i < ids.size() && std::ssize(data) < count; ++i) {
    auto spaces = spaces_.ListSpaces(
        call.actor, domain::SpaceFilter{ids[i], domain::SpaceKind::kIndividual, std::nullopt});
    if (!spaces) return spaces.error();
    int64_t quota = 0;
    int64_t used = 0;
    int64_t created = 0;
    for (const auto& s : *spaces) {
      quota = domain::AddBytes(quota, s.quota_bytes.value_or(0));
      used = domain::AddBytes(used, s.used_bytes);
      if (created == 0) created = s.create_time;
    }
    json::object item;
    item["userId"] = ids[i];
    item["quota"] = quota / kBytesPerGb;
    item["used"] = used / kBytesPerKb;
    if (created != 0) item["createTime"] = FormatIsoMillis(created);
    data.push_back(std::move(item));
  }
  Reply reply{json::value(std::move(data)), {}};
  reply.top_level["total"] = static_cast<int64_t>(ids.size());
  return reply;
}

}  // namespace spacestore::api::koodrive
