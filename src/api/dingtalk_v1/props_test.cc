// ListDentryVersions, RevertDentryVersion, UpdateDentryAppProperties and
// DeleteDentryAppProperties through DingTalkApi::Handle (docs/api/dingtalk-v1.md, Versions and
// App properties): replies, bad input, and the rule that a PRIVATE property is never shown to
// another app in any reply that carries a dentry.
#include "api/dingtalk_v1/dingtalk_api.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Field;
using testing::Headers;
using testing::ScopedRoute;
using testing::Step;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kVersions = kSpace + "/dentries/{file}/versions?unionId={union}";
const std::string kRevert1 = kSpace + "/dentries/{file}/versions/1/revert?unionId={union}";
const std::string kProps = kSpace + "/dentries/{file}/appProperties?unionId={union}";
const std::string kRemove = kSpace + "/dentries/{file}/appProperties/remove?unionId={union}";
const std::string kGetFile = kSpace + "/dentries/{file}/query?unionId={union}";
const Headers kPeer = {{"x-acs-dingtalk-access-token", "{peer_token}"}};

// CommitFile of {uploaded_key} ("world") over {file} ("hello"): {file} gets version 2.
const Step kOverwrite = {"POST", kSpace + "/files/commit?unionId={union}",
                         R"({"uploadKey":"{uploaded_key}","name":"a.txt","parentId":"0",)"
                         R"("overwriteDentryId":"{file}"})"};
const Step kRevertTo1 = {"POST", kRevert1};
// The bootstrap app's id, as {app1}.
const Step kKeepAppId = {.method = "POST",
                         .target = "/v1.0/storage/currentApps/query?unionId={union}",
                         .keep = {{"app1", "/app/appId"}}};

// A reply's member at `at` that must equal `json` (serialized).
Field Is(std::string at, kind k, std::string json) { return {std::move(at), k, std::move(json)}; }

// ---------------------------------------------------------------------------------------------
// Versions

