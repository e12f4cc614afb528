#include "domain/url_signer.h"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

#include "base/crypto.h"

namespace spacestore::domain {
namespace {
constexpr std::string_view kScheme = "SPACESTORE-HMAC-SHA256 ";
}  // namespace

std::string FormatHttpDate(int64_t epoch_millis) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(epoch_millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

UrlSigner::UrlSigner(std::string key, std::string public_url, const Clock& clock)
    : key_(key), public_url_(std::move(public_url)), clock_(clock) {}

std::string UrlSigner::Mac(std::string_view method, std::string_view resource,
                           int64_t expiry) const {
  std::string message;
  message.append(method).append("\n").append(resource).append("\n").append(std::to_string(expiry));
  return HexEncode(key_.Sign(message));
}

SignedRequest UrlSigner::Sign(std::string_view method, std::string_view resource,
                              int64_t ttl_seconds) const {
  const int64_t now = clock_.NowMillis();
  // Rounded up, so the URL lives at least ttl_seconds whenever within a second it was signed.
  const int64_t expiry = (now + ttl_seconds * 1000 + 999) / 1000;
  SignedRequest out;
  out.url = public_url_ + "/blobs/" + std::string(resource);
  out.headers = {{"Authorization", std::string(kScheme) + std::to_string(expiry) + ":" +
                                       Mac(method, resource, expiry)},
                 {"x-oss-date", FormatHttpDate(now)}};
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
  if (!ConstantTimeEquals(Mac(method, resource, expiry), authorization.substr(colon + 1))) {
    return bad;
  }
  if (clock_.NowMillis() / 1000 >= expiry) {
    return MakeError(Errc::kPermissionDenied, "expired", "the signed URL has expired");
  }
  return {};
}

}  // namespace spacestore::domain
