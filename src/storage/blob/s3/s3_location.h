#pragma once

#include <string>

#include "base/result.h"

namespace spacestore::storage::s3 {

// Where the blobs live: a bucket on an S3-compatible endpoint, addressed path-style
// (http://HOST:PORT/BUCKET/KEY).
struct S3Location {
  std::string bucket;
  std::string host;    // The endpoint's host name or address.
  std::string port;    // Decimal; "80" when the endpoint names none.
  std::string region;  // Signing region. Default: "us-east-1".
};

// Parses `s3://BUCKET?endpoint=http://HOST[:PORT]&region=REGION` (--blobs, SPACESTORE_BLOBS).
// `endpoint` is required (virtual-host addressing without one is not supported) and must be
// plain http: the adapter speaks no TLS, so a TLS endpoint goes behind a local proxy
// (docs/s3.md). kInvalidArgument (subject "blobs") naming what is wrong. Thread-safe.
Result<S3Location> ParseS3Url(const std::string& url);

}  // namespace spacestore::storage::s3
