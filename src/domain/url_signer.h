#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/result.h"

namespace spacestore::domain {

// A URL and the headers a client must send with it: the HEADER_SIGNATURE protocol.
struct SignedRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t expiration_seconds = 0;
};

// UrlSigner mints and checks the signed URLs that point clients at spacestore's own blob
// endpoints. The signature is an HMAC-SHA256, under a server secret kept in the metadata store,
// over the method, the resource path and the expiry; it travels in the Authorization header as
// "SPACESTORE-HMAC-SHA256 <expiry>:<hex>", with x-oss-date set to the signing time.
// Thread-safety: thread-safe (immutable after construction). Borrows the clock.
class UrlSigner {
 public:
  // `public_url` is the base clients use to reach this server (no trailing slash).
  UrlSigner(std::string key, std::string public_url, const Clock& clock);

  // Signs `method` on `resource` (e.g. "upload/<key>") for `ttl_seconds`.
  SignedRequest Sign(std::string_view method, std::string_view resource, int64_t ttl_seconds) const;

  // Checks an Authorization header against `method` and `resource`.
  // kPermissionDenied with subject "signature" (missing, malformed, tampered, other method or
  // resource) or "expired".
  Result<void> Verify(std::string_view method, std::string_view resource,
                      std::string_view authorization) const;

 private:
  std::string Mac(std::string_view method, std::string_view resource, int64_t expiry) const;

  const HmacSha256Key key_;
  const std::string public_url_;
  const Clock& clock_;
};

// RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(int64_t epoch_millis);

}  // namespace spacestore::domain
