// ApiTestStack: the composition root of the api tests. It wires what app/main.cc wires for
// `serve --metadata memory --blobs memory`, minus the HTTP server, and seeds a small world
// through the dialects themselves, so that the tests depend on the wire format and not on the
// domain's types. Both stores sit behind the fault decorators of storage/fault, driven by one
// FaultSwitch (a full or failing disk or database, a failed fsync); beneath the blob one, a
// blob store that can be told to fail with any error stands in for a disk losing or corrupting
// content.
#include "api/api_test_stack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/koodrive/koodrive_api.h"
#include "api/transfer/transfer_api.h"
#include "api/transfer/url_signer.h"
#include "domain/copy_service.h"
#include "domain/dentry_service.h"
#include "domain/identity_service.h"
#include "domain/permission_service.h"
#include "domain/space_service.h"
#include "domain/task_service.h"
#include "domain/thumbnail_service.h"
#include "domain/transfer_service.h"
#include "domain/upload_service.h"
#include "fake_clock.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/fault/faulty_blob_store.h"
#include "storage/fault/faulty_metadata_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "storage/thumbnail/memory_thumbnail_store.h"
#include "storage/thumbnail/vips_thumbnailer.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;

constexpr const char* kLimitedAppKey = "limited-key";
constexpr const char* kLimitedAppSecret = "limited-secret";
constexpr const char* kPeerAppKey = "peer-key";  // A second app of the org, every scope.
constexpr const char* kPeerAppSecret = "peer-secret";
// An app of the org with every scope but Storage.Event.Write.
constexpr const char* kNoEventsAppKey = "no-events-key";
constexpr const char* kNoEventsAppSecret = "no-events-secret";
constexpr const char* kOtherCorpId = "othercorp";
constexpr const char* kOtherAppKey = "other-key";
constexpr const char* kOtherAppSecret = "other-secret";

// A MemoryBlobStore that fails every call with a chosen error once told to.
class FailingBlobStore final : public domain::BlobStore {
 public:
  explicit FailingBlobStore(const Clock& clock) : blobs_(clock) {}

  void Fail(Error error) { error_ = std::move(error); }

  // BlobStore
  Result<std::unique_ptr<domain::BlobWriter>> NewWriter(bool compute_md5) override {
    if (error_) return *error_;
    return blobs_.NewWriter(compute_md5);
  }
  Result<std::unique_ptr<domain::BlobReader>> Open(std::string_view id) override {
    if (error_) return *error_;
    return blobs_.Open(id);
  }
  Result<bool> Exists(std::string_view id) override {
    if (error_) return *error_;
    return blobs_.Exists(id);
  }
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.Remove(id, older_than_millis);
  }
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.List(prefix, older_than_millis);
  }
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.ListStaging(older_than_millis);
  }
  Result<int> SweepStaging(int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.SweepStaging(older_than_millis);
  }
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.ListSetAside(prefix, older_than_millis);
  }
  Result<bool> RestoreSetAside(std::string_view id) override {
    if (error_) return *error_;
    return blobs_.RestoreSetAside(id);
  }
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override {
    if (error_) return *error_;
    return blobs_.PurgeSetAside(id, older_than_millis);
  }

 private:
  storage::MemoryBlobStore blobs_;
  std::optional<Error> error_;
};

// A FailingBlobStore for `clock`, with `out` pointing at it (it is owned by the decorator).
std::unique_ptr<domain::BlobStore> NewFailingBlobStore(const Clock& clock, FailingBlobStore*& out) {
  auto store = std::make_unique<FailingBlobStore>(clock);
  out = store.get();
  return store;
}

// libvips, started once for the test process (VipsThumbnailer::Create is idempotent).
std::unique_ptr<storage::VipsThumbnailer> StartVips() {
  auto thumbnailer = storage::VipsThumbnailer::Create();
  if (!thumbnailer) std::abort();  // No test can run without it.
  return std::move(*thumbnailer);
}

