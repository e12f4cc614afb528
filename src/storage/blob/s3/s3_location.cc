#include "storage/blob/s3/s3_location.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace spacestore::storage::s3 {

namespace {

Error Bad(const std::string& why) {
  return MakeError(Errc::kInvalidArgument, "blobs",
                   "--blobs s3://BUCKET?endpoint=http[s]://HOST:PORT&region=REGION: " + why);
}

// S3's bucket naming rules: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.
bool IsBucketName(const std::string& s) {
  if (s.size() < 3 || s.size() > 63) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return s.front() != '.' && s.front() != '-' && s.back() != '.' && s.back() != '-';
}

}  // namespace

Result<S3Location> ParseS3Url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "s3") return Bad("not an s3:// URL");
  S3Location out;
  out.bucket = parsed->host();
  if (!IsBucketName(out.bucket)) return Bad("bucket name must be 3-63 of a-z 0-9 . -");
  if (!parsed->path().empty() && parsed->path() != "/") return Bad("no path after the bucket");
  out.region = "us-east-1";
  std::string endpoint;
  for (const auto& param : parsed->params()) {
    if (param.key == "endpoint") {
      endpoint = param.value;
    } else if (param.key == "region") {
      out.region = param.value;
    } else {
      return Bad("unknown parameter " + std::string(param.key));
    }
  }
  if (out.region.empty()) return Bad("empty region");
  if (endpoint.empty()) return Bad("endpoint=http://HOST:PORT is required");
  auto ep = boost::urls::parse_uri(endpoint);
  if (!ep) return Bad("endpoint is not a URL");
  if (ep->scheme() != "http" && ep->scheme() != "https") {
    return Bad("endpoint must be http:// or https://");
  }
  out.tls = ep->scheme() == "https";
  if (!ep->encoded_path().empty() && ep->encoded_path() != "/") {
    return Bad("endpoint takes no path");
  }
  out.host = ep->host();
  out.port = ep->has_port() ? std::string(ep->port()) : out.tls ? "443" : "80";
  if (out.host.empty()) return Bad("endpoint has no host");
  return out;
}

}  // namespace spacestore::storage::s3
