#include "server/json_body.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>

namespace spacestore::server {
namespace {

namespace json = boost::json;

Error WrongType(std::string_view key, std::string_view expected) {
  return MakeError(Errc::kInvalidArgument, std::string(key),
                   std::string(key) + " must be " + std::string(expected));
}

const json::value* Find(const json::object& obj, std::string_view key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

// Whether every number in `v` is finite. Boost.JSON reads 1e999 as infinity, which no JSON
// text can carry: serialized again it would come out as "Infinity". The parser's depth limit
// bounds the recursion.
bool AllNumbersFinite(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_:
      return std::isfinite(v.get_double());
    case json::kind::array:
      return std::all_of(v.get_array().begin(), v.get_array().end(), AllNumbersFinite);
    case json::kind::object:
      return std::all_of(
          v.get_object().begin(), v.get_object().end(),
          [](const json::key_value_pair& kv) { return AllNumbersFinite(kv.value()); });
    default:
      return true;
  }
}

}  // namespace

Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) {
    return MakeError(Errc::kInvalidArgument, "", "request body is not valid JSON: " + ec.message());
  }
  if (!value.is_object()) {
    return MakeError(Errc::kInvalidArgument, "", "request body must be a JSON object");
  }
  if (!AllNumbersFinite(value)) {
    return MakeError(Errc::kInvalidArgument, "", "request body holds a number out of range");
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> GetString(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(key, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<int64_t>> GetInt64(const json::object& obj, std::string_view key,
                                        bool numeric_strings) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64()) return WrongType(key, "an integer within int64");
  if (v->is_double()) {
    const double d = v->as_double();
    // Integral doubles (1e3) are accepted; 1.5 is not. The bounds keep the cast defined.
    if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<int64_t>(d)) == d) {
      return std::optional<int64_t>(static_cast<int64_t>(d));
    }
    return WrongType(key, "an integer");
  }
  if (numeric_strings && v->is_string()) {
    const json::string& s = v->as_string();
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
      return std::optional<int64_t>(n);
    }
  }
  return WrongType(key, "an integer");
}

Result<std::optional<bool>> GetBool(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<bool>();
  if (!v->is_bool()) return WrongType(key, "a boolean");
  return std::optional<bool>(v->as_bool());
}

Result<const json::object*> GetObject(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return WrongType(key, "an object");
  return &v->as_object();
}

Result<std::optional<std::vector<std::string>>> GetStringArray(const json::object& obj,
                                                               std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return WrongType(key, "an array of strings");
  std::vector<std::string> out;
  for (const json::value& item : v->as_array()) {
    if (!item.is_string()) return WrongType(key, "an array of strings");
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text,
                                                      std::string_view field) {
  json::parse_options options;
  options.max_depth = 2;  // An array of strings; anything deeper is not one.
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec, {}, options);
  const Error wrong = WrongType(field, R"(a JSON array of strings, e.g. ["a","b"])");
  if (ec || !value.is_array()) return wrong;
  std::vector<std::string> out;
  out.reserve(value.as_array().size());
  for (const json::value& item : value.as_array()) {
    if (!item.is_string()) return wrong;
    out.emplace_back(item.as_string());
  }
  return out;
}

std::string ToJson(const json::value& value) { return json::serialize(value); }

std::string ToJson(const json::object& object) { return json::serialize(object); }

}  // namespace spacestore::server
