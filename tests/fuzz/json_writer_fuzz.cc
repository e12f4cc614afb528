// JsonWriter against boost::json::serialize: the same values give the same bytes, whatever
// the strings hold (quotes, backslashes, control characters, invalid UTF-8).
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "fuzz_check.h"
#include "server/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int64_t number = 0;
  std::memcpy(&number, data, size < sizeof number ? size : sizeof number);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view key = text.substr(0, text.size() / 2);

  spacestore::server::JsonWriter w(1);
  w.BeginArray().String(text).Int(number).Bool(size % 2 == 0);
  w.BeginObject().Key(key).String(text).EndObject();
  w.BeginArray().EndArray().EndArray();
  const std::string written = std::move(w).Finish();

  boost::json::object member;
  member[key] = text;
  const boost::json::array tree{boost::json::string_view(text), number, size % 2 == 0,
                                std::move(member), boost::json::array{}};
  FUZZ_CHECK(written == boost::json::serialize(tree));
  return 0;
}
