// The permission endpoints (permissions.cc) through DingTalkApi::Handle: every refusal of the
// wire readers (roleId, members, option, the list options, BatchQueryRoles' JSON-encoded
// dentryIdList), the grant rules of docs/permissions.md as the dialect answers them (400
// paramError, 403 permissionDenied, 404 permissionNotExist), and the reply shapes: duration
// for temporary grants, an expired grant gone from the list, roleMap per id.
#include "api/dingtalk_v1/dingtalk_api.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Step;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kGrant = kSpace + "/dentries/{folder}/permissions?unionId={union}";
const std::string kRevoke = kSpace + "/dentries/{folder}/permissions/remove?unionId={union}";
const std::string kList = kSpace + "/dentries/{folder}/permissions/query?unionId={union}";
const std::string kRoles = kSpace + "/dentries/permissions/roles/batchQuery?unionId={union}";
const std::string kAppGrant =
    "/v1.0/storage/spaces/{app_space}/dentries/0/permissions?unionId={union}";
const std::string kAppList =
    "/v1.0/storage/spaces/{app_space}/dentries/0/permissions/query?unionId={union}";

// A body granting `role` to {union2}, with `option` (JSON) when given.
std::string Grant(std::string_view role, std::string_view option = {}) {
  std::string body =
      R"({"roleId":")" + std::string(role) + R"(","members":[{"type":"USER","id":"{union2}"}])";
  if (!option.empty()) body += R"(,"option":)" + std::string(option);
  return body + "}";
}

// A body naming `members` (a JSON array) with role EDITOR.
std::string Members(std::string_view members) {
  return R"({"roleId":"EDITOR","members":)" + std::string(members) + "}";
}

// `n` USER members, all {union2} (the stack has two users; conformance checks 30 distinct).
std::string ManyMembers(int n) {
  std::string list = "[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) list += ",";
    list += R"({"type":"USER","id":"{union2}"})";
  }
  return list + "]";
}

// An APP space of the bootstrap app, created by {union}: {app_space}.
Step AddAppSpace() {
  return {.method = "POST",
          .target = "/v1.0/storage/spaces?unionId={union}",
          .body = R"({"option":{"scene":"permapp","ownerType":"APP"}})",
          .keep = {{"app_space", "/space/id"}}};
}

// `dentryIdList` (already percent-encoded) in BatchQueryRoles.
std::string RolesOf(std::string_view encoded) {
  return kRoles + "&dentryIdList=" + std::string(encoded);
}

ApiCase Refused(const char* name, std::string method, std::string target, std::string body,
                int status = 400, std::string code = "paramError") {
  return {.name = name,
          .method = std::move(method),
          .target = std::move(target),
          .body = std::move(body),
          .status = status,
          .code = std::move(code)};
}

