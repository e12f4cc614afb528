// CopyDentry, CopyDentries and GetTask on real async copies, through DingTalkApi::Handle: the
// replies' members and JSON types, and every refusal (docs/api/dingtalk-v1.md, "Copies").
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/api_test_case.h"
#include "api/api_test_stack.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

using boost::json::kind;
using testing::ApiCase;
using testing::Headers;
using testing::Step;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kCopyFile = kSpace + "/dentries/{file}/copy?unionId={union}";
const std::string kCopyFolder = kSpace + "/dentries/{folder}/copy?unionId={union}";
const std::string kBatch = kSpace + "/dentries/batchCopy?unionId={union}";

const std::vector<ApiCase> kCopyCases = {
    {.name = "CopyFile",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"{folder}"})",
     .fields = {{"/async", kind::bool_, "false"},
                {"/taskId", kind::null},
                {"/dentry/id", kind::string},
                {"/dentry/spaceId", kind::string, "{space}"},
                {"/dentry/parentId", kind::string, "{folder}"},
                {"/dentry/name", kind::string, "a.txt"},
                {"/dentry/path", kind::string, "/docs/a.txt"},
                {"/dentry/type", kind::string, "FILE"},
                {"/dentry/size", kind::int64, "5"},
                {"/dentry/version", kind::int64, "1"},
                {"/dentry/creatorId", kind::string, "{union}"},
                {"/dentry/uuid", kind::string}}},
    {.name = "CopyFileAutoRenamesInItsOwnFolder",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .fields = {{"/dentry/name", kind::string, "a (1).txt"}}},
    {.name = "CopyReturnsExisting",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0",)"
             R"("option":{"conflictStrategy":"RETURN_DENTRY_IF_EXISTS"}})",
     .fields = {{"/async", kind::bool_, "false"}, {"/dentry/id", kind::string, "{file}"}}},
    {.name = "CopyOverwriteAddsAVersion",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0",)"
             R"("option":{"conflictStrategy":"OVERWRITE"}})",
     .fields = {{"/dentry/id", kind::string, "{file}"}, {"/dentry/version", kind::int64, "2"}}},
    {.name = "CopyFolderAcrossSpaces",
     .method = "POST",
     .target = kCopyFolder,
     .body = R"({"targetSpaceId":"{small}","targetFolderId":"0"})",
     .fields = {{"/dentry/spaceId", kind::string, "{small}"},
                {"/dentry/type", kind::string, "FOLDER"},
                {"/dentry/path", kind::string, "/docs"},
                {"/dentry/size", kind::null}}},
    {.name = "CopyNameTaken",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0",)"
             R"("option":{"conflictStrategy":"RETURN_ERROR_IF_EXISTS"}})",
     .status = 409,
     .code = "dentryAlreadyExist"},
    {.name = "CopyTargetSpaceMissing",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyTargetFolderMissing",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}"})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyTargetFolderNotAString",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":0})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyBadConflictStrategy",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0",)"
             R"("option":{"conflictStrategy":"MERGE"}})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyIntoItself",
     .method = "POST",
     .target = kCopyFolder,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"{folder}"})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyIntoAFile",
     .method = "POST",
     .target = kCopyFolder,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"{file}"})",
     .status = 400,
     .code = "paramError"},
    {.name = "CopyUnknownDentry",
     .method = "POST",
     .target = kSpace + "/dentries/404040404040/copy?unionId={union}",
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "CopyTheRoot",
     .method = "POST",
     .target = kSpace + "/dentries/0/copy?unionId={union}",
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 404,
     .code = "dentryNotExist"},
    {.name = "CopyUnknownTargetFolder",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"404040404040"})",
     .status = 404,
     .code = "parentNotExist"},
    {.name = "CopyUnknownTargetSpace",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"999999999999","targetFolderId":"0"})",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "CopyUnknownSourceSpace",
     .method = "POST",
     .target = "/v1.0/storage/spaces/999999999999/dentries/{file}/copy?unionId={union}",
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "CopyIntoADisabledSpace",
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{disabled}","targetFolderId":"0"})",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "CopyByAnotherMember",
     .method = "POST",
     .target = kSpace + "/dentries/{file}/copy?unionId={union2}",
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 403,
     .code = "permissionDenied"},
    {.name = "CopyOverQuota",  // {small} holds 10 bytes: two copies of "hello" fit, not three.
     .method = "POST",
     .target = kCopyFile,
     .body = R"({"targetSpaceId":"{small}","targetFolderId":"0"})",
     .status = 403,
     .code = "quotaExceeded",
     .before = {Step{"POST", kCopyFile, R"({"targetSpaceId":"{small}","targetFolderId":"0"})"},
                Step{"POST", kCopyFile, R"({"targetSpaceId":"{small}","targetFolderId":"0"})"}}},
    {.name = "BatchCopy",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":["{file}","404040404040","{folder}"],"targetSpaceId":"{space}",)"
             R"("targetFolderId":"{folder}"})",
     .fields = {{"/resultItems/0/spaceId", kind::string, "{space}"},
                {"/resultItems/0/dentryId", kind::string, "{file}"},
                {"/resultItems/0/success", kind::bool_, "true"},
                {"/resultItems/0/async", kind::bool_, "false"},
                {"/resultItems/0/taskId", kind::null},
                {"/resultItems/0/errorCode", kind::null},
                {"/resultItems/0/targetSpaceId", kind::string, "{space}"},
                {"/resultItems/0/targetDentryId", kind::string},
                {"/resultItems/1/dentryId", kind::string, "404040404040"},
                {"/resultItems/1/success", kind::bool_, "false"},
                {"/resultItems/1/errorCode", kind::string, "dentryNotExist"},
                {"/resultItems/1/targetDentryId", kind::null},
                {"/resultItems/1/targetSpaceId", kind::null},
                {"/resultItems/2/success", kind::bool_, "false"},
                {"/resultItems/2/errorCode", kind::string, "paramError"},
                {"/resultItems/3", kind::null}}},
    {.name = "BatchCopyIdsMissing",
     .method = "POST",
     .target = kBatch,
     .body = R"({"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "BatchCopyIdsEmpty",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":[],"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "BatchCopyTooManyIds",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":["1","2","3","4","5","6","7","8","9","10","11","12","13","14",)"
             R"("15","16","17","18","19","20","21","22","23","24","25","26","27","28","29",)"
             R"("30","31"],"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "BatchCopyIdNotAString",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":[1],"targetSpaceId":"{space}","targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "BatchCopyTargetMissing",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":["{file}"],"targetFolderId":"0"})",
     .status = 400,
     .code = "paramError"},
    {.name = "BatchCopyUnknownTargetSpace",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":["{file}"],"targetSpaceId":"999999999999","targetFolderId":"0"})",
     .status = 404,
     .code = "spaceNotExist"},
    {.name = "BatchCopyOverQuotaPerItem",
     .method = "POST",
     .target = kBatch,
     .body = R"({"dentryIds":["{file}","{file}","{file}"],"targetSpaceId":"{small}",)"
             R"("targetFolderId":"0"})",
     .fields = {{"/resultItems/0/success", kind::bool_, "true"},
                {"/resultItems/1/success", kind::bool_, "true"},
                {"/resultItems/2/success", kind::bool_, "false"},
                {"/resultItems/2/errorCode", kind::string, "quotaExceeded"}}},
};

