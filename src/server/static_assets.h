#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace spacestore::server {

// A file compiled into the binary (cmake/embed_assets.cmake generates the table). Points at
// static storage; plain data.
struct StaticAsset {
  std::string_view path;     // Relative to its URL prefix, e.g. "index.html", "js/app.js".
  std::string_view content;  // The file's bytes.
  std::string_view etag;     // A quoted strong validator: the content's SHA-256, shortened.
};

// StaticAssets serves a fixed set of embedded files under a URL prefix, the way a page that
// ships with the binary needs: the content type from the extension, a strict
// Content-Security-Policy, `Cache-Control: no-cache` with an ETag (the browser revalidates on
// each load and gets 304 when the build did not change the file, so a new binary never runs
// stale scripts), nosniff, no referrer and no framing by other origins.
//
// Used by the web console (/console/) and by the pages other features render from files
// (their own prefix and asset table); docs/console.md lists the headers.
//
// Thread-safety: immutable after construction; safe for concurrent use.
class StaticAssets {
 public:
  struct Options {
    // The URL prefix, with its trailing slash, e.g. "/console/".
    std::string prefix;
    // What the bare prefix serves. Default: "index.html".
    std::string index = "index.html";
    // The Content-Security-Policy of every response. Default: kStrictPolicy.
    std::string content_security_policy = std::string(kStrictPolicy);
  };

  // Same-origin scripts, styles, fetches and frames only; images and frames also from blob:
  // URLs (previews made in the page); no inline script or style, no plugins, no <base>, forms
  // only to this origin, never framed by another origin.
  static constexpr std::string_view kStrictPolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
      "media-src 'self' blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

  StaticAssets(std::span<const StaticAsset> assets, Options options);

  // The asset at `path` relative to the prefix ("" is the index), or null.
  const StaticAsset* Find(std::string_view relative_path) const;

  // The answer to a GET or HEAD of `request.path` under the prefix: 200 with the asset, 304
  // when If-None-Match names its ETag, 404 (plain text) for a path with no asset, 405 for
  // another method. nullopt when the path is not under the prefix at all.
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

  // The response for `asset` (200, or 304 by If-None-Match) with every header above: for a
  // caller that maps its own paths to assets (e.g. every /open/{token} to one page).
  HttpResponse Respond(const StaticAsset& asset, const HttpRequest& request) const;

  // The content type of a file by its extension ("application/octet-stream" when unknown).
  static std::string_view ContentType(std::string_view path);

 private:
  std::span<const StaticAsset> assets_;
  Options options_;
};

}  // namespace spacestore::server