// The wire readers of permissions.cc: shapes the domain never sees.
const std::vector<ApiCase> kWireCases = {
    Refused("AddWithoutRoleId", "POST", kGrant, R"({"members":[{"type":"USER","id":"{union2}"}]})"),
    Refused("AddEmptyRoleId", "POST", kGrant, Grant("")),
    Refused("AddRoleIdNotString", "POST", kGrant,
            R"({"roleId":3,"members":[{"type":"USER","id":"{union2}"}]})"),
    Refused("AddWithoutMembers", "POST", kGrant, R"({"roleId":"EDITOR"})"),
    Refused("AddMembersNull", "POST", kGrant, R"({"roleId":"EDITOR","members":null})"),
    Refused("AddMembersNotArray", "POST", kGrant, Members(R"({"type":"USER","id":"{union2}"})")),
    Refused("AddMemberNotObject", "POST", kGrant, Members(R"(["{union2}"])")),
    Refused("AddMemberWithoutType", "POST", kGrant, Members(R"([{"id":"{union2}"}])")),
    Refused("AddMemberTypeNotString", "POST", kGrant, Members(R"([{"type":1,"id":"{union2}"}])")),
    Refused("AddMemberIdNotString", "POST", kGrant, Members(R"([{"type":"USER","id":7}])")),
    Refused("AddMemberCorpIdNotString", "POST", kGrant,
            Members(R"([{"type":"DEPT","id":"d1","corpId":["{corp}"]}])")),
    Refused("AddOptionNotObject", "POST", kGrant, Grant("EDITOR", "60")),
    Refused("AddDurationNotInteger", "POST", kGrant, Grant("EDITOR", R"({"duration":1.5})")),
    Refused("AddDurationString", "POST", kGrant, Grant("EDITOR", R"({"duration":"60"})")),
    Refused("UpdateWithoutMembers", "PUT", kGrant, R"({"roleId":"EDITOR"})"),
    Refused("DeleteWithoutRoleId", "POST", kRevoke,
            R"({"members":[{"type":"USER","id":"{union2}"}]})"),
    Refused("DeleteWithoutMembers", "POST", kRevoke, R"({"roleId":"EDITOR"})"),
    Refused("ListOptionNotObject", "POST", kList, R"({"option":[]})"),
    Refused("ListFilterNotArray", "POST", kList, R"({"option":{"filterRoleIds":"EDITOR"}})"),
    Refused("ListFilterItemNotString", "POST", kList, R"({"option":{"filterRoleIds":[1]}})"),
    Refused("ListMaxResultsString", "POST", kList, R"({"option":{"maxResults":"10"}})"),
    Refused("ListNextTokenNotString", "POST", kList, R"({"option":{"nextToken":5}})"),
    Refused("RolesWithoutList", "POST", kRoles, ""),
    Refused("RolesEmptyList", "POST", RolesOf(""), ""),
    Refused("RolesMalformed", "POST", RolesOf("%5B%22a%22%2C"), ""),
    Refused("RolesNotJson", "POST", RolesOf("a,b"), ""),
    Refused("RolesObject", "POST", RolesOf("%7B%22a%22%3A1%7D"), ""),
    Refused("RolesString", "POST", RolesOf("%22{folder}%22"), ""),
    Refused("RolesNumbers", "POST", RolesOf("%5B1%2C2%5D"), ""),
    Refused("RolesNested", "POST", RolesOf("%5B%5B%22{folder}%22%5D%5D"), ""),
    Refused("RolesNull", "POST", RolesOf("null"), ""),
    Refused("RolesRepeated", "POST", RolesOf("%5B%220%22%5D&dentryIdList=%5B%220%22%5D"), ""),
};

// The grant rules, as the dialect answers the domain's refusals.
const std::vector<ApiCase> kRuleCases = {
    Refused("UnknownRole", "POST", kGrant, Grant("WRITER")),
    Refused("RoleInLowerCase", "POST", kGrant, Grant("editor")),
    Refused("OwnerIsNeverGranted", "POST", kGrant, Grant("OWNER")),
    Refused("EmptyMembers", "POST", kGrant, Members("[]")),
    Refused("ThirtyOneMembers", "POST", kGrant, Members(ManyMembers(31))),
    Refused("TagMember", "POST", kGrant, Members(R"([{"type":"TAG","id":"t1"}])")),
    Refused("ConversationMember", "POST", kGrant,
            Members(R"([{"type":"CONVERSATION","id":"c1"}])")),
    Refused("GgMember", "POST", kGrant, Members(R"([{"type":"GG","id":"g1"}])")),
    Refused("UnknownMemberType", "POST", kGrant, Members(R"([{"type":"ROBOT","id":"r1"}])")),
    Refused("DeptWithoutCorpId", "POST", kGrant, Members(R"([{"type":"DEPT","id":"d1"}])")),
    Refused("OrgOfAnotherCorp", "POST", kGrant, Members(R"([{"type":"ORG","id":"dingcorp9"}])")),
    Refused("UserWithoutId", "POST", kGrant, Members(R"([{"type":"USER"}])")),
    Refused("UnknownUser", "POST", kGrant, Members(R"([{"type":"USER","id":"nobody"}])")),
    Refused("UserWithEmptyId", "POST", kGrant, Members(R"([{"type":"USER","id":""}])")),
    Refused("TemporaryOnUserSpace", "POST", kGrant, Grant("EDITOR", R"({"duration":60})")),
    {.name = "PermanentOnAppSpace",
     .method = "POST",
     .target = kAppGrant,
     .body = Grant("EDITOR"),
     .status = 400,
     .code = "paramError",
     .before = {AddAppSpace()}},
    {.name = "DurationZero",
     .method = "POST",
     .target = kAppGrant,
     .body = Grant("EDITOR", R"({"duration":0})"),
     .status = 400,
     .code = "paramError",
     .before = {AddAppSpace()}},
    {.name = "DurationPastAnHour",
     .method = "POST",
     .target = kAppGrant,
     .body = Grant("EDITOR", R"({"duration":3601})"),
     .status = 400,
     .code = "paramError",
     .before = {AddAppSpace()}},
    {.name = "DurationNegative",
     .method = "POST",
     .target = kAppGrant,
     .body = Grant("EDITOR", R"({"duration":-5})"),
     .status = 400,
     .code = "paramError",
     .before = {AddAppSpace()}},
    Refused("NonMemberMayNotGrant", "POST",
            kSpace + "/dentries/{folder}/permissions?unionId={union2}", Grant("READER"), 403,
            "permissionDenied"),
    Refused("StrangerMayNotGrant", "POST",
            kSpace + "/dentries/{folder}/permissions?unionId={stranger}", Grant("READER"), 403,
            "permissionDenied"),
    Refused("UnknownDentry", "POST", kSpace + "/dentries/404040404040/permissions?unionId={union}",
            Grant("READER"), 404, "dentryNotExist"),
    Refused("UnknownSpace", "POST",
            "/v1.0/storage/spaces/99999999/dentries/0/permissions?unionId={union}", Grant("READER"),
            404, "spaceNotExist"),
    Refused("UpdateWithoutGrant", "PUT", kGrant, Grant("READER"), 404, "permissionNotExist"),
    Refused("DeleteUnknownRole", "POST", kRevoke, Grant("WRITER")),
    Refused("ListMaxResultsZero", "POST", kList, R"({"option":{"maxResults":0}})"),
    Refused("ListMaxResultsPast500", "POST", kList, R"({"option":{"maxResults":501}})"),
    Refused("ListFilterUnknownRole", "POST", kList, R"({"option":{"filterRoleIds":["WRITER"]}})"),
    Refused("ListGarbageToken", "POST", kList, R"({"option":{"nextToken":"garbage"}})"),
    Refused("RolesEmptyArray", "POST", RolesOf("%5B%5D"), ""),
};

