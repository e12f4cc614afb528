// GetDentryThumbnails, withThumbnail on the reads and the signed thumbnail URL, on images made
// in the test (docs/api/dingtalk-v1.md, "Thumbnails").
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/api_test_stack.h"
#include "storage/thumbnail/thumbnail_test_images.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;
namespace images = storage::testimages;

const Headers kToken = {{"x-acs-dingtalk-access-token", "{token}"}};
const std::string kSpace = "/v1.0/storage/spaces/{space}";

class DingTalkThumbnailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Seed();
    stack_.Set("png", stack_.AddFile("photo.png", images::Png(640, 480, false)));
  }

  // Sends a DingTalk request; returns status and parsed body.
  std::pair<int, json::value> Call(std::string_view method, const std::string& target,
                                   std::string_view body = "") {
    const auto response = stack_.Send(stack_.Request(method, target, kToken, body));
    json::value reply;
    if (!response.body.empty()) reply = json::parse(response.body);
    return {response.status, reply};
  }

  json::value Query(const std::string& ids) {
    auto [status, reply] =
        Call("POST", kSpace + "/thumbnails/query?unionId={union}", R"({"dentryIds":)" + ids + "}");
    EXPECT_EQ(status, 200) << json::serialize(reply);
    return reply;
  }

  // The errorCode of the only item of a query for `id`.
  std::string ItemError(const std::string& id) {
    const json::value reply = Query(R"([")" + id + R"("])");
    const auto& item = reply.at("resultItems").at(0).as_object();
    EXPECT_FALSE(item.at("success").as_bool());
    EXPECT_FALSE(item.contains("thumbnail"));
    return std::string(item.at("errorCode").as_string());
  }

  static std::pair<int, int> SizeOf(const std::string& bytes) {
    VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
    if (image == nullptr) return {0, 0};
    std::pair<int, int> size{vips_image_get_width(image), vips_image_get_height(image)};
    g_object_unref(image);
    return size;
  }

  ApiTestStack stack_;
};

TEST_F(DingTalkThumbnailTest, RendersAnImageAndServesItAtTheSignedUrl) {
  const json::value reply = Query(R"(["{png}"])");
  const auto& item = reply.at("resultItems").at(0).as_object();
  EXPECT_EQ(item.at("spaceId").as_string(), stack_.Get("space"));
  EXPECT_EQ(item.at("dentryId").as_string(), stack_.Get("png"));
  EXPECT_TRUE(item.at("success").as_bool());
  EXPECT_FALSE(item.contains("errorCode"));
  const auto& thumbnail = item.at("thumbnail").as_object();
  EXPECT_EQ(thumbnail.at("width").as_int64(), 256);
  EXPECT_EQ(thumbnail.at("height").as_int64(), 192);
  const std::string url(thumbnail.at("url").as_string());
  EXPECT_TRUE(
      url.starts_with(stack_.Expand("http://api-test.invalid/blobs/thumbnail/{space}/{png}/1"
                                    "?Expires=")))
      << url;
  EXPECT_NE(url.find("&Signature="), std::string::npos);

  const auto image = stack_.Send(stack_.Request("GET", url));
  EXPECT_EQ(image.status, 200) << image.body;
  EXPECT_EQ(image.content_type, "image/jpeg");
  EXPECT_EQ(SizeOf(image.body), std::make_pair(256, 192));
}

TEST_F(DingTalkThumbnailTest, PerItemErrors) {
  stack_.Set("corrupt", stack_.AddFile("broken.png", images::Png(200, 200, false).substr(0, 300)));
  stack_.Set("bomb", stack_.AddFile("bomb.png", images::PngHeaderOnly(100000, 100000)));
  stack_.Set("renamed", stack_.AddFile("notes.png", "just text, named like an image"));
  EXPECT_EQ(ItemError("{folder}"), "thumbnailNotSupported");
  EXPECT_EQ(ItemError("{file}"), "thumbnailNotSupported");
  EXPECT_EQ(ItemError("{renamed}"), "thumbnailNotSupported");
  EXPECT_EQ(ItemError("{corrupt}"), "thumbnailGenerateFailed");
  EXPECT_EQ(ItemError("{bomb}"), "thumbnailSourceTooLarge");
  EXPECT_EQ(ItemError("404040404040"), "dentryNotExist");
  EXPECT_EQ(ItemError("0"), "dentryNotExist");
  // A cached failure answers the same the second time.
  EXPECT_EQ(ItemError("{corrupt}"), "thumbnailGenerateFailed");
  EXPECT_EQ(ItemError("{bomb}"), "thumbnailSourceTooLarge");
}

