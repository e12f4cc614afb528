// TransferApi: the blob endpoints behind signed URLs. Each request is first turned back into its
// grant (UrlSigner::Open), so the domain never sees a path or a signature. Uploads stream chunk
// by chunk into an UploadSink (constant memory whatever the size); downloads stream from a
// BlobReader, honouring a single byte Range.
#include "api/transfer/transfer_api.h"

#include <charconv>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/store_errors.h"
#include "server/json_body.h"
#include "server/range_header.h"

namespace spacestore::api::transfer {
namespace {

constexpr std::string_view kBlobsPrefix = "/blobs/";
constexpr std::string_view kUploadPrefix = "/blobs/upload/";
constexpr std::string_view kDownloadPrefix = "/blobs/download/";
constexpr std::string_view kThumbnailPrefix = "/blobs/thumbnail/";

server::HttpResponse ErrorBody(int status, std::string_view code, std::string_view message,
                               const server::HttpRequest& request) {
  boost::json::object body{{"code", code}, {"message", message}, {"requestid", request.request_id}};
  return server::MakeResponse(status, server::ToJson(body));
}

server::HttpResponse ErrorBody(const Error& e, const server::HttpRequest& request) {
  switch (e.code) {
    case Errc::kPermissionDenied:
      if (e.subject == "expired") return ErrorBody(403, "RequestExpired", e.message, request);
      return ErrorBody(403, "SignatureDoesNotMatch", e.message, request);
    case Errc::kNotFound:
      if (e.subject == "upload") return ErrorBody(404, "NoSuchUpload", e.message, request);
      return ErrorBody(404, "NoSuchKey", e.message, request);
    case Errc::kConflict:
      return ErrorBody(409, "UploadAlreadyCommitted", e.message, request);
    case Errc::kInvalidArgument:
    case Errc::kPreconditionFailed:
      return ErrorBody(400, e.subject == "size" ? "InvalidContentLength" : "InvalidArgument",
                       e.message, request);
    case Errc::kQuotaExceeded:
      return ErrorBody(403, "QuotaExceeded", e.message, request);
    case Errc::kUnavailable:
      if (e.subject == domain::kSubjectStorageFull) {
        return ErrorBody(507, "InsufficientStorage", e.message, request);
      }
      return ErrorBody(503, "ServiceUnavailable", e.message, request);
    case Errc::kUnauthenticated:
    case Errc::kAlreadyExists:
    case Errc::kOk:
    case Errc::kInternal:
      break;
  }
  return ErrorBody(500, "InternalError", e.message, request);
}

std::string_view Authorization(const server::HttpRequest& request) {
  return request.Header("authorization").value_or("");
}

// Adapts the domain's UploadSink to the server's BodySink.
class UploadBody final : public server::BodySink {
 public:
  UploadBody(std::unique_ptr<domain::UploadSink> sink, server::HttpRequest head)
      : sink_(std::move(sink)), head_(std::move(head)) {}

  std::optional<server::HttpResponse> Write(std::string_view chunk) override {
    if (auto ok = sink_->Append(chunk); !ok) return ErrorBody(ok.error(), head_);
    return std::nullopt;
  }

  server::HttpResponse Finish() override {
    if (auto ok = sink_->Finish(); !ok) return ErrorBody(ok.error(), head_);
    return server::MakeResponse(200, "", "text/plain");
  }

 private:
  std::unique_ptr<domain::UploadSink> sink_;
  server::HttpRequest head_;  // A copy: the request id and trace for error bodies.
};

// Streams [offset, offset + length) of a blob.
class BlobBody final : public server::BodySource {
 public:
  BlobBody(std::unique_ptr<domain::BlobReader> reader, int64_t offset)
      : reader_(std::move(reader)), offset_(offset) {}
  std::optional<size_t> Read(char* buffer, size_t capacity) override {
    auto n = reader_->ReadAt(offset_, buffer, capacity);
    if (!n) return std::nullopt;
    offset_ += static_cast<int64_t>(*n);
    return *n;
  }