// Accepted calls and what they answer.
const std::vector<ApiCase> kAnswerCases = {
    {.name = "DeleteTwiceSucceeds",
     .method = "POST",
     .target = kRevoke,
     .body = Grant("EDITOR"),
     .response_body = R"({"success":true})",
     .before = {{"POST", kGrant, Grant("EDITOR")}, {"POST", kRevoke, Grant("EDITOR")}}},
    {.name = "DeleteOtherRoleKeepsTheGrant",
     .method = "POST",
     .target = kList,
     .fields = {{"/permissions/0/role/id", kind::string, "EDITOR"}},
     .before = {{"POST", kGrant, Grant("EDITOR")}, {"POST", kRevoke, Grant("READER")}}},
    {.name = "DeleteEmptiesTheList",
     .method = "POST",
     .target = kList,
     .response_body = R"({"permissions":[]})",
     .before = {{"POST", kGrant, Grant("EDITOR")}, {"POST", kRevoke, Grant("EDITOR")}}},
    {.name = "AddReplacesTheRole",
     .method = "POST",
     .target = kList,
     .fields = {{"/permissions/0/role/id", kind::string, "DOWNLOADER"},
                {"/permissions/0/role/name", kind::string, "Downloader"},
                {"/permissions/1", kind::null}},
     .before = {{"POST", kGrant, Grant("EDITOR")}, {"POST", kGrant, Grant("DOWNLOADER")}}},
    {.name = "UpdateChangesTheRole",
     .method = "POST",
     .target = kList,
     .fields = {{"/permissions/0/role/id", kind::string, "MANAGER"},
                {"/permissions/0/role/name", kind::string, "Manager"}},
     .before = {{"POST", kGrant, Grant("READER")}, {"PUT", kGrant, Grant("MANAGER")}}},
    {.name = "TemporaryGrantListsItsDuration",
     .method = "POST",
     .target = kAppList,
     .fields = {{"/permissions/0/spaceId", kind::string, "{app_space}"},
                {"/permissions/0/dentryId", kind::string, "0"},
                {"/permissions/0/member/id", kind::string, "{union2}"},
                {"/permissions/0/role/id", kind::string, "READER"},
                {"/permissions/0/role/name", kind::string, "Reader"},
                {"/permissions/0/duration", kind::int64, "60"}},
     .before = {AddAppSpace(), {"POST", kAppGrant, Grant("READER", R"({"duration":60})")}}},
    {.name = "LongestTemporaryGrant",
     .method = "POST",
     .target = kAppList,
     .fields = {{"/permissions/0/duration", kind::int64, "3600"}},
     .before = {AddAppSpace(), {"POST", kAppGrant, Grant("READER", R"({"duration":3600})")}}},
    // The stack's tokens live 60 s, so these grants are shorter.
    {.name = "GrantLiveASecondBeforeExpiry",
     .method = "POST",
     .target = kAppList,
     .fields = {{"/permissions/0/duration", kind::int64, "30"}},
     .before = {AddAppSpace(), {"POST", kAppGrant, Grant("READER", R"({"duration":30})")}},
     .advance_seconds = 29},
    {.name = "ExpiredGrantIsNotListed",
     .method = "POST",
     .target = kAppList,
     .response_body = R"({"permissions":[]})",
     .before = {AddAppSpace(), {"POST", kAppGrant, Grant("READER", R"({"duration":30})")}},
     .advance_seconds = 30},
    {.name = "AllUsersNeedsNoId",
     .method = "POST",
     .target = kList,
     .fields = {{"/permissions/0/member/type", kind::string, "ALL_USERS"},
                {"/permissions/0/member/id", kind::string, ""},
                {"/permissions/0/member/corpId", kind::null}},
     .before = {{"POST", kGrant, Members(R"([{"type":"ALL_USERS"}])")}}},
    // On an APP space the owning app's users grant without a role of their own.
    {.name = "AppUserWithoutRoleGrants",
     .method = "POST",
     .target = "/v1.0/storage/spaces/{app_space}/dentries/0/permissions?unionId={union2}",
     .body = R"({"roleId":"READER","members":[{"type":"USER","id":"{union2}"}],)"
             R"("option":{"duration":10}})",
     .response_body = R"({"success":true})",
     .before = {AddAppSpace()}},
    {.name = "GrantedUserSeesItsRole",
     .method = "POST",
     .target = kSpace + "/dentries/permissions/roles/batchQuery?unionId={union2}"
                        "&dentryIdList=%5B%22{folder}%22%2C%22404040404040%22%2C%22{folder}%22%5D",
     .response_body = R"({"roleMap":{"{folder}":[{"id":"READER","name":"Reader"}],)"
                      R"("404040404040":[]}})",
     .before = {{"POST", kGrant, Grant("READER")}}},
    {.name = "OwnerSeesOwner",
     .method = "POST",
     .target = RolesOf("%5B%220%22%5D"),
     .response_body = R"({"roleMap":{"0":[{"id":"OWNER","name":"Owner"}]}})"},
    {.name = "UngrantedUserSeesNothing",
     .method = "POST",
     .target = kSpace + "/dentries/permissions/roles/batchQuery?unionId={union2}"
                        "&dentryIdList=%5B%22{file}%22%5D",
     .response_body = R"({"roleMap":{"{file}":[]}})"},
    {.name = "ListPages",
     .method = "POST",
     .target = kList,
     .body = R"({"option":{"maxResults":1}})",
     .fields = {{"/permissions/0/member/type", kind::string},
                {"/permissions/1", kind::null},
                {"/nextToken", kind::string}},
     .before = {{"POST", kGrant, Grant("READER")},
                {"POST", kGrant,
                 R"({"roleId":"EDITOR","members":[{"type":"ORG","id":"{corp}"}]})"}}},
    {.name = "ListFiltersByRole",
     .method = "POST",
     .target = kList,
     .body = R"({"option":{"filterRoleIds":["EDITOR"]}})",
     .fields = {{"/permissions/0/member/type", kind::string, "ORG"},
                {"/permissions/0/member/id", kind::string, "{corp}"},
                {"/permissions/1", kind::null}},
     .before = {{"POST", kGrant, Grant("READER")},
                {"POST", kGrant,
                 R"({"roleId":"EDITOR","members":[{"type":"ORG","id":"{corp}"}]})"}}},
};

class DingTalkPermissionsTest : public testing::ApiCaseTest {};

TEST_P(DingTalkPermissionsTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(PermissionWire, DingTalkPermissionsTest, ::testing::ValuesIn(kWireCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(PermissionRules, DingTalkPermissionsTest, ::testing::ValuesIn(kRuleCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(PermissionAnswers, DingTalkPermissionsTest,
                         ::testing::ValuesIn(kAnswerCases), testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
