// DingTalk name rules on the wire (docs/api/dingtalk-v1.md, "Names"): every request that
// carries a space, folder or file name refuses path separators, dot names and invisible
// characters with 400 paramError.name, and canonically equivalent spellings (NFC and NFD) are
// one name: stored and returned in NFC, and clashing like any duplicate under each
// conflictStrategy.
#include <string>
#include <vector>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Field;
using testing::Step;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kAddSpace = "/v1.0/storage/spaces?unionId={union}";
const std::string kAddFolder = kSpace + "/dentries/0/folders?unionId={union}";
const std::string kUploadInfo = kSpace + "/files/uploadInfos/query?unionId={union}";
const std::string kCommit = kSpace + "/files/commit?unionId={union}";

// "café" spelled precomposed (U+00E9) and decomposed (e + U+0301), as JSON text.
const std::string kNfcJson = R"(caf\u00e9)";
const std::string kNfdJson = R"(cafe\u0301)";
const std::string kCafe = "caf\u00E9";  // What is stored and returned.

// AddFolder {"name": <json text>} with `strategy`.
std::string FolderBody(const std::string& name, const std::string& strategy = "AUTO_RENAME") {
  return R"({"name":")" + name + R"(","option":{"conflictStrategy":")" + strategy + R"("}})";
}

// AddFolder of `name` (JSON text) in the root of {space}, keeping the new id as {first}.
Step AddFolderStep(const std::string& name) {
  return {.method = "POST",
          .target = kAddFolder,
          .body = FolderBody(name),
          .keep = {{"first", "/dentry/id"}}};
}

// A name the rules refuse, in AddFolder: 400 paramError.name.
ApiCase BadFolderName(const char* case_name, const std::string& json_name) {
  return {.name = case_name,
          .method = "POST",
          .target = kAddFolder,
          .body = R"({"name":")" + json_name + R"("})",
          .status = 400,
          .code = "paramError.name"};
}

const std::vector<ApiCase> kRefusedNames = {
    BadFolderName("FolderSlash", "a/b"),
    BadFolderName("FolderBackslash", R"(a\\b)"),
    BadFolderName("FolderTraversal", "../../etc/passwd"),
    BadFolderName("FolderDotDot", ".."),
    BadFolderName("FolderDot", "."),
    BadFolderName("FolderDotDotPadded", "  ..  "),
    BadFolderName("FolderBidiOverride", R"(invoice\u202etxt.exe)"),
    BadFolderName("FolderZeroWidthSpace", R"(a\u200bb)"),
    BadFolderName("FolderByteOrderMark", R"(\ufeffa)"),
    BadFolderName("FolderStrayZeroWidthJoiner", R"(ab\u200d)"),
    BadFolderName("FolderNoncharacter", R"(a\ufdd0)"),
    BadFolderName("FolderLineSeparator", R"(a\u2028b)"),
    BadFolderName("FolderNul", R"(a\u0000b)"),
    BadFolderName("FolderColon", "C:x"),
    BadFolderName("FolderDeviceName", "nul.txt"),
    {.name = "SpaceSlash",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"name":"a/b"}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "SpaceBidiIsolate",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"name":"a\u2066b"}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "PreCheckDotDot",
     .method = "POST",
     .target = kUploadInfo,
     .body = R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"name":".."}}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "CommitBackslash",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"..\\evil.txt","parentId":"0"})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "CommitSlash",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"docs/a.txt","parentId":"0"})",
     .status = 400,
     .code = "paramError.name"},
};

const std::vector<ApiCase> kNormalizedNames = {
    {.name = "FolderNfdStoredAsNfc",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(kNfdJson),
     .fields = {{"/dentry/name", kind::string, kCafe},
                {"/dentry/path", kind::string, "/" + kCafe}}},
    {.name = "FolderEmojiZwjKept",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(R"(\ud83c\udff3\ufe0f\u200d\ud83c\udf08)"),
     .fields = {{"/dentry/name", kind::string, "\U0001F3F3\uFE0F\u200D\U0001F308"}}},
    {.name = "SpaceNfdStoredAsNfc",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"name":")" + kNfdJson + R"(","scene":"nfc"}})",
     .fields = {{"/space/name", kind::string, kCafe}}},
    {.name = "NfdTwinRefused",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(kNfdJson, "RETURN_ERROR_IF_EXISTS"),
     .status = 409,
     .code = "dentryAlreadyExist",
     .before = {AddFolderStep(kNfcJson)}},
    {.name = "NfcTwinOfNfdRefused",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(kNfcJson, "RETURN_ERROR_IF_EXISTS"),
     .status = 409,
     .code = "dentryAlreadyExist",
     .before = {AddFolderStep(kNfdJson)}},
    {.name = "NfdTwinAutoRenamed",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(kNfdJson),
     .fields = {{"/dentry/name", kind::string, kCafe + " (1)"}},
     .before = {AddFolderStep(kNfcJson)}},
    {.name = "NfdTwinReturnsExisting",
     .method = "POST",
     .target = kAddFolder,
     .body = FolderBody(kNfdJson, "RETURN_DENTRY_IF_EXISTS"),
     .fields = {{"/dentry/id", kind::string, "{first}"}, {"/dentry/name", kind::string, kCafe}},
     .before = {AddFolderStep(kNfcJson)}},
    {.name = "CommitNfdTwinOfFolderRefused",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":")" + kNfdJson +
             R"(","parentId":"0","option":{"conflictStrategy":"OVERWRITE"}})",
     .status = 409,
     .code = "dentryAlreadyExist",
     .before = {AddFolderStep(kNfcJson)}},
    {.name = "CommitNfdStoredAsNfc",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":")" + kNfdJson + R"(.txt","parentId":"0"})",
     .fields = {{"/dentry/name", kind::string, kCafe + ".txt"},
                {"/dentry/extension", kind::string, "txt"}}},
};

class DingTalkNameTest : public testing::ApiCaseTest {};

TEST_P(DingTalkNameTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Refused, DingTalkNameTest, ::testing::ValuesIn(kRefusedNames),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(Normalized, DingTalkNameTest, ::testing::ValuesIn(kNormalizedNames),
                         testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
