// S3Client: builds each REST call (path-style target, query, x-amz-* headers), signs it with
// SigV4 over the payload's SHA-256 (so S3 rejects a body damaged in transit), sends it through
// the pooled HttpClient and maps the reply to Result. Bodies are held in memory by the caller:
// the adapter sends at most one part (8 MiB) at a time and asks for bounded ranges.
#include "storage/blob/s3/s3_client.h"

#include <algorithm>
#include <utility>

#include "base/crypto.h"

namespace spacestore::storage::s3 {

namespace {

constexpr size_t kSmallReply = 1 << 20;  // Error, initiate, copy, complete replies.
constexpr size_t kListReply = 16 << 20;  // 1000 keys of ~100 bytes, with generous room.
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The endpoint's scheme decides TLS.
HttpClientOptions WithScheme(HttpClientOptions http, const S3Location& location) {
  http.tls = location.tls;
  return http;
}

}  // namespace

struct S3Client::Call {
  std::string what = {};  // The operation's name, for messages.
  std::string method = {};
  std::string key = {};  // Empty: the bucket itself.
  std::vector<std::pair<std::string, std::string>> query = {};
  std::vector<std::pair<std::string, std::string>> headers = {};  // Extra x-amz-* / range.
  std::string_view body = {};
  size_t body_limit = kSmallReply;
};

S3Client::S3Client(S3Location location, S3Credentials credentials, const Clock& clock,
                   HttpClientOptions http)
    : location_(std::move(location)),
      signer_(std::move(credentials), location_.region),
      clock_(clock),
      http_(location_.host, location_.port, WithScheme(std::move(http), location_)) {}

Result<HttpReply> S3Client::Send(const Call& call) {
  SigV4Request sig;
  sig.method = call.method;
  sig.path = "/" + location_.bucket + (call.key.empty() ? "" : "/" + call.key);
  sig.query = call.query;
  sig.amz_date = AmzDate(clock_.NowMillis());
  sig.payload_sha256 = call.body.empty() ? std::string(kEmptySha256) : Sha256Hex(call.body);
  sig.headers = call.headers;
  sig.headers.emplace_back("host", http_.host_header());
  sig.headers.emplace_back("x-amz-content-sha256", sig.payload_sha256);
  sig.headers.emplace_back("x-amz-date", sig.amz_date);

  HttpRequest req;
  req.method = call.method;
  req.target = UriEncode(sig.path, false);
  for (size_t i = 0; i < call.query.size(); ++i) {
    req.target += (i == 0 ? "?" : "&") + UriEncode(call.query[i].first, true) + "=" +
                  UriEncode(call.query[i].second, true);
  }
  for (const auto& h : sig.headers) {
    if (h.first != "host") req.headers.push_back(h);
  }
  req.headers.emplace_back("authorization", signer_.Authorization(sig));
  req.body = call.body;
  auto reply = http_.Send(req, call.body_limit);
  if (!reply) {
    Error e = reply.error();
    e.message = "S3 " + call.what + ": " + e.message;
    return e;
  }
  if (reply->status >= 200 && reply->status < 300) {
    // CompleteMultipartUpload and CopyObject may fail after a 200 has been sent.
    S3ErrorBody err;
    if (call.method != "GET" && ParseErrorBody(reply->body, err)) {
      return MakeError(Errc::kUnavailable, "s3",
                       "S3 " + call.what + " failed: " + err.code + " " + err.message);
    }
    return reply;
  }
  S3ErrorBody err;
  (void)ParseErrorBody(reply->body, err);  // HEAD replies have no body: the status says enough.
  const std::string detail = "S3 " + call.what + " " + call.key + ": HTTP " +
                             std::to_string(reply->status) +
                             (err.code.empty() ? "" : " " + err.code + " " + err.message);
  if (reply->status == 404 && err.code != "NoSuchBucket") {
    return MakeError(Errc::kNotFound, "s3", detail);
  }
  if (reply->status == 501 || err.code == "NotImplemented") {
    return MakeError(Errc::kInvalidArgument, "s3_not_implemented", detail);
  }
  return MakeError(Errc::kUnavailable, "s3", detail);
}

Result<void> S3Client::PutObject(const std::string& key, std::string_view body) {
  auto r = Send({.what = "PutObject", .method = "PUT", .key = key, .body = body});
  if (!r) return r.error();
  return {};
}

Result<S3ObjectHead> S3Client::HeadObject(const std::string& key) {
  auto r = Send({.what = "HeadObject", .method = "HEAD", .key = key});
  if (!r) return r.error();
  S3ObjectHead head;
  try {
    head.size = std::stoll(r->Header("content-length"));
  } catch (const std::exception&) {
    head.size = -1;
  }
  head.last_modified_millis = ParseHttpDateMillis(r->Header("last-modified"));
  if (head.size < 0 || head.last_modified_millis < 0) {
    return MakeError(Errc::kUnavailable, "s3", "S3 HeadObject " + key + ": unreadable headers");
  }
  return head;
}

Result<std::string> S3Client::GetRange(const std::string& key, int64_t offset, int64_t length) {
  if (length <= 0) return std::string();
  const std::string range =
      "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1);
  auto r = Send({.what = "GetObject",
                 .method = "GET",
                 .key = key,
                 .headers = {{"range", range}},
                 // Room for an error reply too: a 404 for a short range must read as NotFound.
                 .body_limit = std::max(static_cast<size_t>(length), kSmallReply)});
  if (!r) {
    // A range that starts at or past the end.
    if (r.error().message.find("InvalidRange") != std::string::npos) return std::string();
    return r.error();
  }
  // A 200 (server ignored the range) carries the whole object: keep our slice of it.
  if (r->status == 200) {
    if (offset >= static_cast<int64_t>(r->body.size())) return std::string();
    return r->body.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }
  if (static_cast<int64_t>(r->body.size()) > length) {
    return MakeError(Errc::kUnavailable, "s3", "S3 GetObject " + key + ": range too long");
  }
  return std::move(r->body);
}

Result<void> S3Client::DeleteObject(const std::string& key) {
  auto r = Send({.what = "DeleteObject", .method = "DELETE", .key = key});
  if (!r && r.error().code != Errc::kNotFound) return r.error();
  return {};
}

Result<void> S3Client::CopyObject(const std::string& from_key, const std::string& to_key) {
  auto r = Send({.what = "CopyObject",
                 .method = "PUT",
                 .key = to_key,
                 .headers = {{"x-amz-copy-source",
                              UriEncode("/" + location_.bucket + "/" + from_key, false)}}});
  if (!r) return r.error();
  return {};
}

Result<std::string> S3Client::CreateMultipartUpload(const std::string& key) {
  auto r = Send(
      {.what = "CreateMultipartUpload", .method = "POST", .key = key, .query = {{"uploads", ""}}});
  if (!r) return r.error();
  return ParseInitiateMultipartUpload(r->body);
}

Result<std::string> S3Client::UploadPart(const std::string& key, const std::string& upload_id,
                                         int part_number, std::string_view body) {
  auto r = Send({.what = "UploadPart",
                 .method = "PUT",
                 .key = key,
                 .query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}},
                 .body = body});
  if (!r) return r.error();
  std::string etag = r->Header("etag");
  if (etag.empty()) return MakeError(Errc::kUnavailable, "s3", "S3 UploadPart: no ETag");
  return etag;
}

