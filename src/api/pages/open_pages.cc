// The /open/ preview page and the /office/ WebOffice page.
//
// The preview page is rendered on the server: opening it uses the link (OpenService), and the
// answer sets an HttpOnly, SameSite=Strict cookie scoped to /open/{token}/ holding the page's
// session token, which is what /open/{token}/content asks for. So only the browser that
// opened the link can fetch the bytes, and a copied URL (history, a proxy log) gets nothing.
// Text is read on the server and escaped into a <pre>; images and PDFs are fetched by the
// browser from /content. Rejected: a signed content URL in the page, which anyone who saw the
// page's HTML could reuse until it expired.
#include "api/pages/open_pages.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <span>
#include <string>

#include <boost/json/object.hpp>

#include "api/transfer/transfer_api.h"
#include "server/json_body.h"
#include "server/static_assets.h"

namespace spacestore::api::pages {

// The embedded files (cmake/embed_assets.cmake; src/api/CMakeLists.txt).
std::span<const server::StaticAsset> OpenAssets();
std::span<const server::StaticAsset> OfficeAssets();

namespace {

// The pages' policy: the console's strict one, with <embed> of this origin's PDFs (and blob:
// URLs the office page makes) allowed.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; frame-src 'self' blob:; "
    "object-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

constexpr std::string_view kOpenPrefix = "/open/";
constexpr std::string_view kOfficePrefix = "/office/";
constexpr std::string_view kAssets = "_/";
constexpr std::string_view kSessionCookie = "ss_open";
// The most text the preview page shows inline; longer text is cut, with a note.
constexpr int64_t kMaxInlineText = int64_t{1} << 20;
// Tiles of the watermark: enough to cover a large screen at the stylesheet's spacing.
constexpr int kWatermarkTiles = 96;

// What the pages do with a file, by its name.
enum class Kind { kImage, kPdf, kText, kOther };

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Extension(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : Lower(name.substr(dot + 1));
}

Kind KindOf(std::string_view name) {
  const std::string ext = Extension(name);
  if (ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "gif" || ext == "webp" ||
      ext == "bmp") {
    return Kind::kImage;
  }
  if (ext == "pdf") return Kind::kPdf;
  if (domain::OpenService::IsPlainTextName(name)) return Kind::kText;
  return Kind::kOther;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kImage:
      return "image";
    case Kind::kPdf:
      return "pdf";
    case Kind::kText:
      return "text";
    case Kind::kOther:
      break;
  }
  return "other";
}

// The Content-Type content is served with. Never text/html or SVG: a file must not run script
// on this origin.
std::string ContentType(std::string_view name) {
  const std::string ext = Extension(name);
  switch (KindOf(name)) {
    case Kind::kImage:
      return "image/" + std::string(ext == "jpg" ? "jpeg" : ext);
    case Kind::kPdf:
      return "application/pdf";
    case Kind::kText:
      return "text/plain;charset=utf-8";
    case Kind::kOther:
      break;
  }
  return "application/octet-stream";
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatSize(int64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits = {"B", "KB", "MB", "GB", "TB"};
  auto n = static_cast<double>(bytes);
  size_t u = 0;
  while (n >= 1024 && u + 1 < kUnits.size()) {
    n /= 1024;
    ++u;
  }
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), u == 0 ? "%.0f %s" : "%.1f %s", n, kUnits[u]);
  return buf.data();
}

// The embedded page template with each {{name}} replaced.
std::string Render(std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out;
  for (const server::StaticAsset& a : OpenAssets()) {
    if (a.path == "page.html") out = a.content;
  }
  for (const auto& [name, value] : values) {
    const std::string key = "{{" + std::string(name) + "}}";
    for (size_t pos = out.find(key); pos != std::string::npos;
         pos = out.find(key, pos + value.size())) {
      out.replace(pos, key.size(), value);
    }
  }
  return out;
}

// Headers every page answer carries: never cached, never framed, script only from here.
void Harden(server::HttpResponse& r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy", std::string(kPagePolicy));
}

server::HttpResponse Page(int status, std::string html) {
  auto r = server::MakeResponse(status, std::move(html), "text/html;charset=utf-8");
  Harden(r);
  return r;
}

server::HttpResponse ErrorPage(int status, std::string_view title, std::string_view message) {
  return Page(status, Render({{"title", Escape(title)},
                              {"kind", "error"},
                              {"meta", Escape(message)},
                              {"body", ""},
                              {"watermark", ""}}));
}

// The preview page's answer to an error of OpenService.
server::HttpResponse PreviewError(const Error& e) {
  switch (e.code) {
    case Errc::kNotFound:
      if (e.subject == "link") return ErrorPage(404, "Link not found", "No such link.");
      return ErrorPage(404, "File not found", "The file or its version no longer exists.");
    case Errc::kPreconditionFailed:
      return ErrorPage(410, "Link no longer valid",
                       e.message + ". Ask for a new link (GetDentryOpenInfo).");
    case Errc::kUnauthenticated:
      return ErrorPage(401, "Login required",
                       "This link needs a console login (/console/) as a user who may read "
                       "the file.");
    case Errc::kPermissionDenied:
      return ErrorPage(403, "Not allowed", "You may not read this file.");
    case Errc::kUnavailable:
      return ErrorPage(503, "Try again", "The store is busy; try again shortly.");
    default:
      return ErrorPage(500, "Error", "Something went wrong.");
  }
}

