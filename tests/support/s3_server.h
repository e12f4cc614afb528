#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

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
  S3Server() : S3Server(Tls{}) {}
  // HTTPS instead: a self-signed certificate for `names` (subjectAltName entries such as
  // "IP:127.0.0.1", made with the `openssl` command), and the buckets `buckets` made at start
  // (NewBucket speaks plain HTTP only).
  struct Tls {
    bool on = false;
    std::string names = "IP:127.0.0.1";
    std::vector<std::string> buckets;
  };
  explicit S3Server(const Tls& tls);
  ~S3Server();
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT", or https:// with TLS.
  std::string endpoint() const;
  // The server's certificate (PEM), to trust as a CA; empty without TLS.
  const std::string& certificate_file() const { return cert_; }
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
  std::string cert_;
};

}  // namespace spacestore::testing
