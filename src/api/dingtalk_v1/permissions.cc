// The permission endpoints of reference 4.9: AddPermission, UpdatePermission,
// DeletePermission, ListPermissions and BatchQueryRoles. This file reads the wire (members,
// roleId, option.duration, the list options, BatchQueryRoles' JSON-encoded dentryIdList in the
// query) and writes the replies; every rule about who may grant what, and whether a member,
// role or duration is acceptable, is domain::PermissionService's (docs/permissions.md).
// Member types are passed on as the wire spells them, so the domain's MemberSpec check is the
// only one: the api layer never keeps a second list of the types served.
#include <algorithm>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {
namespace json = boost::json;
namespace {

Error BadMembers(std::string message) {
  return MakeError(Errc::kInvalidArgument, "members", std::move(message));
}

// members*: [{type*, id*, corpId}]. Shapes are checked here, values by the domain: an empty
// list, more than 30, an unknown type or a DEPT without corpId are its refusals. `id` may be
// absent, for ALL_USERS, whose id the domain ignores.
Result<std::vector<domain::MemberSpec>> ReadMembers(const json::object& body) {
  const auto it = body.find("members");
  if (it == body.end() || it->value().is_null()) return BadMembers("members is required");
  if (!it->value().is_array()) return BadMembers("members must be an array of members");
  std::vector<domain::MemberSpec> out;
  out.reserve(it->value().as_array().size());
  for (const json::value& item : it->value().as_array()) {
    if (!item.is_object()) return BadMembers("each member must be {type, id, corpId}");
    const json::object& o = item.as_object();
    auto type = server::GetString(o, "type");
    auto id = server::GetString(o, "id");
    auto corp = server::GetString(o, "corpId");
    if (!type || !id || !corp) return BadMembers("member type, id and corpId must be strings");
    if (!*type || (*type)->empty()) return BadMembers("member type is required");
    out.push_back(domain::MemberSpec{std::move(**type), id->value_or(""), corp->value_or("")});
  }
  return out;
}

// AddPermission and UpdatePermission: roleId*, members*, option.duration.
Result<domain::GrantRequest> ReadGrantRequest(const json::object& body) {
  auto role = ReadRequiredString(body, "roleId");
  if (!role) return role.error();
  auto members = ReadMembers(body);
  if (!members) return members.error();
  auto option = ReadOption(body);
  if (!option) return option.error();
  std::optional<int64_t> duration;
  if (*option != nullptr) {
    auto d = server::GetInt64(**option, "duration");
    if (!d) return d.error();
    duration = *d;
  }
  return domain::GrantRequest{std::move(*role), std::move(*members), duration};
}

// dentryIdList*: a JSON-encoded array of strings in the query (the SDK's "json" style), e.g.
// ["d1","d2"]. Its length is the domain's to judge.
Result<std::vector<std::string>> ReadDentryIdList(const server::HttpRequest& request) {
  using Count = server::HttpRequest::SingleField::Count;
  const auto text = request.SingleQuery("dentryIdList");
  const auto bad = [](std::string message) {
    return MakeError(Errc::kInvalidArgument, "dentryIdList", std::move(message));
  };
  if (text.count == Count::kRepeated) return bad("dentryIdList is given more than once");
  if (server::IsBlank(text.value)) return bad("dentryIdList is required");
  return server::ParseJsonStringArray(text.value, "dentryIdList");
}

// ListPermissions' option: filterRoleIds, maxResults, nextToken.
struct ListOptions {
  std::vector<std::string> filter_role_ids;
  std::optional<int> max_results;
  std::string next_token;
};

Result<ListOptions> ReadListOptions(const json::object& body) {
  ListOptions out;
  auto option = ReadOption(body);
  if (!option) return option.error();
  if (*option == nullptr) return out;
  const json::object& o = **option;
  auto roles = server::GetStringArray(o, "filterRoleIds");
  if (!roles) return roles.error();
  if (*roles) out.filter_role_ids = std::move(**roles);
  auto max = server::GetInt64(o, "maxResults");
  if (!max) return max.error();
  if (*max) {
    // Out of int range is out of the domain's 1..500 too; clamp so it says so.
    out.max_results = static_cast<int>(std::clamp<int64_t>(**max, -1, 1 << 30));
  }
  auto token = server::GetString(o, "nextToken");
  if (!token) return token.error();
  out.next_token = token->value_or("");
  return out;
}

std::string Success() { return R"({"success":true})"; }

}  // namespace

Result<Reply> DingTalkApi::AddPermission(const Call& call) const {
  auto request = ReadGrantRequest(call.body);
  if (!request) return request.error();
  auto done = permissions_.AddPermission(call.actor, call.Param("spaceId"), call.Param("dentryId"),
                                         *request);
  if (!done) return done.error();
  return Success();
}

Result<Reply> DingTalkApi::UpdatePermission(const Call& call) const {
  auto request = ReadGrantRequest(call.body);
  if (!request) return request.error();
  auto done = permissions_.UpdatePermission(call.actor, call.Param("spaceId"),
                                            call.Param("dentryId"), *request);
  if (!done) return done.error();
  return Success();
}

Result<Reply> DingTalkApi::DeletePermission(const Call& call) const {
  auto role = ReadRequiredString(call.body, "roleId");
  if (!role) return role.error();
  auto members = ReadMembers(call.body);
  if (!members) return members.error();
  auto done = permissions_.DeletePermission(call.actor, call.Param("spaceId"),
                                            call.Param("dentryId"), *role, *members);
  if (!done) return done.error();
  return Success();
}

Result<Reply> DingTalkApi::ListPermissions(const Call& call) const {
  auto options = ReadListOptions(call.body);
  if (!options) return options.error();
  auto page = permissions_.ListPermissions(call.actor, call.Param("spaceId"),
                                           call.Param("dentryId"), options->filter_role_ids,
                                           options->max_results, options->next_token);
  if (!page) return page.error();
  return PermissionPageReply(*page);
}

Result<Reply> DingTalkApi::BatchQueryRoles(const Call& call) const {
  auto ids = ReadDentryIdList(call.request);
  if (!ids) return ids.error();
  auto roles = permissions_.BatchQueryRoles(call.actor, call.Param("spaceId"), *ids);
  if (!roles) return roles.error();
  return RoleMapReply(*roles);
}

}  // namespace spacestore::api::dingtalk_v1
