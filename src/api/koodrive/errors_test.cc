// The KooDrive error mapping (errors.cc) against docs/error-handling.md: the domain-error rows
// a request reaches, then the whole table through ErrorResponse, and the HTTP layer's refusals
// through RejectResponse.
#include "api/koodrive/errors.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::koodrive {
namespace {

using testing::ApiCase;
using testing::Headers;

const std::string kV1 = "/koodrive/ose/v1/space";
constexpr const char* kBadParameter = "Verify parameters failed. ";
constexpr const char* kNoPermission = "No permission to perform operations on space. ";

// An APP space of the bootstrap app (DingTalk AddSpace), keeping {app_space} and {app_id}.
const testing::Step kAddAppSpace = {
    .method = "POST",
    .target = "/v1.0/storage/spaces?unionId={union}",
    .body = R"({"option":{"scene":"appspace","ownerType":"APP"}})",
    .headers = Headers{{"x-acs-dingtalk-access-token", "{token}"}},
    .keep = {{"app_space", "/space/id"}, {"app_id", "/space/appId"}}};

// docs/error-handling.md, KooDrive "Domain errors", where a request reaches the row. No
// KooDrive route touches the blob store or writes into a space, and none returns
// kAlreadyExists, kConflict, kQuotaExceeded or a kNotFound other than "space" and "route":
// those rows are covered by KooDriveErrorResponseTest below.
const std::vector<ApiCase> kDomainErrorCases = {
    {.name = "TypeOutOfRange",
     .method = "POST",
     .target = kV1 + "/{union}",
     .body = R"({"type":7})",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "TypeMissing",
     .method = "GET",
     .target = kV1 + "/{union}",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "TypeNotANumber",
     .method = "GET",
     .target = kV1 + "/{union}?type=one",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "CapacityOutOfRange",
     .method = "POST",
     .target = kV1 + "/{union}",
     .body = R"({"type":1,"capacity":0})",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "CapacityAboveMaximum",
     .method = "POST",
     .target = kV1 + "/{union}",
     .body = R"({"type":1,"capacity":104857601})",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "OffsetNegative",
     .method = "GET",
     .target = kV1 + "/usage/quota?offset=-1",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "OwnerNotAUser",
     .method = "POST",
     .target = kV1 + "/{stranger}",
     .body = R"({"type":1})",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "StatusOutOfRange",
     .method = "PUT",
     .target = kV1 + "/{union}",
     .body = R"({"type":1,"containerId":"{space}","status":2})",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "LimitOutOfRange",
     .method = "GET",
     .target = kV1 + "/usage/quota?limit=101",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "UserIdsMissing",
     .method = "POST",
     .target = kV1 + "/usage/user",
     .status = 400,
     .code = "13000102",
     .msg = kBadParameter},
    {.name = "ContainerNotFound",
     .method = "GET",
     .target = kV1 + "/container/100000000000",
     .status = 400,
     .code = "13000301",
     .msg = "Space not found."},
    {.name = "ContainerOfAnotherOrg",
     .method = "GET",
     .target = kV1 + "/container/{space}",
     .headers = Headers{{"Authorization", "Bearer {other_token}"}},
     .status = 400,
     .code = "13000301",
     .msg = "Space not found."},
    {.name = "OwnerHasNoSpace",
     .method = "GET",
     .target = kV1 + "/{union2}?type=1",
     .status = 400,
     .code = "13000301",
     .msg = "Space not found."},
    {.name = "DeleteOfDeletedSpace",
     .method = "DELETE",
     .target = kV1 + "/{union}?type=1&containerId={small}",
     .status = 400,
     .code = "13000301",
     .msg = "Space not found.",
     .before = {{"DELETE", kV1 + "/{union}?type=1&containerId={small}"}}},
    {.name = "RouteNotServed",
     .method = "GET",
     .target = kV1 + "/userList",
     .status = 404,
     .code = "13009404",
     .msg = "Not found."},
    {.name = "Unauthenticated",
     .method = "GET",
     .target = kV1 + "/container/{space}",
     .headers = Headers{{"Authorization", "Bearer {expired_token}"}},
     .status = 401,
     .code = "13009401",
     .msg = "Unauthorized."},
    {.name = "UserNotOwner",
     .method = "GET",
     .target = kV1 + "/container/{space}",
     .headers = Headers{{"Authorization", "Bearer {token}"}, {"X-User-Id", "{union2}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission},
    // A space an app owns is changed or deleted only through that app (docs/api/koodrive.md).
    {.name = "ModifyAnotherAppsSpace",
     .method = "PUT",
     .target = kV1 + "/{app_id}",
     .body = R"({"type":0,"containerId":"{app_space}","capacity":1})",
     .headers = Headers{{"Authorization", "Bearer {peer_token}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission,
     .before = {kAddAppSpace}},
    {.name = "DeleteAnotherAppsSpace",
     .method = "DELETE",
     .target = kV1 + "/{app_id}?type=0&containerId={app_space}",
     .headers = Headers{{"Authorization", "Bearer {peer_token}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission,
     .before = {kAddAppSpace}},
    // A user creates individual spaces for themselves only.
    {.name = "CreateSpaceForAnotherUser",
     .method = "POST",
     .target = kV1 + "/{union2}",
     .body = R"({"type":1})",
     .headers = Headers{{"Authorization", "Bearer {token}"}, {"X-User-Id", "{union}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission},
    {.name = "UserNotInOrg",
     .method = "DELETE",
     .target = kV1 + "/{union}?type=1",
     .headers = Headers{{"Authorization", "Bearer {token}"}, {"X-User-Id", "{stranger}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission},
    {.name = "ScopeMissing",
     .method = "PUT",
     .target = kV1 + "/{union}",
     .body = R"({"type":1})",
     .headers = Headers{{"Authorization", "Bearer {limited_token}"}},
     .status = 400,
     .code = "13000410",
     .msg = kNoPermission},
};

class KooDriveErrorTest : public testing::ApiCaseTest {};

TEST_P(KooDriveErrorTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(DomainErrors, KooDriveErrorTest, ::testing::ValuesIn(kDomainErrorCases),
                         testing::CaseName());

// The whole domain-error table through ErrorResponse, the rows no request reaches included.
struct ErrorCase {
  const char* name;
  Errc errc;
  const char* subject;
  int status;
  int64_t code;
  const char* msg;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const std::vector<ErrorCase> kErrorCases = {
    {"InvalidArgument", Errc::kInvalidArgument, "type", 400, kCodeParameterInvalid,
     "Verify parameters failed. detail"},
    {"PreconditionFailed", Errc::kPreconditionFailed, "", 400, kCodeParameterInvalid,
     "Verify parameters failed. detail"},
    {"AlreadyExists", Errc::kAlreadyExists, "space", 400, kCodeParameterInvalid,
     "Verify parameters failed. detail"},
    {"Conflict", Errc::kConflict, "", 400, kCodeParameterInvalid,
     "Verify parameters failed. detail"},
    {"NotFoundSpace", Errc::kNotFound, "space", 400, kCodeSpaceNotFound, "Space not found."},
    {"NotFoundRoute", Errc::kNotFound, "route", 404, kCodeRouteNotFound, "Not found."},
    {"NotFoundOther", Errc::kNotFound, "dentry", 400, kCodeResourceNotFound, "Resource not found."},
    {"Unauthenticated", Errc::kUnauthenticated, "token", 401, kCodeUnauthorized, "Unauthorized."},
    {"PermissionDeniedDisabled", Errc::kPermissionDenied, "disabled", 400, kCodeSpaceNotActivated,
     "Space is not activated. detail"},
    {"PermissionDeniedUser", Errc::kPermissionDenied, "user", 400, kCodeNoPermission,
     "No permission to perform operations on space. detail"},
    {"PermissionDeniedScope", Errc::kPermissionDenied, "scope", 400, kCodeNoPermission,
     "No permission to perform operations on space. detail"},
    {"QuotaExceeded", Errc::kQuotaExceeded, "org", 400, kCodeInsufficientSpace,
     "Insufficient space."},
    {"Unavailable", Errc::kUnavailable, "", 503, kCodeUnavailable, "Service unavailable."},
    {"StorageFull", Errc::kUnavailable, "storage_full", 507, kCodeStorageFull,
     "Insufficient storage."},
    {"Internal", Errc::kInternal, "", 500, kCodeInternal, "Internal calling error."},
    {"Ok", Errc::kOk, "", 500, kCodeInternal, "Internal calling error."},
};

class KooDriveErrorResponseTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(KooDriveErrorResponseTest, FollowsTheTable) {
  const ErrorCase& c = GetParam();
  server::HttpRequest request;
  request.headers = {{"x-traceid", "trace-1"}};
  const server::HttpResponse response =
      ErrorResponse(MakeError(c.errc, c.subject, "detail"), request);
  testing::ExpectEnvelope(response, request, c.status, c.code, c.msg);
  // The message is exact: the detail is appended only where the table says so.
  EXPECT_NE(response.body.find(std::string(R"("msg":")") + c.msg + "\""), std::string::npos)
      << response.body;
}

INSTANTIATE_TEST_SUITE_P(Table, KooDriveErrorResponseTest, ::testing::ValuesIn(kErrorCases),
                         testing::CaseName());

// docs/error-handling.md, KooDrive "Refused by the HTTP layer" (paths under /koodrive/).
struct RejectCase {
  int status;
  int64_t code;
  const char* msg;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.status; }

class KooDriveRejectResponseTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(KooDriveRejectResponseTest, FollowsTheTable) {
  server::HttpRequest request;
  request.path = "/koodrive/ose/v1/space/usage/overview";
  const server::HttpResponse response = RejectResponse(GetParam().status, request);
  testing::ExpectEnvelope(response, request, GetParam().status, GetParam().code, GetParam().msg);
  EXPECT_NE(response.body.find(std::string(R"("msg":")") + GetParam().msg + "\""),
            std::string::npos)
      << response.body;
}

INSTANTIATE_TEST_SUITE_P(
    Table, KooDriveRejectResponseTest,
    ::testing::Values(RejectCase{400, kCodeParameterInvalid, "Verify parameters failed."},
                      RejectCase{408, kCodeParameterInvalid, "Verify parameters failed."},
                      RejectCase{413, kCodeParameterInvalid, "Verify parameters failed."},
                      RejectCase{501, kCodeParameterInvalid, "Verify parameters failed."},
                      RejectCase{500, kCodeInternal, "Internal calling error."}),
    [](const auto& p) { return std::to_string(p.param.status); });

}  // namespace
}  // namespace spacestore::api::koodrive
