#include "server/json_body.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(JsonBodyTest, EmptyBodyIsEmptyObject) {
  auto o = ParseJsonObject("");
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->empty());
}

TEST(JsonBodyTest, RejectsMalformedAndNonObjects) {
  EXPECT_FALSE(ParseJsonObject("{\"a\":"));
  EXPECT_FALSE(ParseJsonObject("[1,2]"));
  EXPECT_FALSE(ParseJsonObject("\"x\""));
  EXPECT_FALSE(ParseJsonObject(std::string(100, '[') + std::string(100, ']')));
}

// Found by json_body_fuzz: 1e999 parses as infinity, which would serialize as "Infinity".
TEST(JsonBodyTest, RejectsNumbersOutOfRange) {
  for (const char* body : {R"({"size":1e999})", R"({"a":[1,{"b":-1E5808}]})"}) {
    auto r = ParseJsonObject(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  }
  EXPECT_TRUE(ParseJsonObject(R"({"a":1.5e300,"b":-0.0})"));
}

TEST(JsonBodyTest, TypedGettersNameTheField) {
  auto o = ParseJsonObject(R"({"s":"x","n":5,"d":2.0,"b":true,"z":null,"q":"12"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(GetString(*o, "s").value(), "x");
  EXPECT_EQ(GetInt64(*o, "n").value(), 5);
  EXPECT_EQ(GetInt64(*o, "d").value(), 2);
  EXPECT_EQ(GetBool(*o, "b").value(), true);
  EXPECT_FALSE(GetString(*o, "z").value().has_value());
  EXPECT_FALSE(GetString(*o, "missing").value().has_value());
  auto wrong = GetInt64(*o, "s");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().subject, "s");
  EXPECT_FALSE(GetInt64(*o, "q"));
  EXPECT_EQ(GetInt64(*o, "q", true).value(), 12);
  EXPECT_FALSE(GetObject(*o, "s"));
  EXPECT_FALSE(GetStringArray(*o, "n"));
}

TEST(JsonBodyTest, StringArrayFromText) {
  EXPECT_EQ(ParseJsonStringArray(R"(["a","b"])", "ids").value(),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ParseJsonStringArray(R"( [ "\u0041" ] )", "ids").value(),
            std::vector<std::string>{"A"});
  EXPECT_TRUE(ParseJsonStringArray("[]", "ids").value().empty());
  for (const char* text : {"", "[", R"(["a",)", "a,b", R"("a")", R"({"a":1})", "[1]",
                           R"(["a",null])", R"([["a"]])", "null", R"(["a"] x)"}) {
    auto r = ParseJsonStringArray(text, "ids");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << text;
    EXPECT_EQ(r.error().subject, "ids") << text;
  }
}

}  // namespace
}  // namespace spacestore::server
