#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "domain/blob_store.h"
#include "storage/blob/s3/s3_client.h"

namespace spacestore::storage {

struct S3BlobStoreOptions {
  // Bytes per multipart part, and the size up to which a blob is buffered in memory and sent
  // with one PUT at Commit. S3 wants parts of 5 MiB to 5 GiB. Default: 8 MiB.
  // REQUIRES: >= 5 MiB against real S3 (tests use less against the emulator).
  size_t part_size = size_t{8} << 20;
  // A reader fetches at least this many bytes per ranged GET and serves smaller reads from
  // them. Default: 1 MiB.
  size_t read_ahead = size_t{1} << 20;
  // Largest blob copied from one key to another (staging to final, set aside to trash/ and
  // restored) with one server-side CopyObject (S3's limit is 5 GiB); a larger one is read back
  // and uploaded again in parts.
  // Default: 5 GiB.
  int64_t max_copy_bytes = int64_t{5} << 30;
  // Connection pool and timeouts of the HTTP client.
  s3::HttpClientOptions http = {};
};

// S3BlobStore keeps content in an S3-compatible bucket (docs/s3.md):
//   blobs/<aa>/<sha256>   committed content, named by its SHA-256 (aa: its first two digits)
//   staging/<random>      a large blob being written (a multipart upload, then an object)
//   trash/<aa>/<sha256>   a removed blob, set aside until the collector restores or purges it
// A writer hashes as it goes. A blob of at most one part is buffered and PUT at Commit under
// its final key; a larger one streams parts into a multipart upload on a staging key, which
// Commit completes and copies to its final key. Nothing appears under blobs/ before Commit. A
// duplicate commit writes the content again, which refreshes the object's LastModified: that
// is the "committed at" time Remove and List compare against. Remove cannot be atomic with
// such a commit (S3 has no delete conditioned on age), so it sets the blob aside: copied to
// trash/ (its LastModified is then the time it was set aside), then deleted from blobs/; Open
// and Exists look in trash/ when blobs/ has no such key.
// Thread-safety: thread-safe (S3Client is); writers and readers are not. Borrows `clock`.
class S3BlobStore final : public domain::BlobStore {
 public:
  // Checks that the bucket answers (one ListObjectsV2); kUnavailable naming the endpoint and
  // bucket (never the credentials) if not.
  static Result<std::unique_ptr<S3BlobStore>> Open(s3::S3Location location,
                                                   s3::S3Credentials credentials,
                                                   const Clock& clock,
                                                   S3BlobStoreOptions options = {});
  S3BlobStore(const S3BlobStore&) = delete;
  S3BlobStore& operator=(const S3BlobStore&) = delete;

  // BlobStore
  Result<std::unique_ptr<domain::BlobWriter>> NewWriter(bool compute_md5) override;
  Result<std::unique_ptr<domain::BlobReader>> Open(std::string_view id) override;
  Result<bool> Exists(std::string_view id) override;
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override;
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override;
  // Staging objects and (where the server lists them) in-progress multipart uploads; a name
  // is the key after "staging/".
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override;
  Result<int> SweepStaging(int64_t older_than_millis) override;
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override;
  Result<bool> RestoreSetAside(std::string_view id) override;
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override;

  // The S3 key of blob `id`, and of its set-aside copy.
  static std::string KeyOf(std::string_view id);
  static std::string SetAsideKeyOf(std::string_view id);
  // Test seam: `hook` runs inside Remove after the blob was copied to trash/ and before it is
  // deleted from blobs/, where a concurrent commit of the same content may land. Not
  // thread-safe: set it before the store is shared.
  void SetBeforeRemoveDeleteForTest(std::function<void(std::string_view id)> hook);
  // The client, for tests that reach under the adapter (e.g. to fake a crash's leftovers).
  s3::S3Client& client_for_test() { return client_; }

 private:
  class Writer;
  class Reader;
  struct StagingEntry {
    std::string key;
    std::string upload_id;  // Empty for a staging object.
  };
  struct Found {
    std::string key;  // Under blobs/, or else trash/.
    int64_t size = 0;
  };

  S3BlobStore(s3::S3Location location, s3::S3Credentials credentials, const Clock& clock,
              S3BlobStoreOptions options);
  Result<std::vector<StagingEntry>> Staging(int64_t older_than_millis);
  // Copies object `from` (`size` bytes) to `to`: one server-side CopyObject, or past
  // max_copy_bytes, a read-back and multipart re-upload one part at a time.
  Result<void> CopyKey(const std::string& from, const std::string& to, int64_t size);
  // Where blob `id` is: committed, or else set aside. kNotFound if neither.
  Result<Found> Find(std::string_view id);
  // Ids of the blobs under `root` (blobs/ or trash/) for List and ListSetAside.
  Result<std::vector<std::string>> ListUnder(std::string_view root, std::string_view prefix,
                                             int64_t older_than_millis);

  const S3BlobStoreOptions options_;
  s3::S3Client client_;
  std::function<void(std::string_view id)> before_remove_delete_for_test_;
};

}  // namespace spacestore::storage
