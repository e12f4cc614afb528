// Request bodies: ParseJsonObject and the typed field readers never crash, and a body that
// parses survives a serialize/parse round trip unchanged.
#include <cstdint>
#include <string_view>

#include <boost/json/object.hpp>

#include "fuzz_check.h"
#include "server/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = spacestore::server;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
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
  FUZZ_CHECK(*again == *object);
  return 0;
}
