#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "base/result.h"

namespace spacestore::server {

// Bounded JSON parsing of request bodies and typed access to their fields. Every failure is
// kInvalidArgument whose subject names the offending field (empty for the body as a whole), so
// a dialect can turn it into its "bad parameter" error. Free functions; thread-safe.

// Parses `body` as a JSON object. An empty body counts as {} (several DingTalk POSTs send
// none). Depth is limited so hostile nesting cannot exhaust the stack.
Result<boost::json::object> ParseJsonObject(std::string_view body);

// Optional-field readers: absent and null give nullopt; a present value of the wrong JSON type
// is an error. With `numeric_strings`, GetInt64 also accepts "123" (KooDrive clients send both).
Result<std::optional<std::string>> GetString(const boost::json::object& obj, std::string_view key);
Result<std::optional<int64_t>> GetInt64(const boost::json::object& obj, std::string_view key,
                                        bool numeric_strings = false);
Result<std::optional<bool>> GetBool(const boost::json::object& obj, std::string_view key);
// A nested object, or nullptr when absent or null.
Result<const boost::json::object*> GetObject(const boost::json::object& obj, std::string_view key);
Result<std::optional<std::vector<std::string>>> GetStringArray(const boost::json::object& obj,
                                                               std::string_view key);

// A JSON array of strings given as text rather than in a body (DingTalk's BatchQueryRoles
// sends dentryIdList=["a","b"] in the query): the strings, in order. kInvalidArgument with
// subject `field` unless `text` is exactly such an array; nesting is refused by the parser.
Result<std::vector<std::string>> ParseJsonStringArray(std::string_view text,
                                                      std::string_view field);

// Serializes JSON compactly. The object overload matters: converting an object to a value
// would copy all of it first.
std::string ToJson(const boost::json::value& value);
std::string ToJson(const boost::json::object& object);

}  // namespace spacestore::server