TEST_F(DingTalkThumbnailTest, ForeignDentryIsLikeAMissingOne) {
  // An image in another space of the same user: not found through {space}.
  const std::string main = stack_.Get("space");
  const auto [status, created] =
      Call("POST", "/v1.0/storage/spaces?unionId={union}", R"({"option":{"scene":"other"}})");
  ASSERT_EQ(status, 200);
  stack_.Set("space", std::string(created.at("space").at("id").as_string()));
  stack_.Set("foreign", stack_.AddFile("other.png", images::Png(32, 32, false)));
  stack_.Set("space", main);
  EXPECT_EQ(ItemError("{foreign}"), "dentryNotExist");
}

TEST_F(DingTalkThumbnailTest, ItemsKeepRequestOrderAndMix) {
  const json::value reply = Query(R"(["{file}","{png}","404040404040"])");
  const auto& items = reply.at("resultItems").as_array();
  ASSERT_EQ(items.size(), 3U);
  EXPECT_FALSE(items[0].at("success").as_bool());
  EXPECT_TRUE(items[1].at("success").as_bool());
  EXPECT_EQ(items[2].at("errorCode").as_string(), "dentryNotExist");
}

TEST_F(DingTalkThumbnailTest, BadRequests) {
  const std::string target = kSpace + "/thumbnails/query?unionId={union}";
  std::string ids31 = "[";
  for (int i = 0; i < 31; ++i) ids31 += std::string(i ? "," : "") + "\"{png}\"";
  ids31 += "]";
  for (const std::string& body :
       {std::string("{}"), std::string(R"({"dentryIds":[]})"), R"({"dentryIds":)" + ids31 + "}",
        std::string(R"({"dentryIds":"{png}"})"), std::string(R"({"dentryIds":[1]})")}) {
    const auto [status, reply] = Call("POST", target, body);
    EXPECT_EQ(status, 400) << body;
    EXPECT_EQ(reply.at("code").as_string(), "paramError") << body;
  }
  const auto [status, reply] = Call("POST",
                                    "/v1.0/storage/spaces/404040404040/thumbnails/query?"
                                    "unionId={union}",
                                    R"({"dentryIds":["{png}"]})");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(reply.at("code").as_string(), "spaceNotExist");
  // A user who may not see the space.
  const auto [denied, body] =
      Call("POST", kSpace + "/thumbnails/query?unionId={union2}", R"({"dentryIds":["{png}"]})");
  EXPECT_NE(denied, 200) << json::serialize(body);
}

TEST_F(DingTalkThumbnailTest, SignedUrlIsCheckedLikeDownloads) {
  const json::value reply = Query(R"(["{png}"])");
  const std::string url(reply.at("resultItems").at(0).at("thumbnail").at("url").as_string());
  auto code = [&](const std::string& target, std::string_view method = "GET") {
    const auto r = stack_.Send(stack_.Request(method, target));
    if (r.status == 200) return std::string("200");
    return std::to_string(r.status) + " " + std::string(json::parse(r.body).at("code").as_string());
  };
  // Tampered: another dentry, another version, a changed signature or expiry, none at all.
  std::string other = url;
  other.replace(other.find("/1?"), 3, "/2?");
  EXPECT_EQ(code(other), "403 SignatureDoesNotMatch");
  std::string flipped = url;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(code(flipped), "403 SignatureDoesNotMatch");
  std::string later = url;
  const size_t expires = later.find("Expires=") + 8;
  later[expires] = later[expires] == '9' ? '8' : '9';
  EXPECT_EQ(code(later), "403 SignatureDoesNotMatch");
  EXPECT_EQ(code(url.substr(0, url.find('?'))), "403 SignatureDoesNotMatch");
  // The download URL's signature does not open the thumbnail path, nor the other way round.
  std::string as_download = url;
  as_download.replace(as_download.find("/thumbnail/"), 11, "/download/");
  EXPECT_EQ(code(as_download), "403 SignatureDoesNotMatch");
  EXPECT_EQ(code(url, "PUT"), "405 MethodNotAllowed");
  EXPECT_EQ(code(url, "HEAD"), "405 MethodNotAllowed");
  EXPECT_EQ(code(url), "200");
  stack_.AdvanceSeconds(ApiTestStack::kUrlTtlSeconds + 1);
  EXPECT_EQ(code(url), "403 RequestExpired");
}

