// Request bodies: ParseJsonObject and the typed field readers never crash, and a body that
// parses survives a serialize/parse round trip: the same values, doubles to within rounding
// (Boost.JSON 1.81 does not parse every decimal to the nearest double, so 1.5e200 can come
// back one unit in the last place away). The same bytes are also read as a JSON-encoded list
// of strings (ParseJsonStringArray), which must round-trip the same way.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "fuzz_check.h"
#include "server/json_body.h"

namespace {

bool Same(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    return x == y || std::abs(x - y) <= 1e-15 * std::max(std::abs(x), std::abs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& p = a.get_array();
    const auto& q = b.get_array();
    return p.size() == q.size() && std::equal(p.begin(), p.end(), q.begin(), Same);
  }
  if (a.is_object()) {
    const auto& p = a.get_object();
    const auto& q = b.get_object();
    return p.size() == q.size() && std::all_of(p.begin(), p.end(), [&](const auto& kv) {
             const auto it = q.find(kv.key());
             return it != q.end() && Same(kv.value(), it->value());
           });
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = spacestore::server;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // The same bytes as a query's JSON-encoded list (BatchQueryRoles' dentryIdList): either
  // refused or an array of strings that serializes and parses back to itself.
  if (auto list = server::ParseJsonStringArray(body, "list")) {
    boost::json::array array;
    for (const auto& s : *list) array.emplace_back(s);
    auto again = server::ParseJsonStringArray(boost::json::serialize(array), "list");
    FUZZ_CHECK(again && *again == *list);
  }
  auto object = server::ParseJsonObject(body);
  if (!object) return 0;
  for (const auto& member : *object) {
    (void)server::GetString(*object, member.key());
    (void)server::GetInt64(*object, member.key());
    (void)server::GetInt64(*object, member.key(), /*numeric_strings=*/true);
    (void)server::GetBool(*object, member.key());
    (void)server::GetObject(*object, member.key());
    (void)server::GetStringArray(*object, member.key());
  }
  auto again = server::ParseJsonObject(server::ToJson(*object));
  FUZZ_CHECK(again);
  FUZZ_CHECK(Same(boost::json::value(*again), boost::json::value(*object)));
  return 0;
}