server::HttpResponse JsonError(int status, std::string_view code, std::string_view message) {
  boost::json::object body;
  body["code"] = code;
  body["message"] = message;
  auto r = server::MakeResponse(status, server::ToJson(body));
  Harden(r);
  return r;
}

server::HttpResponse OfficeError(const Error& e) {
  switch (e.code) {
    case Errc::kUnauthenticated:
      return JsonError(401, "tokenExpired", e.message);
    case Errc::kPermissionDenied:
      return JsonError(403, "permissionDenied", e.message);
    case Errc::kNotFound:
      return JsonError(404, e.subject + "NotExist", e.message);
    case Errc::kInvalidArgument:
      return JsonError(400, "paramError", e.message);
    case Errc::kQuotaExceeded:
      return JsonError(403, "quotaExceeded", e.message);
    case Errc::kConflict:
    case Errc::kAlreadyExists:
      return JsonError(409, "conflict", e.message);
    case Errc::kUnavailable:
      return JsonError(503, "operationTimeout", e.message);
    default:
      return JsonError(500, "systemError", "internal error");
  }
}

// The value of cookie `name` in the request's Cookie header, or empty.
std::string_view CookieValue(const server::HttpRequest& request, std::string_view name) {
  std::string_view header = request.Header("cookie").value_or("");
  while (!header.empty()) {
    const size_t end = std::min(header.find(';'), header.size());
    std::string_view pair = header.substr(0, end);
    header.remove_prefix(std::min(end + 1, header.size()));
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

// A token as the pages take it: 64 lower-case hex digits.
bool IsToken(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

OpenPages::OpenPages(domain::OpenService& open, domain::TransferService& transfers,
                     ConsoleSession console_session)
    : open_(open),
      transfers_(transfers),
      console_session_(std::move(console_session)),
      open_assets_(OpenAssets(), {.prefix = "/open/_/",
                                  .index = "preview.css",
                                  .content_security_policy = std::string(kPagePolicy)}),
      office_assets_(OfficeAssets(), {.prefix = "/office/_/",
                                      .index = "office.html",
                                      .content_security_policy = std::string(kPagePolicy)}) {}

bool OpenPages::Serves(std::string_view path) {
  return path.starts_with(kOpenPrefix) || path.starts_with(kOfficePrefix);
}

std::string_view OpenPages::Route(std::string_view path) {
  if (path.starts_with("/open/_/")) return "/open/_/{file}";
  if (path.starts_with("/office/_/")) return "/office/_/{file}";
  if (path.starts_with("/office/api/")) return "/office/api/{what}";
  if (path.starts_with(kOfficePrefix)) return "/office/{spaceId}/{dentryId}";
  if (path.ends_with("/content")) return "/open/{token}/content";
  if (path.starts_with(kOpenPrefix)) return "/open/{token}";
  return {};
}

server::HttpResponse OpenPages::Handle(const server::HttpRequest& request) const {
  std::string_view path = request.path;
  if (path.starts_with(kOfficePrefix)) {
    path.remove_prefix(kOfficePrefix.size());
    if (path.starts_with("api/")) return OfficeApi(request, path.substr(4));
    if (request.method != "GET") return JsonError(405, "methodNotAllowed", "GET only");
    if (path.starts_with(kAssets)) return *office_assets_.Serve(request);
    // /office/{spaceId}/{dentryId}: the page is the same for every file; its token says which.
    const size_t slash = path.find('/');
    if (slash == 0 || slash == std::string_view::npos || slash + 1 == path.size() ||
        path.find('/', slash + 1) != std::string_view::npos) {
      return JsonError(404, "notFound", "no such page");
    }
    auto page = office_assets_.Respond(*office_assets_.Find("office.html"), request);
    page.headers.emplace_back("Referrer-Policy", "no-referrer");
    return page;
  }
  path.remove_prefix(kOpenPrefix.size());
  if (request.method != "GET" && request.method != "HEAD") {
    return ErrorPage(405, "Not allowed", "Only GET.");
  }
  if (path.starts_with(kAssets)) return *open_assets_.Serve(request);
  if (path.ends_with("/content")) {
    const std::string_view token = path.substr(0, path.size() - 8);
    if (!IsToken(token)) return ErrorPage(404, "Link not found", "No such link.");
    return PreviewContent(request, token);
  }
  if (!IsToken(path)) return ErrorPage(404, "Link not found", "No such link.");
  return Preview(request, path);
}

server::HttpResponse OpenPages::Preview(const server::HttpRequest& request,
                                        std::string_view token) const {
  std::optional<domain::Actor> viewer;
  if (console_session_) viewer = console_session_(request);
  auto page = open_.OpenPreview(token, viewer);
  if (!page) return PreviewError(page.error());
  const domain::Dentry& file = page->file;
  const Kind kind = KindOf(file.name);
  const std::string content = "/open/" + std::string(token) + "/content";
  std::string body;
  switch (kind) {
    case Kind::kImage:
      body = R"(<img id="content" src=")" + content + R"(" alt=")" + Escape(file.name) + "\">";
      break;
    case Kind::kPdf:
      body = R"(<embed id="content" type="application/pdf" src=")" + content + "\">";
      break;
    case Kind::kText: {
      auto grant = open_.PreviewContent(token, page->session_token);
      if (!grant) return PreviewError(grant.error());
      auto download = transfers_.OpenDownload(*grant);
      if (!download) return PreviewError(download.error());
      const int64_t n = std::min(download->size, kMaxInlineText);
      std::string text(static_cast<size_t>(n), '\0');
      auto read = download->reader->ReadAt(0, text.data(), text.size());
      if (!read) return PreviewError(read.error());
      text.resize(*read);
      body = "<pre id=\"content\">" + Escape(text) + "</pre>";
      if (download->size > n) {
        body += "<p class=\"meta\">Only the first " + FormatSize(n) + " are shown. <a href=\"" +
                content + "?download=1\">Download</a></p>";
      }
      break;
    }
    case Kind::kOther:
      body = R"(<div class="card"><div class="name">)" + Escape(file.name) +
             "</div><div class=\"size\">" + FormatSize(file.size) + "</div><a id=\"download\" " +
             R"(class="button" href=")" + content + "?download=1\">Download</a></div>";
      break;
  }
  std::string watermark;
  if (page->water_mark) {
    const std::string name = Escape(page->viewer_name);
    watermark =
        R"(<div id="watermark" class="watermark" aria-hidden="true" data-viewer=")" + name + "\">";
    for (int i = 0; i < kWatermarkTiles; ++i) watermark += "<span>" + name + "</span>";
    watermark += "</div>";
  }
  auto response = Page(
      200,
      Render({{"title", Escape(file.name)},
              {"kind", KindName(kind)},
              {"meta", "version " + std::to_string(file.version) + " · " + FormatSize(file.size)},
              {"body", body},
              {"watermark", watermark}}));
  response.headers.emplace_back(
      "Set-Cookie", std::string(kSessionCookie) + "=" + page->session_token + "; Path=/open/" +
                        std::string(token) + "/; HttpOnly; SameSite=Strict");
  return response;
}

