// Thumbnails against the real binary: upload an image, ask for its thumbnail, fetch the signed
// URL and decode what comes back; the cache on disk, across a restart; bad images answered per
// item with the server still up.
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <vips/vips.h>
#include <boost/json.hpp>

#include "base/crypto.h"
#include "server_process.h"
#include "storage/thumbnail/thumbnail_test_images.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
namespace images = storage::testimages;
using testing::Client;
using testing::ServerProcess;

class ThumbnailsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("integration_tests"), 0); }

  static json::object Query(const Client& client, const std::string& space,
                            const std::string& ids) {
    return client.Call("POST", "/v1.0/storage/spaces/" + space + "/thumbnails/query?unionId=union1",
                       R"({"dentryIds":)" + ids + "}");
  }

  // The request target of a thumbnail URL (its path and query).
  static std::string Target(const json::value& url) {
    const std::string text(url.as_string());
    return text.substr(text.find("/blobs/"));
  }

  static std::pair<int, int> SizeOf(const std::string& bytes) {
    VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
    if (image == nullptr) return {0, 0};
    std::pair<int, int> size{vips_image_get_width(image), vips_image_get_height(image)};
    g_object_unref(image);
    return size;
  }
};

TEST_F(ThumbnailsTest, UploadedPngIsThumbnailedAndServedAtItsSignedUrl) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string png = images::Png(800, 600, false);
  const auto dentry = client.PutFile(space, "photo.png", png);
  const std::string id(dentry.at("id").as_string());

  const auto reply = Query(client, space, R"([")" + id + R"("])");
  const auto& item = reply.at("resultItems").at(0).as_object();
  ASSERT_TRUE(item.at("success").as_bool()) << json::serialize(reply);
  EXPECT_EQ(item.at("thumbnail").at("width").as_int64(), 256);
  EXPECT_EQ(item.at("thumbnail").at("height").as_int64(), 192);
  const std::string target = Target(item.at("thumbnail").at("url"));

  const auto image = server.Request("GET", target);
  ASSERT_EQ(image.status, 200) << image.body;
  EXPECT_EQ(image.headers.at("content-type"), "image/jpeg");
  EXPECT_EQ(SizeOf(image.body), std::make_pair(256, 192));
  // Counted under the URL's template, not as an unmatched path.
  const auto metrics = server.Request("GET", "/metrics");
  EXPECT_NE(metrics.body.find("spacestore_http_requests_total{method=\"GET\",route=\"/blobs/"
                              "thumbnail/{spaceId}/{dentryId}/{version}\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;

  // Cached beside the blobs, owner-only, keyed by the content's SHA-256.
  const std::string blob = Sha256Hex(png);
  const fs::path cached =
      fs::path(server.data_dir()) / "thumbnails" / blob.substr(0, 2) / (blob + ".256");
  struct stat st {};
  ASSERT_EQ(::stat(cached.c_str(), &st), 0) << cached;
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const auto mtime = fs::last_write_time(cached);

  // withThumbnail on GetDentry gives the same size.
  const auto got = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/dentries/" + id + "/query?unionId=union1",
      R"({"option":{"withThumbnail":true}})");
  EXPECT_EQ(got.at("dentry").at("thumbnail").at("width").as_int64(), 256);

  // After a restart the URL still works, served from the cache (not rendered again).
  const std::string data_dir = server.data_dir();
  ASSERT_EQ(server.Stop(), 0);
  ServerProcess again({}, data_dir);
  const auto after = again.Request("GET", target);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, image.body);
  EXPECT_EQ(fs::last_write_time(cached), mtime);
}

TEST_F(ThumbnailsTest, BadImagesArePerItemErrorsAndTheServerStaysUp) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string png = images::Png(300, 300, false);
  auto id = [](const json::object& d) { return std::string(d.at("id").as_string()); };
  const std::string corrupt = id(client.PutFile(space, "corrupt.png", png.substr(0, 200)));
  const std::string bomb =
      id(client.PutFile(space, "bomb.png", images::PngHeaderOnly(200000, 200000)));
  const std::string text = id(client.PutFile(space, "a.txt", "hello"));
  const std::string good = id(client.PutFile(space, "anim.gif", images::Gif1x1()));
  const auto reply = Query(client, space,
                           R"([")" + corrupt + R"(",")" + bomb + R"(",")" + text + R"(",")" + good +
                               R"(","404040404040"])");
  const auto& items = reply.at("resultItems").as_array();
  ASSERT_EQ(items.size(), 5U);
  EXPECT_EQ(items[0].at("errorCode").as_string(), "thumbnailGenerateFailed");
  EXPECT_EQ(items[1].at("errorCode").as_string(), "thumbnailSourceTooLarge");
  EXPECT_EQ(items[2].at("errorCode").as_string(), "thumbnailNotSupported");
  EXPECT_TRUE(items[3].at("success").as_bool()) << json::serialize(items[3]);
  EXPECT_EQ(items[4].at("errorCode").as_string(), "dentryNotExist");
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
  // Too many ids is the whole call's error.
  std::string ids = "[";
  for (int i = 0; i < 31; ++i) ids += std::string(i ? "," : "") + "\"" + good + "\"";
  const auto refused = server.Request(
      "POST", "/v1.0/storage/spaces/" + space + "/thumbnails/query?unionId=union1",
      R"({"dentryIds":)" + ids + "]}", {{"x-acs-dingtalk-access-token", server.Token()}});
  EXPECT_EQ(refused.status, 400);
}

}  // namespace
}  // namespace spacestore
