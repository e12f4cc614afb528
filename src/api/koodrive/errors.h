#pragma once

#include <cstdint>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "server/http_message.h"

namespace spacestore::api::koodrive {

// KooDrive result codes: the vendor's documented ones plus our 13009xxx block for cases its
// documents never cover (docs/api/koodrive.md).
inline constexpr int64_t kCodeParameterInvalid = 13000102;
inline constexpr int64_t kCodeInternal = 13000201;
inline constexpr int64_t kCodeSpaceNotFound = 13000301;
inline constexpr int64_t kCodeResourceNotFound = 13000309;
inline constexpr int64_t kCodeInsufficientSpace = 13000311;
inline constexpr int64_t kCodeNoPermission = 13000410;
inline constexpr int64_t kCodeSpaceNotActivated = 13000412;
inline constexpr int64_t kCodeUnauthorized = 13009401;
inline constexpr int64_t kCodeRouteNotFound = 13009404;
inline constexpr int64_t kCodeMethodNotAllowed = 13009405;
// Local codes for a store that is down (503) or full (507), in the 13009<status> style above.
inline constexpr int64_t kCodeUnavailable = 13009503;
inline constexpr int64_t kCodeStorageFull = 13009507;

// The envelope {"code":<int>,"msg":<string>} plus `extra` keys, with the request's trace id
// echoed as X-Traceid.
server::HttpResponse EnvelopeResponse(int status, int64_t code, std::string_view msg,
                                      boost::json::object&& extra,
                                      const server::HttpRequest& request);

// Maps a domain error to its KooDrive status and code (one exhaustive switch).
server::HttpResponse ErrorResponse(const Error& error, const server::HttpRequest& request);

// The body for a request refused before routing.
server::HttpResponse RejectResponse(int status, const server::HttpRequest& request);

}  // namespace spacestore::api::koodrive
