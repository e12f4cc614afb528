// The KooDrive route table and the pipeline every endpoint shares:
// route -> Authorization -> scope -> X-User-Id -> JSON body -> handler -> envelope.
#include "api/koodrive/errors.h"
#include "api/koodrive/koodrive_api.h"
#include "server/json_body.h"

namespace spacestore::api::koodrive {

using domain::kScopeSpaceRead;
using domain::kScopeSpaceWrite;

namespace {

// Accepts the documented "Bearer+<t>", plain "Bearer <t>", the carrier "AT+<t>" / "AT <t>" and a
// bare token.
std::string_view StripScheme(std::string_view value) {
  for (const std::string_view scheme : {"Bearer", "bearer", "AT"}) {
    if (value.size() > scheme.size() && value.substr(0, scheme.size()) == scheme &&
        (value[scheme.size()] == '+' || value[scheme.size()] == ' ')) {
      value.remove_prefix(scheme.size() + 1);
      break;
    }
  }
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

}  // namespace

KooDriveApi::KooDriveApi(domain::IdentityService& identity, domain::SpaceService& spaces)
    : identity_(identity), spaces_(spaces) {
  AddRoutes();
}

void KooDriveApi::AddRoutes() {
  // method, path, handler, required scope. Literal segments win over {params}.
  constexpr std::string_view kPrefix = "/koodrive/ose/v1/space";
  auto add = [&](const char* method, std::string_view path, Handler h, std::string_view scope) {
    router_.Add(method, path, Route{h, scope});
  };
  add("GET", std::string(kPrefix) + "/container/{containerId}", &KooDriveApi::GetSpaceByContainerId,
      kScopeSpaceRead);
  add("GET", std::string(kPrefix) + "/batchGetSpace", &KooDriveApi::BatchGetSpace, kScopeSpaceRead);
  add("GET", std::string(kPrefix) + "/usage/overview", &KooDriveApi::UsageOverview,
      kScopeSpaceRead);
  add("GET", std::string(kPrefix) + "/usage/quota", &KooDriveApi::UsageQuota, kScopeSpaceRead);
  add("POST", std::string(kPrefix) + "/usage/user", &KooDriveApi::UsageUser, kScopeSpaceRead);
  for (const char* list :
       {"/departmentList", "/teamList", "/groupList", "/userList", "/allocation/get"}) {
    add("GET", std::string(kPrefix) + list, &KooDriveApi::NotServed, kScopeSpaceRead);
  }
  add("POST", std::string(kPrefix) + "/group", &KooDriveApi::NotServed, kScopeSpaceWrite);
  add("POST", std::string(kPrefix) + "/allocation/transfer", &KooDriveApi::NotServed,
      kScopeSpaceWrite);
  add("DELETE", std::string(kPrefix) + "/group/{groupId}", &KooDriveApi::NotServed,
      kScopeSpaceWrite);
  add("GET", std::string(kPrefix) + "/{ownerId}", &KooDriveApi::GetOwnerSpace, kScopeSpaceRead);
  add("POST", std::string(kPrefix) + "/{ownerId}", &KooDriveApi::CreateSpace, kScopeSpaceWrite);
  add("PUT", std::string(kPrefix) + "/{ownerId}", &KooDriveApi::ModifySpace, kScopeSpaceWrite);
  add("DELETE", std::string(kPrefix) + "/{ownerId}", &KooDriveApi::DeleteSpace, kScopeSpaceWrite);
  add("GET", "/koodrive/ose/v2/space/{ownerId}", &KooDriveApi::GetOwnerSpaces, kScopeSpaceRead);
}

std::string_view KooDriveApi::Call::Param(std::string_view name) const {
  return server::PathParam(params, name);
}

std::optional<server::HttpResponse> KooDriveApi::CheckHead(const server::HttpRequest& request,
                                                           Admission& admission) const {
  using Count = server::HttpRequest::SingleField::Count;
  admission.match = router_.Find(request.method, request.path);
  if (admission.match.outcome == server::Router<Route>::Outcome::kNotFound) {
    return EnvelopeResponse(404, kCodeRouteNotFound, "Not found.", {}, request);
  }
  if (admission.match.outcome == server::Router<Route>::Outcome::kMethodNotAllowed) {
    return EnvelopeResponse(405, kCodeMethodNotAllowed, "Method not allowed.", {}, request);
  }
  const Route& route = *admission.match.value;

  // A credential or acting user sent twice is refused, never resolved by picking one.
  const auto header = request.SingleHeader("authorization");
  const std::string_view token =
      header.count == Count::kOnce ? StripScheme(header.value) : std::string_view();
  if (token.empty()) return EnvelopeResponse(401, kCodeUnauthorized, "Unauthorized.", {}, request);
  auto authenticated = identity_.Authenticate(token);
  if (!authenticated) return ErrorResponse(authenticated.error(), request);
  const domain::TokenHolder* holder = authenticated->get();
  const domain::App& app = holder->app;
  if (!app.HasScope(route.scope)) {
    return ErrorResponse(MakeError(Errc::kPermissionDenied, "scope",
                                   "the token lacks scope " + std::string(route.scope)),
                         request);
  }
  // Present but blank is not "absent": absent means the app acts with its org-wide rights.
  const auto user = request.SingleHeader("x-user-id");
  if (user.count == Count::kRepeated) {
    return ErrorResponse(
        MakeError(Errc::kInvalidArgument, "X-User-Id", "X-User-Id is sent more than once"),
        request);
  }
  if (user.count == Count::kOnce && server::IsBlank(user.value)) {
    return ErrorResponse(
        MakeError(Errc::kInvalidArgument, "X-User-Id", "X-User-Id must not be empty"), request);
  }
  // A token bound to a user acts as that user only, never as the app with org-wide rights.
  std::string_view acting = user.value;
  if (!holder->union_id.empty()) {
    if (user.count == Count::kOnce && user.value != holder->union_id) {
      return ErrorResponse(MakeError(Errc::kPermissionDenied, "X-User-Id",
                                     "the access token is bound to another user"),
                           request);
    }
    acting = holder->union_id;
  }
  admission.actor = domain::Actor{app.corp_id, app.app_id, std::string(acting)};
  return std::nullopt;
}

std::optional<server::HttpResponse> KooDriveApi::Admit(const server::HttpRequest& head) const {
  Admission admission;
  auto refusal = CheckHead(head, admission);
  if (refusal) refusal->route = admission.match.route;
  return refusal;
}

server::HttpResponse KooDriveApi::Handle(const server::HttpRequest& request) const {
  Admission admission;
  server::HttpResponse response = Respond(request, admission);
  response.route = admission.match.route;
  return response;
}

server::HttpResponse KooDriveApi::Respond(const server::HttpRequest& request,
                                          Admission& admission) const {
  if (auto refusal = CheckHead(request, admission)) return std::move(*refusal);
  auto body = server::ParseJsonObject(request.body);
  if (!body) return ErrorResponse(body.error(), request);
  const Call call{request, admission.match.params, std::move(admission.actor), *body};
  auto reply = (this->*admission.match.value->handler)(call);
  if (!reply) return ErrorResponse(reply.error(), request);
  boost::json::object extra = std::move(reply->top_level);
  if (reply->data) extra["data"] = std::move(*reply->data);
  return EnvelopeResponse(200, 0, "OK", std::move(extra), request);
}

}  // namespace spacestore::api::koodrive
