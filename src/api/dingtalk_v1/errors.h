#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "server/http_message.h"

namespace spacestore::api::dingtalk_v1 {

// The DingTalk error body: {"code","message","requestid"} with the status the reference gives.
// The SDK builds err.code, err.statusCode and err.message from exactly these keys.
server::HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                                   std::string_view request_id);

// A domain error in DingTalk terms.
struct MappedError {
  int status = 500;
  std::string code;
};

// Maps a domain error to its DingTalk status and code (one exhaustive switch, errors.cc). Batch
// endpoints put the code in resultItems[].errorCode.
MappedError MapError(const Error& error);

// The error body for a domain error.
server::HttpResponse ErrorResponse(const Error& error, std::string_view request_id);

// 403 for a token that lacks `scope`, with accessdenieddetail.requiredScopes.
server::HttpResponse MissingScopeResponse(std::string_view scope, std::string_view request_id);

// The body for a request the server refused before routing (400, 408, 413, 431, 500).
server::HttpResponse RejectResponse(int status, std::string_view request_id);

}  // namespace spacestore::api::dingtalk_v1
