// spacestore-microbench: Google Benchmark timings of the hot paths every request or upload
// crosses, so that a regression in one of them shows in seconds, without a full `make bench`
// run (bench/README.md, "Micro-benchmarks"):
//
//   - request targets and headers: server::ParseTarget of a GetSpace and a GetDentries target
//     (and the Boost.URL reference it falls back to), HttpRequest::Header/SingleHeader on the
//     headers a DingTalk client sends;
//   - access tokens: IdentityService::Authenticate of a valid token (memory store), and the
//     HMAC-SHA256 it checks, with a precomputed key;
//   - replies: api::dingtalk_v1::SpaceReply, and a 30-dentry GetDentries reply written the way
//     DingTalkApi::GetDentries writes it (WriteDentry into one JsonWriter);
//   - content hashing: SHA-256 and MD5 over 1 MiB (what an upload hashes per MiB).
//
// Each benchmark prepares its input outside the timed loop and keeps the result alive with
// benchmark::DoNotOptimize, so the figure is the call alone.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "api/dingtalk_v1/json_mapping.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/dentry.h"
#include "domain/identity_service.h"
#include "domain/space.h"
#include "server/http_message.h"
#include "server/json_writer.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore {
namespace {

// ---- Request targets and headers ----

constexpr std::string_view kGetSpaceTarget =
    "/v1.0/storage/spaces/378816342455?unionId=Vr4PS8fEFYzrEBiA6xAgFsgiEiE";
constexpr std::string_view kGetDentriesTarget =
    "/v1.0/storage/spaces/378816342455/dentries/query?unionId=Vr4PS8fEFYzrEBiA6xAgFsgiEiE";
// A target that needs decoding (a name with spaces and non-ASCII bytes): the general path.
constexpr std::string_view kEncodedTarget =
    "/v1.0/storage/spaces/378816342455/dentries?unionId=Vr4PS8fEFYzrEBiA6xAgFsgiEiE"
    "&parentId=0&name=quarterly%20report%20%E6%8A%A5%E5%91%8A.pdf&maxResults=50";

void ParseTargetOf(benchmark::State& state, std::string_view target, bool general) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  for (auto _ : state) {
    path.clear();
    query.clear();
    const bool ok = general ? server::ParseTargetGeneral(target, path, query)
                            : server::ParseTarget(target, path, query);
    if (!ok) state.SkipWithError("the target did not parse");
    benchmark::DoNotOptimize(path.data());
    benchmark::DoNotOptimize(query.data());
  }
}

void ParseTargetGetSpace(benchmark::State& state) { ParseTargetOf(state, kGetSpaceTarget, false); }
BENCHMARK(ParseTargetGetSpace);

void ParseTargetGetDentries(benchmark::State& state) {
  ParseTargetOf(state, kGetDentriesTarget, false);
}
BENCHMARK(ParseTargetGetDentries);

void ParseTargetEncoded(benchmark::State& state) { ParseTargetOf(state, kEncodedTarget, false); }
BENCHMARK(ParseTargetEncoded);

void ParseTargetGeneralGetSpace(benchmark::State& state) {
  ParseTargetOf(state, kGetSpaceTarget, true);
}
BENCHMARK(ParseTargetGeneralGetSpace);

// The headers a DingTalk SDK sends with a GetDentries POST, names lower-cased as the server
// stores them; the lookups are those every call makes (token, request id) and one that misses.
server::HttpRequest ClientRequest() {
  server::HttpRequest request;
  request.method = "POST";
  request.headers = {
      {"host", "127.0.0.1:8080"},
      {"user-agent", "AlibabaCloud (Linux; x64) Java/17 Core/4.6.4 TeaDSL/1"},
      {"accept", "application/json"},
      {"content-type", "application/json; charset=utf-8"},
      {"x-acs-version", "2023-04-26"},
      {"x-acs-action", "GetDentries"},
      {"x-acs-dingtalk-access-token", "861772992.1767225600.5f1d3a9e0b7c4d2a8e6f"},
      {"content-length", "151"},
  };
  return request;
}

void HeaderLookups(benchmark::State& state) {
  const server::HttpRequest request = ClientRequest();
  for (auto _ : state) {
    auto token = request.SingleHeader("x-acs-dingtalk-access-token");
    auto type = request.Header("content-type");
    auto missing = request.Header("x-acs-request-id");
    benchmark::DoNotOptimize(token);
    benchmark::DoNotOptimize(type);
    benchmark::DoNotOptimize(missing);
  }
}
BENCHMARK(HeaderLookups);

// ---- Access tokens ----

// A memory store with one bootstrapped org and app, and a token the app was issued.
class TokenFixture {
 public:
  TokenFixture() : identity_(store_, clock_, domain::IdentityOptions{7200}) {
    Require(identity_.Open().has_value(), "IdentityService::Open");
    auto made = identity_.Bootstrap({.corp_id = "dingbench",
                                     .app_key = "bench-app-key",
                                     .app_secret = "bench-app-secret",
                                     .union_id = "benchunion"});
    Require(made.has_value(), "IdentityService::Bootstrap");
    auto token = identity_.IssueToken("bench-app-key", "bench-app-secret");
    Require(token.has_value(), "IdentityService::IssueToken");
    token_ = token->token;
  }
  domain::IdentityService& identity() { return identity_; }
  const std::string& token() const { return token_; }

