// Injected store faults through every dialect (docs/error-handling.md, "Injected faults"): a
// full disk or database answers 507 and a failing one 503, each in its dialect's error shape;
// a fault that clears leaves the server serving and every earlier file intact.
#include <gtest/gtest.h>

#include "api/api_test_case.h"
#include "storage/fault/fault_plan.h"

namespace spacestore::api {
namespace {

using testing::ApiCase;
using testing::Headers;
using Fault = storage::FaultPlan::Fault;

const std::string kSpace = "/v1.0/storage/spaces/{space}";
const std::string kAddSpace = "/v1.0/storage/spaces?unionId={union}";
const std::string kAddFolder = kSpace + "/dentries/0/folders?unionId={union}";
const std::string kUploadInfo = kSpace + "/files/uploadInfos/query?unionId={union}";
const std::string kCommit = kSpace + "/files/commit?unionId={union}";
const std::string kCommitUploaded =
    R"({"uploadKey":"{uploaded_key}","name":"b.txt","parentId":"0"})";
const std::string kKooDriveSpace = "/koodrive/ose/v1/space";

storage::FaultPlan MetadataWrite(Fault fault) { return {.metadata_write = fault}; }
storage::FaultPlan MetadataRead(Fault fault) { return {.metadata_read = fault}; }

Headers Signed(const std::string& name, const std::string& length) {
  return {{"Authorization", "{" + name + "_auth}"}, {"Content-Length", length}};
}

// A PUT of "abcde" to the pending upload's signed URL, refused under `plan`.
ApiCase Upload(const char* name, int status, const char* code, const storage::FaultPlan& plan,
               size_t chunk_bytes = 0) {
  return {.name = name,
          .method = "PUT",
          .target = "{pending_target}",
          .body = "abcde",
          .headers = Signed("pending", "5"),
          .status = status,
          .code = code,
          .faults = plan,
          .chunk_bytes = chunk_bytes};
}

const std::vector<ApiCase> kCases = {
    // DingTalk: {code, message, requestid}.
    {.name = "DingTalkAddSpaceDiskFull",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"scene":"faults"}})",
     .status = 507,
     .code = "storageFull",
     .faults = MetadataWrite(Fault::kNoSpace)},
    {.name = "DingTalkAddSpaceIoError",
     .method = "POST",
     .target = kAddSpace,
     .body = R"({"option":{"scene":"faults"}})",
     .status = 503,
     .code = "operationTimeout",
     .faults = MetadataWrite(Fault::kIoError)},
    {.name = "DingTalkAddFolderDiskFull",
     .method = "POST",
     .target = kAddFolder,
     .body = R"({"name":"new"})",
     .status = 507,
     .code = "storageFull",
     .faults = MetadataWrite(Fault::kNoSpace)},
    {.name = "DingTalkGetSpaceIoError",
     .method = "GET",
     .target = kSpace + "?unionId={union}",
     .status = 503,
     .code = "operationTimeout",
     .faults = MetadataRead(Fault::kIoError)},
    {.name = "DingTalkUploadInfoDiskFull",
     .method = "POST",
     .target = kUploadInfo,
     .body = R"({"protocol":"HEADER_SIGNATURE","multipart":false,)"
             R"("option":{"preCheckParam":{"size":5}}})",
     .status = 507,
     .code = "storageFull",
     .faults = MetadataWrite(Fault::kNoSpace)},
    {.name = "DingTalkCommitDiskFull",
     .method = "POST",
     .target = kCommit,
     .body = kCommitUploaded,
     .status = 507,
     .code = "storageFull",
     .faults = MetadataWrite(Fault::kNoSpace)},
    {.name = "DingTalkCommitIoError",
     .method = "POST",
     .target = kCommit,
     .body = kCommitUploaded,
     .status = 503,
     .code = "operationTimeout",
     .faults = MetadataWrite(Fault::kIoError)},
    // KooDrive: {code, msg} envelope.
    {.name = "KooDriveCreateSpaceDiskFull",
     .method = "POST",
     .target = kKooDriveSpace + "/{union2}",
     .body = R"({"type":"1","capacity":2})",
     .status = 507,
     .code = "13009507",
     .msg = "Insufficient storage.",
     .faults = MetadataWrite(Fault::kNoSpace)},
    {.name = "KooDriveModifySpaceIoError",
     .method = "PUT",
     .target = kKooDriveSpace + "/{union}",
     .body = R"({"type":"1","containerId":"{space}","capacity":1000})",
     .status = 503,
     .code = "13009503",
     .msg = "Service unavailable.",
     .faults = MetadataWrite(Fault::kIoError)},
    {.name = "KooDriveGetSpaceIoError",
     .method = "GET",
     .target = kKooDriveSpace + "/container/{space}",
     .status = 503,
     .code = "13009503",
     .msg = "Service unavailable.",
     .faults = MetadataRead(Fault::kIoError)},
    // Transfer URLs: {code, message, requestid}, object-storage codes.
    Upload("TransferUploadDiskFull", 507, "InsufficientStorage", {.blob_write = Fault::kNoSpace}),
    Upload("TransferUploadDiskFullMidway", 507, "InsufficientStorage",
           {.blob_write = Fault::kNoSpace, .blob_write_after_bytes = 2}, 1),
    Upload("TransferUploadFsyncFails", 503, "ServiceUnavailable", {.blob_sync = Fault::kIoError}),
    Upload("TransferUploadRecordFails", 507, "InsufficientStorage", MetadataWrite(Fault::kNoSpace)),
    {.name = "TransferDownloadIoError",
     .method = "GET",
     .target = "{download_target}",
     .headers = Headers{{"Authorization", "{download_auth}"}},
     .status = 503,
     .code = "ServiceUnavailable",
     .faults = storage::FaultPlan{.blob_read = Fault::kIoError}},
};

