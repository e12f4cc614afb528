// UrlSigner: the /blobs/ wire form of transfer grants. The resource path is what is signed, so
// a verified path can be parsed back into the grant it was made from without trusting anything
// else in the request.
#include "api/transfer/url_signer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "domain/upload.h"

namespace spacestore::api::transfer {
namespace {

constexpr std::string_view kScheme = "SPACESTORE-HMAC-SHA256 ";
constexpr std::string_view kUpload = "upload/";
constexpr std::string_view kDownload = "download/";
constexpr std::string_view kThumbnail = "thumbnail/";

// Splits "a/b/c" into its parts.
std::vector<std::string_view> SplitPath(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    const size_t slash = std::min(s.find('/', pos), s.size());
    out.push_back(s.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

std::optional<int64_t> ParseNumber(std::string_view s) {
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return n;
}

std::string Resource(const domain::TransferGrant& g) {
  if (g.kind != domain::TransferGrant::Kind::kUpload) {
    const std::string_view prefix =
        g.kind == domain::TransferGrant::Kind::kDownload ? kDownload : kThumbnail;
    return std::string(prefix) + g.space_id + "/" + g.dentry_id + "/" + std::to_string(g.version);
  }
  std::string out = std::string(kUpload) + g.upload_key;
  if (g.part_number > 0) out += "/" + std::to_string(g.part_number);
  return out;
}

// "<key>" or "<key>/<part>". kNotFound (subject "upload") otherwise.
Result<domain::TransferGrant> ParseUpload(std::string_view path) {
  const auto parts = SplitPath(path);
  domain::TransferGrant grant;
  grant.upload_key = std::string(parts[0]);
  if (parts.size() == 2) {
    const auto n = ParseNumber(parts[1]);
    if (!n || *n < 1 || *n > domain::kMaxPartNumber) {
      return MakeError(Errc::kNotFound, "upload", "no such upload part");
    }
    grant.part_number = static_cast<int32_t>(*n);
  } else if (parts.size() != 1) {
    return MakeError(Errc::kNotFound, "upload", "no such upload");
  }
  return grant;
}

// "<space>/<dentry>/<version>" of a download or thumbnail. kNotFound (subject "dentry")
// otherwise.
Result<domain::TransferGrant> ParseVersionPath(std::string_view path,
                                               domain::TransferGrant::Kind kind) {
  const auto parts = SplitPath(path);
  const auto version = parts.size() == 3 ? ParseNumber(parts[2]) : std::nullopt;
  if (!version) return MakeError(Errc::kNotFound, "dentry", "no such download");
  domain::TransferGrant grant;
  grant.kind = kind;
  grant.space_id = std::string(parts[0]);
  grant.dentry_id = std::string(parts[1]);
  grant.version = *version;
  return grant;
}

}  // namespace

std::string FormatHttpDate(int64_t epoch_millis) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto t = static_cast<std::time_t>(epoch_millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

UrlSigner::UrlSigner(std::string_view key, std::string public_url, const Clock& clock)
    : key_(key), public_url_(std::move(public_url)), clock_(clock) {}

UrlSigner::UrlSigner(std::string_view key, std::string_view previous_key,
                     int64_t previous_max_expiry, std::string public_url, const Clock& clock)
    : key_(key),
      previous_key_(previous_key.empty() ? std::nullopt
                                         : std::optional<HmacSha256Key>(previous_key)),
      previous_max_expiry_(previous_max_expiry),
      public_url_(std::move(public_url)),
      clock_(clock) {}

std::string UrlSigner::Mac(const HmacSha256Key& key, std::string_view method,
                           std::string_view resource, int64_t expiry) {
  std::string message;
  message.append(method).append("\n").append(resource).append("\n").append(std::to_string(expiry));
  return HexEncode(key.Sign(message));
}

domain::TransferLink UrlSigner::Link(const domain::TransferGrant& grant) const {
  const std::string resource = Resource(grant);
  domain::TransferLink link = SignAt(grant.method(), resource, grant.ttl_seconds, grant.issued_at);
  if (grant.kind == domain::TransferGrant::Kind::kThumbnail) {
    // A thumbnail URL stands alone (an <img src>, DingTalk's Thumbnail has no headers): the
    // same expiry and MAC travel in the query.
    const std::string_view auth = link.headers.front().second;
    const std::string_view signed_part = auth.substr(kScheme.size());
    const size_t colon = signed_part.find(':');
    link.url += "?Expires=" + std::string(signed_part.substr(0, colon)) +
                "&Signature=" + std::string(signed_part.substr(colon + 1));
    link.headers.clear();
  }
  return link;
}

std::string UrlSigner::QueryAuthorization(std::string_view expires, std::string_view signature) {
  return std::string(kScheme) + std::string(expires) + ":" + std::string(signature);
}

domain::TransferLink UrlSigner::Sign(std::string_view method, std::string_view resource,
                                     int64_t ttl_seconds) const {
  return SignAt(method, resource, ttl_seconds, clock_.NowMillis());
}

domain::TransferLink UrlSigner::SignAt(std::string_view method, std::string_view resource,
                                       int64_t ttl_seconds, int64_t now_millis) const {
  // Rounded up, so the URL lives at least ttl_seconds whenever within a second it was signed.
  const int64_t expiry = (now_millis + ttl_seconds * 1000 + 999) / 1000;
  domain::TransferLink out;
  out.url = public_url_ + "/blobs/" + std::string(resource);
  out.headers = {{"Authorization", std::string(kScheme) + std::to_string(expiry) + ":" +
                                       Mac(key_, method, resource, expiry)},
                 {"x-oss-date", FormatHttpDate(now_millis)}};
  out.expiration_seconds = ttl_seconds;
  return out;
}

Result<void> UrlSigner::Verify(std::string_view method, std::string_view resource,
                               std::string_view authorization) const {
  const Error bad = MakeError(Errc::kPermissionDenied, "signature",
                              "the request signature does not match this URL and method");
  if (authorization.substr(0, kScheme.size()) != kScheme) return bad;
  authorization.remove_prefix(kScheme.size());
  const size_t colon = authorization.find(':');
  if (colon == std::string_view::npos) return bad;
  int64_t expiry = 0;
  const auto [p, ec] = std::from_chars(authorization.data(), authorization.data() + colon, expiry);
  if (ec != std::errc() || p != authorization.data() + colon) return bad;
  const std::string_view mac = authorization.substr(colon + 1);
  if (!ConstantTimeEquals(Mac(key_, method, resource, expiry), mac)) {
    // A rotation's grace: the previous key only vouches for expiries it could have signed
    // before the restart, so a leaked old key cannot make new long-lived URLs.
    const bool previous = previous_key_ && expiry <= previous_max_expiry_ &&
                          ConstantTimeEquals(Mac(*previous_key_, method, resource, expiry), mac);
    if (!previous) return bad;
  }
  if (clock_.NowMillis() / 1000 >= expiry) {
    return MakeError(Errc::kPermissionDenied, "expired", "the signed URL has expired");
  }
  return {};
}

Result<domain::TransferGrant> UrlSigner::Open(std::string_view method, std::string_view resource,
                                              std::string_view authorization) const {
  if (auto ok = Verify(method, resource, authorization); !ok) return ok.error();
  if (resource.starts_with(kUpload)) return ParseUpload(resource.substr(kUpload.size()));
  if (resource.starts_with(kDownload)) {
    return ParseVersionPath(resource.substr(kDownload.size()),
                            domain::TransferGrant::Kind::kDownload);
  }
  if (resource.starts_with(kThumbnail)) {
    return ParseVersionPath(resource.substr(kThumbnail.size()),
                            domain::TransferGrant::Kind::kThumbnail);
  }
  return MakeError(Errc::kNotFound, "upload", "no such transfer");
}

}  // namespace spacestore::api::transfer
