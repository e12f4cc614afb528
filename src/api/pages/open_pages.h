#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "domain/identity.h"
#include "domain/open_service.h"
#include "domain/transfer_service.h"
#include "server/http_message.h"
#include "server/static_assets.h"

namespace spacestore::api::pages {

// Who is logged in to the console on a request (its session cookie), or nullopt.
using ConsoleSession = std::function<std::optional<domain::Actor>(const server::HttpRequest&)>;

// OpenPages serves the pages behind open links, rendered by the server from files compiled
// into the binary (assets/, cmake/embed_assets.cmake, served by server::StaticAssets):
//   GET /open/{token}            the preview page of one file version (uses a single-use link)
//   GET /open/{token}/content    its bytes (Range), for the holder of the page's cookie only
//   GET /open/_/{file}           the page's stylesheet
//   GET /office/{space}/{dentry} the WebOffice page (the token is in the URL fragment)
//   GET /office/api/file         what the page shows: name, size, version, kind, canEdit
//   GET /office/api/content      the latest version's bytes
//   PUT /office/api/file         saves the body (plain text) as the next version
//   GET /office/_/{file}         the page's script and stylesheet
// /office/api/ takes the access token as "Authorization: Bearer <token>" and answers JSON
// {"code","message"}; 401 once the token is unknown, rotated or expired. docs/open-links.md.
// Thread-safety: thread-safe. Borrows the services.
class OpenPages {
 public:
  OpenPages(domain::OpenService& open, domain::TransferService& transfers,
            ConsoleSession console_session);

  // Whether `path` is one of these pages'.
  static bool Serves(std::string_view path);
  server::HttpResponse Handle(const server::HttpRequest& request) const;
  // The route template of `path`, for metrics (a string literal); empty if none.
  static std::string_view Route(std::string_view path);

 private:
  server::HttpResponse Preview(const server::HttpRequest& request, std::string_view token) const;
  server::HttpResponse PreviewContent(const server::HttpRequest& request,
                                      std::string_view token) const;
  server::HttpResponse OfficeApi(const server::HttpRequest& request, std::string_view what) const;
  // The response streaming the content of `grant`.
  server::HttpResponse Content(const server::HttpRequest& request,
                               const domain::TransferGrant& grant, bool download) const;

  domain::OpenService& open_;
  domain::TransferService& transfers_;
  ConsoleSession console_session_;
  server::StaticAssets open_assets_;    // /open/_/: the preview page's stylesheet.
  server::StaticAssets office_assets_;  // /office/_/: the office page, script and stylesheet.
};

}  // namespace spacestore::api::pages
