#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domain/transfer_grant.h"

namespace spacestore::domain {

// A grant in the form a client uses it: the URL to send the request to and the headers to send
// with it (DingTalk's HEADER_SIGNATURE protocol), valid for `expiration_seconds`.
struct TransferLink {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t expiration_seconds = 0;
};

// TransferLinks is the port that turns grants into links. Implemented at the edge by the blob
// backend's transfer adapter: api/transfer's UrlSigner for spacestore's own /blobs/ URLs (the
// local and memory blob stores), an object store's presigner for S3.
// Thread-safety: implementations are safe to call concurrently.
class TransferLinks {
 public:
  virtual ~TransferLinks() = default;

  // The link for `grant`; the link expires with the grant.
  virtual TransferLink Link(const TransferGrant& grant) const = 0;
};

}  // namespace spacestore::domain