// The text at JSON pointer `pointer` of `value`: a string's characters, anything else
// serialized; empty (and a test failure) when there is nothing there.
std::string Text(const json::value& value, std::string_view pointer) {
  boost::system::error_code ec;
  const json::value* found = value.find_pointer(pointer, ec);
  if (found == nullptr) {
    ADD_FAILURE() << "no " << pointer << " in " << json::serialize(value);
    return "";
  }
  return found->is_string() ? std::string(found->get_string()) : json::serialize(*found);
}

}  // namespace

struct ApiTestStack::Impl {
  FakeClock clock;
  std::shared_ptr<storage::FaultSwitch> faults = std::make_shared<storage::FaultSwitch>();
  storage::FaultyMetadataStore store{std::make_unique<storage::MemoryMetadataStore>(), faults};
  FailingBlobStore* failing = nullptr;  // Owned by `blobs`.
  storage::FaultyBlobStore blobs{NewFailingBlobStore(clock, failing), faults};
  // Few password iterations: every case's Seed() makes a password login.
  domain::IdentityService identity{
      store, clock,
      domain::IdentityOptions{.token_ttl_seconds = kTokenTtlSeconds, .password_iterations = 1000}};
  api::transfer::UrlSigner signer{std::string(64, 'k'), kPublicUrl, clock};
  domain::SpaceService spaces{store, clock};
  domain::DentryService dentries{store, clock, spaces};
  domain::UploadService uploads{store, blobs, clock, spaces,
                                domain::UploadOptions{.url_ttl_seconds = kUrlTtlSeconds,
                                                      .session_ttl_seconds = kUploadTtlSeconds}};
  domain::TransferService transfers{store, blobs, clock};
  domain::VersionService versions{store, clock, spaces};
  domain::AppPropertyService app_properties{store, clock, spaces};
  storage::MemoryThumbnailStore thumbnail_cache;
  std::unique_ptr<storage::VipsThumbnailer> thumbnailer = StartVips();
  domain::ThumbnailService thumbnails{store,
                                      blobs,
                                      thumbnail_cache,
                                      *thumbnailer,
                                      dentries,
                                      clock,
                                      domain::ThumbnailServiceOptions{kUrlTtlSeconds}};
  // No runner thread: RunTasks() runs submitted tasks on the test's thread, deterministically.
  domain::TaskService tasks{store, clock};
  domain::CopyService copies{store, clock, spaces, tasks};
  domain::RecycleService recycle{store, clock, spaces, tasks};
  domain::TreeService tree{store, clock, spaces, tasks};
  domain::PermissionService permissions{store, clock, spaces};
  domain::EventService events{store, clock, spaces};
  domain::OpenService open{store, clock, spaces, uploads, transfers, domain::OpenOptions{}};
  api::dingtalk_v1::DingTalkApi dingtalk{
      api::dingtalk_v1::DingTalkServices{.identity = identity,
                                         .spaces = spaces,
                                         .dentries = dentries,
                                         .uploads = uploads,
                                         .links = signer,
                                         .versions = versions,
                                         .app_properties = app_properties,
                                         .thumbnails = thumbnails,
                                         .tasks = tasks,
                                         .copies = copies,
                                         .recycle = recycle,
                                         .tree = tree,
                                         .permissions = permissions,
                                         .events = events,
                                         .open = open,
                                         .public_url = kPublicUrl}};
  api::koodrive::KooDriveApi koodrive{identity, spaces};
  api::transfer::TransferApi transfer{transfers, thumbnails, signer};
};