const std::vector<ApiCase> kVersionCases = {
    {.name = "ListFirstPage",
     .method = "GET",
     .target = kVersions + "&maxResults=1",
     .fields = {Is("/dentries/0/id", kind::string, "{file}"),
                Is("/dentries/0/version", kind::int64, "2"),
                Is("/dentries/0/size", kind::int64, "5"),
                Is("/dentries/0/name", kind::string, "a.txt"),
                Is("/dentries/0/type", kind::string, "FILE"),
                Is("/dentries/0/extension", kind::string, "txt"),
                Is("/dentries/0/modifierId", kind::string, "{union}"),
                {"/dentries/0/modifiedTime", kind::string},
                {"/dentries/0/createTime", kind::string},
                {"/dentries/0/appProperties", kind::object},
                {"/dentries/0/uuid", kind::string},
                {"/dentries/0/category", kind::null},  // The plain Dentry shape.
                {"/dentries/0/thumbnail", kind::null},
                {"/dentries/1", kind::null},
                {"/nextToken", kind::string}},
     .before = {kOverwrite}},
    {.name = "ListSecondPage",
     .method = "GET",
     .target = kVersions + "&maxResults=1&nextToken={vt}",
     .fields = {Is("/dentries/0/version", kind::int64, "1"),
                Is("/dentries/0/size", kind::int64, "5"),
                {"/dentries/1", kind::null},
                {"/nextToken", kind::null}},
     .before = {kOverwrite,
                {.method = "GET",
                 .target = kVersions + "&maxResults=1",
                 .keep = {{"vt", "/nextToken"}}}}},
    {.name = "ListDefaultPageHoldsAll",
     .method = "GET",
     .target = kVersions,
     .fields = {Is("/dentries/0/version", kind::int64, "3"),
                Is("/dentries/1/version", kind::int64, "2"),
                Is("/dentries/2/version", kind::int64, "1"),
                {"/nextToken", kind::null}},
     .before = {kOverwrite, kRevertTo1}},
    {.name = "ListMaxResultsZero",
     .method = "GET",
     .target = kVersions + "&maxResults=0",
     .status = 400,
     .code = "paramError"},
    {.name = "ListMaxResultsTooLarge",
     .method = "GET",
     .target = kVersions + "&maxResults=101",
     .status = 400,
     .code = "paramError"},
    {.name = "ListMaxResultsNotANumber",
     .method = "GET",
     .target = kVersions + "&maxResults=ten",
     .status = 400,
     .code = "paramError"},
    {.name = "ListBadToken",
     .method = "GET",
     .target = kVersions + "&nextToken=m.1.2",
     .status = 400,
     .code = "paramError"},
    {.name = "ListFolder",
     .method = "GET",
     .target = kSpace + "/dentries/{folder}/versions?unionId={union}",
     .status = 400,
     .code = "paramError"},
    {.name = "ListRoot",
     .method = "GET",
     .target = kSpace + "/dentries/0/versions?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "ListUnknownDentry",
     .method = "GET",
     .target = kSpace + "/dentries/999999999999/versions?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "ListForeignDentry",
     .method = "GET",
     .target = "/v1.0/storage/spaces/{small}/dentries/{file}/versions?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "ListUnknownSpace",
     .method = "GET",
     .target = "/v1.0/storage/spaces/999999999999/dentries/{file}/versions?unionId={union}",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "ListOtherUser",
     .method = "GET",
     .target = kSpace + "/dentries/{file}/versions?unionId={union2}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "Revert",
     .method = "POST",
     .target = kRevert1,
     .fields = {Is("/success", kind::bool_, "true")},
     .before = {kOverwrite}},
    {.name = "RevertShowsInGetDentry",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/version", kind::int64, "3"), Is("/dentry/size", kind::int64, "5")},
     .before = {kOverwrite, kRevertTo1}},
    {.name = "RevertChargesQuota",
     .method = "GET",
     .target = kSpace + "?unionId={union}",
     .fields = {Is("/space/usedQuota", kind::int64, "15")},  // hello, world, hello again.
     .before = {kOverwrite, kRevertTo1}},
    {.name = "RevertDownloadsTheOldContent",
     .method = "GET",
     .target = "{rv_url}",
     .headers = Headers{{"Authorization", "{rv_auth}"}},
     .response_body = "hello",
     .content_type = "application/octet-stream",
     .before = {kOverwrite,
                kRevertTo1,
                {.method = "POST",
                 .target = kSpace + "/dentries/{file}/downloadInfos/query?unionId={union}",
                 .body = R"({"option":{"version":3}})",
                 .keep = {{"rv_url", "/headerSignatureInfo/resourceUrls/0"},
                          {"rv_auth", "/headerSignatureInfo/headers/Authorization"}}}}},
    {.name = "RevertToTheLatest",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/1/revert?unionId={union}",
     .fields = {Is("/success", kind::bool_, "true")}},
    {.name = "RevertUnknownVersion",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/2/revert?unionId={union}",
     .status = 404,
     .code = "versionNotExist"},
    {.name = "RevertVersionZero",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/0/revert?unionId={union}",
     .status = 404,
     .code = "versionNotExist"},
    {.name = "RevertVersionNegative",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/-1/revert?unionId={union}",
     .status = 404,
     .code = "versionNotExist"},
    {.name = "RevertVersionNotANumber",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/abc/revert?unionId={union}",
     .status = 400,
     .code = "paramError"},
    {.name = "RevertVersionFraction",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/1.0/revert?unionId={union}",
     .status = 400,
     .code = "paramError"},
    {.name = "RevertVersionOverflow",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/99999999999999999999/revert?unionId={union}",
     .status = 400,
     .code = "paramError"},
    {.name = "RevertFolder",
     .method = "POST",
     .target = kSpace + "/dentries/{folder}/versions/1/revert?unionId={union}",
     .status = 400,
     .code = "paramError"},
    {.name = "RevertForeignDentry",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{small}/dentries/{file}/versions/1/revert?unionId={union}",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "RevertOverQuota",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{small}/dentries/{s_file}/versions/1/revert?unionId={union}",
     .status = 403,
     .code = "quotaExceeded",
     // {small} holds 10 bytes: a file of 6 fits once, its revert does not.
     .before = {{.method = "POST",
                 .target = "/v1.0/storage/spaces/{small}/files/uploadInfos/query?unionId={union}",
                 .body = R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"size":6}}})",
                 .keep = {{"s_key", "/uploadKey"},
                          {"s_url", "/headerSignatureInfo/resourceUrls/0"},
                          {"s_auth", "/headerSignatureInfo/headers/Authorization"}}},
                {.method = "PUT",
                 .target = "{s_url}",
                 .body = "sixsix",
                 .headers = Headers{{"Authorization", "{s_auth}"}, {"Content-Length", "6"}}},
                {.method = "POST",
                 .target = "/v1.0/storage/spaces/{small}/files/commit?unionId={union}",
                 .body = R"({"uploadKey":"{s_key}","name":"s.txt","parentId":"0"})",
                 .keep = {{"s_file", "/dentry/id"}}}}},
    {.name = "RevertDisabledSpace",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{disabled}/dentries/{file}/versions/1/revert?unionId={union}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "RevertOtherUser",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/versions/1/revert?unionId={union2}",
     .status = 403,
     .code = "permissionDenied"},
};

