#include "server/http_message.h"

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

bool ParseTarget(std::string_view target, std::string& path,
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

}  // namespace spacestore::server
