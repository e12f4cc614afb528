// The events endpoints on the wire (events.cc): SubscribeEvent and UnsubscribeEvent with each
// refusal of docs/api/dingtalk-v1.md, "Events", and the log GET /v1.0/storage/events: its
// shape, paging, cursor and the events Seed()'s calls wrote (docs/events.md).
#include <gtest/gtest.h>

#include "api/api_test_case.h"
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/event_json.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Headers;
using testing::Step;

const std::string kSubscribe = "/v1.0/storage/events/subscribe?unionId={union}";
const std::string kUnsubscribe = "/v1.0/storage/events/unsubscribe?unionId={union}";
const std::string kLog = "/v1.0/storage/events?unionId={union}";

const Step kSubscribeOrg{"POST", kSubscribe, R"({"scope":"ORG","scopeId":"{corp}"})"};
const Step kSubscribeSpace{"POST", kSubscribe, R"({"scope":"SPACE","scopeId":"{space}"})"};

ApiCase Refused(const char* name, const std::string& target, std::string body, int status,
                std::string code) {
  return ApiCase{.name = name,
                 .method = "POST",
                 .target = target,
                 .body = std::move(body),
                 .status = status,
                 .code = std::move(code)};
}

// Seed() wrote, in this order: space.created {space}, {small}, {disabled}; space.updated
// {disabled} (KooDrive status 1); dentry.created {folder}; dentry.created {file}.
const std::vector<ApiCase> kCases = {
    {.name = "SubscribeOrg",
     .method = "POST",
     .target = kSubscribe,
     .body = R"({"scope":"ORG","scopeId":"{corp}"})",
     .fields = {{"/success", kind::bool_, "true"}}},
    {.name = "SubscribeSpace",
     .method = "POST",
     .target = kSubscribe,
     .body = R"({"scope":"SPACE","scopeId":"{space}"})",
     .fields = {{"/success", kind::bool_, "true"}}},
    {.name = "SubscribeTwice",
     .method = "POST",
     .target = kSubscribe,
     .body = R"({"scope":"SPACE","scopeId":"{space}"})",
     .fields = {{"/success", kind::bool_, "true"}},
     .before = {kSubscribeSpace}},
    Refused("SubscribeUnknownScope", kSubscribe, R"({"scope":"DEPT","scopeId":"{corp}"})", 400,
            "paramError"),
    Refused("SubscribeLowerCaseScope", kSubscribe, R"({"scope":"org","scopeId":"{corp}"})", 400,
            "paramError"),
    Refused("SubscribeMissingScope", kSubscribe, R"({"scopeId":"{corp}"})", 400, "paramError"),
    Refused("SubscribeScopeNotString", kSubscribe, R"({"scope":1,"scopeId":"{corp}"})", 400,
            "paramError"),
    Refused("SubscribeMissingScopeId", kSubscribe, R"({"scope":"ORG"})", 400, "paramError"),
    Refused("SubscribeEmptyScopeId", kSubscribe, R"({"scope":"SPACE","scopeId":""})", 400,
            "paramError"),
    Refused("SubscribeNoBody", kSubscribe, "", 400, "paramError"),
    Refused("SubscribeAnotherOrg", kSubscribe, R"({"scope":"ORG","scopeId":"othercorp"})", 403,
            "permissionDenied"),
    Refused("SubscribeUnknownSpace", kSubscribe, R"({"scope":"SPACE","scopeId":"999"})", 404,
            "spaceNotExist"),
    Refused("SubscribeSpaceTheUserCannotSee", "/v1.0/storage/events/subscribe?unionId={union2}",
            R"({"scope":"SPACE","scopeId":"{space}"})", 403, "permissionDenied"),
    Refused("SubscribeAsNonMember", "/v1.0/storage/events/subscribe?unionId={stranger}",
            R"({"scope":"ORG","scopeId":"{corp}"})", 403, "permissionDenied"),
    Refused("SubscribeWithoutUnionId", "/v1.0/storage/events/subscribe",
            R"({"scope":"ORG","scopeId":"{corp}"})", 400, "paramError"),
    {.name = "SubscribeWithoutTheScope",
     .method = "POST",
     .target = kSubscribe,
     .body = R"({"scope":"ORG","scopeId":"{corp}"})",
     .headers = Headers{{"x-acs-dingtalk-access-token", "{no_events_token}"}},
     .status = 403,
     .code = "Forbidden.AccessDenied.AccessTokenPermissionDenied",
     .required_scope = "Storage.Event.Write"},
    {.name = "SubscribeWithAnEventOnlyApp",
     .method = "POST",
     .target = kSubscribe,
     .body = R"({"scope":"SPACE","scopeId":"{space}"})",
     .headers = Headers{{"x-acs-dingtalk-access-token", "{limited_token}"}},
     .fields = {{"/success", kind::bool_, "true"}}},

    // UnsubscribeEvent
    {.name = "UnsubscribeWhatIsNotSubscribed",
     .method = "POST",
     .target = kUnsubscribe,
     .body = R"({"scope":"SPACE","scopeId":"999"})",
     .fields = {{"/success", kind::bool_, "true"}}},
    {.name = "UnsubscribeStopsTheLog",
     .method = "GET",
     .target = kLog,
     .fields = {{"/events", kind::array}, {"/events/0", kind::null}},
     .before = {kSubscribeOrg, {"POST", kUnsubscribe, R"({"scope":"ORG","scopeId":"{corp}"})"}}},
    Refused("UnsubscribeUnknownScope", kUnsubscribe, R"({"scope":"ALL","scopeId":"{corp}"})", 400,
            "paramError"),
    Refused("UnsubscribeMissingScopeId", kUnsubscribe, R"({"scope":"SPACE"})", 400, "paramError"),
    Refused("UnsubscribeAnotherOrg", kUnsubscribe, R"({"scope":"ORG","scopeId":"othercorp"})", 403,
            "permissionDenied"),
    {.name = "UnsubscribeWithoutTheScope",
     .method = "POST",
     .target = kUnsubscribe,
     .body = R"({"scope":"ORG","scopeId":"{corp}"})",
     .headers = Headers{{"x-acs-dingtalk-access-token", "{no_events_token}"}},
     .status = 403,
     .code = "Forbidden.AccessDenied.AccessTokenPermissionDenied",
     .required_scope = "Storage.Event.Write"},

    // The log
    {.name = "LogWithoutSubscriptionsIsEmptyAndAtTheEnd",
     .method = "GET",
     .target = kLog,
     .fields = {{"/events", kind::array},
                {"/events/0", kind::null},
                {"/nextCursor", kind::string, "e6"},
                {"/hasMore", kind::bool_, "false"}}},
    {.name = "LogOfTheOrg",
     .method = "GET",
     .target = kLog,
     .fields = {{"/events/0/seq", kind::int64, "1"},
                {"/events/0/type", kind::string, "space.created"},
                {"/events/0/eventId", kind::string},
                {"/events/0/corpId", kind::string, "{corp}"},
                {"/events/0/spaceId", kind::string, "{space}"},
                {"/events/0/dentryId", kind::null},
                {"/events/0/operatorId", kind::string, "{union}"},
                {"/events/0/time", kind::string},
                {"/events/0/data/name", kind::string, "main"},
                {"/events/0/data/quota", kind::int64, "1048576"},
                {"/events/0/data/disabled", kind::bool_, "false"},
                {"/events/3/type", kind::string, "space.updated"},
                {"/events/3/spaceId", kind::string, "{disabled}"},
                {"/events/3/data/disabled", kind::bool_, "true"},
                {"/events/4/type", kind::string, "dentry.created"},
                {"/events/4/dentryId", kind::string, "{folder}"},
                {"/events/4/data/name", kind::string, "docs"},
                {"/events/4/data/type", kind::string, "FOLDER"},
                {"/events/4/data/parentId", kind::string, "0"},
                {"/events/5/seq", kind::int64, "6"},
                {"/events/5/dentryId", kind::string, "{file}"},
                {"/events/5/data/type", kind::string, "FILE"},
                {"/events/5/data/size", kind::int64, "5"},
                {"/events/5/data/version", kind::int64, "1"},
                {"/events/6", kind::null},
                {"/nextCursor", kind::string, "e6"},
                {"/hasMore", kind::bool_, "false"}},
     .before = {kSubscribeOrg}},
    {.name = "LogOfOneSpace",
     .method = "GET",
     .target = kLog,
     .fields = {{"/events/0/seq", kind::int64, "1"},
                {"/events/1/seq", kind::int64, "5"},
                {"/events/2/seq", kind::int64, "6"},
                {"/events/2/spaceId", kind::string, "{space}"},
                {"/events/3", kind::null},
                {"/nextCursor", kind::string, "e6"}},
     .before = {kSubscribeSpace}},
    {.name = "LogPages",
     .method = "GET",
     .target = kLog + "&maxResults=2&cursor={next}",
     .fields = {{"/events/0/seq", kind::int64, "6"},
                {"/events/1", kind::null},
                {"/nextCursor", kind::string, "e6"},
                {"/hasMore", kind::bool_, "false"}},
     .before = {kSubscribeSpace,
                {.method = "GET",
                 .target = kLog + "&maxResults=1&cursor=e1",
                 .keep = {{"next", "/nextCursor"}}}}},
    {.name = "LogSaysWhenThereIsMore",
     .method = "GET",
     .target = kLog + "&maxResults=2",
     .fields = {{"/events/1/seq", kind::int64, "2"},
                {"/events/2", kind::null},
                {"/nextCursor", kind::string, "e2"},
                {"/hasMore", kind::bool_, "true"}},
     .before = {kSubscribeOrg}},
    {.name = "LogCursorAtTheEnd",
     .method = "GET",
     .target = kLog + "&cursor=e6",
     .fields = {{"/events/0", kind::null}, {"/nextCursor", kind::string, "e6"}},
     .before = {kSubscribeOrg}},
    {.name = "LogIsTheCallingAppsOwn",
     .method = "GET",
     .target = kLog,
     .headers = Headers{{"x-acs-dingtalk-access-token", "{limited_token}"}},
     .fields = {{"/events/0", kind::null}},
     .before = {kSubscribeOrg}},
    {.name = "LogBadCursor",
     .method = "GET",
     .target = kLog + "&cursor=x1",
     .status = 400,
     .code = "paramError"},
    {.name = "LogCursorWithALeadingZero",
     .method = "GET",
     .target = kLog + "&cursor=e01",
     .status = 400,
     .code = "paramError"},
    {.name = "LogCursorPastTheEnd",
     .method = "GET",
     .target = kLog + "&cursor=e7",
     .status = 400,
     .code = "paramError"},
    {.name = "LogCursorNegative",
     .method = "GET",
     .target = kLog + "&cursor=e-1",
     .status = 400,
     .code = "paramError"},
    {.name = "LogMaxResultsZero",
     .method = "GET",
     .target = kLog + "&maxResults=0",
     .status = 400,
     .code = "paramError"},
    {.name = "LogMaxResultsPast1000",
     .method = "GET",
     .target = kLog + "&maxResults=1001",
     .status = 400,
     .code = "paramError"},
    {.name = "LogMaxResults1000",
     .method = "GET",
     .target = kLog + "&maxResults=1000",
     .fields = {{"/hasMore", kind::bool_, "false"}}},
    {.name = "LogMaxResultsNotANumber",
     .method = "GET",
     .target = kLog + "&maxResults=ten",
     .status = 400,
     .code = "paramError"},
    {.name = "LogWithoutTheScope",
     .method = "GET",
     .target = kLog,
     .headers = Headers{{"x-acs-dingtalk-access-token", "{no_events_token}"}},
     .status = 403,
     .code = "Forbidden.AccessDenied.AccessTokenPermissionDenied",
     .required_scope = "Storage.Event.Write"},
    {.name = "LogAsNonMember",
     .method = "GET",
     .target = "/v1.0/storage/events?unionId={stranger}",
     .status = 403,
     .code = "permissionDenied"},
};

