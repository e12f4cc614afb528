// The composition root of `spacestore serve`: the only code that knows every concrete type.
// Stores come from OpenStores; everything else is built here, borrowed downwards, and torn down
// in reverse order when Run returns.
#include "app/serve.h"

#include <malloc.h>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "api/console/console_api.h"
#include "api/console/console_session.h"
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/event_json.h"
#include "api/koodrive/koodrive_api.h"
#include "api/transfer/transfer_api.h"
#include "api/transfer/url_signer.h"
#include "app/commit_notifying_store.h"
#include "app/fault_stores.h"
#include "app/frontend.h"
#include "app/http_event_pusher.h"
#include "app/metered_stores.h"
#include "app/node_identity.h"
#include "app/service_metrics.h"
#include "app/signing_keys.h"
#include "app/stores.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/collector.h"
#include "domain/copy_service.h"
#include "domain/dentry_service.h"
#include "domain/event_dispatcher.h"
#include "domain/identity_service.h"
#include "domain/lease.h"
#include "domain/permission_service.h"
#include "domain/space_service.h"
#include "domain/task_service.h"
#include "domain/thumbnail_service.h"
#include "domain/transfer_service.h"
#include "domain/upload_service.h"
#include "server/access_log.h"
#include "server/descriptor_limit.h"
#include "server/http_server.h"
#include "storage/thumbnail/lazy_thumbnailer.h"

