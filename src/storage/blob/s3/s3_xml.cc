// S3 XML replies through Boost.PropertyTree (header-only, already in the Boost we ship): the
// replies are small (a page holds at most 1000 entries) and flat, so a DOM is simplest. Element
// names are matched without namespace prefixes; S3 sends a default namespace only.
#include "storage/blob/s3/s3_xml.h"

#include <ctime>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

namespace spacestore::storage::s3 {

namespace pt = boost::property_tree;

namespace {

Error Garbled(const std::string& what) {
  return MakeError(Errc::kUnavailable, "s3", "unreadable S3 reply to " + what);
}

bool Read(std::string_view xml, pt::ptree& out) {
  std::istringstream in{std::string(xml)};
  try {
    pt::read_xml(in, out, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error&) {
    return false;
  }
  return true;
}

int64_t ToInt64(const std::string& text) {
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

int64_t ParseIso8601Millis(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* rest = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return -1;
  int64_t millis = 0;
  if (*rest == '.') {
    int digits = 0;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, ++digits) {
      if (digits < 3) millis = millis * 10 + (*rest - '0');
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (*rest != 'Z') return -1;
  return static_cast<int64_t>(::timegm(&tm)) * 1000 + millis;
}

int64_t ParseHttpDateMillis(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* rest = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (rest == nullptr || *rest != '\0') return -1;
  return static_cast<int64_t>(::timegm(&tm)) * 1000;
}

Result<ListObjectsPage> ParseListObjectsV2(std::string_view xml) {
  pt::ptree doc;
  if (!Read(xml, doc)) return Garbled("ListObjectsV2");
  const auto result = doc.get_child_optional("ListBucketResult");
  if (!result) return Garbled("ListObjectsV2");
  ListObjectsPage page;
  for (const auto& [name, node] : *result) {
    if (name != "Contents") continue;
    S3ObjectEntry e;
    e.key = node.get<std::string>("Key", "");
    e.size = ToInt64(node.get<std::string>("Size", ""));
    e.last_modified_millis = ParseIso8601Millis(node.get<std::string>("LastModified", ""));
    if (e.key.empty() || e.size < 0 || e.last_modified_millis < 0) {
      return Garbled("ListObjectsV2");
    }
    page.objects.push_back(std::move(e));
  }
  if (result->get<std::string>("IsTruncated", "false") == "true") {
    page.next_continuation_token = result->get<std::string>("NextContinuationToken", "");
    if (page.next_continuation_token.empty()) return Garbled("ListObjectsV2");
  }
  return page;
}

Result<ListUploadsPage> ParseListMultipartUploads(std::string_view xml) {
  pt::ptree doc;
  if (!Read(xml, doc)) return Garbled("ListMultipartUploads");
  const auto result = doc.get_child_optional("ListMultipartUploadsResult");
  if (!result) return Garbled("ListMultipartUploads");
  ListUploadsPage page;
  for (const auto& [name, node] : *result) {
    if (name != "Upload") continue;
    S3UploadEntry e;
    e.key = node.get<std::string>("Key", "");
    e.upload_id = node.get<std::string>("UploadId", "");
    e.initiated_millis = ParseIso8601Millis(node.get<std::string>("Initiated", ""));
    if (e.key.empty() || e.upload_id.empty() || e.initiated_millis < 0) {
      return Garbled("ListMultipartUploads");
    }
    page.uploads.push_back(std::move(e));
  }
  if (result->get<std::string>("IsTruncated", "false") == "true") {
    page.next_key_marker = result->get<std::string>("NextKeyMarker", "");
    page.next_upload_id_marker = result->get<std::string>("NextUploadIdMarker", "");
    if (page.next_key_marker.empty()) return Garbled("ListMultipartUploads");
  }
  return page;
}

Result<std::string> ParseInitiateMultipartUpload(std::string_view xml) {
  pt::ptree doc;
  if (!Read(xml, doc)) return Garbled("CreateMultipartUpload");
  auto id = doc.get<std::string>("InitiateMultipartUploadResult.UploadId", "");
  if (id.empty()) return Garbled("CreateMultipartUpload");
  return id;
}

bool ParseErrorBody(std::string_view xml, S3ErrorBody& out) {
  pt::ptree doc;
  if (!Read(xml, doc)) return false;
  const auto error = doc.get_child_optional("Error");
  if (!error) return false;
  out.code = error->get<std::string>("Code", "");
  out.message = error->get<std::string>("Message", "");
  return true;
}

std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags) {
  std::string out = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    // ETags are quoted hex digests: nothing in them needs XML escaping.
    out += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] +
           "</ETag></Part>";
  }
  return out + "</CompleteMultipartUpload>";
}

}  // namespace spacestore::storage::s3
