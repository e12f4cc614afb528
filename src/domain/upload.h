#pragma once

#include <cstdint>
#include <string>

namespace spacestore::domain {

// Multipart limits, as on the reference's object store: part numbers 1-10000, every part at most
// 5 GB, every part but the last at least 100 KB.
inline constexpr int32_t kMaxPartNumber = 10000;
inline constexpr int64_t kMaxPartBytes = int64_t{5} * 1024 * 1024 * 1024;
inline constexpr int64_t kMinPartBytes = int64_t{100} * 1024;

// An authorized upload: created by GetFileUploadInfo or InitMultipartFileUpload, filled by the
// client's PUTs to signed URLs, consumed by CommitFile. Plain data; thread-compatible.
//
// States: kPending (authorized, no content yet), kUploaded (content stored as blob_id; single
// uploads only), kCommitted (a dentry version points at the content; the key is spent).
// Multipart uploads stay kPending with their parts in the part table until commit assembles
// them. Sessions past expire_time that are not committed are removed by the collector, which
// releases their reservation.
struct UploadSession {
  enum class State { kPending, kUploaded, kCommitted };

  std::string key;
  std::string corp_id;
  std::string space_id;
  std::string app_id;
  std::string creator_id;
  bool multipart = false;
  State state = State::kPending;
  int64_t declared_size = -1;  // preCheckParam.size; -1 when not given.
  int64_t reserved_bytes = 0;  // Quota held for this upload until commit or expiry.
  std::string expected_md5;    // preCheckParam.md5 (lower-case hex), or empty.
  std::string blob_id;         // Set in kUploaded.
  int64_t blob_size = 0;
  std::string blob_md5;
  int64_t create_time = 0;
  int64_t expire_time = 0;  // Epoch milliseconds.
};

// One uploaded part of a multipart upload.
struct UploadPart {
  std::string upload_key;
  int32_t part_number = 0;  // 1..10000
  std::string blob_id;
  int64_t size = 0;
};

}  // namespace spacestore::domain