ApiTestStack::ApiTestStack() : impl_(std::make_unique<Impl>()) {
  domain::IdentityService& identity = impl_->identity;
  EXPECT_TRUE(identity.Open());
  EXPECT_TRUE(identity.Bootstrap({kCorpId, kAppKey, kAppSecret, kUnionId}));
  EXPECT_TRUE(identity.CreateUser(kCorpId, kOtherUnionId, "Second User"));
  EXPECT_TRUE(identity.CreateApp({.corp_id = kCorpId,
                                  .name = "Limited",
                                  .scopes = {std::string(domain::kScopeEventWrite)},
                                  .app_key = kLimitedAppKey,
                                  .app_secret = kLimitedAppSecret,
                                  .quota_bytes = std::nullopt}));
  EXPECT_TRUE(identity.CreateApp({.corp_id = kCorpId,
                                  .name = "Peer",
                                  .scopes = domain::AllStorageScopes(),
                                  .app_key = kPeerAppKey,
                                  .app_secret = kPeerAppSecret,
                                  .quota_bytes = std::nullopt}));
  EXPECT_TRUE(identity.CreateApp(
      {.corp_id = kCorpId,
       .name = "No events",
       .scopes = {std::string(domain::kScopeSpaceRead), std::string(domain::kScopeSpaceWrite),
                  std::string(domain::kScopeFileRead), std::string(domain::kScopeFileWrite)},
       .app_key = kNoEventsAppKey,
       .app_secret = kNoEventsAppSecret,
       .quota_bytes = std::nullopt}));
  EXPECT_TRUE(identity.CreateOrg(kOtherCorpId, "Other", std::nullopt));
  EXPECT_TRUE(identity.CreateUser(kOtherCorpId, kUnionId, "Member Of Both"));
  EXPECT_TRUE(identity.CreateApp({.corp_id = kOtherCorpId,
                                  .name = "Other",
                                  .scopes = {},
                                  .app_key = kOtherAppKey,
                                  .app_secret = kOtherAppSecret,
                                  .quota_bytes = std::nullopt}));
  const std::pair<const char*, const char*> names[] = {
      {"corp", kCorpId},         {"union", kUnionId},  {"union2", kOtherUnionId},
      {"stranger", kStrangerId}, {"app_key", kAppKey}, {"app_secret", kAppSecret}};
  for (const auto& [name, value] : names) Set(name, value);
}

ApiTestStack::~ApiTestStack() = default;

// ---------------------------------------------------------------------------------------------
// Requests

server::HttpRequest ApiTestStack::Request(std::string_view method, std::string_view target,
                                          const Headers& headers, std::string_view body) {
  server::HttpRequest request;
  request.method = std::string(method);
  request.target = Expand(target);
  if (request.target.starts_with(kPublicUrl)) {
    request.target.erase(0, std::string_view(kPublicUrl).size());
  }
  EXPECT_TRUE(server::ParseTarget(request.target, request.path, request.query)) << request.target;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace_back(std::move(lower), Expand(value));
  }
  request.body = Expand(body);
  request.request_id = "api-test-" + std::to_string(++next_request_id_);
  request.remote = "127.0.0.1";
  return request;
}

server::HttpResponse ApiTestStack::Send(const server::HttpRequest& request, size_t chunk_bytes) {
  if (api::transfer::TransferApi::IsUpload(request)) {
    // What the server does with a streamed body: open, write chunk by chunk, finish.
    server::BodyStart start = impl_->transfer.OpenUpload(request);
    if (!start.sink) return std::move(start.refusal);
    const std::string_view body = request.body;
    const size_t step = chunk_bytes == 0 ? std::max<size_t>(body.size(), 1) : chunk_bytes;
    for (size_t at = 0; at < body.size(); at += step) {
      if (auto refusal = start.sink->Write(body.substr(at, step))) return std::move(*refusal);
    }
    return start.sink->Finish();
  }
  if (request.path.starts_with("/blobs/")) return impl_->transfer.Handle(request);
  if (request.path.starts_with("/koodrive/")) return impl_->koodrive.Handle(request);
  return impl_->dingtalk.Handle(request);
}

// ---------------------------------------------------------------------------------------------
// Placeholders, time and faults

void ApiTestStack::Set(std::string name, std::string value) {
  vars_.insert_or_assign(std::move(name), std::move(value));
}

