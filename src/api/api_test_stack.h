#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "base/result.h"
#include "server/http_message.h"
#include "storage/fault/fault_plan.h"

namespace spacestore::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// ApiTestStack is spacestore's request handling without a server: the three dialects
// (DingTalk, KooDrive, transfer) over the real domain services, on the in-memory metadata and
// blob stores and a FakeClock. Requests go straight to the dialects' Handle (and, for upload
// PUTs, OpenUpload and the body sink), as app::Frontend would hand them over.
//
// This file is the only place the api tests build stores, services and dialects: when their
// constructors change, only ApiTestStack changes. Tests speak HTTP to it (requests in, status,
// headers and JSON out) and name what they need by placeholders, so they touch no domain type.
//
// Placeholders: `{name}` in a target, header value or body stands for a value set with Set() or
// by Seed(). Set by the constructor: {corp} {union} {union2} {stranger} {app_key} {app_secret}.
// Set by Seed(): see there.
//
// Thread-safety: not thread-safe; one per test.
class ApiTestStack {
 public:
  // The bootstrap identity: org, app (every storage scope) and user.
  static constexpr const char* kCorpId = "dingcorp1";
  static constexpr const char* kAppKey = "api-test-key";
  static constexpr const char* kAppSecret = "api-test-secret";
  static constexpr const char* kUnionId = "union1";
  // A second member of the org, who owns nothing Seed() creates.
  static constexpr const char* kOtherUnionId = "union2";
  // A unionId that is no member of any org.
  static constexpr const char* kStrangerId = "stranger";
  // Token, signed URL and upload key lifetimes, in seconds. The upload key lives shorter than
  // its URL so that either expiry can be reached on its own.
  static constexpr int64_t kTokenTtlSeconds = 60;
  static constexpr int64_t kUrlTtlSeconds = 900;
  static constexpr int64_t kUploadTtlSeconds = 600;
  // Where the signed URLs point; Seed() strips it to get request targets.
  static constexpr const char* kPublicUrl = "http://api-test.invalid";

  // Builds the stack and bootstraps the org, the app and kUnionId, plus kOtherUnionId, an app of
  // the same org granted only Storage.Event.Write (a scope no served route requires) and a
  // second org with an app of its own, of which kUnionId is a member too.
  ApiTestStack();
  ~ApiTestStack();
  ApiTestStack(const ApiTestStack&) = delete;
  ApiTestStack& operator=(const ApiTestStack&) = delete;

  // Creates, through HTTP requests, what the test tables refer to, and sets these placeholders:
  //   {token}          access token of the bootstrap app
  //   {limited_token}  token of the Storage.Event.Write-only app
  //   {other_token}    token of the other org's app
  //   {expired_token}  a bootstrap-app token past its lifetime
  //   {bound_token}    a bootstrap-app token bound to {union} (a console password login)
  //   {space}          USER space of {union}, quota 1 MiB, holding:
  //   {folder}           folder "docs" in the root
  //   {file}             file "a.txt" in the root, content "hello" (version 1)
  //   {uploaded_key}     a single upload of "world" (5 bytes), PUT but not committed,
  //                      at signed URL {uploaded_target} with Authorization {uploaded_auth}
  //   {pending_key}      a single upload announced as 5 bytes, nothing PUT yet,
  //                      at {pending_target} with {pending_auth}
  //   {multipart_key}    a multipart upload whose part 1 ("part-one") is PUT,
  //                      at {part_target} with {part_auth}
  //   {download_target}  the signed download URL of {file}, with {download_auth}
  //   {small}          USER space of {union} with a quota of 10 bytes
  //   {disabled}       USER space of {union}, disabled through KooDrive (status 1)
  // A failed step fails the test.
  void Seed();

  // Uploads `content` (any bytes: placeholders are not expanded in it) and commits it as file
  // `name` in the root of {space}; returns the new dentry's id. Needs Seed(). A failed step
  // fails the test.
  std::string AddFile(std::string_view name, std::string_view content);

  // A request as the server would parse it: `target` split into path and query, header names
  // lower-cased, a fresh request id; placeholders expanded in target, header values and body.
  // A target may be a signed URL as handed out: kPublicUrl is dropped from its front.
  server::HttpRequest Request(std::string_view method, std::string_view target,
                              const Headers& headers = {}, std::string_view body = {});

  // Hands `request` to the dialect its path names (/blobs/ transfer, /koodrive/ KooDrive,
  // anything else DingTalk). An upload PUT is opened with its headers and its body fed to the
  // sink in pieces of `chunk_bytes` (0: in one piece).
  server::HttpResponse Send(const server::HttpRequest& request, size_t chunk_bytes = 0);

  // Placeholders. SetFromReply sets {name} to the value at JSON pointer `pointer` of `reply`
  // (a string's characters, anything else serialized).
  void Set(std::string name, std::string value);
  void SetFromReply(std::string name, std::string_view reply, std::string_view pointer);
  const std::string& Get(std::string_view name) const;
  std::string Expand(std::string_view text) const;

  // Moves the clock forward.
  void AdvanceSeconds(int64_t seconds);
  // Makes every later call of the blob store fail with `error`, as a failing disk would.
  void FailBlobStore(Error error);
  // Puts `plan` in force for the fault decorators around both stores (storage/fault).
  void InjectFaults(const storage::FaultPlan& plan);
  // Runs every submitted task (async copies, ...) to its end on this thread; returns how many
  // ran. The stack has no runner thread, so a task stays INIT until this is called.
  int RunTasks();

 private:
  struct Impl;
  // Seed() steps, all through HTTP. Ok() sends a request that must answer 200 and returns its
  // JSON reply (null for an empty body).
  boost::json::value Ok(std::string_view method, std::string_view target, std::string_view body,
                        const Headers& headers);
  std::string IssueToken(std::string_view app_key, std::string_view app_secret);
  std::string AddSpace(std::string_view option);
  // Sets {<name>_target} and {<name>_auth} from the headerSignatureInfo at `info` of `reply`.
  void SetSigned(std::string_view name, const boost::json::value& reply, std::string_view info);
  // GetFileUploadInfo for 5 bytes in {space}: sets {<name>_key}, {<name>_target}, {<name>_auth}.
  void AuthorizeUpload(std::string_view name);
  // PUTs `content` to {<name>_target}.
  void PutUpload(std::string_view name, std::string_view content);

  std::unique_ptr<Impl> impl_;
  std::map<std::string, std::string, std::less<>> vars_;
  int next_request_id_ = 0;
};

}  // namespace spacestore::testing
