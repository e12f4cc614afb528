#include "server/http_message.h"

#include <array>
#include <charconv>

#include <boost/beast/http/status.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace spacestore::server {

std::optional<std::string_view> HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

namespace {

HttpRequest::SingleField FindSingle(const std::vector<std::pair<std::string, std::string>>& fields,
                                    std::string_view name) {
  HttpRequest::SingleField found;
  for (const auto& [k, v] : fields) {
    if (k != name) continue;
    if (found.count != HttpRequest::SingleField::Count::kAbsent) {
      return {HttpRequest::SingleField::Count::kRepeated, {}};
    }
    found = {HttpRequest::SingleField::Count::kOnce, v};
  }
  return found;
}

}  // namespace

HttpRequest::SingleField HttpRequest::SingleHeader(std::string_view lower_name) const {
  return FindSingle(headers, lower_name);
}

HttpRequest::SingleField HttpRequest::SingleQuery(std::string_view name) const {
  return FindSingle(query, name);
}

bool IsBlank(std::string_view value) {
  return value.find_first_not_of(" \t") == std::string_view::npos;
}

namespace {

// Bytes of an origin-form target (RFC 3986 pchar, '/' and '?') that decode to themselves:
// everything allowed but '%' (an escape) and '+' (a space in query values).
constexpr bool IsPlain(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':  // sub-delims
    case '*':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
      return true;
    default:
      return false;
  }
}

// The usual target, "/a/b?k=v&k2" of plain bytes only, split without Boost.URL: nothing to
// decode, so path and pairs are slices of the target. False when the target needs the
// general parser (then nothing is written). request_target_fuzz checks the two agree.
bool ParsePlainTarget(std::string_view target, std::string& path,
                      std::vector<std::pair<std::string, std::string>>& query) {
  if (target.empty() || target.front() != '/') return false;
  for (const char c : target) {
    if (!IsPlain(static_cast<unsigned char>(c))) return false;
  }
  const size_t mark = target.find('?');
  if (mark != std::string_view::npos && mark + 1 == target.size()) return false;  // "?": rare.
  path.assign(target.substr(0, mark));
  query.clear();
  if (mark == std::string_view::npos) return true;
  std::string_view rest = target.substr(mark + 1);
  while (true) {
    const size_t amp = rest.find('&');
    const std::string_view param = rest.substr(0, amp);
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos) {
      query.emplace_back(param, std::string());
    } else {
      query.emplace_back(param.substr(0, eq), param.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

}  // namespace

bool ParseTargetGeneral(std::string_view target, std::string& path,
                        std::vector<std::pair<std::string, std::string>>& query) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  path = url->path();  // Decoded.
  query.clear();
  for (const auto& param : url->params()) {
    // params() decodes, and treats '+' in values as a space as HTML forms and querystring do.
    query.emplace_back(param.key, param.has_value ? param.value : std::string());
  }
  return true;
}

std::string ResponseHead(const HttpResponse& response, std::string_view request_id, bool keep_alive,
                         size_t content_length) {
  namespace http = boost::beast::http;
  const auto reason =
      http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  std::array<char, 24> length;
  const auto length_end =
      std::to_chars(length.data(), length.data() + length.size(), content_length).ptr;
  std::string head;
  head.reserve(160 + response.content_type.size() + request_id.size());
  const auto line = [&head](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  head.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
  head.append(reason.data(), reason.size()).append("\r\n");
  line("Server", "spacestore");
  line("Content-Type", response.content_type);
  line("x-acs-request-id", request_id);
  for (const auto& [name, value] : response.headers) line(name, value);
  if (!keep_alive) line("Connection", "close");
  line("Content-Length",
       std::string_view(length.data(), static_cast<size_t>(length_end - length.data())));
  head.append("\r\n");
  return head;
}

bool ParseTarget(std::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query) {
  return ParsePlainTarget(target, path, query) || ParseTargetGeneral(target, path, query);
}

}  // namespace spacestore::server
