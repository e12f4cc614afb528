// KooDrive envelope and error mapping. The vendor documents HTTP 400 for every business error
// and gives no code for authentication or routing failures; docs/api/koodrive.md records the
// choices made here.
#include "api/koodrive/errors.h"

#include "base/ids.h"
#include "domain/store_errors.h"
#include "server/json_body.h"

namespace spacestore::api::koodrive {

server::HttpResponse EnvelopeResponse(int status, int64_t code, std::string_view msg,
                                      boost::json::object&& extra,
                                      const server::HttpRequest& request) {
  boost::json::object body;
  body["code"] = code;
  body["msg"] = msg;
  for (auto& [key, value] : extra) body[key] = std::move(value);
  server::HttpResponse response =
      server::MakeResponse(status, server::ToJson(body), "application/json;charset=UTF-8");
  const auto trace = request.Header("x-traceid");
  response.headers.emplace_back("X-Traceid", trace ? std::string(*trace) : RandomAlnumId(58));
  return response;
}

server::HttpResponse ErrorResponse(const Error& error, const server::HttpRequest& request) {
  auto reply = [&](int status, int64_t code, std::string_view msg) {
    return EnvelopeResponse(status, code, msg, {}, request);
  };
  switch (error.code) {
    case Errc::kInvalidArgument:
    case Errc::kPreconditionFailed:
      return reply(400, kCodeParameterInvalid, "Verify parameters failed. " + error.message);
    case Errc::kNotFound:
      if (error.subject == "space") return reply(400, kCodeSpaceNotFound, "Space not found.");
      if (error.subject == "route") return reply(404, kCodeRouteNotFound, "Not found.");
      return reply(400, kCodeResourceNotFound, "Resource not found.");
    case Errc::kUnauthenticated:
      return reply(401, kCodeUnauthorized, "Unauthorized.");
    case Errc::kPermissionDenied:
      if (error.subject == "disabled") {
        return reply(400, kCodeSpaceNotActivated, "Space is not activated. " + error.message);
      }
      return reply(400, kCodeNoPermission,
                   "No permission to perform operations on space. " + error.message);
    case Errc::kQuotaExceeded:
      return reply(400, kCodeInsufficientSpace, "Insufficient space.");
    case Errc::kAlreadyExists:
    case Errc::kConflict:
      return reply(400, kCodeParameterInvalid, "Verify parameters failed. " + error.message);
    case Errc::kUnavailable:
      if (error.subject == domain::kSubjectStorageFull) {
        return reply(507, kCodeStorageFull, "Insufficient storage.");
      }
      // The vendor documents only 500 for server failures; a 503 tells clients to retry.
      return reply(503, kCodeUnavailable, "Service unavailable.");
    case Errc::kOk:
    case Errc::kInternal:
      break;
  }
  return reply(500, kCodeInternal, "Internal calling error.");
}

server::HttpResponse RejectResponse(int status, const server::HttpRequest& request) {
  if (status >= 500 && status != 501)
    return EnvelopeResponse(500, kCodeInternal, "Internal calling error.", {}, request);
  return EnvelopeResponse(status, kCodeParameterInvalid, "Verify parameters failed.", {}, request);
}

}  // namespace spacestore::api::koodrive
