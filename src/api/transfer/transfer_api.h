#pragma once

#include "api/transfer/url_signer.h"
#include "domain/thumbnail_service.h"
#include "domain/transfer_service.h"
#include "server/http_message.h"

namespace spacestore::api::transfer {

// The answer that streams an open download's bytes, honouring a single byte Range (206, 416),
// with its ETag, Last-Modified and a Content-Disposition of `disposition` ("attachment" or
// "inline") naming the file. Shared by the /blobs/ downloads and the /open/ and /office/ pages.
server::HttpResponse DownloadResponse(domain::Download file, const server::HttpRequest& request,
                                      std::string_view disposition, std::string_view content_type);

// TransferApi serves the signed URLs that GetFileUploadInfo, GetMultipartFileUploadInfos and
// GetFileDownloadInfo hand out:
//   PUT /blobs/upload/<uploadKey>[/<partNumber>]   raw bytes, Content-Length or chunked, any
//                                                  Content-Type, streamed to disk
//   GET /blobs/download/<spaceId>/<dentryId>/<version>   the bytes, with Range support
//   GET /blobs/thumbnail/<spaceId>/<dentryId>/<version>?Expires=..&Signature=..
//                                                  the version's thumbnail (JPEG or PNG)
// Errors are JSON {"code","message","requestid"} with object-storage style codes
// (SignatureDoesNotMatch, RequestExpired, NoSuchUpload, ...; docs/api/transfer.md).
// The signer turns each signed request back into the grant it was issued for; the transfer
// service moves the bytes; the thumbnail service renders or reads thumbnails.
// Thread-safety: thread-safe. Borrows the services and the signer.
class TransferApi {
 public:
  TransferApi(domain::TransferService& transfers, domain::ThumbnailService& thumbnails,
              const UrlSigner& signer);

  // Whether `head` is an upload PUT, whose body must be streamed to OpenUpload.
  static bool IsUpload(const server::HttpRequest& head);
  // Starts an upload PUT: a sink for its body, or the refusal.
  server::BodyStart OpenUpload(const server::HttpRequest& head) const;
  // Every other request under /blobs/ (downloads; wrong methods and paths).
  server::HttpResponse Handle(const server::HttpRequest& request) const;
  // The body for a request refused before it reached the handlers.
  static server::HttpResponse RejectResponse(int status, const server::HttpRequest& request);

 private:
  // GET /blobs/thumbnail/...: the signature from the query, then the bytes.
  server::HttpResponse Thumbnail(const server::HttpRequest& request) const;

  domain::TransferService& transfers_;
  domain::ThumbnailService& thumbnails_;
  const UrlSigner& signer_;
};

}  // namespace spacestore::api::transfer
