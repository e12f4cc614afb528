#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spacestore::storage::s3 {

// The access key pair a SigV4Signer signs with. The secret never leaves the signer: it appears
// in no log line and no error message.
struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

// One request as AWS Signature Version 4 sees it. Strings are raw (not yet URI-encoded).
struct SigV4Request {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // Absolute path, e.g. "/bucket/blobs/ab/abcd..."; '/' separates segments.
  std::vector<std::pair<std::string, std::string>> query;  // In any order; "uploads" has "".
  // Headers to sign, with lower-case names and trimmed values; must include "host",
  // "x-amz-date" and "x-amz-content-sha256". In any order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256;  // Lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string amz_date;        // "YYYYMMDDTHHMMSSZ", the x-amz-date header's value.
};

// SigV4Signer computes the Authorization header of AWS Signature Version 4 (header form, not
// presigned URLs) for one region and service.
// Thread-safety: immutable after construction; Authorization may be called concurrently.
class SigV4Signer {
 public:
  SigV4Signer(S3Credentials credentials, std::string region, std::string service = "s3");

  // The value of the Authorization header for `request`.
  std::string Authorization(const SigV4Request& request) const;

  // The steps, exposed for tests against the AWS documentation's published examples.
  static std::string CanonicalRequest(const SigV4Request& request);
  static std::string SignedHeaders(const SigV4Request& request);
  std::string StringToSign(const SigV4Request& request) const;
  // The raw 32-byte signing key for `date` ("YYYYMMDD").
  std::string SigningKey(std::string_view date) const;

 private:
  std::string Scope(std::string_view date) const;

  const S3Credentials credentials_;
  const std::string region_;
  const std::string service_;
};

// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ (and '/' unless `encode_slash`), with
// upper-case hex, as SigV4 and S3 paths require.
std::string UriEncode(std::string_view s, bool encode_slash);

// "YYYYMMDDTHHMMSSZ" for `epoch_millis`, UTC.
std::string AmzDate(int64_t epoch_millis);

}  // namespace spacestore::storage::s3
