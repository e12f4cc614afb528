// DingTalkApi::Handle against the DingTalk domain-error table of docs/error-handling.md: each
// row provoked through a request where a code path produces it (errors_test.cc checks the
// whole table on MapError), plus the documented order of input, membership and disabled-space
// checks.
#include "api/dingtalk_v1/dingtalk_api.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using testing::ApiCase;
using testing::Headers;
using testing::Step;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kAddSpace = "/v1.0/storage/spaces?unionId={union}";
const std::string kAddFolder = kSpace + "/dentries/0/folders?unionId={union}";
const std::string kUploadInfo = kSpace + "/files/uploadInfos/query?unionId={union}";
const std::string kPartInfos =
    "/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId={union}";
const std::string kCommit = kSpace + "/files/commit?unionId={union}";
const std::string kToken = "/v1.0/oauth2/accessToken";
const std::string kCommitUploaded =
    R"({"uploadKey":"{uploaded_key}","name":"b.txt","parentId":"0"})";
const std::string kCommitMultipart =
    R"({"uploadKey":"{multipart_key}","name":"big.bin","parentId":"0"})";

// Disables {space} through KooDrive (status 1).
const Step kDisableSpace = {"PUT", "/koodrive/ose/v1/space/{union}",
                            R"({"type":1,"containerId":"{space}","status":1})"};

// Steps that upload through the API and keep what they need as placeholders:
// GetFileUploadInfo into {<space>} with `option`, keeping {q_key}, {q_url} and {q_auth}.
Step AuthorizeUpload(const std::string& space, const std::string& option) {
  return {.method = "POST",
          .target = "/v1.0/storage/spaces/{" + space + "}/files/uploadInfos/query?unionId={union}",
          .body = R"({"protocol":"HEADER_SIGNATURE","option":)" + option + "}",
          .keep = {{"q_key", "/uploadKey"},
                   {"q_url", "/headerSignatureInfo/resourceUrls/0"},
                   {"q_auth", "/headerSignatureInfo/headers/Authorization"}}};
}

// InitMultipartFileUpload into {space}, keeping {m_key}.
const Step kInitMultipart = {.method = "POST",
                             .target = kSpace + "/files/multiPartUploadInfos/init?unionId={union}",
                             .keep = {{"m_key", "/uploadKey"}}};

// GetMultipartFileUploadInfos of {m_key} for `numbers` (a JSON array of two), keeping the
// URLs and signatures in answer order as {p1_url} {p1_auth} {p2_url} {p2_auth}.
Step PartUrls(const std::string& numbers) {
  const std::string info = "/multipartHeaderSignatureInfos/";
  Step step{.method = "POST",
            .target = kPartInfos,
            .body = R"({"uploadKey":"{m_key}","partNumbers":)" + numbers + "}"};
  for (const char* i : {"0", "1"}) {
    const std::string at = info + i + "/headerSignatureInfo";
    const std::string name = std::string("p") + static_cast<char>(i[0] + 1);
    step.keep.emplace_back(name + "_url", at + "/resourceUrls/0");
    step.keep.emplace_back(name + "_auth", at + "/headers/Authorization");
  }
  return step;
}

// PUTs `content` to the signed URL {<name>_url}.
Step Put(const std::string& name, const std::string& content) {
  return {.method = "PUT",
          .target = "{" + name + "_url}",
          .body = content,
          .headers = Headers{{"Authorization", "{" + name + "_auth}"}}};
}

// {"<key>":["id0",...]} with `count` ids.
std::string IdList(const std::string& key, int count) {
  std::string out = "{\"" + key + "\":[";
  for (int i = 0; i < count; ++i) out += (i == 0 ? "\"id" : ",\"id") + std::to_string(i) + "\"";
  return out + "]}";
}

