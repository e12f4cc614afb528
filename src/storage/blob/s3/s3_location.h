#pragma once

#include <string>

#include "base/result.h"

namespace spacestore::storage::s3 {

// Where the blobs live: a bucket on an S3-compatible endpoint, addressed path-style
// (http[s]://HOST:PORT/BUCKET/KEY).
struct S3Location {
  std::string bucket;
  std::string host;    // The endpoint's host name or address.
  std::string port;    // Decimal; "80" (http) or "443" (https) when the endpoint names none.
  std::string region;  // Signing region. Default: "us-east-1".
  bool tls = false;    // An https:// endpoint.
};

// Parses `s3://BUCKET?endpoint=http[s]://HOST[:PORT]&region=REGION` (--blobs,
// SPACESTORE_BLOBS). `endpoint` is required (virtual-host addressing without one is not
// supported); https verifies the server's certificate and host name (docs/s3.md).
// kInvalidArgument (subject "blobs") naming what is wrong. Thread-safe.
Result<S3Location> ParseS3Url(const std::string& url);

}  // namespace spacestore::storage::s3
