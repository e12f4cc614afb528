#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace spacestore::storage::s3 {

// One object of a ListObjectsV2 page.
struct S3ObjectEntry {
  std::string key;
  int64_t size = 0;
  int64_t last_modified_millis = 0;  // Epoch ms.
};

struct ListObjectsPage {
  std::vector<S3ObjectEntry> objects;
  std::string next_continuation_token;  // Empty on the last page.
};

// One in-progress multipart upload of a ListMultipartUploads page.
struct S3UploadEntry {
  std::string key;
  std::string upload_id;
  int64_t initiated_millis = 0;
};

struct ListUploadsPage {
  std::vector<S3UploadEntry> uploads;
  std::string next_key_marker;  // Both empty on the last page.
  std::string next_upload_id_marker;
};

// An S3 error reply body (<Error><Code>..</Code><Message>..</Message></Error>).
struct S3ErrorBody {
  std::string code;
  std::string message;
};

// Readers of the S3 XML replies the adapter uses, with Boost.PropertyTree. Each returns
// kUnavailable (subject "s3") for a body it cannot read: a server answering garbage is a
// backend failure, not bad input of ours. Thread-safe (pure functions).
Result<ListObjectsPage> ParseListObjectsV2(std::string_view xml);
Result<ListUploadsPage> ParseListMultipartUploads(std::string_view xml);
Result<std::string> ParseInitiateMultipartUpload(std::string_view xml);  // The UploadId.
// The error in `xml`, if it is an <Error> document (S3 may answer 200 with one for
// CompleteMultipartUpload and CopyObject); false if it is not.
bool ParseErrorBody(std::string_view xml, S3ErrorBody& out);
// The body of CompleteMultipartUpload for parts 1..etags.size().
std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags);

// "2026-12-03T11:23:47.123Z" -> epoch ms; -1 if malformed.
int64_t ParseIso8601Millis(std::string_view text);
// "Thu, 03 Dec 2026 11:23:47 GMT" (HTTP date, RFC 7231) -> epoch ms; -1 if malformed.
int64_t ParseHttpDateMillis(std::string_view text);

}  // namespace spacestore::storage::s3