 private:
  std::unique_ptr<domain::BlobReader> reader_;
  int64_t offset_;
};

// RFC 5987 encoding for Content-Disposition's filename*.
std::string EncodeFilename(const std::string& name) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

TransferApi::TransferApi(domain::TransferService& transfers, domain::ThumbnailService& thumbnails,
                         const UrlSigner& signer)
    : transfers_(transfers), thumbnails_(thumbnails), signer_(signer) {}

bool TransferApi::IsUpload(const server::HttpRequest& head) {
  return head.method == "PUT" && head.path.starts_with(kUploadPrefix);
}

server::BodyStart TransferApi::OpenUpload(const server::HttpRequest& head) const {
  std::optional<uint64_t> length;
  if (auto text = head.Header("content-length")) {
    uint64_t n = 0;
    const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec == std::errc() && p == text->data() + text->size()) length = n;
  }
  auto grant = signer_.Open("PUT", std::string_view(head.path).substr(kBlobsPrefix.size()),
                            Authorization(head));
  if (!grant) return server::BodyStart{nullptr, ErrorBody(grant.error(), head)};
  auto sink = transfers_.OpenUpload(*grant, length);
  if (!sink) return server::BodyStart{nullptr, ErrorBody(sink.error(), head)};
  return server::BodyStart{std::make_unique<UploadBody>(std::move(*sink), head), {}};
}

server::HttpResponse TransferApi::Thumbnail(const server::HttpRequest& request) const {
  if (request.method != "GET") {
    return ErrorBody(405, "MethodNotAllowed", request.method + " is not allowed here", request);
  }
  const std::string authorization = UrlSigner::QueryAuthorization(
      request.Query("Expires").value_or(""), request.Query("Signature").value_or(""));
  auto grant = signer_.Open("GET", std::string_view(request.path).substr(kBlobsPrefix.size()),
                            authorization);
  if (!grant) return ErrorBody(grant.error(), request);
  if (grant->kind != domain::TransferGrant::Kind::kThumbnail) {
    return ErrorBody(404, "NoSuchKey", "no such thumbnail", request);
  }
  auto image = thumbnails_.Open(*grant);
  if (!image) {
    if (image.error().code == Errc::kPreconditionFailed) {
      return ErrorBody(404, "NoSuchKey", image.error().message, request);
    }
    return ErrorBody(image.error(), request);
  }
  server::HttpResponse response =
      server::MakeResponse(200, std::move(image->bytes), image->content_type);
  // The URL names one version, whose content (and so thumbnail) never changes.
  response.headers = {{"Cache-Control", "private, max-age=3600"}};
  return response;
}

server::HttpResponse TransferApi::Handle(const server::HttpRequest& request) const {
  if (request.path.starts_with(kThumbnailPrefix)) return Thumbnail(request);
  const bool download = request.path.starts_with(kDownloadPrefix);
  if (!download && !request.path.starts_with(kUploadPrefix)) {
    return ErrorBody(404, "NoSuchKey", "no such blob endpoint", request);
  }
  if (!download || request.method != "GET") {
    return ErrorBody(405, "MethodNotAllowed", request.method + " is not allowed here", request);
  }
  auto grant = signer_.Open("GET", std::string_view(request.path).substr(kBlobsPrefix.size()),
                            Authorization(request));
  if (!grant) return ErrorBody(grant.error(), request);
  auto file = transfers_.OpenDownload(*grant);
  if (!file) return ErrorBody(file.error(), request);

  return DownloadResponse(std::move(*file), request, "attachment", "application/octet-stream");
}

server::HttpResponse DownloadResponse(domain::Download file, const server::HttpRequest& request,
                                      std::string_view disposition, std::string_view content_type) {
  const auto size = static_cast<uint64_t>(file.size);
  const auto range = server::ParseRange(request.Header("range"), size);
  server::HttpResponse response;
  response.content_type = std::string(content_type);
  response.headers = {{"ETag", "\"" + file.etag + "\""},
                      {"Last-Modified", FormatHttpDate(file.modified_time)},
                      {"Accept-Ranges", "bytes"},
                      {"Content-Disposition", std::string(disposition) + "; filename*=UTF-8''" +
                                                  EncodeFilename(file.name)}};
  if (range.kind == server::RangeRequest::Kind::kUnsatisfiable) {
    response.status = 416;
    response.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return response;
  }
  uint64_t first = 0;
  uint64_t length = size;
  if (range.kind == server::RangeRequest::Kind::kPartial) {
    response.status = 206;
    first = range.range.first;
    length = range.range.length();
    response.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.range.first) +
                                                       "-" + std::to_string(range.range.last) +
                                                       "/" + std::to_string(size));
  }
  response.source = std::make_unique<BlobBody>(std::move(file.reader), static_cast<int64_t>(first));
  response.source_length = length;
  return response;
}

server::HttpResponse TransferApi::RejectResponse(int status, const server::HttpRequest& request) {
  switch (status) {
    case 400:
      return ErrorBody(400, "InvalidRequest", "malformed HTTP request", request);
    case 408:
      return ErrorBody(408, "RequestTimeout", "the request was not received in time", request);
    case 413:
      return ErrorBody(413, "EntityTooLarge", "the body is too large", request);
    case 431:
      return ErrorBody(431, "InvalidRequest", "request headers too large", request);
    case 501:
      return ErrorBody(501, "NotImplemented",
                       "a Transfer-Encoding other than chunked is not supported", request);
    default:
      return ErrorBody(500, "InternalError", "internal error", request);
  }
}

}  // namespace spacestore::api::transfer
