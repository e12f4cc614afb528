// The DingTalk error mapping (errors.cc) against docs/error-handling.md: the whole
// domain-error table through MapError and ErrorResponse, and the HTTP layer's refusals through
// RejectResponse. dingtalk_api_test.cc provokes the rows a request reaches.
#include "api/dingtalk_v1/errors.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

// The whole domain-error table, including the rows no request reaches: kPreconditionFailed
// (no code path returns it), an empty subject, kNotFound "upload" (UploadService answers
// unknown keys with kInvalidArgument "uploadKey" on this dialect), kConflict and kOk.
struct MapErrorCase {
  const char* name;
  Errc errc;
  const char* subject;
  int status;
  const char* code;
};

void PrintTo(const MapErrorCase& c, std::ostream* os) { *os << c.name; }

const std::vector<MapErrorCase> kMapErrorCases = {
    {"InvalidArgumentName", Errc::kInvalidArgument, "name", 400, "paramError.name"},
    {"InvalidArgumentScene", Errc::kInvalidArgument, "scene", 400, "paramError.scene"},
    {"InvalidArgumentSceneId", Errc::kInvalidArgument, "sceneId", 400, "paramError.sceneId"},
    {"InvalidArgumentOther", Errc::kInvalidArgument, "quota", 400, "paramError"},
    {"InvalidArgumentEmpty", Errc::kInvalidArgument, "", 400, "paramError"},
    {"PreconditionFailed", Errc::kPreconditionFailed, "size", 400, "paramError"},
    {"NotFoundSpace", Errc::kNotFound, "space", 404, "spaceNotExist"},
    {"NotFoundDentry", Errc::kNotFound, "dentry", 404, "dentryNotExist"},
    {"NotFoundParent", Errc::kNotFound, "parent", 404, "parentNotExist"},
    {"NotFoundVersion", Errc::kNotFound, "version", 404, "versionNotExist"},
    {"NotFoundUpload", Errc::kNotFound, "upload", 404, "uploadNotExist"},
    {"NotFoundBlob", Errc::kNotFound, "blob", 404, "blobNotExist"},
    {"NotFoundEmpty", Errc::kNotFound, "", 404, "resourceNotExist"},
    {"UnauthenticatedClient", Errc::kUnauthenticated, "client", 400, "invalidClientIdOrSecret"},
    {"UnauthenticatedToken", Errc::kUnauthenticated, "token", 400, "InvalidAuthentication"},
    {"PermissionDenied", Errc::kPermissionDenied, "user", 403, "permissionDenied"},
    {"PermissionDeniedDisabled", Errc::kPermissionDenied, "disabled", 403, "permissionDenied"},
    {"QuotaExceededSpace", Errc::kQuotaExceeded, "space", 403, "quotaExceeded"},
    {"QuotaExceededApp", Errc::kQuotaExceeded, "app", 403, "quotaExceeded"},
    {"QuotaExceededOrg", Errc::kQuotaExceeded, "org", 403, "quotaExceeded"},
    {"AlreadyExistsDentry", Errc::kAlreadyExists, "dentry", 409, "dentryAlreadyExist"},
    {"AlreadyExistsEmpty", Errc::kAlreadyExists, "", 409, "resourceAlreadyExist"},
    {"Conflict", Errc::kConflict, "upload", 409, "conflict"},
    {"Unavailable", Errc::kUnavailable, "blob", 503, "operationTimeout"},
    {"StorageFull", Errc::kUnavailable, "storage_full", 507, "storageFull"},
    {"Internal", Errc::kInternal, "id", 500, "systemError"},
    {"Ok", Errc::kOk, "", 500, "systemError"},
};

class DingTalkMapErrorTest : public ::testing::TestWithParam<MapErrorCase> {};

TEST_P(DingTalkMapErrorTest, FollowsTheTable) {
  const MapErrorCase& c = GetParam();
  const Error error = MakeError(c.errc, c.subject, "what went wrong");
  const MappedError mapped = MapError(error);
  EXPECT_EQ(mapped.status, c.status);
  EXPECT_EQ(mapped.code, c.code);
  server::HttpRequest request;
  request.request_id = "rid-1";
  testing::ExpectErrorBody(ErrorResponse(error, request.request_id), request, c.status, c.code);
}

INSTANTIATE_TEST_SUITE_P(Table, DingTalkMapErrorTest, ::testing::ValuesIn(kMapErrorCases),
                         testing::CaseName());

// docs/error-handling.md, "Refused by the HTTP layer": app::Frontend::Reject hands these
// statuses to RejectResponse for every path outside /koodrive/ and /blobs/.
struct RejectCase {
  int status;
  const char* code;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.status; }

class DingTalkRejectResponseTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(DingTalkRejectResponseTest, FollowsTheTable) {
  server::HttpRequest request;
  request.request_id = "rid-2";
  testing::ExpectErrorBody(RejectResponse(GetParam().status, request.request_id), request,
                           GetParam().status, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DingTalkRejectResponseTest,
    ::testing::Values(RejectCase{400, "paramError"}, RejectCase{408, "operationTimeout"},
                      RejectCase{413, "paramError"}, RejectCase{431, "paramError"},
                      RejectCase{501, "paramError"}, RejectCase{500, "systemError"}),
    [](const auto& p) { return std::to_string(p.param.status); });

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
