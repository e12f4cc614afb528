#include "server/json_writer.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace spacestore::server {
namespace {

// What boost::json::serialize writes for the same document: the reference the writer must match.
std::string Reserialized(const std::string& text) {
  return boost::json::serialize(boost::json::parse(text));
}

TEST(JsonWriterTest, WritesNestedDocumentsCompactly) {
  JsonWriter w(8);  // Small, so the document grows the buffer several times.
  w.BeginObject()
      .Member("name", "a.txt")
      .Member("size", int64_t{42})
      .Member("readOnly", false)
      .Key("list")
      .BeginArray()
      .BeginObject()
      .EndObject()
      .BeginArray()
      .EndArray()
      .Int(-7)
      .String("x")
      .Bool(true)
      .EndArray()
      .Key("nested")
      .BeginObject()
      .Key("deep")
      .BeginObject()
      .Member("k", "v")
      .EndObject()
      .EndObject()
      .EndObject();
  const std::string out = std::move(w).Finish();
  EXPECT_EQ(out, R"({"name":"a.txt","size":42,"readOnly":false,"list":[{},[],-7,"x",true],)"
                 R"("nested":{"deep":{"k":"v"}}})");
  EXPECT_EQ(out, Reserialized(out));
}

TEST(JsonWriterTest, EscapesStringsExactlyAsBoostJson) {
  const std::string samples[] = {
      "plain",
      "quote \" inside",
      "back\\slash",
      "new\nline\ttab\r\b\f",
      std::string("nul\0byte", 8),
      "\x01\x1f control",
      "caf\xc3\xa9 \xe4\xb8\xad",
      "/slash/ stays",
      "\x7f del",
      "",
  };
  for (const auto& s : samples) {
    JsonWriter w(1);
    w.String(s);
    const std::string out = std::move(w).Finish();
    EXPECT_EQ(out, boost::json::serialize(boost::json::string_view(s))) << s;
    EXPECT_EQ(boost::json::parse(out).as_string(), s);
  }
}

TEST(JsonWriterTest, WritesTheWholeInt64Range) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    JsonWriter w(1);
    w.BeginArray().Int(v).EndArray();
    const std::string out = std::move(w).Finish();
    EXPECT_EQ(out, Reserialized(out));
    EXPECT_EQ(boost::json::parse(out).as_array().at(0).to_number<int64_t>(), v);
  }
}

TEST(JsonWriterTest, EscapesKeysToo) {
  // Keys from data (an app id in appProperties) are escaped; literal keys take the unscanned
  // path and must come out the same.
  const std::string key = "app\"id";
  JsonWriter w;
  w.BeginObject().Key(key).String("v").Key(std::string_view("plain")).Int(1);
  w.Member("plain", int64_t{1}).EndObject();
  EXPECT_EQ(std::move(w).Finish(), R"({"app\"id":"v","plain":1,"plain":1})");
}

}  // namespace
}  // namespace spacestore::server