class CopyApiTest : public testing::ApiCaseTest {};

TEST_P(CopyApiTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Copy, CopyApiTest, ::testing::ValuesIn(kCopyCases), testing::CaseName());

// A copy of a folder of more than 1000 dentries: async, a task, GetTask through its states.
class AsyncCopyTest : public ::testing::Test {
 protected:
  boost::json::value Ok(std::string_view method, std::string_view target,
                        std::string_view body = {}) {
    const Headers headers = {{"x-acs-dingtalk-access-token", "{token}"}};
    auto response = stack_.Send(stack_.Request(method, target, headers, body));
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    return boost::json::parse(response.body);
  }

  // Seed() plus {big}: a root folder holding 1000 folders, 1001 dentries in all.
  void SeedBigFolder() {
    stack_.Seed();
    const auto big =
        Ok("POST", kSpace + "/dentries/0/folders?unionId={union}", R"({"name":"big"})");
    stack_.Set("big", std::string(big.at("dentry").at("id").as_string()));
    for (int i = 0; i < 1000; ++i) {
      Ok("POST", kSpace + "/dentries/{big}/folders?unionId={union}",
         R"({"name":"f)" + std::to_string(i) + R"("})");
    }
  }

  testing::ApiTestStack stack_;
};

TEST_F(AsyncCopyTest, BigFolderCopiesThroughATask) {
  SeedBigFolder();
  const auto single = Ok("POST", kSpace + "/dentries/{big}/copy?unionId={union}",
                         R"({"targetSpaceId":"{space}","targetFolderId":"{folder}"})");
  EXPECT_TRUE(single.at("async").as_bool());
  EXPECT_FALSE(single.as_object().contains("dentry"));
  stack_.Set("task", std::string(single.at("taskId").as_string()));
  auto task = Ok("GET", "/v1.0/storage/tasks/{task}?unionId={union}");
  EXPECT_EQ(task.at("task").at("status").as_string(), "INIT");
  EXPECT_EQ(task.at("task").at("totalCount").as_int64(), 1001);
  EXPECT_FALSE(task.at("task").as_object().contains("beginTime"));

  const auto batch = Ok(
      "POST", kBatch, R"({"dentryIds":["{big}"],"targetSpaceId":"{space}","targetFolderId":"0"})");
  const auto& item = batch.at("resultItems").at(0).as_object();
  EXPECT_TRUE(item.at("async").as_bool());
  EXPECT_FALSE(item.contains("success"));
  EXPECT_FALSE(item.contains("errorCode"));
  EXPECT_EQ(item.at("targetSpaceId").as_string(), stack_.Get("space"));
  stack_.Set("batch_task", std::string(item.at("taskId").as_string()));
  stack_.Set("batch_root", std::string(item.at("targetDentryId").as_string()));

  EXPECT_EQ(stack_.RunTasks(), 2);
  task = Ok("GET", "/v1.0/storage/tasks/{task}?unionId={union}");
  EXPECT_EQ(task.at("task").at("status").as_string(), "SUCCESS");
  EXPECT_EQ(task.at("task").at("successCount").as_int64(), 1001);
  EXPECT_EQ(task.at("task").at("failCount").as_int64(), 0);
  EXPECT_TRUE(task.at("task").at("beginTime").is_string());
  EXPECT_TRUE(task.at("task").at("endTime").is_string());
  EXPECT_FALSE(task.at("task").as_object().contains("failMessage"));
  // The batch's targetDentryId, named before the task ran, is the new root.
  const auto root = Ok("POST", kSpace + "/dentries/{batch_root}/query?unionId={union}");
  EXPECT_EQ(root.at("dentry").at("name").as_string(), "big (1)");
  EXPECT_EQ(root.at("dentry").at("path").as_string(), "/big (1)");

  // Another app of the same org sees no such task.
  auto peer = stack_.Send(stack_.Request("GET", "/v1.0/storage/tasks/{task}?unionId={union}",
                                         {{"x-acs-dingtalk-access-token", "{peer_token}"}}));
  EXPECT_EQ(peer.status, 404);
  EXPECT_EQ(boost::json::parse(peer.body).at("code").as_string(), "taskNotExist");
}

TEST_F(AsyncCopyTest, TaskFailsWithTheErrorCode) {
  SeedBigFolder();
  const auto copy = Ok("POST", kSpace + "/dentries/{big}/copy?unionId={union}",
                       R"({"targetSpaceId":"{space}","targetFolderId":"{folder}",)"
                       R"("option":{"conflictStrategy":"RETURN_ERROR_IF_EXISTS"}})");
  stack_.Set("task", std::string(copy.at("taskId").as_string()));
  // The name is taken after the copy was accepted.
  Ok("POST", kSpace + "/dentries/{folder}/folders?unionId={union}", R"({"name":"big"})");
  EXPECT_EQ(stack_.RunTasks(), 1);
  const auto task = Ok("GET", "/v1.0/storage/tasks/{task}?unionId={union}");
  EXPECT_EQ(task.at("task").at("status").as_string(), "FAIL");
  EXPECT_EQ(task.at("task").at("failMessage").as_string(), "dentryAlreadyExist");
  EXPECT_EQ(task.at("task").at("failCount").as_int64(), 1001);
  EXPECT_EQ(task.at("task").at("successCount").as_int64(), 0);
}

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