// docs/error-handling.md, DingTalk "Domain errors", row by row where a request reaches it.
// Failures of the blob store are injected (a disk losing a blob, failing or corrupt).
const std::vector<ApiCase> kDomainErrorCases = {
    // kInvalidArgument, subject name / scene / sceneId.
    {.name = "SpaceName",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"name":"a|b"}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "FolderName",
     .method = "POST",
     .target = kAddFolder,
     .body = R"({"name":"ends."})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "PreCheckName",
     .method = "POST",
     .target = kUploadInfo,
     .body = R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"name":"a*b"}}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "CommitName",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"a<b","parentId":"0"})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "Scene",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"scene":"a-b"}})",
     .status = 400,
     .code = "paramError.scene"},
    {.name = "SceneId",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"sceneId":""}})",
     .status = 400,
     .code = "paramError.sceneId"},
    // kInvalidArgument, any other subject.
    {.name = "Quota",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"quota":0}})",
     .status = 400,
     .code = "paramError"},
    {.name = "OwnerType",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"ownerType":"ORG"}})",
     .status = 400,
     .code = "paramError"},
    {.name = "AppKeyMissing",
     .method = "POST",
     .target = kToken,
     .body = R"({"appSecret":"{app_secret}"})",
     .headers = Headers{},
     .status = 400,
     .code = "paramError"},
    {.name = "ConflictStrategy",
     .method = "POST",
     .target = kAddFolder,
     .body = R"({"name":"x","option":{"conflictStrategy":"MERGE"}})",
     .status = 400,
     .code = "paramError"},
    {.name = "ParentIsAFile",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/folders?unionId={union}",
     .body = R"({"name":"x"})",
     .status = 400,
     .code = "paramError"},
    {.name = "DentryIdsEmpty",
     .method = "POST",
     .target = kSpace + "/dentries/query?unionId={union}",
     .body = R"({"dentryIds":[]})",
     .status = 400,
     .code = "paramError"},
    {.name = "MaxResults",
     .method = "GET",
     .target = kSpace + "/dentries?unionId={union}&parentId=0&maxResults=51",
     .status = 400,
     .code = "paramError"},
    {.name = "Protocol",
     .method = "POST",
     .target = kUploadInfo,
     .body = R"({"protocol":"PUT"})",
     .status = 400,
     .code = "paramError"},
    {.name = "StorageDriver",
     .method = "POST",
     .target = kUploadInfo,
     .body = R"({"protocol":"HEADER_SIGNATURE","option":{"storageDriver":"S3"}})",
     .status = 400,
     .code = "paramError"},
    {.name = "PartNumbers",
     .method = "POST",
     .target = kPartInfos,
     .body = R"({"uploadKey":"{multipart_key}","partNumbers":[0]})",
     .status = 400,
     .code = "paramError"},
    {.name = "UploadKeyUnknown",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"nokey","name":"x","parentId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "UploadKeyCommitted",
     .method = "POST",
     .target = kCommit,
     .body = kCommitUploaded,
     .status = 400,
     .code = "paramError",
     .before = {{"POST", kCommit, kCommitUploaded}}},
    {.name = "CommitSizeMismatch",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"b.txt","parentId":"0","option":{"size":6}})",
     .status = 400,
     .code = "paramError"},
    {.name = "DentryIdsTooMany",
     .method = "POST",
     .target = kSpace + "/dentries/query?unionId={union}",
     .body = IdList("dentryIds", 31),
     .status = 400,
     .code = "paramError"},
    {.name = "AppIdsFilterTooLong",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/query?unionId={union}",
     .body = R"({"option":)" + IdList("appIdsForAppProperties", 21) + "}",
     .status = 400,
     .code = "paramError"},
    {.name = "NextTokenOfAnotherOrder",
     .method = "GET",
     .target = kSpace + "/dentries?unionId={union}&parentId=0&orderBy=SIZE&nextToken={next}",
     .status = 400,
     .code = "paramError",
     .before = {{.method = "GET",
                 .target =
                     kSpace + "/dentries?unionId={union}&parentId=0&maxResults=1&orderBy=NAME",
                 .keep = {{"next", "/nextToken"}}}}},
    {.name = "CommitMd5Mismatch",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{q_key}","name":"q.txt","parentId":"0"})",
     .status = 400,
     .code = "paramError",
     .before = {AuthorizeUpload("space",
                                R"({"preCheckParam":{"md5":"00000000000000000000000000000000"}})"),
                Put("q", "hello")}},
    {.name = "CommitPartTooSmall",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{m_key}","name":"m.bin","parentId":"0"})",
     .status = 400,
     .code = "paramError",
     .before = {kInitMultipart, PartUrls("[1,2]"), Put("p1", "a"), Put("p2", "b")}},
    {.name = "CommitPartMissing",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{m_key}","name":"m.bin","parentId":"0"})",
     .status = 400,
     .code = "paramError",
     .before = {kInitMultipart, PartUrls("[2,3]"), Put("p1", "b"), Put("p2", "c")}},
    {.name = "DownloadOfAFolder",
     .method = "POST",
     .target = kSpace + "/dentries/{folder}/downloadInfos/query?unionId={union}",
     .status = 400,
     .code = "paramError"},
    // Input checks come before the membership and disabled-space checks
    // (docs/api/dingtalk-v1.md, "Request pipeline" and "Disabled spaces").
    {.name = "SpaceNameBeforeMembership",
     .method = "POST",
     .target = "/v1.0/storage/spaces?unionId={stranger}",
     .body = R"({"option":{"name":"a|b"}})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "FolderNameBeforeMembership",
     .method = "POST",
     .target = kSpace + "/dentries/0/folders?unionId={stranger}",
     .body = R"({"name":"a|b"})",
     .status = 400,
     .code = "paramError.name"},
    {.name = "PreCheckBeforeDisabled",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{disabled}/files/uploadInfos/query?unionId={union}",
     .body = R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"md5":"xyz"}}})",
     .status = 400,
     .code = "paramError"},
    {.name = "CommitNameBeforeDisabled",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"a<b","parentId":"0"})",
     .status = 400,
     .code = "paramError.name",
     .before = {kDisableSpace}},
    {.name = "ListParentIdMissing",
     .method = "GET",
     .target = kSpace + "/dentries?unionId={union}",
     .status = 400,
     .code = "paramError"},
    // kNotFound, by subject.
    {.name = "BatchOfUnknownSpace",
     .method = "POST",
     .target = "/v1.0/storage/spaces/100000000000/dentries/query?unionId={union}",
     .body = R"({"dentryIds":["{file}"]})",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "SpaceNotExist",
     .method = "GET",
     .target = "/v1.0/storage/spaces/100000000000?unionId={union}",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "SpaceOfAnotherOrg",
     .method = "GET",
     .target = kSpace + "?unionId={union}",
     .headers = Headers{{"x-acs-dingtalk-access-token", "{other_token}"}},
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "DentryNotExist",
     .method = "POST",
     .target = kSpace + "/dentries/404040404040/query?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "RootDentryNotExist",
     .method = "POST",
     .target = kSpace + "/dentries/0/query?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "OverwriteDentryNotExist",
     .method = "POST",
     .target = kCommit,
     .body = R"({"uploadKey":"{uploaded_key}","name":"b.txt","parentId":"0",)"
             R"("overwriteDentryId":"404040404040"})",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "ParentNotExist",
     .method = "POST",
     .target = kSpace + "/dentries/404040404040/folders?unionId={union}",
     .body = R"({"name":"x"})",
     .status = 404,
     .code = "parentNotExist"},
    {.name = "ListedParentNotExist",
     .method = "GET",
     .target = kSpace + "/dentries?unionId={union}&parentId=404040404040",
     .status = 404,
     .code = "parentNotExist"},
    {.name = "VersionNotExist",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/downloadInfos/query?unionId={union}",
     .body = R"({"option":{"version":2}})",
     .status = 404,
     .code = "versionNotExist"},
    {.name = "BlobNotExist",
     .method = "POST",
     .target = kCommit,
     .body = kCommitMultipart,
     .status = 404,
     .code = "blobNotExist",
     .blob_fault = MakeError(Errc::kNotFound, "blob", "blob lost")},
    // kUnauthenticated.
    {.name = "ClientSecretWrong",
     .method = "POST",
     .target = kToken,
     .body = R"({"appKey":"{app_key}","appSecret":"wrong"})",
     .headers = Headers{},
     .status = 400,
     .code = "invalidClientIdOrSecret"},
    {.name = "ClientSecretAbsent",
     .method = "POST",
     .target = kToken,
     .body = R"({"appKey":"{app_key}"})",
     .headers = Headers{},
     .status = 400,
     .code = "invalidClientIdOrSecret"},
    {.name = "ClientKeyUnknown",
     .method = "POST",
     .target = kToken,
     .body = R"({"appKey":"nokey","appSecret":"{app_secret}"})",
     .headers = Headers{},
     .status = 400,
     .code = "invalidClientIdOrSecret"},
    {.name = "TokenInvalid",
     .method = "GET",
     .target = kSpace + "?unionId={union}",
     .headers = Headers{{"x-acs-dingtalk-access-token", "{expired_token}"}},
     .status = 400,
     .code = "InvalidAuthentication"},
    // kPermissionDenied.
    {.name = "UserNotInOrg",
     .method = "GET",
     .target = kSpace + "?unionId={stranger}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "UserNotOwner",
     .method = "GET",
     .target = kSpace + "?unionId={union2}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "OrgOfAnotherToken",
     .method = "GET",
     .target = "/v1.0/storage/orgs/othercorp?unionId={union}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "DisabledAddFolder",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{disabled}/dentries/0/folders?unionId={union}",
     .body = R"({"name":"x"})",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "DisabledUploadInfo",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{disabled}/files/uploadInfos/query?unionId={union}",
     .body = R"({"protocol":"HEADER_SIGNATURE"})",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "DisabledMultipartInit",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{disabled}/files/multiPartUploadInfos/init?unionId={union}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "DisabledCommit",
     .method = "POST",
     .target = kCommit,
     .body = kCommitUploaded,
     .status = 403,
     .code = "permissionDenied",
     .before = {kDisableSpace}},
    // docs/api/dingtalk-v1.md says GetMultipartFileUploadInfos does not check a disabled space;
    // it does since faf6ef1 ("disabled spaces refuse part URLs"), which this row pins.
    {.name = "DisabledPartUrls",
     .method = "POST",
     .target = kPartInfos,
     .body = R"({"uploadKey":"{multipart_key}","partNumbers":[1]})",
     .status = 403,
     .code = "permissionDenied",
     .before = {kDisableSpace}},
    // kQuotaExceeded.
    {.name = "QuotaExceeded",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{small}/files/uploadInfos/query?unionId={union}",
     .body = R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"size":11}}})",
     .status = 403,
     .code = "quotaExceeded"},
    {.name = "QuotaExceededAtCommit",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{small}/files/commit?unionId={union}",
     .body = R"({"uploadKey":"{q_key}","name":"q.txt","parentId":"0"})",
     .status = 403,
     .code = "quotaExceeded",
     // The 7 bytes fit while they arrive; 5 reserved by another upload meanwhile leave 3.
     .before = {AuthorizeUpload("small", "{}"),
                Put("q", "0123456"),
                {.method = "POST",
                 .target = "/v1.0/storage/spaces/{small}/files/uploadInfos/query?unionId={union}",
                 .body =
                     R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"size":5}}})"}}},
    // kAlreadyExists.
    {.name = "DentryAlreadyExist",
     .method = "POST",
     .target = kAddFolder,
     .body = R"({"name":"docs","option":{"conflictStrategy":"RETURN_ERROR_IF_EXISTS"}})",
     .status = 409,
     .code = "dentryAlreadyExist"},
    {.name = "DentryAlreadyExistOtherType",
     .method = "POST",
     .target = kAddFolder,
     .body = R"({"name":"a.txt","option":{"conflictStrategy":"OVERWRITE"}})",
     .status = 409,
     .code = "dentryAlreadyExist"},
    // kUnavailable, kInternal.
    {.name = "Unavailable",
     .method = "POST",
     .target = kCommit,
     .body = kCommitMultipart,
     .status = 503,
     .code = "operationTimeout",
     .blob_fault = MakeError(Errc::kUnavailable, "blob", "disk failing")},
    {.name = "Internal",
     .method = "POST",
     .target = kCommit,
     .body = kCommitMultipart,
     .status = 500,
     .code = "systemError",
     .blob_fault = MakeError(Errc::kInternal, "blob", "corrupt blob")},
};

class DingTalkErrorTest : public testing::ApiCaseTest {};

TEST_P(DingTalkErrorTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(DomainErrors, DingTalkErrorTest, ::testing::ValuesIn(kDomainErrorCases),
                         testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
