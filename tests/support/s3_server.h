#pragma once

#include <sys/types.h>

#include <string>

#include "temp_dir.h"

namespace spacestore::testing {

// S3Server runs the S3 emulator s3rver (an npm package of tests/conformance, installed by
// `make conformance-deps`) with `node` on 127.0.0.1, a free port and a temporary directory,
// for tests of the S3 blob adapter. It accepts any SigV4 signature made with the access key
// kAccessKeyId (docs/s3.md lists what it does and does not check). The destructor stops it
// (SIGTERM, then SIGKILL); the process is also killed if the test binary dies first.
// Not thread-safe; start one per test binary and give each test its own bucket.
class S3Server {
 public:
  static constexpr const char* kAccessKeyId = "S3RVER";
  static constexpr const char* kSecretAccessKey = "S3RVER";

  // Starts the server and waits (at most 30 s) for it to listen. Throws std::runtime_error,
  // saying to run `make conformance-deps` when s3rver is not installed.
  S3Server();
  ~S3Server();
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT".
  std::string endpoint() const;
  // Creates an empty bucket named `name` and returns `s3://NAME?endpoint=...` for --blobs.
  // Throws std::runtime_error if the server refuses.
  std::string NewBucket(const std::string& name);
  // A bucket name not used before in this process ("test-bucket-N").
  std::string NewBucketName();

  // Where s3rver's entry script is: $SPACESTORE_S3RVER, else the conformance suite's
  // node_modules in the source tree.
  static std::string ScriptPath();

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int buckets_ = 0;
};

}  // namespace spacestore::testing
