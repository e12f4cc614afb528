// The S3 adapter over HTTPS: content written and read back through a TLS endpoint whose
// certificate the configured CA vouches for; a certificate no trusted CA signed, a host name
// the certificate does not name, and an unreadable CA file each refuse to start the store.
#include <gtest/gtest.h>

#include <string>

#include "base/clock.h"
#include "s3_server.h"
#include "storage/blob/s3/s3_blob_store.h"
#include "storage/blob/s3/s3_location.h"

namespace spacestore {
namespace {

constexpr const char* kBucket = "tls-bucket";

// One HTTPS emulator for the binary, its certificate naming 127.0.0.1 only.
testing::S3Server& TlsServer() {
  static testing::S3Server server(testing::S3Server::Tls{.on = true, .buckets = {kBucket}});
  return server;
}

Result<std::unique_ptr<storage::S3BlobStore>> OpenOverTls(const std::string& host,
                                                          const std::string& ca_file,
                                                          const Clock& clock) {
  auto location = storage::s3::ParseS3Url(std::string("s3://") + kBucket + "?endpoint=https://" +
                                          host + ":" + std::to_string(TlsServer().port()));
  EXPECT_TRUE(location) << location.error().message;
  storage::S3BlobStoreOptions options{.part_size = 512 * 1024};
  options.http.ca_file = ca_file;
  return storage::S3BlobStore::Open(
      *location, {testing::S3Server::kAccessKeyId, testing::S3Server::kSecretAccessKey}, clock,
      options);
}

TEST(S3TlsTest, StoresAndReadsBlobsThroughAnEndpointItsCaVouchesFor) {
  SystemClock clock;
  auto store = OpenOverTls("127.0.0.1", TlsServer().certificate_file(), clock);
  ASSERT_TRUE(store) << store.error().message;
  // Larger than a part: the multipart path runs over TLS too.
  std::string data(1536 * 1024, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 % 251);
  auto writer = (*store)->NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append(data));
  auto info = (*writer)->Commit();
  ASSERT_TRUE(info) << info.error().message;
  auto reader = (*store)->Open(info->id);
  ASSERT_TRUE(reader) << reader.error().message;
  std::string back(data.size(), '\0');
  auto n = (*reader)->ReadAt(0, back.data(), back.size());
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, data.size());
  EXPECT_TRUE(back == data);
  EXPECT_EQ((*store)->List("", clock.NowMillis() + 60'000)->size(), 1u);
}

TEST(S3TlsTest, ACertificateNoTrustedCaSignedIsRefused) {
  SystemClock clock;
  auto store = OpenOverTls("127.0.0.1", "", clock);  // The system's CAs only.
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  EXPECT_NE(store.error().message.find("certificate verify failed"), std::string::npos)
      << store.error().message;
}

TEST(S3TlsTest, AHostNameTheCertificateDoesNotNameIsRefused) {
  SystemClock clock;
  auto store = OpenOverTls("localhost", TlsServer().certificate_file(), clock);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  // The certificate names 127.0.0.1 only.
  EXPECT_NE(store.error().message.find("TLS handshake"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("certificate verify failed"), std::string::npos)
      << store.error().message;
}

TEST(S3TlsTest, AnUnreadableCaFileIsReported) {
  SystemClock clock;
  auto store = OpenOverTls("127.0.0.1", "/nonexistent/ca.pem", clock);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  EXPECT_NE(store.error().message.find("/nonexistent/ca.pem"), std::string::npos)
      << store.error().message;
}

}  // namespace
}  // namespace spacestore