TEST_F(DingTalkThumbnailTest, WithThumbnailOnTheReads) {
  // GetDentry: only when asked, only for images.
  auto [s1, plain] = Call("POST", kSpace + "/dentries/{png}/query?unionId={union}", "");
  ASSERT_EQ(s1, 200);
  EXPECT_FALSE(plain.at("dentry").as_object().contains("thumbnail"));
  auto [s2, with] = Call("POST", kSpace + "/dentries/{png}/query?unionId={union}",
                         R"({"option":{"withThumbnail":true}})");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(with.at("dentry").at("thumbnail").at("width").as_int64(), 256);
  EXPECT_EQ(with.at("dentry").at("thumbnail").at("height").as_int64(), 192);
  EXPECT_TRUE(with.at("dentry").at("thumbnail").at("url").is_string());
  auto [s3, text] = Call("POST", kSpace + "/dentries/{file}/query?unionId={union}",
                         R"({"option":{"withThumbnail":true}})");
  ASSERT_EQ(s3, 200);
  EXPECT_FALSE(text.at("dentry").as_object().contains("thumbnail"));
  auto [s4, bad] = Call("POST", kSpace + "/dentries/{png}/query?unionId={union}",
                        R"({"option":{"withThumbnail":"yes"}})");
  EXPECT_EQ(s4, 400);

  // GetDentries.
  auto [s5, batch] = Call("POST", kSpace + "/dentries/query?unionId={union}",
                          R"({"dentryIds":["{png}","{file}"],"option":{"withThumbnail":true}})");
  ASSERT_EQ(s5, 200);
  EXPECT_EQ(batch.at("resultItems").at(0).at("dentry").at("thumbnail").at("width").as_int64(), 256);
  EXPECT_FALSE(batch.at("resultItems").at(1).at("dentry").as_object().contains("thumbnail"));

  // ListDentries (query parameter) and ListAllDentries (option).
  auto count_thumbnails = [](const json::value& page) {
    int n = 0;
    for (const auto& d : page.at("dentries").as_array()) n += d.as_object().contains("thumbnail");
    return n;
  };
  auto [s6, list] = Call("GET", kSpace + "/dentries?unionId={union}&parentId=0&withThumbnail=true");
  ASSERT_EQ(s6, 200);
  EXPECT_EQ(count_thumbnails(list), 1);
  auto [s7, list_plain] = Call("GET", kSpace + "/dentries?unionId={union}&parentId=0");
  EXPECT_EQ(count_thumbnails(list_plain), 0);
  auto [s8, list_bad] =
      Call("GET", kSpace + "/dentries?unionId={union}&parentId=0&withThumbnail=maybe");
  EXPECT_EQ(s8, 400);
  auto [s9, all] = Call("POST", kSpace + "/dentries/listAll?unionId={union}",
                        R"({"option":{"withThumbnail":true}})");
  ASSERT_EQ(s9, 200);
  EXPECT_EQ(count_thumbnails(all), 1);
  auto [s10, all_plain] = Call("POST", kSpace + "/dentries/listAll?unionId={union}", "");
  EXPECT_EQ(count_thumbnails(all_plain), 0);
}

}  // namespace
}  // namespace spacestore::testing
