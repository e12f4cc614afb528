#include "server/router.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(RouterTest, MatchesTemplatesAndCapturesParams) {
  Router<int> r;
  r.Add("GET", "/spaces/{spaceId}", 1);
  r.Add("GET", "/spaces/{spaceId}/dentries/{dentryId}", 2);
  auto m = r.Find("GET", "/spaces/42/dentries/7");
  ASSERT_EQ(m.outcome, Router<int>::Outcome::kMatched);
  EXPECT_EQ(*m.value, 2);
  EXPECT_EQ(m.Param("spaceId"), "42");
  EXPECT_EQ(m.Param("dentryId"), "7");
}

TEST(RouterTest, AMatchNamesItsTemplateNeverThePath) {
  Router<int> r;
  r.Add("GET", "/spaces/{spaceId}", 1);
  EXPECT_EQ(r.Find("GET", "/spaces/42").route, "/spaces/{spaceId}");
  EXPECT_EQ(r.Find("DELETE", "/spaces/42").route, "/spaces/{spaceId}");  // 405: same shape.
  EXPECT_EQ(r.Find("GET", "/elsewhere").route, "");
}

TEST(RouterTest, LiteralSegmentsWinOverParams) {
  Router<int> r;
  r.Add("GET", "/space/{ownerId}", 1);
  r.Add("GET", "/space/batchGetSpace", 2);
  EXPECT_EQ(*r.Find("GET", "/space/batchGetSpace").value, 2);
  EXPECT_EQ(*r.Find("GET", "/space/u1").value, 1);
}

TEST(RouterTest, ALiteralPathWithAnotherMethodIsNotAParam) {
  Router<int> r;
  r.Add("GET", "/space/batchGetSpace", 1);
  r.Add("POST", "/space/{ownerId}", 2);
  EXPECT_EQ(r.Find("POST", "/space/batchGetSpace").outcome,
            Router<int>::Outcome::kMethodNotAllowed);
  EXPECT_EQ(*r.Find("POST", "/space/u1").value, 2);
}

TEST(RouterTest, DistinguishesNotFoundFromWrongMethod) {
  Router<int> r;
  r.Add("GET", "/spaces/{id}", 1);
  EXPECT_EQ(r.Find("DELETE", "/spaces/1").outcome, Router<int>::Outcome::kMethodNotAllowed);
  EXPECT_EQ(r.Find("GET", "/spaces/1/x").outcome, Router<int>::Outcome::kNotFound);
  EXPECT_EQ(r.Find("GET", "/").outcome, Router<int>::Outcome::kNotFound);
}

}  // namespace
}  // namespace spacestore::server