// ---------------------------------------------------------------------------------------------
// App properties

const std::string kPubPriv =
    R"({"appProperties":[{"name":"pub","value":"1","visibility":"PUBLIC"},)"
    R"({"name":"priv","value":"2","visibility":"PRIVATE"}]})";
const Step kSetFileProps = {"PUT", kProps, kPubPriv};
const Step kSetFolderProps = {"PUT", kSpace + "/dentries/{folder}/appProperties?unionId={union}",
                              kPubPriv};
// What the bootstrap app sees of kPubPriv, and what any other app sees.
const std::string kOwnView = R"({"{app1}":[{"name":"pub","value":"1","visibility":"PUBLIC"},)"
                             R"({"name":"priv","value":"2","visibility":"PRIVATE"}]})";
const std::string kOtherView = R"({"{app1}":[{"name":"pub","value":"1","visibility":"PUBLIC"}]})";

ApiCase BadUpdate(const char* name, std::string body) {
  return {.name = name,
          .method = "PUT",
          .target = kProps,
          .body = std::move(body),
          .status = 400,
          .code = "paramError"};
}

const std::vector<ApiCase> kPropertyCases = {
    {.name = "Update",
     .method = "PUT",
     .target = kProps,
     .body = kPubPriv,
     .fields = {Is("/success", kind::bool_, "true")}},
    {.name = "UpdateShowsToItsApp",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/appProperties", kind::object, kOwnView)},
     .before = {kKeepAppId, kSetFileProps}},
    {.name = "UpdateUpserts",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/appProperties", kind::object,
                   R"({"{app1}":[{"name":"pub","value":"new","visibility":"PRIVATE"},)"
                   R"({"name":"priv","value":"2","visibility":"PRIVATE"},)"
                   R"({"name":"third","value":"3","visibility":"PUBLIC"}]})")},
     .before = {kKeepAppId,
                kSetFileProps,
                {"PUT", kProps,
                 R"({"appProperties":[{"name":"pub","value":"new","visibility":"PRIVATE"},)"
                 R"({"name":"third","value":"3","visibility":"PUBLIC"}]})"}}},
    {.name = "UpdateAppsDoNotCollide",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/appProperties", kind::object,
                   R"({"{app1}":[{"name":"pub","value":"1","visibility":"PUBLIC"},)"
                   R"({"name":"priv","value":"2","visibility":"PRIVATE"}],)"
                   R"("{peer}":[{"name":"pub","value":"peer","visibility":"PUBLIC"}]})")},
     .before = {kKeepAppId,
                kSetFileProps,
                {.method = "POST",
                 .target = "/v1.0/storage/currentApps/query?unionId={union}",
                 .headers = kPeer,
                 .keep = {{"peer", "/app/appId"}}},
                {.method = "PUT",
                 .target = kProps,
                 .body =
                     R"({"appProperties":[{"name":"pub","value":"peer","visibility":"PUBLIC"}]})",
                 .headers = kPeer}}},
    {.name = "UpdateFourthPropertyOfAnApp",
     .method = "PUT",
     .target = kProps,
     .body = R"({"appProperties":[{"name":"x","value":"1","visibility":"PUBLIC"},)"
             R"({"name":"y","value":"1","visibility":"PUBLIC"}]})",
     .status = 400,
     .code = "paramError",
     .before = {kSetFileProps}},
    BadUpdate("UpdateMissingList", "{}"),
    BadUpdate("UpdateEmptyList", R"({"appProperties":[]})"),
    BadUpdate("UpdateListNotArray", R"({"appProperties":{"name":"a"}})"),
    BadUpdate("UpdateFourInOneCall",
              R"({"appProperties":[{"name":"a","value":"1","visibility":"PUBLIC"},)"
              R"({"name":"b","value":"1","visibility":"PUBLIC"},)"
              R"({"name":"c","value":"1","visibility":"PUBLIC"},)"
              R"({"name":"d","value":"1","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateMissingName", R"({"appProperties":[{"value":"1","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateBlankName",
              R"({"appProperties":[{"name":"  ","value":"1","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateMissingValue", R"({"appProperties":[{"name":"a","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateEmptyValue",
              R"({"appProperties":[{"name":"a","value":"","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateMissingVisibility", R"({"appProperties":[{"name":"a","value":"1"}]})"),
    BadUpdate("UpdateBadVisibility",
              R"({"appProperties":[{"name":"a","value":"1","visibility":"public"}]})"),
    BadUpdate("UpdateDuplicateNames",
              R"({"appProperties":[{"name":"a","value":"1","visibility":"PUBLIC"},)"
              R"({"name":"a","value":"2","visibility":"PUBLIC"}]})"),
    BadUpdate("UpdateValueNotString",
              R"({"appProperties":[{"name":"a","value":1,"visibility":"PUBLIC"}]})"),
    {.name = "UpdateUnknownDentry",
     .method = "PUT",
     .target = kSpace + "/dentries/999999999999/appProperties?unionId={union}",
     .body = kPubPriv,
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "UpdateForeignDentry",
     .method = "PUT",
     .target = "/v1.0/storage/spaces/{small}/dentries/{file}/appProperties?unionId={union}",
     .body = kPubPriv,
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "UpdateFolder",
     .method = "PUT",
     .target = kSpace + "/dentries/{folder}/appProperties?unionId={union}",
     .body = kPubPriv,
     .fields = {Is("/success", kind::bool_, "true")}},
    {.name = "UpdateOtherUser",
     .method = "PUT",
     .target = kSpace + "/dentries/{file}/appProperties?unionId={union2}",
     .body = kPubPriv,
     .status = 403,
     .code = "permissionDenied"},
    {.name = "Remove",
     .method = "POST",
     .target = kRemove,
     .body = R"({"propertyNames":["priv","unknown"]})",
     .fields = {Is("/success", kind::bool_, "true")},
     .before = {kSetFileProps}},
    {.name = "RemoveLeavesTheRest",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/appProperties", kind::object, kOtherView)},
     .before = {kKeepAppId, kSetFileProps, {"POST", kRemove, R"({"propertyNames":["priv"]})"}}},
    {.name = "RemoveOnlyTheCallersOwn",
     .method = "POST",
     .target = kGetFile,
     .fields = {Is("/dentry/appProperties", kind::object, kOwnView)},
     .before = {kKeepAppId,
                kSetFileProps,
                {.method = "POST",
                 .target = kRemove,
                 .body = R"({"propertyNames":["pub","priv"]})",
                 .headers = kPeer}}},
    {.name = "RemoveMissingNames",
     .method = "POST",
     .target = kRemove,
     .body = "{}",
     .status = 400,
     .code = "paramError"},
    {.name = "RemoveEmptyNames",
     .method = "POST",
     .target = kRemove,
     .body = R"({"propertyNames":[]})",
     .status = 400,
     .code = "paramError"},
    {.name = "RemoveFourNames",
     .method = "POST",
     .target = kRemove,
     .body = R"({"propertyNames":["a","b","c","d"]})",
     .status = 400,
     .code = "paramError"},
    {.name = "RemoveBlankName",
     .method = "POST",
     .target = kRemove,
     .body = R"({"propertyNames":[""]})",
     .status = 400,
     .code = "paramError"},
    {.name = "RemoveNamesNotStrings",
     .method = "POST",
     .target = kRemove,
     .body = R"({"propertyNames":[1]})",
     .status = 400,
     .code = "paramError"},
    {.name = "RemoveUnknownDentry",
     .method = "POST",
     .target = kSpace + "/dentries/999999999999/appProperties/remove?unionId={union}",
     .body = R"({"propertyNames":["a"]})",
     .status = 404,
     .code = "dentryNotExist"},
};

// ---------------------------------------------------------------------------------------------
// PRIVATE properties in every reply that carries a dentry, read by another app ({peer_token})

ApiCase Audit(const char* name, std::string method, std::string target, std::string body,
              std::vector<Field> fields, std::vector<Step> before = {}) {
  std::vector<Step> steps = {kKeepAppId, kSetFileProps, kSetFolderProps};
  for (auto& s : before) steps.push_back(std::move(s));
  return {.name = name,
          .method = std::move(method),
          .target = std::move(target),
          .body = std::move(body),
          .headers = kPeer,
          .fields = std::move(fields),
          .before = std::move(steps)};
}

const std::vector<ApiCase> kAuditCases = {
    Audit("GetDentry", "POST", kGetFile, "",
          {Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("GetDentryFilteredToTheOwner", "POST", kGetFile,
          R"({"option":{"appIdsForAppProperties":["{app1}"]}})",
          {Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("GetDentries", "POST", kSpace + "/dentries/query?unionId={union}",
          R"({"dentryIds":["{file}","{folder}"]})",
          {Is("/resultItems/0/dentry/appProperties", kind::object, kOtherView),
           Is("/resultItems/1/dentry/appProperties", kind::object, kOtherView)}),
    Audit("ListDentries", "GET", kSpace + "/dentries?unionId={union}&parentId=0&orderBy=NAME", "",
          {Is("/dentries/0/appProperties", kind::object, kOtherView),
           Is("/dentries/1/appProperties", kind::object, kOtherView)}),
    Audit("ListAllDentries", "POST", kSpace + "/dentries/listAll?unionId={union}", "",
          {Is("/dentries/0/appProperties", kind::object, kOtherView),
           Is("/dentries/1/appProperties", kind::object, kOtherView)}),
    Audit("ListDentryVersions", "GET", kVersions, "",
          {Is("/dentries/0/appProperties", kind::object, kOtherView)}),
    Audit("AddFolderReturningTheExisting", "POST", kSpace + "/dentries/0/folders?unionId={union}",
          R"({"name":"docs","option":{"conflictStrategy":"RETURN_DENTRY_IF_EXISTS"}})",
          {Is("/dentry/id", kind::string, "{folder}"),
           Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("CommitFileOverwriting", "POST", kSpace + "/files/commit?unionId={union}",
          R"({"uploadKey":"{uploaded_key}","name":"a.txt","parentId":"0",)"
          R"("overwriteDentryId":"{file}"})",
          {Is("/dentry/version", kind::int64, "2"),
           Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("CommitFileReturningTheExisting", "POST", kSpace + "/files/commit?unionId={union}",
          R"({"uploadKey":"{uploaded_key}","name":"a.txt","parentId":"0",)"
          R"("option":{"conflictStrategy":"RETURN_DENTRY_IF_EXISTS"}})",
          {Is("/dentry/id", kind::string, "{file}"),
           Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("RenameDentry", "POST", kSpace + "/dentries/{file}/rename?unionId={union}",
          R"({"newName":"b.txt"})", {Is("/dentry/appProperties", kind::object, kOtherView)}),
    Audit("MoveDentry", "POST", kSpace + "/dentries/{file}/move?unionId={union}",
          R"({"targetSpaceId":"{space}","targetFolderId":"{folder}"})",
          {Is("/dentry/parentId", kind::string, "{folder}"),
           Is("/dentry/appProperties", kind::object, kOtherView)}),
    // A copy carries the source's properties, the first app's PRIVATE ones included.
    Audit("CopyDentry", "POST", kSpace + "/dentries/{file}/copy?unionId={union}",
          R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
          {Is("/dentry/name", kind::string, "a (1).txt"),
           Is("/dentry/appProperties", kind::object, kOtherView)}),
};

// The new routes, each asked with a token lacking its scope.
const std::vector<ScopedRoute> kScopedRoutes = {
    {"ListDentryVersions", "GET", kVersions, "Storage.File.Read"},
    {"RevertDentryVersion", "POST", kRevert1, "Storage.File.Write"},
    {"UpdateDentryAppProperties", "PUT", kProps, "Storage.File.Write"},
    {"DeleteDentryAppProperties", "POST", kRemove, "Storage.File.Write"},
};

std::vector<ApiCase> ScopeCases() {
  return testing::PerRoute(kScopedRoutes,
                           {.headers = Headers{{"x-acs-dingtalk-access-token", "{limited_token}"}},
                            .status = 403,
                            .code = "Forbidden.AccessDenied.AccessTokenPermissionDenied",
                            .required_scope = "{scope}"});
}

class DingTalkPropsTest : public testing::ApiCaseTest {};

TEST_P(DingTalkPropsTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Versions, DingTalkPropsTest, ::testing::ValuesIn(kVersionCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(AppProperties, DingTalkPropsTest, ::testing::ValuesIn(kPropertyCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(PrivateToOtherApps, DingTalkPropsTest, ::testing::ValuesIn(kAuditCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(Scopes, DingTalkPropsTest, ::testing::ValuesIn(ScopeCases()),
                         testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