class FaultInjectionTest : public testing::ApiCaseTest {};

TEST_P(FaultInjectionTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Injected, FaultInjectionTest, ::testing::ValuesIn(kCases),
                         testing::CaseName());

// A refused upload leaves nothing behind, and once the disk has room the same key uploads and
// commits, and the file stored before the fault still downloads.
TEST(FaultRecoveryTest, ServesAgainOnceTheFaultClears) {
  testing::ApiTestStack stack;
  stack.Seed();
  auto send = [&stack](std::string_view method, std::string_view target, const Headers& headers,
                       std::string_view body = {}) {
    server::HttpResponse response = stack.Send(stack.Request(method, target, headers, body));
    const std::string text = testing::ReadBody(response);
    return std::pair<int, std::string>(response.status, text);
  };
  const Headers token = {{"x-acs-dingtalk-access-token", "{token}"}};

  stack.InjectFaults({.blob_write = Fault::kNoSpace});
  EXPECT_EQ(send("PUT", "{pending_target}", Signed("pending", "5"), "abcde").first, 507);
  EXPECT_EQ(send("POST", kAddFolder, token, R"({"name":"during"})").first, 200)
      << "a full blob disk must not stop metadata writes";
  stack.InjectFaults({.metadata_write = Fault::kNoSpace});
  EXPECT_EQ(send("POST", kAddFolder, token, R"({"name":"refused"})").first, 507);

  stack.InjectFaults({});
  EXPECT_EQ(send("PUT", "{pending_target}", Signed("pending", "5"), "abcde").first, 200);
  const auto commit = send("POST", kCommit, token,
                           R"({"uploadKey":"{pending_key}","name":"after.txt","parentId":"0"})");
  EXPECT_EQ(commit.first, 200) << commit.second;
  EXPECT_EQ(send("POST", kAddFolder, token, R"({"name":"refused"})").first, 200);
  const auto earlier = send("GET", "{download_target}", {{"Authorization", "{download_auth}"}});
  EXPECT_EQ(earlier.first, 200);
  EXPECT_EQ(earlier.second, "hello");
}

}  // namespace
}  // namespace spacestore::api
