// The signed /blobs/ endpoints (transfer_api.cc) against docs/api/transfer.md: uploads and
// downloads that succeed, each row of its error table through a request (the mapping rows no
// transfer path returns by itself through an error injected at the blob store), and the HTTP
// layer's refusals through RejectResponse.
#include "api/transfer/transfer_api.h"

#include <gtest/gtest.h>

#include "api/api_test_case.h"

namespace spacestore::api::transfer {
namespace {

using testing::ApiCase;
using testing::Headers;
using testing::Step;

// The Authorization of the signed URL {<name>_target}, and a Content-Length when given.
Headers Signed(const std::string& name, const std::string& length = "") {
  Headers headers = {{"Authorization", "{" + name + "_auth}"}};
  if (!length.empty()) headers.emplace_back("Content-Length", length);
  return headers;
}

Headers Download(const std::string& range) {
  Headers headers = Signed("download");
  headers.emplace_back("Range", range);
  return headers;
}

constexpr const char* kOctets = "application/octet-stream";
// SHA-256 of "hello", the content of {file}.
constexpr const char* kHelloEtag =
    "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"";

const Step kDeleteSpace = {"DELETE", "/koodrive/ose/v1/space/{union}?type=1&containerId={space}"};
const Step kCommitUploaded = {"POST", "/v1.0/storage/spaces/{space}/files/commit?unionId={union}",
                              R"({"uploadKey":"{uploaded_key}","name":"b.txt","parentId":"0"})"};

// Uploads into {small} (quota 10 bytes) whose size nobody announced: a single upload at
// {loose_target}, and a multipart one whose parts 1 and 2 are at {loose1_target} and
// {loose2_target}.
const Step kAuthorizeLoose = {
    "POST",
    "/v1.0/storage/spaces/{small}/files/uploadInfos/query?unionId={union}",
    R"({"protocol":"HEADER_SIGNATURE","multipart":false})",
    std::nullopt,
    {{"loose_target", "/headerSignatureInfo/resourceUrls/0"},
     {"loose_auth", "/headerSignatureInfo/headers/Authorization"}}};
const Step kInitLooseMultipart = {
    "POST",
    "/v1.0/storage/spaces/{small}/files/multiPartUploadInfos/init?unionId={union}",
    "",
    std::nullopt,
    {{"loose_multipart_key", "/uploadKey"}}};
const Step kLooseParts = {
    "POST",
    "/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId={union}",
    R"({"uploadKey":"{loose_multipart_key}","partNumbers":[1,2]})",
    std::nullopt,
    {{"loose1_target", "/multipartHeaderSignatureInfos/0/headerSignatureInfo/resourceUrls/0"},
     {"loose1_auth", "/multipartHeaderSignatureInfos/0/headerSignatureInfo/headers/Authorization"},
     {"loose2_target", "/multipartHeaderSignatureInfos/1/headerSignatureInfo/resourceUrls/0"},
     {"loose2_auth",
      "/multipartHeaderSignatureInfos/1/headerSignatureInfo/headers/Authorization"}}};
const Step kPutLoosePartOne = {"PUT", "{loose1_target}", "123456", Signed("loose1", "6")};

const std::vector<ApiCase> kSuccessCases = {
    {.name = "UploadSingle",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Signed("pending", "5"),
     .response_body = "",
     .content_type = "text/plain"},
    {.name = "UploadSingleChunked",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Signed("pending"),
     .response_body = "",
     .content_type = "text/plain",
     .chunk_bytes = 2},
    {.name = "UploadReplacesContent",
     .method = "PUT",
     .target = "{uploaded_target}",
     .body = "again",
     .headers = Signed("uploaded", "5"),
     .response_body = "",
     .content_type = "text/plain"},
    {.name = "UploadPart",
     .method = "PUT",
     .target = "{part_target}",
     .body = "part-two",
     .headers = Signed("part", "8"),
     .response_body = "",
     .content_type = "text/plain"},
    {.name = "UploadUnannouncedWithinQuota",
     .method = "PUT",
     .target = "{loose_target}",
     .body = "0123456789",
     .headers = Signed("loose"),
     .response_body = "",
     .content_type = "text/plain",
     .before = {kAuthorizeLoose},
     .chunk_bytes = 3},
    {.name = "UploadPartWithinQuota",
     .method = "PUT",
     .target = "{loose2_target}",
     .body = "7890",
     .headers = Signed("loose2"),
     .response_body = "",
     .content_type = "text/plain",
     .before = {kInitLooseMultipart, kLooseParts, kPutLoosePartOne}},
    {.name = "Download",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("download"),
     .response_headers = {{"ETag", kHelloEtag},
                          {"Last-Modified", "*"},
                          {"Accept-Ranges", "bytes"},
                          {"Content-Disposition", "attachment; filename*=UTF-8''a.txt"}},
     .response_body = "hello",
     .content_type = kOctets},
    {.name = "DownloadKeepsItsVersion",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("download"),
     .response_body = "hello",
     .content_type = kOctets,
     .before = {{"POST", "/v1.0/storage/spaces/{space}/files/commit?unionId={union}",
                 R"({"uploadKey":"{uploaded_key}","name":"x","parentId":"0",)"
                 R"("overwriteDentryId":"{file}"})"}}},
    {.name = "DownloadRange",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=1-2"),
     .status = 206,
     .response_headers = {{"Content-Range", "bytes 1-2/5"}, {"ETag", kHelloEtag}},
     .response_body = "el",
     .content_type = kOctets},
    {.name = "DownloadSuffixRange",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=-2"),
     .status = 206,
     .response_headers = {{"Content-Range", "bytes 3-4/5"}},
     .response_body = "lo",
     .content_type = kOctets},
    {.name = "DownloadRangeClipped",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=3-99"),
     .status = 206,
     .response_headers = {{"Content-Range", "bytes 3-4/5"}},
     .response_body = "lo",
     .content_type = kOctets},
    {.name = "DownloadMalformedRangeIgnored",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=4-2"),
     .response_body = "hello",
     .content_type = kOctets},
    {.name = "DownloadSeveralRangesIgnored",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=0-1,3-4"),
     .response_body = "hello",
     .content_type = kOctets},
    {.name = "DownloadRangeUnsatisfiable",
     .method = "GET",
     .target = "{download_target}",
     .headers = Download("bytes=5-"),
     .status = 416,
     .response_headers = {{"Content-Range", "bytes */5"}},
     .response_body = "",
     .content_type = kOctets},
};

// docs/api/transfer.md, "Errors", row by row.
const std::vector<ApiCase> kErrorCases = {
    {.name = "SignatureMissing",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Headers{},
     .status = 403,
     .code = "SignatureDoesNotMatch"},
    {.name = "SignatureTampered",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Headers{{"Authorization", "{pending_auth}0"}},
     .status = 403,
     .code = "SignatureDoesNotMatch"},
    {.name = "SignatureOfAnotherUpload",
     .method = "PUT",
     .target = "{uploaded_target}",
     .body = "abcde",
     .headers = Signed("pending"),
     .status = 403,
     .code = "SignatureDoesNotMatch"},
    {.name = "SignatureOfAnUpload",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("pending"),
     .status = 403,
     .code = "SignatureDoesNotMatch"},
    {.name = "UploadUrlExpired",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Signed("pending"),
     .status = 403,
     .code = "RequestExpired",
     .advance_seconds = testing::ApiTestStack::kUrlTtlSeconds},
    {.name = "UploadKeyExpired",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcde",
     .headers = Signed("pending"),
     .status = 403,
     .code = "RequestExpired",
     .advance_seconds = testing::ApiTestStack::kUploadTtlSeconds},
    {.name = "DownloadUrlExpired",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 403,
     .code = "RequestExpired",
     .advance_seconds = testing::ApiTestStack::kUrlTtlSeconds},
    {.name = "NoSuchUpload",
     .method = "PUT",
     .target = "{part_target}",
     .body = "part-two",
     .headers = Signed("part"),
     .status = 404,
     .code = "NoSuchUpload",
     .before = {kDeleteSpace}},
    {.name = "NoSuchKeyForDeletedFile",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 404,
     .code = "NoSuchKey",
     .before = {kDeleteSpace}},
    {.name = "NoSuchKeyForLostBlob",
     .method = "GET",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 404,
     .code = "NoSuchKey",
     .blob_fault = MakeError(Errc::kNotFound, "blob", "blob lost")},
    {.name = "UploadAlreadyCommitted",
     .method = "PUT",
     .target = "{uploaded_target}",
     .body = "again",
     .headers = Signed("uploaded"),
     .status = 409,
     .code = "UploadAlreadyCommitted",
     .before = {kCommitUploaded}},
    {.name = "ContentLengthAboveAnnounced",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcdef",
     .headers = Signed("pending", "6"),
     .status = 400,
     .code = "InvalidContentLength"},
    {.name = "ChunkedBodyAboveAnnounced",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abcdefg",
     .headers = Signed("pending"),
     .status = 400,
     .code = "InvalidContentLength",
     .chunk_bytes = 2},
    {.name = "BodyBelowAnnounced",
     .method = "PUT",
     .target = "{pending_target}",
     .body = "abc",
     .headers = Signed("pending", "3"),
     .status = 400,
     .code = "InvalidContentLength"},
    {.name = "PartAboveFiveGigabytes",
     .method = "PUT",
     .target = "{part_target}",
     .headers = Signed("part", "5368709121"),
     .status = 400,
     .code = "InvalidContentLength"},
    {.name = "PathNeitherUploadNorDownload",
     .method = "GET",
     .target = "/blobs/other/x",
     .headers = Headers{},
     .status = 404,
     .code = "NoSuchKey"},
    {.name = "PostOnDownload",
     .method = "POST",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 405,
     .code = "MethodNotAllowed"},
    {.name = "HeadOnDownload",
     .method = "HEAD",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 405,
     .code = "MethodNotAllowed"},
    {.name = "PutOnDownload",
     .method = "PUT",
     .target = "{download_target}",
     .headers = Signed("download"),
     .status = 405,
     .code = "MethodNotAllowed"},
    {.name = "GetOnUpload",
     .method = "GET",
     .target = "{pending_target}",
     .headers = Signed("pending"),
     .status = 405,
     .code = "MethodNotAllowed"},
    // A body no reservation covers is cut as soon as it passes what the space can still take.
    {.name = "UploadUnannouncedPastQuota",
     .method = "PUT",
     .target = "{loose_target}",
     .body = std::string(20, 'x'),
     .headers = Signed("loose"),
     .status = 403,
     .code = "QuotaExceeded",
     .before = {kAuthorizeLoose},
     .chunk_bytes = 4},
    {.name = "UploadUnannouncedContentLengthPastQuota",
     .method = "PUT",
     .target = "{loose_target}",
     .body = std::string(20, 'x'),
     .headers = Signed("loose", "20"),
     .status = 403,
     .code = "QuotaExceeded",
     .before = {kAuthorizeLoose}},
    {.name = "UploadPartPastQuota",
     .method = "PUT",
     .target = "{loose2_target}",
     .body = "78901",
     .headers = Signed("loose2"),
     .status = 403,
     .code = "QuotaExceeded",
     .before = {kInitLooseMultipart, kLooseParts, kPutLoosePartOne},
     .chunk_bytes = 2},
};

// The remaining rows of the mapping, which no transfer path returns by itself: a blob store
// refusing the upload's writer with each error.
struct InjectedError {
  const char* name;
  Errc errc;
  const char* subject;
  int status;
  const char* code;
};

std::vector<ApiCase> InjectedCases() {
  const InjectedError rows[] = {
      {"Unavailable", Errc::kUnavailable, "blob", 503, "ServiceUnavailable"},
      {"StorageFull", Errc::kUnavailable, "storage_full", 507, "InsufficientStorage"},
      {"InvalidArgument", Errc::kInvalidArgument, "blob", 400, "InvalidArgument"},
      {"PreconditionFailedSize", Errc::kPreconditionFailed, "size", 400, "InvalidContentLength"},
      {"PreconditionFailed", Errc::kPreconditionFailed, "md5", 400, "InvalidArgument"},
      {"Unauthenticated", Errc::kUnauthenticated, "token", 500, "InternalError"},
      {"AlreadyExists", Errc::kAlreadyExists, "blob", 500, "InternalError"},
      {"Internal", Errc::kInternal, "blob", 500, "InternalError"},
      {"Ok", Errc::kOk, "", 500, "InternalError"},
  };
  std::vector<ApiCase> cases;
  for (const InjectedError& row : rows) {
    cases.push_back({.name = row.name,
                     .method = "PUT",
                     .target = "{pending_target}",
                     .body = "abcde",
                     .headers = Signed("pending"),
                     .status = row.status,
                     .code = row.code,
                     .blob_fault = MakeError(row.errc, row.subject, "injected")});
  }
  return cases;
}

class TransferApiTest : public testing::ApiCaseTest {};

TEST_P(TransferApiTest, Answers) { testing::RunCase(stack_, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Success, TransferApiTest, ::testing::ValuesIn(kSuccessCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(Errors, TransferApiTest, ::testing::ValuesIn(kErrorCases),
                         testing::CaseName());
INSTANTIATE_TEST_SUITE_P(InjectedErrors, TransferApiTest, ::testing::ValuesIn(InjectedCases()),
                         testing::CaseName());

// docs/api/transfer.md, the "HTTP layer" rows: app::Frontend::Reject hands these statuses to
// RejectResponse for paths under /blobs/.
struct RejectCase {
  int status;
  const char* code;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.status; }

class TransferRejectResponseTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(TransferRejectResponseTest, FollowsTheTable) {
  server::HttpRequest request;
  request.path = "/blobs/upload/x";
  request.request_id = "rid-3";
  testing::ExpectErrorBody(TransferApi::RejectResponse(GetParam().status, request), request,
                           GetParam().status, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TransferRejectResponseTest,
    ::testing::Values(RejectCase{400, "InvalidRequest"}, RejectCase{408, "RequestTimeout"},
                      RejectCase{413, "EntityTooLarge"}, RejectCase{431, "InvalidRequest"},
                      RejectCase{501, "NotImplemented"}, RejectCase{500, "InternalError"}),
    [](const auto& p) { return std::to_string(p.param.status); });

}  // namespace
}  // namespace spacestore::api::transfer
