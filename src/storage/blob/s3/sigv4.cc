// AWS Signature Version 4, header form: canonical request -> string to sign -> HMAC chain over
// date, region, service. Written on base/crypto's OpenSSL wrappers rather than libs3 so the S3
// adapter keeps one HTTP stack (Beast) and no libcurl; the unit tests pin it to the examples in
// the AWS documentation.
#include "storage/blob/s3/sigv4.h"

#include <algorithm>
#include <array>
#include <ctime>

#include "base/crypto.h"

namespace spacestore::storage::s3 {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs SortedHeaders(const SigV4Request& request) {
  Pairs headers = request.headers;
  std::sort(headers.begin(), headers.end());
  return headers;
}

}  // namespace

std::string UriEncode(std::string_view s, bool encode_slash) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~' || (u == '/' && !encode_slash)) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string AmzDate(int64_t epoch_millis) {
  const auto t = static_cast<std::time_t>(epoch_millis / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const size_t n = std::strftime(buf.data(), buf.size(), "%Y%m%dT%H%M%SZ", &tm);
  return {buf.data(), n};
}

SigV4Signer::SigV4Signer(S3Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

std::string SigV4Signer::SignedHeaders(const SigV4Request& request) {
  std::string out;
  for (const auto& [name, value] : SortedHeaders(request)) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string SigV4Signer::CanonicalRequest(const SigV4Request& request) {
  Pairs query;
  query.reserve(request.query.size());
  for (const auto& [k, v] : request.query)
    query.emplace_back(UriEncode(k, true), UriEncode(v, true));
  std::sort(query.begin(), query.end());  // Sorted by encoded name, as SigV4 specifies.
  std::string out = request.method + "\n" + UriEncode(request.path, false) + "\n";
  for (size_t i = 0; i < query.size(); ++i) {
    if (i > 0) out += '&';
    out.append(query[i].first).append("=").append(query[i].second);
  }
  out += '\n';
  for (const auto& [name, value] : SortedHeaders(request)) {
    out.append(name).append(":").append(value).append("\n");
  }
  out.append("\n").append(SignedHeaders(request)).append("\n").append(request.payload_sha256);
  return out;
}

std::string SigV4Signer::Scope(std::string_view date) const {
  return std::string(date) + "/" + region_ + "/" + service_ + "/aws4_request";
}

std::string SigV4Signer::StringToSign(const SigV4Request& request) const {
  return "AWS4-HMAC-SHA256\n" + request.amz_date + "\n" + Scope(request.amz_date.substr(0, 8)) +
         "\n" + Sha256Hex(CanonicalRequest(request));
}

std::string SigV4Signer::SigningKey(std::string_view date) const {
  const std::string date_key = HmacSha256("AWS4" + credentials_.secret_access_key, date);
  const std::string region_key = HmacSha256(date_key, region_);
  const std::string service_key = HmacSha256(region_key, service_);
  return HmacSha256(service_key, "aws4_request");
}

std::string SigV4Signer::Authorization(const SigV4Request& request) const {
  const std::string date = request.amz_date.substr(0, 8);
  const std::string signature = HexEncode(HmacSha256(SigningKey(date), StringToSign(request)));
  return "AWS4-HMAC-SHA256 Credential=" + credentials_.access_key_id + "/" + Scope(date) +
         ", SignedHeaders=" + SignedHeaders(request) + ", Signature=" + signature;
}

}  // namespace spacestore::storage::s3
