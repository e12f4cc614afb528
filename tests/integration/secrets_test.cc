// Secrets at rest against the real binary (docs/security.md): the modes of everything the
// server creates in its data dir, the refusal of data dirs and key files others can touch, the
// tightening of an older data dir, and signing keys from the environment or a keys file, with
// the rotation rule (old tokens and URLs stop at once, or live out their TTL under a previous
// key).
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::HttpResult;
using testing::ServerProcess;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kKeyA = "key-a-0123456789abcdef0123456789abcdef";
const std::string kKeyB = "key-b-0123456789abcdef0123456789abcdef";
const std::string kUrlKeyA = "url-a-0123456789abcdef0123456789abcdef";
const std::string kUrlKeyB = "url-b-0123456789abcdef0123456789abcdef";

// Sets environment variables for the servers this test starts (they inherit the test's
// environment), and unsets them again.
class ScopedEnv {
 public:
  explicit ScopedEnv(const std::vector<std::pair<std::string, std::string>>& vars) {
    for (const auto& [name, value] : vars) {
      ::setenv(name.c_str(), value.c_str(), 1);
      names_.push_back(name);
    }
  }
  ~ScopedEnv() {
    for (const auto& name : names_) ::unsetenv(name.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::vector<std::string> names_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Every file and folder under `dir` (and `dir` itself) with a mode other than 0600 / 0700.
std::vector<std::string> NotOwnerOnly(const fs::path& dir) {
  std::vector<std::string> out;
  if (ModeOf(dir) != 0700) out.push_back(dir.string());
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const mode_t want = entry.is_directory() ? 0700 : 0600;
    if (ModeOf(entry.path()) != want) out.push_back(entry.path().string());
  }
  return out;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `spacestore serve` expecting it to refuse to start; returns its exit status and output.
std::pair<int, std::string> RunRefused(const std::string& data_dir,
                                       const std::string& extra_args = "") {
  const std::string cmd = "timeout 20 '" + ServerProcess::BinaryPath() +
                          "' serve --listen 127.0.0.1:0 --data-dir '" + data_dir + "' " +
                          extra_args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

HttpResult Call(const ServerProcess& server, const std::string& token, const std::string& method,
                const std::string& target, const std::string& body = "") {
  return server.Request(method, target, body, {{"x-acs-dingtalk-access-token", token}});
}

// A space and a signed upload URL in it: {space id, URL path, headers}.
struct Upload {
  std::string space;
  std::string upload_key;
  std::string path;
  Headers headers;
};

Upload AuthorizeUpload(const ServerProcess& server, const std::string& token, size_t size) {
  Upload out;
  const auto space = Call(server, token, "POST", "/v1.0/storage/spaces?unionId=union1",
                          R"({"option":{"scene":"secrets","sceneId":"1"}})");
  EXPECT_EQ(space.status, 200) << space.body;
  out.space = std::string(json::parse(space.body).at("space").at("id").as_string());
  const auto info = Call(
      server, token, "POST",
      "/v1.0/storage/spaces/" + out.space + "/files/uploadInfos/query?unionId=union1",
      R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":{"preCheckParam":{"size":)" +
          std::to_string(size) + "}}}");
  EXPECT_EQ(info.status, 200) << info.body;
  const auto doc = json::parse(info.body);
  out.upload_key = std::string(doc.at("uploadKey").as_string());
  const auto& sig = doc.at("headerSignatureInfo");
  const std::string url(sig.at("resourceUrls").at(0).as_string());
  out.path = url.substr(url.find("/blobs/"));
  for (const auto& [k, v] : sig.at("headers").as_object()) {
    out.headers.emplace_back(k, std::string(v.as_string()));
  }
  return out;
}

TEST(SecretsTest, EverythingInTheDataDirIsOwnerOnly) {
  ServerProcess server;
  const fs::path dir = server.data_dir();
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(ModeOf(dir / "metadata.db"), 0600);
  EXPECT_EQ(ModeOf(dir / "metadata.db-wal"), 0600);
  EXPECT_EQ(ModeOf(dir / "metadata.db-shm"), 0600);
  EXPECT_EQ(NotOwnerOnly(dir), std::vector<std::string>());

  // An upload adds a staging file, a blob and its folders.
  const std::string token = server.Token();
  const std::string data(100000, 'x');
  const auto up = AuthorizeUpload(server, token, data.size());
  EXPECT_EQ(server.Request("PUT", up.path, data, up.headers).status, 200);
  const auto commit = Call(
      server, token, "POST", "/v1.0/storage/spaces/" + up.space + "/files/commit?unionId=union1",
      R"({"uploadKey":")" + up.upload_key + R"(","name":"a.bin","parentId":"0"})");
  EXPECT_EQ(commit.status, 200) << commit.body;
  size_t blobs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "blobs")) {
    blobs += e.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(blobs, 1u);
  EXPECT_EQ(NotOwnerOnly(dir), std::vector<std::string>());

  // admin writes the same data dir under the same rule.
  server.Admin({"org", "create", "--corp-id", "dingsecrets"});
  EXPECT_EQ(NotOwnerOnly(dir), std::vector<std::string>());
}

TEST(SecretsTest, RefusesADataDirOthersCanWrite) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directory(dir);
  for (const mode_t mode : {0777, 0775}) {
    ::chmod(dir.c_str(), mode);
    const auto [status, out] = RunRefused(dir.string());
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("is writable by group or others"), std::string::npos) << out;
    EXPECT_NE(out.find("chmod 0700"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(dir / "metadata.db"));
    EXPECT_EQ(ModeOf(dir), mode);
  }
}

TEST(SecretsTest, RefusesADatabaseOthersCanWrite) {
  testing::TempDir tmp;
  const std::string data_dir = (tmp.path() / "data").string();
  {
    ServerProcess server({}, data_dir);
    ASSERT_EQ(server.Stop(), 0);
  }
  ::chmod((fs::path(data_dir) / "metadata.db").c_str(), 0666);
  const auto [status, out] = RunRefused(data_dir);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("metadata.db"), std::string::npos) << out;
  EXPECT_NE(out.find("writable by group or others"), std::string::npos) << out;
  EXPECT_EQ(ModeOf(fs::path(data_dir) / "metadata.db"), 0666);  // Refused, not repaired.
}

TEST(SecretsTest, AnOlderDataDirIsTightenedOnStart) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  {
    ServerProcess server({}, dir.string());
    const std::string token = server.Token();
    const std::string data(1000, 'y');
    const auto up = AuthorizeUpload(server, token, data.size());
    EXPECT_EQ(server.Request("PUT", up.path, data, up.headers).status, 200);
    ASSERT_EQ(server.Stop(), 0);
  }
  // What an older spacestore left: folders 0755, files 0644.
  ::chmod(dir.c_str(), 0755);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    ::chmod(e.path().c_str(), e.is_directory() ? 0755 : 0644);
  }
  ASSERT_NE(NotOwnerOnly(dir), std::vector<std::string>());
  ServerProcess server({}, dir.string());
  EXPECT_EQ(NotOwnerOnly(dir), std::vector<std::string>());
}

