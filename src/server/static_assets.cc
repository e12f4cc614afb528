// StaticAssets: embedded files answered with the headers a page needs. The table is sorted by
// nothing in particular and small (a handful of files), so a linear search beats a map.
#include "server/static_assets.h"

#include <algorithm>
#include <array>
#include <utility>

namespace spacestore::server {
namespace {

HttpResponse Plain(int status, std::string body) {
  return MakeResponse(status, std::move(body), "text/plain;charset=utf-8");
}

// True if an If-None-Match value names `etag` (a list, or "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    const size_t comma = std::min(if_none_match.find(','), if_none_match.size());
    std::string_view item = if_none_match.substr(0, comma);
    if_none_match.remove_prefix(std::min(comma + 1, if_none_match.size()));
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
  }
  return false;
}

}  // namespace

StaticAssets::StaticAssets(std::span<const StaticAsset> assets, Options options)
    : assets_(assets), options_(std::move(options)) {}

std::string_view StaticAssets::ContentType(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
      {".html", "text/html;charset=utf-8"},
      {".js", "text/javascript;charset=utf-8"},
      {".css", "text/css;charset=utf-8"},
      {".json", "application/json;charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain;charset=utf-8"},
      {".woff2", "font/woff2"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".map", "application/json;charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

const StaticAsset* StaticAssets::Find(std::string_view relative_path) const {
  if (relative_path.empty()) relative_path = options_.index;
  for (const StaticAsset& asset : assets_) {
    if (asset.path == relative_path) return &asset;
  }
  return nullptr;
}

HttpResponse StaticAssets::Respond(const StaticAsset& asset, const HttpRequest& request) const {
  HttpResponse response;
  const auto if_none_match = request.Header("if-none-match");
  if (if_none_match && Matches(*if_none_match, asset.etag)) {
    response.status = 304;
    response.content_type = std::string(ContentType(asset.path));
  } else {
    response =
        MakeResponse(200, request.method == "HEAD" ? std::string() : std::string(asset.content),
                     std::string(ContentType(asset.path)));
  }
  response.headers = {
      {"Cache-Control", "no-cache"},
      {"ETag", std::string(asset.etag)},
      {"Content-Security-Policy", options_.content_security_policy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "SAMEORIGIN"},
  };
  return response;
}

std::optional<HttpResponse> StaticAssets::Serve(const HttpRequest& request) const {
  if (!request.path.starts_with(options_.prefix)) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse refusal = Plain(405, "method not allowed\n");
    refusal.headers = {{"Allow", "GET, HEAD"}};
    return refusal;
  }
  const StaticAsset* asset = Find(std::string_view(request.path).substr(options_.prefix.size()));
  if (asset == nullptr) return Plain(404, "not found\n");
  return Respond(*asset, request);
}

}  // namespace spacestore::server