Result<void> S3Client::CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                               const std::vector<std::string>& etags) {
  const std::string body = CompleteMultipartUploadXml(etags);
  auto r = Send({.what = "CompleteMultipartUpload",
                 .method = "POST",
                 .key = key,
                 .query = {{"uploadId", upload_id}},
                 .body = body});
  if (!r) return r.error();
  return {};
}

Result<void> S3Client::AbortMultipartUpload(const std::string& key, const std::string& upload_id) {
  auto r = Send({.what = "AbortMultipartUpload",
                 .method = "DELETE",
                 .key = key,
                 .query = {{"uploadId", upload_id}}});
  if (!r) return r.error();
  return {};
}

Result<ListObjectsPage> S3Client::ListObjectsV2(const std::string& prefix,
                                                const std::string& token) {
  Call call{.what = "ListObjectsV2",
            .method = "GET",
            .query = {{"list-type", "2"}, {"prefix", prefix}},
            .body_limit = kListReply};
  if (!token.empty()) call.query.emplace_back("continuation-token", token);
  auto r = Send(call);
  if (!r) return r.error();
  return ParseListObjectsV2(r->body);
}

Result<ListUploadsPage> S3Client::ListMultipartUploads(const std::string& prefix,
                                                       const std::string& key_marker,
                                                       const std::string& upload_id_marker) {
  Call call{.what = "ListMultipartUploads",
            .method = "GET",
            .query = {{"uploads", ""}, {"prefix", prefix}},
            .body_limit = kListReply};
  if (!key_marker.empty()) {
    call.query.emplace_back("key-marker", key_marker);
    call.query.emplace_back("upload-id-marker", upload_id_marker);
  }
  auto r = Send(call);
  if (!r) return r.error();
  return ParseListMultipartUploads(r->body);
}

}  // namespace spacestore::storage::s3