class DingTalkEventsTest : public testing::ApiCaseTest {};

TEST_P(DingTalkEventsTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Events, DingTalkEventsTest, ::testing::ValuesIn(kCases),
                         testing::CaseName());

TEST(EventJsonTest, WritesEveryMemberInOrderWithTheBodysTypes) {
  domain::Event e;
  e.corp_id = "c1";
  e.seq = 7;
  e.event_id = "E1";
  e.type = "dentry.moved";
  e.space_id = "s1";
  e.dentry_id = "d1";
  e.operator_id = "u1";
  e.time = 1641031200123;
  e.body = {{"name", std::string("a\"b")}, {"size", int64_t{5}}, {"toRecycleBin", false}};
  EXPECT_EQ(EventJson(e),
            R"({"eventId":"E1","seq":7,"type":"dentry.moved","corpId":"c1","spaceId":"s1",)"
            R"("dentryId":"d1","operatorId":"u1","time":"2022-01-01T10:00:00.123Z",)"
            R"("data":{"name":"a\"b","size":5,"toRecycleBin":false}})");
  e.dentry_id.clear();
  e.body.clear();
  EXPECT_EQ(EventJson(e),
            R"({"eventId":"E1","seq":7,"type":"dentry.moved","corpId":"c1","spaceId":"s1",)"
            R"("operatorId":"u1","time":"2022-01-01T10:00:00.123Z","data":{}})");
}

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