// A data dir on which a server under keys A (from the environment) minted a token and
// authorized an upload, then stopped.
class SecretsKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ScopedEnv env({{"SPACESTORE_TOKEN_KEY", kKeyA}, {"SPACESTORE_URL_KEY", kUrlKeyA}});
    ServerProcess server({}, dir_);
    token_a_ = server.Token();
    upload_a_ = AuthorizeUpload(server, token_a_, 10);
    ASSERT_EQ(server.Stop(), 0);
  }
  // GetSpace of the upload's space with `token`: its status, and the error code if any.
  std::string GetSpace(const ServerProcess& server, const std::string& token) const {
    const auto r =
        Call(server, token, "GET", "/v1.0/storage/spaces/" + upload_a_.space + "?unionId=union1");
    if (r.status == 200) return "200";
    return std::to_string(r.status) + " " + std::string(json::parse(r.body).at("code").as_string());
  }
  // The PUT of the upload URL signed under key A.
  int PutA(const ServerProcess& server) const {
    return server.Request("PUT", upload_a_.path, "0123456789", upload_a_.headers).status;
  }

  testing::TempDir tmp_;
  std::string dir_ = (tmp_.path() / "data").string();
  std::string token_a_;
  Upload upload_a_;
};

TEST_F(SecretsKeysTest, KeysFromTheEnvironmentAreUsedAndNotStored) {
  // Neither the keys nor any row for them reached the database.
  for (const char* name : {"metadata.db", "metadata.db-wal"}) {
    const std::string bytes = ReadAll(fs::path(dir_) / name);
    EXPECT_EQ(bytes.find(kKeyA), std::string::npos) << name;
    EXPECT_EQ(bytes.find(kUrlKeyA), std::string::npos) << name;
    EXPECT_EQ(bytes.find("token_key"), std::string::npos) << name;
    EXPECT_EQ(bytes.find("url_key"), std::string::npos) << name;
  }
  {
    // The same keys after a restart: the token still works.
    ScopedEnv env({{"SPACESTORE_TOKEN_KEY", kKeyA}, {"SPACESTORE_URL_KEY", kUrlKeyA}});
    ServerProcess server({}, dir_);
    EXPECT_EQ(GetSpace(server, token_a_), "200");
    ASSERT_EQ(server.Stop(), 0);
  }
  // Rotated without a previous key: what key A signed stops at once; key B's tokens work.
  ScopedEnv env({{"SPACESTORE_TOKEN_KEY", kKeyB}, {"SPACESTORE_URL_KEY", kUrlKeyB}});
  ServerProcess server({}, dir_);
  EXPECT_EQ(GetSpace(server, token_a_), "400 InvalidAuthentication");
  EXPECT_EQ(PutA(server), 403);
  EXPECT_EQ(GetSpace(server, server.Token()), "200");
}

