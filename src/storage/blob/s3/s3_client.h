#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "storage/blob/s3/http_client.h"
#include "storage/blob/s3/s3_location.h"
#include "storage/blob/s3/s3_xml.h"
#include "storage/blob/s3/sigv4.h"

namespace spacestore::storage::s3 {

// What HeadObject learns.
struct S3ObjectHead {
  int64_t size = 0;
  int64_t last_modified_millis = 0;  // Epoch ms (S3 keeps whole seconds).
};

// S3Client is the handful of S3 REST calls the blob adapter uses, signed with SigV4, on one
// bucket addressed path-style. Keys are raw; the client encodes them.
//
// Errors: a missing key or upload is kNotFound (subject "s3"); everything else the server or
// the network refuses (5xx, 403 for bad credentials, timeouts, garbled replies) is
// kUnavailable, with a message naming the call, the S3 error code and message, and never a
// credential or signature.
// Thread-safety: thread-safe (HttpClient pools connections; the signer is immutable). Borrows
// `clock` (for x-amz-date), which must outlive it.
class S3Client {
 public:
  S3Client(S3Location location, S3Credentials credentials, const Clock& clock,
           HttpClientOptions http = {});

  Result<void> PutObject(const std::string& key, std::string_view body);
  Result<S3ObjectHead> HeadObject(const std::string& key);
  // Bytes [offset, offset + length) of `key`, fewer at the end; "" at or past the end.
  Result<std::string> GetRange(const std::string& key, int64_t offset, int64_t length);
  // Deleting a missing key succeeds (S3 answers 204 either way).
  Result<void> DeleteObject(const std::string& key);
  // Server-side copy. S3 limits a single CopyObject to 5 GiB.
  Result<void> CopyObject(const std::string& from_key, const std::string& to_key);

  // Multipart upload: the upload id; then parts 1..N (each but the last at least 5 MiB),
  // whose ETags Complete takes in order.
  Result<std::string> CreateMultipartUpload(const std::string& key);
  Result<std::string> UploadPart(const std::string& key, const std::string& upload_id,
                                 int part_number, std::string_view body);
  Result<void> CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                       const std::vector<std::string>& etags);
  Result<void> AbortMultipartUpload(const std::string& key, const std::string& upload_id);

  // One page (up to 1000) of the keys under `prefix`; pass the page's token back for the next.
  Result<ListObjectsPage> ListObjectsV2(const std::string& prefix, const std::string& token);
  // One page of the in-progress multipart uploads under `prefix`. kUnimplemented is not in our
  // Errc set: a server without this call (some emulators) gives kInvalidArgument (subject
  // "s3_not_implemented") so the caller can tell it from an outage.
  Result<ListUploadsPage> ListMultipartUploads(const std::string& prefix,
                                               const std::string& key_marker,
                                               const std::string& upload_id_marker);

  const S3Location& location() const { return location_; }

 private:
  struct Call;
  Result<HttpReply> Send(const Call& call);

  const S3Location location_;
  const SigV4Signer signer_;
  const Clock& clock_;
  HttpClient http_;
};

}  // namespace spacestore::storage::s3