namespace spacestore::app {
namespace {

constexpr int kExitUsage = 2;

bool SplitListen(const std::string& listen, std::string& host, uint16_t& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view digits(listen.data() + colon + 1, listen.size() - colon - 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      value > 65535) {
    return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

void PrintCredentials(const domain::BootstrapResult& creds) {
  std::printf(
      "spacestore: created the default organization on this data directory\n"
      "  corpId:    %s\n"
      "  appKey:    %s\n"
      "  appSecret: %s   (shown once; it is stored hashed)\n"
      "  appId:     %s\n"
      "  unionId:   %s\n",
      creds.corp_id.c_str(), creds.app_key.c_str(),
      creds.app_secret.empty() ? "(unchanged)" : creds.app_secret.c_str(), creds.app_id.c_str(),
      creds.union_id.c_str());
}

int Failed(const std::string& what) {
  std::cerr << "spacestore serve: " << what << "\n";
  return 1;
}

// Runs the collector every `interval` until `stop`: expired uploads give back their
// reservation, unreferenced blobs go.
void RunCollector(domain::Collector& collector, ServiceMetrics& metrics,
                  std::chrono::seconds interval, const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  for (;;) {
    cv.wait_for(lock, stop, interval, [] { return false; });
    if (stop.stop_requested()) return;
    auto stats = collector.Collect();
    metrics.RecordCollection(stats);
    if (!stats) {
      spdlog::warn("collector: {}", stats.error().message);
    } else if (stats->expired_uploads + stats->blobs_removed + stats->staging_removed +
                   stats->set_aside_purged >
               0) {
      spdlog::info(
          "collector: {} expired uploads, {} blobs, {} staging files, {} set-aside blobs "
          "removed",
          stats->expired_uploads, stats->blobs_removed, stats->staging_removed,
          stats->set_aside_purged);
    }
    if (stats && stats->set_aside_restored > 0) {
      // Rare: a commit of the same content raced the blob's removal (docs/s3.md).
      spdlog::info("collector: {} set-aside blobs restored: a commit raced their removal",
                   stats->set_aside_restored);
    }
  }
}

// One line per finished task, so an operator sees async work end without polling GetTask.
void LogTask(const domain::Task& task) {
  if (task.status == domain::TaskStatus::kSucceeded) {
    spdlog::info("task {} ({}) succeeded: {} items", task.id, task.kind, task.counts.success);
  } else if (task.failure) {
    spdlog::warn("task {} ({}) failed: {}", task.id, task.kind, task.failure->message);
  }
}

// The signing keys from the keys file or the environment, or nullopt (they live in the store);
// says where they came from, never what they are.
Result<std::optional<SigningKeys>> ExternalKeys(const ServeConfig& config) {
  auto keys = LoadSigningKeys(config.keys_file, [](const char* name) { return std::getenv(name); });
  if (!keys) return keys.error();
  if (*keys) {
    spdlog::info("signing keys: from the {}; not stored in the data dir{}", (*keys)->source,
                 (*keys)->previous_token_key.empty() && (*keys)->previous_url_key.empty()
                     ? ""
                     : " (previous keys accepted for what they signed before this start)");
  }
  return keys;
}

// The URL signing key: the one given from outside, or the store's (created on first start).
Result<std::string> UrlKey(domain::MetadataStore& store, const std::optional<SigningKeys>& keys) {
  if (keys) return keys->url_key;  // From outside: never written to the store.
  return store.GetOrCreateSetting("url_key", HexEncode(RandomBytes(32)));
}

StoreConfig StoresOf(const ServeConfig& config) {
  StoreConfig stores{.data_dir = config.data_dir,
                     .sqlite_connections = config.workers + 2,
                     .postgres_connections = config.workers + 2};
  // The names were checked by the command line parser.
  (void)ParseMetadataBackend(config.metadata, stores);
  (void)ParseBlobBackend(config.blobs, stores);
  return stores;
}

MetricsAccess MetricsAccessOf(const ServeConfig& config) {
  // The name was checked by the command line parser.
  if (config.metrics == "any") return MetricsAccess::kAny;
  if (config.metrics == "off") return MetricsAccess::kOff;
  return MetricsAccess::kLoopback;
}

}  // namespace

int Serve(const ServeConfig& config) {
  // Keep up to 32 MiB of freed heap per malloc arena instead of handing it back at once:
  // with glibc's default every request that built a reply (a 15 KB batch answer) shrank the
  // heap and faulted it back in on the next one, ~15,000 page faults a second under load.
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  // Setting one threshold freezes the other at its default (128 KiB): keep the 1 MiB upload
  // and blob-writer buffers in the heap too, instead of an mmap and munmap per upload.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  std::string host;
  uint16_t port = 0;
  if (!SplitListen(config.listen, host, port)) {
    std::cerr << "spacestore serve: --listen must be HOST:PORT, got '" << config.listen << "'\n";
    return kExitUsage;
  }

  // libvips (in the thumbnailer module, beside the binary) loads on the first thumbnail asked
  // for: a server that renders none never maps it (docs/architecture.md, *Startup*).
  storage::LazyThumbnailer thumbnailer(
      storage::LazyThumbnailer::ModuleBesideExecutable(),
      [](const std::string& message) { spdlog::error("thumbnails are unavailable: {}", message); });
  // libvips stops only after the HTTP server and every worker are gone.
  struct ThumbnailerStop {
    storage::LazyThumbnailer& thumbnailer;
    ~ThumbnailerStop() { thumbnailer.Shutdown(); }
  } thumbnailer_stop{thumbnailer};

  // Keys first: a bad keys file stops the start before the data dir is touched.
  auto keys = ExternalKeys(config);
  if (!keys) return Failed(keys.error().message);
  SystemClock clock;
  auto stores = OpenStores(StoresOf(config), clock);
  if (!stores) return Failed(stores.error().message);
  if (!config.fault_file.empty()) {  // Test only: see fault_stores.h.
    *stores = WithFaultFile(std::move(*stores), config.fault_file);
    spdlog::warn("fault injection enabled from {}", config.fault_file);
  }
  // Every store call goes through the metering decorators (store errors on /metrics).
  ServiceMetrics metrics(*stores->metadata, clock, MetricsAccessOf(config));
  MeteredMetadataStore metered(*stores->metadata, metrics);
  // Each commit wakes the event dispatcher (made below, once the services exist), so events
  // this node appends are pushed at once; the dispatcher itself writes through `metered`.
  std::atomic<domain::EventDispatcher*> event_dispatcher{nullptr};
  CommitNotifyingStore store(metered, [&event_dispatcher] {
    if (auto* d = event_dispatcher.load(std::memory_order_acquire)) d->Wake();
  });
  MeteredBlobStore blobs(*stores->blobs, metrics);

  domain::IdentityService identity(
      store, clock,
      domain::IdentityOptions{
          .token_ttl_seconds = config.token_ttl_seconds,
          .token_key = *keys ? (*keys)->token_key : "",
          .previous_token_key = *keys ? (*keys)->previous_token_key : "",
      });
  if (auto r = identity.Open(); !r) return Failed(r.error().message);
  auto bootstrap = identity.Bootstrap(domain::BootstrapRequest{
      .corp_id = config.corp_id,
      .app_key = config.app_key,
      .app_secret = config.app_secret,
      .union_id = config.union_id,
  });
  if (!bootstrap) return Failed("bootstrap failed: " + bootstrap.error().message);
  if (*bootstrap) PrintCredentials(**bootstrap);

  server::AccessLog access_log(config.access_log);
  server::HttpServer http(server::HttpServerOptions{
      .host = host,
      .port = port,
      .body_limit = static_cast<size_t>(config.max_body_bytes),
      .stream_body_limit = static_cast<uint64_t>(config.max_upload_bytes),
      .read_timeout = std::chrono::milliseconds(config.read_timeout_ms),
      .max_connections = server::ConnectionLimitFor(static_cast<size_t>(config.max_connections)),
      .io_threads = config.io_threads,
      .worker_threads = config.workers,
      .access_log = &access_log,
      .metrics = metrics.access() == MetricsAccess::kOff ? nullptr : &metrics.http(),
  });
  if (auto r = http.Listen(); !r) return Failed(r.error().message);
  const std::string url_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const std::string base = "http://" + url_host + ":" + std::to_string(http.port());
  std::string public_url = config.public_url.empty() ? base : config.public_url;
  while (public_url.ends_with('/')) public_url.pop_back();

  auto url_key = UrlKey(store, *keys);
  if (!url_key) return Failed(url_key.error().message);
  // Like IdentityService's, the previous URL key covers only what could be signed before now.
  const int64_t previous_url_max_expiry =
      (clock.NowMillis() + config.url_ttl_seconds * 1000 + 999) / 1000;
  api::transfer::UrlSigner signer(*url_key, *keys ? (*keys)->previous_url_key : "",
                                  previous_url_max_expiry, public_url, clock);
  domain::SpaceService spaces(store, clock);
  domain::DentryService dentries(store, clock, spaces);
  domain::UploadService uploads(store, blobs, clock, spaces,
                                domain::UploadOptions{
                                    .url_ttl_seconds = config.url_ttl_seconds,
                                    .session_ttl_seconds = config.upload_ttl_seconds,
                                    .max_file_bytes = config.max_upload_bytes,
                                });
  domain::TransferService transfers(store, blobs, clock);
  domain::ThumbnailService thumbnails(
      store, blobs, *stores->thumbnails, thumbnailer, dentries, clock,
      domain::ThumbnailServiceOptions{.url_ttl_seconds = config.url_ttl_seconds});
  // Background work runs on one node at a time among nodes sharing the store, under leases
  // held by this process's node id.
  auto node = NodeIdentity::Claim(config.data_dir);
  if (!node) return Failed(node.error().message);
  spdlog::info("node id {}", node->id());
  // The collector's leases outlast the interval between its passes, so one node keeps them.
  const domain::LeaseOptions collector_lease{.ttl_ms = config.lease_ms +
                                                       2 * config.collect_interval_seconds * 1000};
  domain::Lease upload_lease(store, clock, domain::kUploadExpiryLease, node->id(), collector_lease);
  domain::Lease blob_lease(store, clock, domain::kCollectorLease, node->id(), collector_lease);
  domain::Lease task_lease(store, clock, domain::kTaskLease, node->id(),
                           domain::LeaseOptions{.ttl_ms = config.lease_ms});
  domain::Collector collector(
      store, blobs, clock,
      domain::CollectorOptions{.blob_grace_seconds = config.blob_grace_seconds},
      stores->thumbnails.get(), domain::CollectorLeases{&upload_lease, &blob_lease});
  domain::VersionService versions(store, clock, spaces);
  domain::AppPropertyService app_properties(store, clock, spaces);
  // Idle nodes look for tasks another node left (it died) a few times per lease.
  domain::TaskService tasks(
      store, clock,
      domain::TaskServiceOptions{.poll_interval_ms = std::min<int64_t>(5000, config.lease_ms / 3),
                                 .on_finished = LogTask,
                                 .lease = &task_lease});
  domain::CopyService copies(store, clock, spaces, tasks);  // Registers the "copy" tasks.
  domain::RecycleService recycle(store, clock, spaces, tasks);
  domain::TreeService tree(store, clock, spaces, tasks);
  domain::PermissionService permissions(store, clock, spaces);  // Uses spaces' Access.
  domain::EventService events(store, clock, spaces);
  domain::OpenService open(
      store, clock, spaces, uploads, transfers,
      domain::OpenOptions{.single_use_ttl_seconds = config.open_link_ttl_seconds,
                          .office_access_ttl_seconds = config.office_access_ttl_seconds,
                          .office_refresh_ttl_seconds = config.office_refresh_ttl_seconds});
  api::dingtalk_v1::DingTalkApi dingtalk({.identity = identity,
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
                                          .public_url = public_url});
  api::koodrive::KooDriveApi koodrive(identity, spaces);
  api::transfer::TransferApi transfer(transfers, thumbnails, signer);
  // The console's cookie is Secure when the public URL is https (a proxy terminates TLS).
  const api::console::ConsoleSessions console_sessions(identity, public_url.starts_with("https:"));
  const api::console::ConsoleApi console(identity, console_sessions, clock);
  // The readiness probe's blob check bypasses the metering: probes are not blob traffic.
  // checkLogin=true preview links ask the console who is logged in.
  api::pages::OpenPages pages(
      open, transfers, [&console_sessions](const server::HttpRequest& request) {
        auto actor = console_sessions.ActorOf(request);
        return actor ? std::optional<domain::Actor>(std::move(*actor)) : std::nullopt;
      });
  Frontend frontend(dingtalk, koodrive, transfer, console, pages, store, *stores->blobs, &metrics);
  // SQLite answers the hot reads from memory and refuses the rest at once; a fault plan may
  // make any call slow, which an I/O thread must never wait for.
  frontend.AnswerHotReadsInline(StoresOf(config).metadata == StoreConfig::Metadata::kSqlite &&
                                config.fault_file.empty());

  std::jthread collector_thread([&](const std::stop_token& stop) {
    RunCollector(collector, metrics, std::chrono::seconds(config.collect_interval_seconds), stop);
  });
  // Every handler is registered above; the runner first resumes the tasks a previous process
  // left unfinished (a restart, or a SIGKILL during a run).
  tasks.Start();
  // Push delivery of events (docs/events.md): one node at a time, under the events lease.
  domain::Lease event_lease(metered, clock, domain::kEventLease, node->id(),
                            domain::LeaseOptions{.ttl_ms = config.lease_ms});
  HttpEventPusher pusher(clock, HttpEventPusherOptions{
                                    .render = api::dingtalk_v1::EventJson,
                                    .timeout = std::chrono::milliseconds(config.event_timeout_ms),
                                });
  domain::EventDispatcherOptions dispatch;
  dispatch.max_attempts = config.event_max_attempts;
  dispatch.backoff_base_ms = config.event_backoff_ms;
  dispatch.backoff_cap_ms = config.event_backoff_cap_ms;
  dispatch.poll_interval_ms = config.event_poll_ms;
  dispatch.lease = &event_lease;
  dispatch.on_dead_letter = [](const domain::DeadLetter& letter) {
    spdlog::warn("events: app {} gave up on seq {} after {} attempts: {}", letter.app_id,
                 letter.seq, letter.attempts, letter.last_error);
  };
  dispatch.on_error = [](std::string_view app_id, const Error& error) {
    spdlog::warn("events: delivery to app {} failed: {}", app_id, error.message);
  };
  domain::EventDispatcher dispatcher(metered, clock, pusher, std::move(dispatch));
  event_dispatcher.store(&dispatcher, std::memory_order_release);
  dispatcher.Start();

  std::printf(
      "spacestore listening on %s\n"
      "  try: curl -s -X POST %s/v1.0/oauth2/accessToken -H 'content-type: application/json' "
      "-d '{\"appKey\":\"<appKey>\",\"appSecret\":\"<appSecret>\"}'\n"
      "  console: %s/console/\n",
      base.c_str(), base.c_str(), base.c_str());
  std::fflush(stdout);
  http.Run(frontend);
  tasks.Stop();  // The running task finishes first; the others resume at the next start.
  // The push in flight finishes; the rest is sent by the next holder of the events lease.
  event_dispatcher.store(nullptr, std::memory_order_release);
  dispatcher.Stop();
  collector_thread.request_stop();
  collector_thread.join();
  // Another node takes the collector's work over at its next pass, not a lease later.
  (void)upload_lease.Release();
  (void)blob_lease.Release();
  spdlog::info("spacestore stopped");
  return 0;
}

}  // namespace spacestore::app