void ApiTestStack::SetFromReply(std::string name, std::string_view reply,
                                std::string_view pointer) {
  boost::system::error_code ec;
  const json::value value = json::parse(reply, ec);
  EXPECT_FALSE(ec) << reply;
  Set(std::move(name), Text(value, pointer));
}

const std::string& ApiTestStack::Get(std::string_view name) const {
  static const std::string kNone;
  const auto it = vars_.find(name);
  if (it == vars_.end()) {
    ADD_FAILURE() << "no placeholder {" << name << "}";
    return kNone;
  }
  return it->second;
}

std::string ApiTestStack::Expand(std::string_view text) const {
  // {name} with a name of lower-case letters, digits and '_'; other braces (JSON) stay.
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open);
    const std::string_view name =
        close == std::string_view::npos ? "" : text.substr(open + 1, close - open - 1);
    const bool is_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    out.append(text.substr(at, open - at));
    if (is_name) {
      out += Get(name);
      at = close + 1;
    } else {
      out += '{';
      at = open + 1;
    }
  }
  out.append(text.substr(at));
  return out;
}

void ApiTestStack::AdvanceSeconds(int64_t seconds) { impl_->clock.AdvanceMillis(seconds * 1000); }

void ApiTestStack::FailBlobStore(Error error) { impl_->failing->Fail(std::move(error)); }

void ApiTestStack::InjectFaults(const storage::FaultPlan& plan) { impl_->faults->Set(plan); }

int ApiTestStack::RunTasks() {
  auto ran = impl_->tasks.RunPending();
  EXPECT_TRUE(ran) << (ran ? "" : ran.error().message);
  return ran ? *ran : 0;
}

// ---------------------------------------------------------------------------------------------
// Seed

namespace {

const Headers kDingTalkToken = {{"x-acs-dingtalk-access-token", "{token}"}};
constexpr std::string_view kSpacePath = "/v1.0/storage/spaces/{space}";

}  // namespace

json::value ApiTestStack::Ok(std::string_view method, std::string_view target,
                             std::string_view body, const Headers& headers) {
  const server::HttpRequest request = Request(method, target, headers, body);
  const server::HttpResponse response = Send(request);
  EXPECT_EQ(response.status, 200) << method << " " << request.target << ": " << response.body;
  if (response.status != 200 || response.body.empty()) return nullptr;
  boost::system::error_code ec;
  json::value reply = json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
  return reply;
}

std::string ApiTestStack::IssueToken(std::string_view app_key, std::string_view app_secret) {
  const std::string body = std::string(R"({"appKey":")") + std::string(app_key) +
                           R"(","appSecret":")" + std::string(app_secret) + R"("})";
  return Text(Ok("POST", "/v1.0/oauth2/accessToken", body, {}), "/accessToken");
}

std::string ApiTestStack::AddSpace(std::string_view option) {
  const std::string body = R"({"option":)" + std::string(option) + "}";
  return Text(Ok("POST", "/v1.0/storage/spaces?unionId={union}", body, kDingTalkToken),
              "/space/id");
}

void ApiTestStack::SetSigned(std::string_view name, const json::value& reply,
                             std::string_view info) {
  const std::string prefix(name);
  Set(prefix + "_target", Text(reply, std::string(info) + "/resourceUrls/0"));
  Set(prefix + "_auth", Text(reply, std::string(info) + "/headers/Authorization"));
}

void ApiTestStack::AuthorizeUpload(std::string_view name) {
  const json::value reply = Ok(
      "POST", std::string(kSpacePath) + "/files/uploadInfos/query?unionId={union}",
      R"({"protocol":"HEADER_SIGNATURE","option":{"preCheckParam":{"size":5}}})", kDingTalkToken);
  Set(std::string(name) + "_key", Text(reply, "/uploadKey"));
  SetSigned(name, reply, "/headerSignatureInfo");
}

void ApiTestStack::PutUpload(std::string_view name, std::string_view content) {
  const std::string prefix = "{" + std::string(name);
  Ok("PUT", prefix + "_target}", content,
     {{"authorization", prefix + "_auth}"}, {"content-length", std::to_string(content.size())}});
}