TEST_F(SecretsKeysTest, PreviousKeysLetWhatTheySignedLiveOutItsTtl) {
  // Key B with key A as the previous key, from a keys file and the environment together.
  const std::string keys = (tmp_.path() / "keys.json").string();
  std::ofstream(keys) << R"({"token_key":")" << kKeyB << R"(","url_key":")" << kUrlKeyB
                      << R"(","previous_token_key":")" << kKeyA << "\"}";
  ::chmod(keys.c_str(), 0600);
  ScopedEnv env({{"SPACESTORE_PREVIOUS_URL_KEY", kUrlKeyA}});
  ServerProcess server({"--keys-file", keys}, dir_);
  EXPECT_EQ(GetSpace(server, token_a_), "200");
  EXPECT_EQ(PutA(server), 200);
  EXPECT_EQ(GetSpace(server, server.Token()), "200");
}

TEST(SecretsTest, RefusesAKeysFileOthersCanRead) {
  testing::TempDir tmp;
  const std::string keys = (tmp.path() / "keys.json").string();
  std::ofstream(keys) << R"({"token_key":")" << kKeyA << R"(","url_key":")" << kUrlKeyA << "\"}";
  ::chmod(keys.c_str(), 0644);
  const std::string dir = (tmp.path() / "data").string();
  const auto [status, out] = RunRefused(dir, "--keys-file '" + keys + "'");
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("keys file " + keys + " is readable or writable by others"), std::string::npos)
      << out;
  EXPECT_EQ(out.find(kKeyA), std::string::npos) << out;  // Keys never appear in output.
  EXPECT_FALSE(fs::exists(dir));                         // Refused before the data dir.

  // Through the environment variable too, and an unreadable key is no better.
  ScopedEnv env({{"SPACESTORE_KEYS_FILE", keys}});
  EXPECT_EQ(RunRefused(dir).first, 1);
  ::chmod(keys.c_str(), 0600);
  ServerProcess server({}, dir);
  EXPECT_EQ(Call(server, server.Token(), "POST", "/v1.0/storage/spaces?unionId=union1",
                 R"({"option":{"scene":"secrets","sceneId":"2"}})")
                .status,
            200);
}

}  // namespace
}  // namespace spacestore
