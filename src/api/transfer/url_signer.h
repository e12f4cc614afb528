#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/result.h"
#include "domain/transfer_grant.h"
#include "domain/transfer_links.h"

namespace spacestore::api::transfer {

// UrlSigner turns transfer grants into spacestore's own signed /blobs/ URLs and back
// (docs/api/transfer.md):
//   upload grants    PUT  <public_url>/blobs/upload/<uploadKey>[/<partNumber>]
//   download grants  GET  <public_url>/blobs/download/<spaceId>/<dentryId>/<version>
//   thumbnail grants GET  <public_url>/blobs/thumbnail/<spaceId>/<dentryId>/<version>
//                         ?Expires=<expiry>&Signature=<hex>
// The signature is an HMAC-SHA256, under a server secret (from the metadata store, a keys file
// or the environment; docs/security.md), over the
// method, the resource path (after /blobs/) and the expiry; it travels in the Authorization
// header as "SPACESTORE-HMAC-SHA256 <expiry>:<hex>", with x-oss-date set to the signing time;
// a thumbnail URL, which must work on its own, carries the same two values in its query.
// Thread-safety: thread-safe (immutable after construction). Borrows the clock.
class UrlSigner final : public domain::TransferLinks {
 public:
  // `public_url` is the base clients use to reach this server (no trailing slash).
  UrlSigner(std::string_view key, std::string public_url, const Clock& clock);

  // As above, also accepting (never signing with) `previous_key` for URLs whose signed expiry
  // is at most `previous_max_expiry` (epoch seconds): the grace of a key rotation, during which
  // every URL handed out before it still works and none signed with the old key outlives it.
  UrlSigner(std::string_view key, std::string_view previous_key, int64_t previous_max_expiry,
            std::string public_url, const Clock& clock);

  // TransferLinks
  domain::TransferLink Link(const domain::TransferGrant& grant) const override;

  // The grant a signed request carries: `resource` is its path after /blobs/, `authorization`
  // its Authorization header. kPermissionDenied with subject "signature" (missing, malformed,
  // tampered, other method or resource) or "expired"; then kNotFound with subject "upload"
  // for an upload path that names no upload or part, "dentry" for a download path that names
  // no version.
  Result<domain::TransferGrant> Open(std::string_view method, std::string_view resource,
                                     std::string_view authorization) const;

  // The Authorization header equivalent to a thumbnail URL's Expires and Signature parameters.
  static std::string QueryAuthorization(std::string_view expires, std::string_view signature);

  // Signs `method` on `resource` (e.g. "upload/<key>") for `ttl_seconds` from now.
  domain::TransferLink Sign(std::string_view method, std::string_view resource,
                            int64_t ttl_seconds) const;
  // Checks an Authorization header against `method` and `resource`; the errors of Open's
  // signature check.
  Result<void> Verify(std::string_view method, std::string_view resource,
                      std::string_view authorization) const;

 private:
  domain::TransferLink SignAt(std::string_view method, std::string_view resource,
                              int64_t ttl_seconds, int64_t now_millis) const;
  static std::string Mac(const HmacSha256Key& key, std::string_view method,
                         std::string_view resource, int64_t expiry);

  const HmacSha256Key key_;
  const std::optional<HmacSha256Key> previous_key_;
  const int64_t previous_max_expiry_ = 0;
  const std::string public_url_;
  const Clock& clock_;
};

// RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(int64_t epoch_millis);

}  // namespace spacestore::api::transfer