 private:
  static void Require(bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "spacestore-microbench: %s failed\n", what);
      std::abort();
    }
  }

  storage::MemoryMetadataStore store_;
  SystemClock clock_;
  domain::IdentityService identity_;
  std::string token_;
};

void AuthenticateToken(benchmark::State& state) {
  TokenFixture fixture;
  for (auto _ : state) {
    auto holder = fixture.identity().Authenticate(fixture.token());
    if (!holder.has_value()) state.SkipWithError("the token was refused");
    benchmark::DoNotOptimize(holder);
  }
}
BENCHMARK(AuthenticateToken);

// The MAC of a token's signed part ("<appId>.<expiry>"), with the key's states precomputed as
// Authenticate uses them.
void HmacSha256Token(benchmark::State& state) {
  const HmacSha256Key key(std::string(32, 'k'));
  const std::string signed_part = "861772992.1767225600";
  for (auto _ : state) {
    auto mac = key.Sign(signed_part);
    benchmark::DoNotOptimize(mac.data());
  }
}
BENCHMARK(HmacSha256Token);

// The same without the precomputed states (HmacSha256: key setup on every call).
void HmacSha256OneShot(benchmark::State& state) {
  const std::string key(32, 'k');
  const std::string signed_part = "861772992.1767225600";
  for (auto _ : state) {
    auto mac = HmacSha256(key, signed_part);
    benchmark::DoNotOptimize(mac.data());
  }
}
BENCHMARK(HmacSha256OneShot);

// ---- Replies ----

domain::Space BenchSpace() {
  domain::Space space;
  space.id = "378816342455";
  space.corp_id = "dingbench";
  space.app_id = "861772992";
  space.name = "Engineering shared drive";
  space.owner_id = "Vr4PS8fEFYzrEBiA6xAgFsgiEiE";
  space.creator_id = space.owner_id;
  space.modifier_id = space.owner_id;
  space.used_bytes = 52843118592;
  space.quota_bytes = int64_t{1} << 40;
  space.scene = "bench";
  space.scene_id = "0";
  space.create_time = 1767225600000;
  space.modified_time = 1767225600000;
  return space;
}

void WriteSpaceReply(benchmark::State& state) {
  const domain::Space space = BenchSpace();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string reply = api::dingtalk_v1::SpaceReply(space);
    bytes += reply.size();
    benchmark::DoNotOptimize(reply.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(WriteSpaceReply);

std::vector<domain::Dentry> BenchDentries(int count) {
  std::vector<domain::Dentry> dentries;
  for (int i = 0; i < count; ++i) {
    domain::Dentry d;
    d.id = "g" + std::to_string(i);
    d.space_id = "378816342455";
    d.parent_id = "68233099999";
    d.uuid = "0f8fad5b-d9cb-469f-a165-70867728950" + std::to_string(i % 10);
    d.name = "quarterly-report-" + std::to_string(i) + ".pdf";
    d.path = "/Reports/2024/" + d.name;
    d.size = 1049093 + i;
    d.version = 3;
    d.creator_id = "Vr4PS8fEFYzrEBiA6xAgFsgiEiE";
    d.modifier_id = d.creator_id;
    d.create_time = 1767225600000;
    d.modified_time = 1767225600000 + i;
    d.blob_id = std::string(64, 'a');
    dentries.push_back(std::move(d));
  }
  return dentries;
}

// The GetDentries reply of 30 found ids, written as DingTalkApi::GetDentries writes it.
void WriteGetDentriesReply30(benchmark::State& state) {
  namespace dt = api::dingtalk_v1;
  const std::vector<domain::Dentry> dentries = BenchDentries(30);
  const std::string_view space_id = "378816342455";
  size_t bytes = 0;
  for (auto _ : state) {
    server::JsonWriter w(dt::kDentryBytes * (dentries.size() + 1));
    w.BeginObject().Key("resultItems").BeginArray();
    for (const auto& d : dentries) {
      w.BeginObject().Member("spaceId", space_id).Member("dentryId", d.id);
      w.Member("success", true).Key("dentry");
      dt::WriteDentry(w, d, dt::DentryShape::kWithThumbnail, "861772992");
      w.EndObject();
    }
    w.EndArray().EndObject();
    std::string reply = std::move(w).Finish();
    bytes += reply.size();
    benchmark::DoNotOptimize(reply.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(WriteGetDentriesReply30);

// ---- Content hashing ----

void DigestOfMiB(benchmark::State& state, Digest::Kind kind) {
  const std::string data(1 << 20, 'x');
  for (auto _ : state) {
    Digest digest(kind);
    digest.Update(data);
    auto hex = digest.FinishHex();
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * (1 << 20));
}

void Sha256OneMiB(benchmark::State& state) { DigestOfMiB(state, Digest::Kind::kSha256); }
BENCHMARK(Sha256OneMiB);

void Md5OneMiB(benchmark::State& state) { DigestOfMiB(state, Digest::Kind::kMd5); }
BENCHMARK(Md5OneMiB);

}  // namespace
}  // namespace spacestore

BENCHMARK_MAIN();
