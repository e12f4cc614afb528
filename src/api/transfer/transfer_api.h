#pragma once

#include "domain/upload_service.h"
#include "server/http_message.h"

namespace spacestore::api::transfer {

// TransferApi serves the signed URLs that GetFileUploadInfo, GetMultipartFileUploadInfos and
// GetFileDownloadInfo hand out:
//   PUT /blobs/upload/<uploadKey>[/<partNumber>]   raw bytes, Content-Length or chunked, any
//                                                  Content-Type, streamed to disk
//   GET /blobs/download/<spaceId>/<dentryId>/<version>   the bytes, with Range support
// Errors are JSON {"code","message","requestid"} with object-storage style codes
// (SignatureDoesNotMatch, RequestExpired, NoSuchUpload, ...; docs/api/transfer.md).
// Thread-safety: thread-safe. Borrows the upload service.
class TransferApi {
 public:
  explicit TransferApi(domain::UploadService& uploads);

  // Whether `head` is an upload PUT, whose body must be streamed to OpenUpload.
  static bool IsUpload(const server::HttpRequest& head);
  // Starts an upload PUT: a sink for its body, or the refusal.
  server::BodyStart OpenUpload(const server::HttpRequest& head) const;
  // Every other request under /blobs/ (downloads; wrong methods and paths).
  server::HttpResponse Handle(const server::HttpRequest& request) const;
  // The body for a request refused before it reached the handlers.
  static server::HttpResponse RejectResponse(int status, const server::HttpRequest& request);

 private:
  domain::UploadService& uploads_;
};

}  // namespace spacestore::api::transfer
