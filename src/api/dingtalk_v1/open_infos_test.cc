// The open-link endpoints (open_infos.cc) through DingTalkApi::Handle: the wire readers of
// RegisterOpenInfo and GetDentryOpenInfo, the errors docs/api/dingtalk-v1.md names (Open infos
// and WebOffice), and the reply shapes of all four.
#include "api/dingtalk_v1/dingtalk_api.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Step;

const std::string kFile = "/v1.0/storage/spaces/{space}/dentries/{file}";
const std::string kRegister = kFile + "/openInfos/register?unionId={union}";
const std::string kQuery = kFile + "/openInfos/query?unionId={union}";
const std::string kOffice = kFile + "/webOfficeUrls?unionId={union}";
const std::string kRefresh = kFile + "/refreshWebOfficeToken?unionId={union}";

ApiCase Refused(const char* name, std::string method, std::string target, std::string body,
                int status = 400, std::string code = "paramError") {
  return {.name = name,
          .method = std::move(method),
          .target = std::move(target),
          .body = std::move(body),
          .status = status,
          .code = std::move(code)};
}

std::string Register(std::string_view infos, std::string_view provider = R"("MS_OFFICE")") {
  return R"({"provider":)" + std::string(provider) + R"(,"openInfos":)" + std::string(infos) + "}";
}

// A WebOffice pair of {file}: {access} and {refresh}.
Step IssuePair() {
  return {.method = "GET",
          .target = kOffice,
          .keep = {{"access", "/webOfficeAccessToken"}, {"refresh", "/webOfficeRefreshToken"}}};
}

const std::vector<ApiCase> kCases = {
    Refused("RegisterWithoutProvider", "POST", kRegister,
            R"({"openInfos":[{"openType":"EDIT","url":"https://x/"}]})"),
    Refused("RegisterUnknownProvider", "POST", kRegister,
            Register(R"([{"openType":"EDIT","url":"https://x/"}])", R"("WPS")")),
    Refused("RegisterWithoutOpenInfos", "POST", kRegister, R"({"provider":"MS_OFFICE"})"),
    Refused("RegisterOpenInfosNotArray", "POST", kRegister, Register(R"({"openType":"EDIT"})")),
    Refused("RegisterEmptyOpenInfos", "POST", kRegister, Register("[]")),
    Refused("RegisterItemNotObject", "POST", kRegister, Register(R"(["https://x/"])")),
    Refused("RegisterUnknownOpenType", "POST", kRegister,
            Register(R"([{"openType":"VIEW","url":"https://x/"}])")),
    Refused("RegisterWithoutUrl", "POST", kRegister, Register(R"([{"openType":"EDIT"}])")),
    Refused("RegisterRelativeUrl", "POST", kRegister,
            Register(R"([{"openType":"EDIT","url":"/edit"}])")),
    Refused("RegisterFtpUrl", "POST", kRegister,
            Register(R"([{"openType":"EDIT","url":"ftp://x/"}])")),
    Refused("RegisterFolder", "POST",
            "/v1.0/storage/spaces/{space}/dentries/{folder}/openInfos/register?unionId={union}",
            Register(R"([{"openType":"EDIT","url":"https://x/"}])")),
    Refused("RegisterAsStranger", "POST", kFile + "/openInfos/register?unionId={union2}",
            Register(R"([{"openType":"EDIT","url":"https://x/"}])"), 403, "permissionDenied"),
    {.name = "RegisterAnswersSuccess",
     .method = "POST",
     .target = kRegister,
     .body = Register(R"([{"openType":"EDIT","url":"https://x.example/e"}])"),
     .response_body = R"({"success":true})"},
    Refused("QueryUnknownType", "POST", kQuery, R"({"option":{"type":"PRINT"}})"),
    Refused("QueryTypeNotString", "POST", kQuery, R"({"option":{"type":1}})"),
    Refused("QueryVersionString", "POST", kQuery, R"({"option":{"version":"1"}})"),
    Refused("QueryCheckLoginNotBool", "POST", kQuery, R"({"option":{"checkLogin":"yes"}})"),
    Refused("QueryMissingVersion", "POST", kQuery, R"({"option":{"version":2}})", 404,
            "versionNotExist"),
    Refused("QueryEditWithoutEditor", "POST", kQuery, R"({"option":{"type":"EDIT"}})", 404,
            "openInfoNotExist"),
    Refused("QueryMissingDentry", "POST",
            "/v1.0/storage/spaces/{space}/dentries/404040404040/openInfos/query?unionId={union}",
            "{}", 404, "dentryNotExist"),
    {.name = "QueryAnswersAPreviewLink",
     .method = "POST",
     .target = kQuery,
     .body = R"({"option":{"type":"PREVIEW","version":1,"waterMark":true}})",
     .fields = {{"/url", kind::string}, {"/hasWaterMark", kind::bool_, "true"}}},
    {.name = "QueryAnswersTheRegisteredEditor",
     .method = "POST",
     .target = kQuery,
     .body = R"({"option":{"type":"EDIT","waterMark":true}})",
     .response_body = R"({"url":"https://x.example/e","hasWaterMark":false})",
     .before = {{"POST", kRegister,
                 Register(R"([{"openType":"EDIT","url":"https://x.example/e"}])")}}},
    {.name = "OfficeAnswersAPair",
     .method = "GET",
     .target = kOffice,
     .fields = {{"/webOfficeUrl", kind::string},
                {"/webOfficeAccessToken", kind::string},
                {"/webOfficeRefreshToken", kind::string}}},
    Refused("RefreshWithoutTokens", "GET", kRefresh, ""),
    Refused("RefreshWithoutRefreshToken", "GET", kRefresh + "&webOfficeAccessToken=abc", "", 400,
            "paramError"),
    {.name = "RefreshAnswersANewPair",
     .method = "GET",
     .target = kRefresh + "&webOfficeAccessToken={access}&webOfficeRefreshToken={refresh}",
     .fields = {{"/webOfficeAccessToken", kind::string},
                {"/webOfficeRefreshToken", kind::string},
                {"/webOfficeUrl", kind::null}},
     .before = {IssuePair()}},
    {.name = "RefreshTwiceIsRefused",
     .method = "GET",
     .target = kRefresh + "&webOfficeAccessToken={access}&webOfficeRefreshToken={refresh}",
     .status = 400,
     .code = "paramError",
     .msg = "webOfficeRefreshToken has already been used",
     .before = {IssuePair(),
                {"GET",
                 kRefresh + "&webOfficeAccessToken={access}&webOfficeRefreshToken={refresh}"}}},
    // 24 h expiry is a domain test (OpenServiceTest.OfficeTokensExpire): the API token
    // would expire first here.
    {.name = "RefreshOfUnknownTokenIsRefused",
     .method = "GET",
     .target =
         kRefresh + "&webOfficeAccessToken={access}&webOfficeRefreshToken=" + std::string(64, 'f'),
     .status = 400,
     .code = "paramError",
     .msg = "webOfficeRefreshToken is not valid",
     .before = {IssuePair()}},
};

class DingTalkOpenInfosTest : public testing::ApiCaseTest {};

TEST_P(DingTalkOpenInfosTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(OpenInfos, DingTalkOpenInfosTest, ::testing::ValuesIn(kCases),
                         testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