std::string ApiTestStack::AddFile(std::string_view name, std::string_view content) {
  const std::string space(kSpacePath);
  const json::value info = Ok("POST", space + "/files/uploadInfos/query?unionId={union}",
                              R"({"protocol":"HEADER_SIGNATURE"})", kDingTalkToken);
  server::HttpRequest put =
      Request("PUT", Text(info, "/headerSignatureInfo/resourceUrls/0"),
              {{"authorization", Text(info, "/headerSignatureInfo/headers/Authorization")},
               {"content-length", std::to_string(content.size())}});
  put.body = std::string(content);
  const server::HttpResponse stored = Send(put);
  EXPECT_EQ(stored.status, 200) << stored.body;
  return Text(Ok("POST", space + "/files/commit?unionId={union}",
                 R"({"uploadKey":")" + Text(info, "/uploadKey") + R"(","name":")" +
                     std::string(name) + R"(","parentId":"0"})",
                 kDingTalkToken),
              "/dentry/id");
}

void ApiTestStack::Seed() {
  // The expired token first: the clock then moves past its lifetime for good.
  Set("expired_token", IssueToken(kAppKey, kAppSecret));
  AdvanceSeconds(kTokenTtlSeconds);
  Set("token", IssueToken(kAppKey, kAppSecret));
  Set("limited_token", IssueToken(kLimitedAppKey, kLimitedAppSecret));
  Set("peer_token", IssueToken(kPeerAppKey, kPeerAppSecret));
  Set("other_token", IssueToken(kOtherAppKey, kOtherAppSecret));
  Set("no_events_token", IssueToken(kNoEventsAppKey, kNoEventsAppSecret));
  // A token bound to {union}, as a console password login issues it.
  EXPECT_TRUE(impl_->identity.SetUserPassword(kCorpId, kUnionId, "api-test-password"));
  auto login = impl_->identity.LoginUser(kAppKey, kUnionId, "api-test-password");
  EXPECT_TRUE(login);
  if (login) Set("bound_token", login->token.token);

  Set("space", AddSpace(R"({"name":"main","scene":"main","quota":1048576})"));
  Set("small", AddSpace(R"({"scene":"small","quota":10})"));
  Set("disabled", AddSpace(R"({"scene":"off"})"));
  Ok("PUT", "/koodrive/ose/v1/space/{union}", R"({"type":1,"containerId":"{disabled}","status":1})",
     {{"authorization", "Bearer {token}"}});

  const std::string space(kSpacePath);
  Set("folder", Text(Ok("POST", space + "/dentries/0/folders?unionId={union}", R"({"name":"docs"})",
                        kDingTalkToken),
                     "/dentry/id"));
  AuthorizeUpload("file");
  PutUpload("file", "hello");
  Set("file",
      Text(Ok("POST", space + "/files/commit?unionId={union}",
              R"({"uploadKey":"{file_key}","name":"a.txt","parentId":"0"})", kDingTalkToken),
           "/dentry/id"));
  AuthorizeUpload("uploaded");
  PutUpload("uploaded", "world");
  AuthorizeUpload("pending");

  Set("multipart_key", Text(Ok("POST", space + "/files/multiPartUploadInfos/init?unionId={union}",
                               "", kDingTalkToken),
                            "/uploadKey"));
  const json::value parts =
      Ok("POST", "/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId={union}",
         R"({"uploadKey":"{multipart_key}","partNumbers":[1]})", kDingTalkToken);
  SetSigned("part", parts, "/multipartHeaderSignatureInfos/0/headerSignatureInfo");
  PutUpload("part", "part-one");

  SetSigned("download",
            Ok("POST", space + "/dentries/{file}/downloadInfos/query?unionId={union}", "",
               kDingTalkToken),
            "/headerSignatureInfo");
}

}  // namespace spacestore::testing
