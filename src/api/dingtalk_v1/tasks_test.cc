// GetTask's reply (TaskReply) for each state of a task, and the route's refusals. The answers
// for real async copies are in copy_test.cc.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/api_test_case.h"
#include "api/dingtalk_v1/json_mapping.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

namespace json = boost::json;

domain::Task MakeTask(domain::TaskStatus status) {
  domain::Task t;
  t.id = "task1";
  t.status = status;
  t.counts = {1001, 0, 0};
  t.create_time = 1641031200000;
  return t;
}

TEST(TaskReplyTest, InitHasNoTimesAndNoFailMessage) {
  const json::value v = json::parse(TaskReply(MakeTask(domain::TaskStatus::kInit)));
  const json::object& task = v.at("task").as_object();
  EXPECT_EQ(task.at("id").as_string(), "task1");
  EXPECT_EQ(task.at("status").as_string(), "INIT");
  EXPECT_EQ(task.at("totalCount").as_int64(), 1001);
  EXPECT_EQ(task.at("successCount").as_int64(), 0);
  EXPECT_EQ(task.at("failCount").as_int64(), 0);
  EXPECT_FALSE(task.contains("beginTime"));
  EXPECT_FALSE(task.contains("endTime"));
  EXPECT_FALSE(task.contains("failMessage"));
  EXPECT_EQ(task.size(), 5u);
}

TEST(TaskReplyTest, InProgressAndSuccessCarryTheirTimes) {
  domain::Task t = MakeTask(domain::TaskStatus::kInProgress);
  t.begin_time = 1641031201000;
  json::value v = json::parse(TaskReply(t));
  EXPECT_EQ(v.at("task").at("status").as_string(), "IN_PROGRESS");
  EXPECT_EQ(v.at("task").at("beginTime").as_string(), "2022-01-01T10:00:01Z");
  EXPECT_FALSE(v.at("task").as_object().contains("endTime"));
  t.status = domain::TaskStatus::kSucceeded;
  t.counts = {1001, 1001, 0};
  t.end_time = 1641031203000;
  v = json::parse(TaskReply(t));
  EXPECT_EQ(v.at("task").at("status").as_string(), "SUCCESS");
  EXPECT_EQ(v.at("task").at("endTime").as_string(), "2022-01-01T10:00:03Z");
  EXPECT_EQ(v.at("task").at("successCount").as_int64(), 1001);
  EXPECT_FALSE(v.at("task").as_object().contains("failMessage"));
}

TEST(TaskReplyTest, FailMessageIsTheDialectsErrorCode) {
  const std::pair<Error, const char*> cases[] = {
      {MakeError(Errc::kQuotaExceeded, "space", "full"), "quotaExceeded"},
      {MakeError(Errc::kNotFound, "dentry", "gone"), "dentryNotExist"},
      {MakeError(Errc::kNotFound, "parent", "gone"), "parentNotExist"},
      {MakeError(Errc::kPermissionDenied, "space", "no"), "permissionDenied"},
      {MakeError(Errc::kAlreadyExists, "dentry", "taken"), "dentryAlreadyExist"},
      {MakeError(Errc::kUnavailable, "", "busy"), "operationTimeout"},
      {MakeError(Errc::kInternal, "task", "bug"), "systemError"},
  };
  for (const auto& [error, code] : cases) {
    domain::Task t = MakeTask(domain::TaskStatus::kFailed);
    t.begin_time = t.end_time = 1641031201000;
    t.counts = {1001, 0, 1001};
    t.failure = error;
    const json::value v = json::parse(TaskReply(t));
    EXPECT_EQ(v.at("task").at("status").as_string(), "FAIL");
    EXPECT_EQ(v.at("task").at("failMessage").as_string(), code) << error.message;
    EXPECT_EQ(v.at("task").at("failCount").as_int64(), 1001);
  }
}

const std::vector<testing::ApiCase> kGetTaskCases = {
    {.name = "UnknownTask",
     .method = "GET",
     .target = "/v1.0/storage/tasks/nosuchtask?unionId={union}",
     .status = 404,
     .code = "taskNotExist"},
    {.name = "StrangerIsRefused",
     .method = "GET",
     .target = "/v1.0/storage/tasks/nosuchtask?unionId={stranger}",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "UnionIdMissing",
     .method = "GET",
     .target = "/v1.0/storage/tasks/nosuchtask",
     .status = 400,
     .code = "paramError"},
    {.name = "WrongMethod",
     .method = "POST",
     .target = "/v1.0/storage/tasks/nosuchtask?unionId={union}",
     .status = 405,
     .code = "InvalidAction.MethodNotAllowed"},
};

class GetTaskTest : public testing::ApiCaseTest {};

TEST_P(GetTaskTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(GetTask, GetTaskTest, ::testing::ValuesIn(kGetTaskCases),
                         testing::CaseName());

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