server::HttpResponse OpenPages::PreviewContent(const server::HttpRequest& request,
                                               std::string_view token) const {
  auto grant = open_.PreviewContent(token, CookieValue(request, kSessionCookie));
  if (!grant) return PreviewError(grant.error());
  return Content(request, *grant, request.Query("download").has_value());
}

server::HttpResponse OpenPages::Content(const server::HttpRequest& request,
                                        const domain::TransferGrant& grant, bool download) const {
  auto file = transfers_.OpenDownload(grant);
  if (!file) return PreviewError(file.error());
  const std::string type = ContentType(file->name);
  auto response = transfer::DownloadResponse(std::move(*file), request,
                                             download ? "attachment" : "inline", type);
  Harden(response);
  return response;
}

server::HttpResponse OpenPages::OfficeApi(const server::HttpRequest& request,
                                          std::string_view what) const {
  const std::string_view auth = request.Header("authorization").value_or("");
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth.starts_with(kBearer)) {
    return JsonError(401, "tokenExpired",
                     "an Authorization: Bearer <webOfficeAccessToken> is required");
  }
  const std::string_view token = auth.substr(kBearer.size());
  if (what == "file" && request.method == "GET") {
    auto session = open_.Office(token);
    if (!session) return OfficeError(session.error());
    boost::json::object body;
    body["spaceId"] = session->file.space_id;
    body["dentryId"] = session->file.id;
    body["name"] = session->file.name;
    body["size"] = session->file.size;
    body["version"] = session->file.version;
    body["kind"] = KindName(KindOf(session->file.name));
    body["canEdit"] = session->can_edit;
    body["expireTime"] = session->expire_time;
    auto r = server::MakeResponse(200, server::ToJson(body));
    Harden(r);
    return r;
  }
  if (what == "file" && request.method == "PUT") {
    auto saved = open_.SaveOffice(token, request.body);
    if (!saved) return OfficeError(saved.error());
    boost::json::object body;
    body["version"] = saved->version;
    body["size"] = saved->size;
    auto r = server::MakeResponse(200, server::ToJson(body));
    Harden(r);
    return r;
  }
  if (what == "content" && request.method == "GET") {
    auto grant = open_.OfficeContent(token);
    if (!grant) return OfficeError(grant.error());
    auto file = transfers_.OpenDownload(*grant);
    if (!file) return OfficeError(file.error());
    const std::string type = ContentType(file->name);
    auto response = transfer::DownloadResponse(std::move(*file), request, "inline", type);
    Harden(response);
    return response;
  }
  return JsonError(404, "notFound", "no such office endpoint");
}

}  // namespace spacestore::api::pages
