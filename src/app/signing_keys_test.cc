#include "app/signing_keys.h"

#include <sys/stat.h>

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace spacestore::app {
namespace {

const std::string kA(40, 'a');
const std::string kB(40, 'b');
const std::string kC(40, 'c');

class SigningKeysTest : public ::testing::Test {
 protected:
  // Writes `text` to a keys file of mode `mode` and returns its path.
  std::string File(const std::string& text, mode_t mode = 0600) {
    const std::string path = dir_.File("keys.json");
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  Result<std::optional<SigningKeys>> Load(const std::string& file) {
    return LoadSigningKeys(file, [this](const char* name) -> const char* {
      const auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    });
  }
  // The error message of a refused load.
  std::string Refusal(const std::string& file) {
    auto r = Load(file);
    EXPECT_FALSE(r);
    if (r) return "";
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "keys");
    return r.error().message;
  }

  testing::TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(SigningKeysTest, NothingGivenMeansTheStoreKeepsThem) {
  auto r = Load("");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
}

TEST_F(SigningKeysTest, KeysFromTheEnvironment) {
  env_ = {{"SPACESTORE_TOKEN_KEY", kA},
          {"SPACESTORE_URL_KEY", kB},
          {"SPACESTORE_PREVIOUS_TOKEN_KEY", kC}};
  auto r = Load("");
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->token_key, kA);
  EXPECT_EQ((*r)->url_key, kB);
  EXPECT_EQ((*r)->previous_token_key, kC);
  EXPECT_EQ((*r)->previous_url_key, "");
  EXPECT_EQ((*r)->source, "environment");
}

TEST_F(SigningKeysTest, KeysFromAFileAndTheEnvironment) {
  env_ = {{"SPACESTORE_PREVIOUS_URL_KEY", kC}};
  const std::string path =
      File(R"({"token_key": ")" + kA + R"(", "url_key": ")" + kB + "\"}", 0640);
  auto r = Load(path);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->token_key, kA);
  EXPECT_EQ((*r)->url_key, kB);
  EXPECT_EQ((*r)->previous_url_key, kC);
  EXPECT_EQ((*r)->source, "keys file " + path + " and environment");
}

TEST_F(SigningKeysTest, FilesOthersCanReadOrWriteAreRefused) {
  const std::string text = R"({"token_key": ")" + kA + R"(", "url_key": ")" + kB + "\"}";
  for (const mode_t mode : {0644, 0604, 0620, 0602, 0666}) {
    const std::string message = Refusal(File(text, mode));
    EXPECT_NE(message.find("chmod 0600"), std::string::npos) << message;
    EXPECT_EQ(message.find(kA), std::string::npos);
  }
  EXPECT_NE(Refusal(dir_.File("missing.json")).find("cannot read"), std::string::npos);
  EXPECT_NE(Refusal(dir_.path().string()).find("not a regular file"), std::string::npos);
}

TEST_F(SigningKeysTest, MalformedFilesAreRefused) {
  EXPECT_NE(Refusal(File("not json")).find("one JSON object"), std::string::npos);
  EXPECT_NE(Refusal(File("[]")).find("one JSON object"), std::string::npos);
  EXPECT_NE(Refusal(File(R"({"token_key": 1})")).find("one JSON object"), std::string::npos);
  EXPECT_NE(Refusal(File(R"({"tokenkey": "x"})")).find("unknown member 'tokenkey'"),
            std::string::npos);
  EXPECT_NE(Refusal(File("{}")).find("gives no key"), std::string::npos);
}

TEST_F(SigningKeysTest, IncompleteAmbiguousOrWeakKeysAreRefused) {
  env_ = {{"SPACESTORE_TOKEN_KEY", kA}};
  EXPECT_NE(Refusal("").find("must both be given"), std::string::npos);
  env_ = {{"SPACESTORE_PREVIOUS_TOKEN_KEY", kA}};
  EXPECT_NE(Refusal("").find("must both be given"), std::string::npos);

  env_ = {{"SPACESTORE_TOKEN_KEY", kA}, {"SPACESTORE_URL_KEY", kB}};
  const std::string both = Refusal(File(R"({"url_key": ")" + kC + "\"}"));
  EXPECT_NE(both.find("url_key is given both"), std::string::npos) << both;

  env_ = {{"SPACESTORE_TOKEN_KEY", "short"}, {"SPACESTORE_URL_KEY", kB}};
  const std::string short_key = Refusal("");
  EXPECT_NE(short_key.find("token_key must be 32 to 1024 bytes"), std::string::npos);
  EXPECT_EQ(short_key.find("short"), std::string::npos);  // Never the key itself.
  env_ = {{"SPACESTORE_TOKEN_KEY", kA + "\n"}, {"SPACESTORE_URL_KEY", kB}};
  EXPECT_NE(Refusal("").find("control character"), std::string::npos);
  env_ = {{"SPACESTORE_TOKEN_KEY", kA}, {"SPACESTORE_URL_KEY", kA}};
  EXPECT_NE(Refusal("").find("must differ"), std::string::npos);
}

}  // namespace
}  // namespace spacestore::app
