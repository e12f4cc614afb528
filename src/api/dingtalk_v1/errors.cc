// DingTalk error mapping. The codes come from the reference's table (section 1.7) and, where it
// is silent, follow its camelCase style; docs/api/dingtalk-v1.md lists our own choices.
#include "api/dingtalk_v1/errors.h"

#include <boost/json/object.hpp>

#include "domain/store_errors.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

server::HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                                   std::string_view request_id) {
  boost::json::object body;
  body["code"] = code;
  body["message"] = message;
  body["requestid"] = request_id;
  return server::MakeResponse(status, server::ToJson(body));
}

MappedError MapError(const Error& error) {
  auto named = [&](const char* fallback) {
    return error.subject.empty() ? std::string(fallback) : error.subject;
  };
  switch (error.code) {
    case Errc::kInvalidArgument: {
      // AddSpace documents field-specific codes for these three fields only.
      const bool specific =
          error.subject == "name" || error.subject == "scene" || error.subject == "sceneId";
      return {400, specific ? "paramError." + error.subject : "paramError"};
    }
    case Errc::kNotFound:
      // spaceNotExist is documented; the others follow its style (dentryNotExist, ...).
      return {404, named("resource") + "NotExist"};
    case Errc::kUnauthenticated:
      if (error.subject == "client") return {400, "invalidClientIdOrSecret"};
      return {400, "InvalidAuthentication"};
    case Errc::kPermissionDenied:
      return {403, "permissionDenied"};
    case Errc::kQuotaExceeded:
      return {403, "quotaExceeded"};
    case Errc::kAlreadyExists:
      return {409, named("resource") + "AlreadyExist"};
    case Errc::kConflict:
      return {409, "conflict"};
    case Errc::kPreconditionFailed:
      return {400, "paramError"};
    case Errc::kUnavailable:
      // No vendor code for a full disk; 507 says "retry once space is freed".
      if (error.subject == domain::kSubjectStorageFull) return {507, "storageFull"};
      return {503, "operationTimeout"};
    case Errc::kOk:
    case Errc::kInternal:
      break;
  }
  return {500, "systemError"};
}

server::HttpResponse ErrorResponse(const Error& error, std::string_view request_id) {
  const MappedError mapped = MapError(error);
  return ErrorResponse(mapped.status, mapped.code, error.message, request_id);
}

server::HttpResponse MissingScopeResponse(std::string_view scope, std::string_view request_id) {
  boost::json::object body;
  body["code"] = "Forbidden.AccessDenied.AccessTokenPermissionDenied";
  body["message"] = "access token lacks the required scope " + std::string(scope);
  body["requestid"] = request_id;
  boost::json::object detail;
  detail["requiredScopes"] = boost::json::array{boost::json::string(scope)};
  body["accessdenieddetail"] = std::move(detail);
  return server::MakeResponse(403, server::ToJson(body));
}

server::HttpResponse RejectResponse(int status, std::string_view request_id) {
  switch (status) {
    case 400:
      return ErrorResponse(400, "paramError", "malformed HTTP request", request_id);
    case 408:
      return ErrorResponse(408, "operationTimeout", "the request was not received in time",
                           request_id);
    case 413:
      return ErrorResponse(413, "paramError", "request body too large", request_id);
    case 431:
      return ErrorResponse(431, "paramError", "request headers too large", request_id);
    case 501:
      return ErrorResponse(501, "paramError",
                           "Transfer-Encoding other than chunked is not supported", request_id);
    default:
      return ErrorResponse(500, "systemError", "internal error", request_id);
  }
}

}  // namespace spacestore::api::dingtalk_v1
