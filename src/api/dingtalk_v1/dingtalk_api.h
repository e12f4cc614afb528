#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "api/dingtalk_v1/batch_item_cache.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "base/result.h"
#include "domain/app_property_service.h"
#include "domain/copy_service.h"
#include "domain/dentry_service.h"
#include "domain/event_service.h"
#include "domain/identity_service.h"
#include "domain/open_service.h"
#include "domain/permission_service.h"
#include "domain/recycle_service.h"
#include "domain/space_service.h"
#include "domain/task_service.h"
#include "domain/thumbnail_service.h"
#include "domain/transfer_links.h"
#include "domain/tree_service.h"
#include "domain/upload_service.h"
#include "domain/version_service.h"
#include "server/http_message.h"
#include "server/router.h"

namespace spacestore::api::dingtalk_v1 {

// A handler's answer: a JSON tree, or JSON text already written with server::JsonWriter (the
// dentry replies, whose tree would cost more to build than the query behind them).
using Reply = std::variant<boost::json::object, std::string>;

// The services a DingTalkApi borrows, named so that the composition root says which is which.
struct DingTalkServices {
  domain::IdentityService& identity;
  domain::SpaceService& spaces;
  domain::DentryService& dentries;
  domain::UploadService& uploads;
  const domain::TransferLinks& links;  // Turns upload, download and thumbnail grants into URLs.
  domain::VersionService& versions;
  domain::AppPropertyService& app_properties;
  domain::ThumbnailService& thumbnails;
  domain::TaskService& tasks;
  domain::CopyService& copies;
  domain::RecycleService& recycle;
  domain::TreeService& tree;
  domain::PermissionService& permissions;
  domain::EventService& events;
  domain::OpenService& open;
  // The public base URL (no trailing slash) of the /open/ and /office/ pages' links.
  std::string public_url;
};

// DingTalkApi is the DingTalk Open API v1.0 dialect: /v1.0/oauth2/accessToken and
// /v1.0/storage/... It authenticates the token, checks the route's scope, reads unionId, turns
// JSON into domain calls and domain results into the reference's JSON. It holds no state of its
// own beyond the route table.
//
// Thread-safety: Handle is safe to call concurrently. Borrows the services, which must outlive
// it.
class DingTalkApi {
 public:
  explicit DingTalkApi(const DingTalkServices& services);

  // Answers any request whose path starts with /v1.0/.
  // The response carries the matched route template (HttpResponse::route), for metrics.
  server::HttpResponse Handle(const server::HttpRequest& request) const;
  // The checks of Handle that need no body (route, token, scope, unionId) on a request whose
  // body has not been read: nullopt, or the answer that refuses it. The server asks before it
  // sends 100 Continue, so a refused client never sends its body.
  std::optional<server::HttpResponse> Admit(const server::HttpRequest& head) const;
  // Handle for the hot reads (GetSpace, GetDentries) when everything they need is in memory
  // (domain/memory_only.h); nullopt otherwise, and for every other route. Safe on an I/O
  // thread: it never waits for the store.
  std::optional<server::HttpResponse> HandleInline(const server::HttpRequest& request) const;

 private:
  // Everything a handler needs about one call, checked by Handle before the handler runs.
  struct Call {
    const server::HttpRequest& request;
    const std::vector<std::pair<std::string, std::string>>& params;  // From the path template.
    domain::Actor actor;
    const boost::json::object& body;

    std::string_view Param(std::string_view name) const;
  };
  using Handler = Result<Reply> (DingTalkApi::*)(const Call&) const;
  struct Route {
    Handler handler;
    std::string_view scope;  // Required token scope; empty for the anonymous token call.
    // A read that HandleInline may try: no effect beyond caches, however far it gets.
    bool from_memory = false;
  };

  // What the body-less checks yield: the route with its path parameters, and who acts.
  struct Admission {
    server::Router<Route>::Match match;
    domain::Actor actor;
  };

  void AddRoutes();  // routes.cc: the table of every endpoint.
  // routes.cc: the body-less checks. Fills `admission` and returns nullopt, or returns the
  // refusal.
  std::optional<server::HttpResponse> CheckHead(const server::HttpRequest& request,
                                                Admission& admission) const;

