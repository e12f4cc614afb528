#pragma once

#include <array>
#include <span>
#include <string_view>

#include "server/http_message.h"

namespace spacestore::server {

// A static file compiled into the binary (cmake/embed_files.cmake): its path relative to the
// folder it was embedded from, and its bytes. Plain data with static storage; thread-safe.
struct EmbeddedFile {
  std::string_view path;
  std::string_view bytes;
};

// The file of `files` at `path`, or nullptr.
inline const EmbeddedFile* FindEmbedded(std::span<const EmbeddedFile> files,
                                        std::string_view path) {
  for (const EmbeddedFile& f : files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

// The Content-Type of a static file by its extension (html, css, js, json, svg, png, ico);
// application/octet-stream otherwise.
inline const char* StaticContentType(std::string_view path) {
  struct Type {
    std::string_view ext;
    const char* type;
  };
  static constexpr std::array<Type, 7> kTypes = {{{".html", "text/html;charset=utf-8"},
                                                  {".css", "text/css;charset=utf-8"},
                                                  {".js", "text/javascript;charset=utf-8"},
                                                  {".json", "application/json;charset=utf-8"},
                                                  {".svg", "image/svg+xml"},
                                                  {".png", "image/png"},
                                                  {".ico", "image/x-icon"}}};
  for (const Type& t : kTypes) {
    if (path.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

// A 200 answer with the file's bytes, its Content-Type and a short cache lifetime (the files
// change only with the binary).
inline HttpResponse ServeEmbedded(const EmbeddedFile& file) {
  HttpResponse r = MakeResponse(200, std::string(file.bytes), StaticContentType(file.path));
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace spacestore::server
