#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "base/result.h"
#include "domain/identity_service.h"
#include "domain/space_service.h"
#include "server/http_message.h"
#include "server/router.h"

namespace spacestore::api::koodrive {

// A successful KooDrive answer: the payload goes under "data" or, for the documented list and
// create calls, as extra top-level keys next to code and msg.
struct Reply {
  std::optional<boost::json::value> data;
  boost::json::object top_level;
};

// KooDriveApi is the KooDrive OSE dialect (/koodrive/ose/...): envelope {code, msg, data},
// Authorization "Bearer+<token>" / "Bearer <token>" / "AT <token>" / bare, and the space
// management calls over the same spaces the DingTalk dialect serves.
//
// Calls act as the token's app (machine to machine); an X-User-Id header names a user of the
// org to act as instead.
//
// Thread-safety: Handle is safe to call concurrently. Borrows the services.
class KooDriveApi {
 public:
  KooDriveApi(domain::IdentityService& identity, domain::SpaceService& spaces);

  // Answers any request whose path starts with /koodrive/.
  // The response carries the matched route template (HttpResponse::route), for metrics.
  server::HttpResponse Handle(const server::HttpRequest& request) const;
  // The checks of Handle that need no body (route, Authorization, scope, X-User-Id) on a
  // request whose body has not been read: nullopt, or the answer that refuses it (asked before
  // 100 Continue is sent).
  std::optional<server::HttpResponse> Admit(const server::HttpRequest& head) const;

 private:
  struct Call {
    const server::HttpRequest& request;
    const std::vector<std::pair<std::string, std::string>>& params;
    domain::Actor actor;
    const boost::json::object& body;

    std::string_view Param(std::string_view name) const;
  };
  using Handler = Result<Reply> (KooDriveApi::*)(const Call&) const;
  struct Route {
    Handler handler;
    std::string_view scope;
  };

  // What the body-less checks yield: the route with its path parameters, and who acts.
  struct Admission {
    server::Router<Route>::Match match;
    domain::Actor actor;
  };

  void AddRoutes();  // routes.cc
  // routes.cc: the body-less checks. Fills `admission` and returns nullopt, or returns the
  // refusal.
  std::optional<server::HttpResponse> CheckHead(const server::HttpRequest& request,
                                                Admission& admission) const;

  // spaces.cc
  Result<Reply> GetSpaceByContainerId(const Call& call) const;
  Result<Reply> GetOwnerSpace(const Call& call) const;
  Result<Reply> GetOwnerSpaces(const Call& call) const;
  Result<Reply> CreateSpace(const Call& call) const;
  Result<Reply> ModifySpace(const Call& call) const;
  Result<Reply> DeleteSpace(const Call& call) const;
  Result<Reply> BatchGetSpace(const Call& call) const;
  Result<Reply> UsageOverview(const Call& call) const;
  Result<Reply> UsageQuota(const Call& call) const;
  Result<Reply> UsageUser(const Call& call) const;
  // Documented KooDrive calls spacestore does not serve yet: 404 13009404, so that their
  // literal paths are never mistaken for an {ownerId}.
  Result<Reply> NotServed(const Call& call) const;

  domain::IdentityService& identity_;
  domain::SpaceService& spaces_;
  // Handle's pipeline after CheckHead; Handle adds the matched route to the response.
  server::HttpResponse Respond(const server::HttpRequest& request, Admission& admission) const;

  server::Router<Route> router_;
};

}  // namespace spacestore::api::koodrive
