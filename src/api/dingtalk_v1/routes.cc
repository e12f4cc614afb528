// The DingTalk route table and the request pipeline every endpoint shares:
// route -> token -> scope -> unionId -> JSON body -> handler -> JSON or error body.
#include "api/dingtalk_v1/dingtalk_api.h"

#include "api/dingtalk_v1/errors.h"
#include "domain/memory_only.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

using domain::kScopeEventWrite;
using domain::kScopeFileRead;
using domain::kScopeFileWrite;
using domain::kScopeSpaceRead;
using domain::kScopeSpaceWrite;

DingTalkApi::DingTalkApi(const DingTalkServices& services)
    : identity_(services.identity),
      spaces_(services.spaces),
      dentries_(services.dentries),
      uploads_(services.uploads),
      links_(services.links),
      versions_(services.versions),
      app_properties_(services.app_properties),
      thumbnails_(services.thumbnails),
      tasks_(services.tasks),
      copies_(services.copies),
      recycle_(services.recycle),
      tree_(services.tree),
      permissions_(services.permissions),
      events_(services.events),
      open_(services.open),
      public_url_(services.public_url) {
  AddRoutes();
}

void DingTalkApi::AddRoutes() {
  // method, path, handler, required scope. Endpoints of the reference not listed here are
  // answered 404 InvalidAction.NotFound until they are built (docs/api/dingtalk-v1.md).
  router_.Add("POST", "/v1.0/oauth2/accessToken", {&DingTalkApi::GetAccessToken, ""});
  router_.Add("POST", "/v1.0/storage/spaces", {&DingTalkApi::AddSpace, kScopeSpaceWrite});
  router_.Add("GET", "/v1.0/storage/spaces/{spaceId}",
              {&DingTalkApi::GetSpace, kScopeSpaceRead, /*from_memory=*/true});
  router_.Add("GET", "/v1.0/storage/orgs/{corpId}", {&DingTalkApi::GetOrg, kScopeSpaceRead});
  router_.Add("POST", "/v1.0/storage/currentApps/query",
              {&DingTalkApi::GetCurrentApp, kScopeSpaceRead});
  router_.Add("GET", "/v1.0/storage/tasks/{taskId}", {&DingTalkApi::GetTask, kScopeFileRead});
  router_.Add("POST", "/v1.0/storage/events/subscribe",
              {&DingTalkApi::SubscribeEvent, kScopeEventWrite});
  router_.Add("POST", "/v1.0/storage/events/unsubscribe",
              {&DingTalkApi::UnsubscribeEvent, kScopeEventWrite});
  // Our extension (docs/events.md): the calling app's event log, after a cursor.
  router_.Add("GET", "/v1.0/storage/events", {&DingTalkApi::ListEvents, kScopeEventWrite});

  constexpr std::string_view kSpace = "/v1.0/storage/spaces/{spaceId}";
  auto add = [&](const char* method, std::string_view tail, Handler h, std::string_view scope,
                 bool from_memory = false) {
    router_.Add(method, std::string(kSpace) + std::string(tail), Route{h, scope, from_memory});
  };
  add("POST", "/dentries/{parentId}/folders", &DingTalkApi::AddFolder, kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/query", &DingTalkApi::GetDentry, kScopeFileRead);
  add("POST", "/dentries/query", &DingTalkApi::GetDentries, kScopeFileRead, /*from_memory=*/true);
  add("POST", "/thumbnails/query", &DingTalkApi::GetDentryThumbnails, kScopeFileRead);
  add("GET", "/dentries", &DingTalkApi::ListDentries, kScopeFileRead);
  add("POST", "/dentries/listAll", &DingTalkApi::ListAllDentries, kScopeFileRead);
  add("POST", "/dentries/{dentryId}/rename", &DingTalkApi::RenameDentry, kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/move", &DingTalkApi::MoveDentry, kScopeFileWrite);
  add("POST", "/dentries/batchMove", &DingTalkApi::MoveDentries, kScopeFileWrite);
  add("POST", "/files/uploadInfos/query", &DingTalkApi::GetFileUploadInfo, kScopeFileWrite);
  add("POST", "/files/multiPartUploadInfos/init", &DingTalkApi::InitMultipartFileUpload,
      kScopeFileWrite);
  add("POST", "/files/commit", &DingTalkApi::CommitFile, kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/downloadInfos/query", &DingTalkApi::GetFileDownloadInfo,
      kScopeFileRead);
  add("GET", "/dentries/{dentryId}/versions", &DingTalkApi::ListDentryVersions, kScopeFileRead);
  add("POST", "/dentries/{dentryId}/versions/{version}/revert", &DingTalkApi::RevertDentryVersion,
      kScopeFileWrite);
  add("PUT", "/dentries/{dentryId}/appProperties", &DingTalkApi::UpdateDentryAppProperties,
      kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/appProperties/remove", &DingTalkApi::DeleteDentryAppProperties,
      kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/copy", &DingTalkApi::CopyDentry, kScopeFileWrite);
  add("POST", "/dentries/batchCopy", &DingTalkApi::CopyDentries, kScopeFileWrite);
  add("DELETE", "/dentries/{dentryId}", &DingTalkApi::DeleteDentry, kScopeFileWrite);
  add("POST", "/dentries/batchRemove", &DingTalkApi::DeleteDentries, kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/permissions", &DingTalkApi::AddPermission, kScopeFileWrite);
  add("PUT", "/dentries/{dentryId}/permissions", &DingTalkApi::UpdatePermission, kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/permissions/remove", &DingTalkApi::DeletePermission,
      kScopeFileWrite);
  add("POST", "/dentries/{dentryId}/permissions/query", &DingTalkApi::ListPermissions,
      kScopeFileRead);
  // No body: the ids come as a JSON-encoded array in the query (reference 4.9).
  add("POST", "/dentries/permissions/roles/batchQuery", &DingTalkApi::BatchQueryRoles,
      kScopeFileRead);
  add("POST", "/dentries/{dentryId}/openInfos/query", &DingTalkApi::GetDentryOpenInfo,
      kScopeFileRead);
  add("POST", "/dentries/{dentryId}/openInfos/register", &DingTalkApi::RegisterOpenInfo,
      kScopeFileWrite);
  add("GET", "/dentries/{dentryId}/webOfficeUrls", &DingTalkApi::GetWebOfficeUrl, kScopeFileRead);
  add("GET", "/dentries/{dentryId}/refreshWebOfficeToken", &DingTalkApi::RefreshWebOfficeToken,
      kScopeFileRead);
  constexpr std::string_view kBins = "/v1.0/storage/recycleBins";
  auto bin = [&](const char* method, std::string_view tail, Handler h, std::string_view scope) {
    router_.Add(method, std::string(kBins) + std::string(tail), Route{h, scope});
  };
  bin("GET", "", &DingTalkApi::GetRecycleBin, kScopeFileRead);
  bin("GET", "/{recycleBinId}/recycleItems", &DingTalkApi::ListRecycleItems, kScopeFileRead);
  bin("GET", "/{recycleBinId}/recycleItems/{recycleItemId}", &DingTalkApi::GetRecycleItem,
      kScopeFileRead);
  bin("POST", "/{recycleBinId}/recycleItems/{recycleItemId}/restore",
      &DingTalkApi::RestoreRecycleItem, kScopeFileWrite);
  bin("POST", "/{recycleBinId}/recycleItems/batchRestore", &DingTalkApi::RestoreRecycleItems,
      kScopeFileWrite);
  bin("DELETE", "/{recycleBinId}/recycleItems/{recycleItemId}", &DingTalkApi::DeleteRecycleItem,
      kScopeFileWrite);
  bin("POST", "/{recycleBinId}/recycleItems/batchRemove", &DingTalkApi::DeleteRecycleItems,
      kScopeFileWrite);
  bin("POST", "/{recycleBinId}/clear", &DingTalkApi::ClearRecycleBin, kScopeFileWrite);
  // The one storage path without a spaceId: the space comes from the uploadKey.
  router_.Add("POST", "/v1.0/storage/spaces/files/multiPartUploadInfos/query",
              {&DingTalkApi::GetMultipartFileUploadInfos, kScopeFileWrite});
}

std::string_view DingTalkApi::Call::Param(std::string_view name) const {
  return server::PathParam(params, name);
}

std::optional<server::HttpResponse> DingTalkApi::CheckHead(const server::HttpRequest& request,
                                                           Admission& admission) const {
  using Count = server::HttpRequest::SingleField::Count;
  const std::string& rid = request.request_id;
  // HandleInline has found the route already.
  if (admission.match.value == nullptr)
    admission.match = router_.Find(request.method, request.path);
  if (admission.match.outcome == server::Router<Route>::Outcome::kNotFound) {
    return ErrorResponse(404, "InvalidAction.NotFound",
                         "no API at " + request.method + " " + request.path, rid);
  }
  if (admission.match.outcome == server::Router<Route>::Outcome::kMethodNotAllowed) {
    return ErrorResponse(405, "InvalidAction.MethodNotAllowed",
                         request.method + " is not allowed on " + request.path, rid);
  }
  const Route& route = *admission.match.value;
  if (route.scope.empty()) return std::nullopt;

  // A credential or acting user sent twice is refused, never resolved by picking one: two
  // layers (a proxy and the server) could otherwise read different values.
  const auto token = request.SingleHeader("x-acs-dingtalk-access-token");
  if (token.count == Count::kRepeated) {
    return ErrorResponse(400, "InvalidAuthentication", "access token is sent more than once", rid);
  }
  if (token.value.empty()) {
    return ErrorResponse(400, "InvalidAuthentication", "access token is missing", rid);
  }
  auto authenticated = identity_.Authenticate(token.value);
  if (!authenticated) return ErrorResponse(authenticated.error(), rid);
  const domain::TokenHolder* holder = authenticated->get();
  const domain::App& app = holder->app;
  if (!app.HasScope(route.scope)) return MissingScopeResponse(route.scope, rid);
  const auto union_id = request.SingleQuery("unionId");
  if (union_id.count == Count::kRepeated) {
    return ErrorResponse(400, "paramError", "unionId is given more than once", rid);
  }
  if (server::IsBlank(union_id.value)) {
    return ErrorResponse(400, "paramError", "unionId is required", rid);
  }
  // A token bound to a user (a console password login) acts as that user only.
  if (!holder->union_id.empty() && holder->union_id != union_id.value) {
    return ErrorResponse(403, "permissionDenied", "the access token is bound to another user", rid);
  }
  // The event log and subscriptions are the app's, across spaces the user may not read: a
  // user's own login must not read or change them.
  if (!holder->union_id.empty() && route.scope == kScopeEventWrite) {
    return ErrorResponse(403, "permissionDenied", "the events API needs the app's own token", rid);
  }
  admission.actor = domain::Actor{app.corp_id, app.app_id, std::string(union_id.value)};
  return std::nullopt;
}

std::optional<server::HttpResponse> DingTalkApi::Admit(const server::HttpRequest& head) const {
  Admission admission;
  auto refusal = CheckHead(head, admission);
  if (refusal) refusal->route = admission.match.route;
  return refusal;
}

server::HttpResponse DingTalkApi::Handle(const server::HttpRequest& request) const {
  Admission admission;
  server::HttpResponse response = Respond(request, admission);
  response.route = admission.match.route;
  return response;
}

std::optional<server::HttpResponse> DingTalkApi::HandleInline(
    const server::HttpRequest& request) const {
  Admission admission;
  admission.match = router_.Find(request.method, request.path);
  if (admission.match.value == nullptr || !admission.match.value->from_memory) return std::nullopt;
  const domain::MemoryOnly scope;
  server::HttpResponse response = Respond(request, admission);
  if (scope.refused()) return std::nullopt;
  response.route = admission.match.route;
  return response;
}

server::HttpResponse DingTalkApi::Respond(const server::HttpRequest& request,
                                          Admission& admission) const {
  if (auto refusal = CheckHead(request, admission)) return std::move(*refusal);
  auto body = server::ParseJsonObject(request.body);
  if (!body) return ErrorResponse(body.error(), request.request_id);
  const Call call{request, admission.match.params, std::move(admission.actor), *body};
  auto result = (this->*admission.match.value->handler)(call);
  if (!result) return ErrorResponse(result.error(), request.request_id);
  if (auto* text = std::get_if<std::string>(&*result)) {
    return server::MakeResponse(200, std::move(*text));
  }
  return server::MakeResponse(200, server::ToJson(std::get<boost::json::object>(*result)));
}

}  // namespace spacestore::api::dingtalk_v1