  // oauth.cc
  Result<Reply> GetAccessToken(const Call& call) const;
  // spaces.cc
  Result<Reply> AddSpace(const Call& call) const;
  Result<Reply> GetSpace(const Call& call) const;
  Result<Reply> GetOrg(const Call& call) const;
  Result<Reply> GetCurrentApp(const Call& call) const;
  // dentries.cc
  Result<Reply> AddFolder(const Call& call) const;
  Result<Reply> GetDentry(const Call& call) const;
  Result<Reply> GetDentries(const Call& call) const;
  Result<Reply> ListDentries(const Call& call) const;
  Result<Reply> ListAllDentries(const Call& call) const;
  // thumbnails.cc
  Result<Reply> GetDentryThumbnails(const Call& call) const;
  // The thumbnail withThumbnail adds to `dentry`, or nullopt when it has none (not an image,
  // undecodable, or the thumbnail could not be read: the dentry is answered without it).
  std::optional<ThumbnailJson> ThumbnailOf(const domain::Dentry& dentry) const;
  // ThumbnailOf each of `dentries`, in order.
  std::vector<std::optional<ThumbnailJson>> Thumbnails(
      const std::vector<domain::Dentry>& dentries) const;
  // uploads.cc
  Result<Reply> GetFileUploadInfo(const Call& call) const;
  Result<Reply> InitMultipartFileUpload(const Call& call) const;
  Result<Reply> GetMultipartFileUploadInfos(const Call& call) const;
  Result<Reply> CommitFile(const Call& call) const;
  Result<Reply> GetFileDownloadInfo(const Call& call) const;
  // versions.cc
  Result<Reply> ListDentryVersions(const Call& call) const;
  Result<Reply> RevertDentryVersion(const Call& call) const;
  // app_properties.cc
  Result<Reply> UpdateDentryAppProperties(const Call& call) const;
  Result<Reply> DeleteDentryAppProperties(const Call& call) const;
  // tree.cc
  Result<Reply> RenameDentry(const Call& call) const;
  Result<Reply> MoveDentry(const Call& call) const;
  Result<Reply> MoveDentries(const Call& call) const;
  // tasks.cc
  Result<Reply> GetTask(const Call& call) const;
  // copy.cc
  Result<Reply> CopyDentry(const Call& call) const;
  Result<Reply> CopyDentries(const Call& call) const;
  // recycle.cc
  Result<Reply> DeleteDentry(const Call& call) const;
  Result<Reply> DeleteDentries(const Call& call) const;
  Result<Reply> GetRecycleBin(const Call& call) const;
  Result<Reply> ListRecycleItems(const Call& call) const;
  Result<Reply> GetRecycleItem(const Call& call) const;
  Result<Reply> RestoreRecycleItem(const Call& call) const;
  Result<Reply> RestoreRecycleItems(const Call& call) const;
  Result<Reply> DeleteRecycleItem(const Call& call) const;
  Result<Reply> DeleteRecycleItems(const Call& call) const;
  Result<Reply> ClearRecycleBin(const Call& call) const;
  // permissions.cc
  Result<Reply> AddPermission(const Call& call) const;
  Result<Reply> UpdatePermission(const Call& call) const;
  Result<Reply> DeletePermission(const Call& call) const;
  Result<Reply> ListPermissions(const Call& call) const;
  Result<Reply> BatchQueryRoles(const Call& call) const;
  // events.cc
  Result<Reply> SubscribeEvent(const Call& call) const;
  Result<Reply> UnsubscribeEvent(const Call& call) const;
  Result<Reply> ListEvents(const Call& call) const;
  // open_infos.cc
  Result<Reply> RegisterOpenInfo(const Call& call) const;
  Result<Reply> GetDentryOpenInfo(const Call& call) const;
  Result<Reply> GetWebOfficeUrl(const Call& call) const;
  Result<Reply> RefreshWebOfficeToken(const Call& call) const;

  domain::IdentityService& identity_;
  domain::SpaceService& spaces_;
  domain::DentryService& dentries_;
  domain::UploadService& uploads_;
  const domain::TransferLinks& links_;
  domain::VersionService& versions_;
  domain::AppPropertyService& app_properties_;
  domain::ThumbnailService& thumbnails_;
  domain::TaskService& tasks_;
  domain::CopyService& copies_;
  domain::RecycleService& recycle_;
  domain::TreeService& tree_;
  domain::PermissionService& permissions_;
  domain::EventService& events_;
  domain::OpenService& open_;
  const std::string public_url_;
  // Handle's pipeline after CheckHead; Handle adds the matched route to the response.
  server::HttpResponse Respond(const server::HttpRequest& request, Admission& admission) const;

  server::Router<Route> router_;
  // GetDentries' items kept as text; a cache, so written from const handlers.
  std::unique_ptr<BatchItemCache> items_ = std::make_unique<BatchItemCache>();
};

}  // namespace spacestore::api::dingtalk_v1
