#include "server/access_log.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(AccessLogTest, SecretLookingQueryValuesAreRedacted) {
  EXPECT_EQ(RedactTarget("/x?access_token=abc&unionId=u1"), "/x?access_token=REDACTED&unionId=u1");
  EXPECT_EQ(RedactTarget("/x?unionId=u1&Signature=abc&uploadKey=k&appSecret=s"),
            "/x?unionId=u1&Signature=REDACTED&uploadKey=REDACTED&appSecret=REDACTED");
  EXPECT_EQ(RedactTarget("/x?AUTHORIZATION=Bearer%20t&flag&x-amz-credential=c"),
            "/x?AUTHORIZATION=REDACTED&flag&x-amz-credential=REDACTED");
  // Names are compared as the server decodes them.
  EXPECT_EQ(RedactTarget("/x?%74oken=abc&%4B%45Y=k&a%=1"),
            "/x?%74oken=REDACTED&%4B%45Y=REDACTED&a%=1");
}

TEST(AccessLogTest, OtherTargetsAreKeptAsSent) {
  for (const char* target : {"/livez", "/x?", "/x?a=1&&b=2", "/v1.0/storage/spaces/1?unionId=u1",
                             "/x?maxResults=50&nextToken=abc"}) {
    EXPECT_EQ(RedactTarget(target), target);
  }
}

}  // namespace
}  // namespace spacestore::server
