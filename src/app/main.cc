// spacestore: the one binary. `serve` wires the stores, services, dialects and HTTP server (this
// file is the composition root, the only place that knows every concrete type); `admin` manages
// identities in a data directory.
#include <malloc.h>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/koodrive/koodrive_api.h"
#include "app/config.h"
#include "app/frontend.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/dentry_service.h"
#include "domain/identity_service.h"
#include "domain/space_service.h"
#include "domain/upload_service.h"
#include "domain/url_signer.h"
#include "server/access_log.h"
#include "server/http_server.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "tools/admin/admin_commands.h"

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

  std::unique_ptr<domain::MetadataStore> store;
  if (config.metadata == "memory") {
    store = std::make_unique<storage::MemoryMetadataStore>();
  } else {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
      std::cerr << "spacestore serve: cannot create data dir " << config.data_dir << ": "
                << ec.message() << "\n";
      return 1;
    }
    const auto path = std::filesystem::path(config.data_dir) / "metadata.db";
    auto opened = storage::SqliteMetadataStore::Open(path.string(),
                                                     storage::SqliteOptions{config.workers + 2});
    if (!opened) {
      std::cerr << "spacestore serve: cannot open " << path << ": " << opened.error().message
                << "\n";
      return 1;
    }
    store = std::move(*opened);
  }

  std::unique_ptr<domain::BlobStore> blobs;
  SystemClock clock;
  if (config.blobs == "memory") {
    blobs = std::make_unique<storage::MemoryBlobStore>(clock);
  } else {
    auto opened = storage::LocalBlobStore::OpenDirectory(config.data_dir);
    if (!opened) {
      std::cerr << "spacestore serve: " << opened.error().message << "\n";
      return 1;
    }
    blobs = std::move(*opened);
  }

  domain::IdentityService identity(*store, clock,
                                   domain::IdentityOptions{config.token_ttl_seconds});
  if (auto r = identity.Open(); !r) {
    std::cerr << "spacestore serve: " << r.error().message << "\n";
    return 1;
  }
  auto bootstrap = identity.Bootstrap(
      domain::BootstrapRequest{config.corp_id, config.app_key, config.app_secret, config.union_id});
  if (!bootstrap) {
    std::cerr << "spacestore serve: bootstrap failed: " << bootstrap.error().message << "\n";
    return 1;
  }
  if (*bootstrap) PrintCredentials(**bootstrap);

  server::AccessLog access_log(config.access_log);
  server::HttpServerOptions options;
  options.host = host;
  options.port = port;
  options.body_limit = static_cast<size_t>(config.max_body_bytes);
  options.stream_body_limit = static_cast<uint64_t>(config.max_upload_bytes);
  options.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
  options.io_threads = config.io_threads;
  options.worker_threads = config.workers;
  options.access_log = &access_log;
  server::HttpServer http(options);
  if (auto r = http.Listen(); !r) {
    std::cerr << "spacestore serve: " << r.error().message << "\n";
    return 1;
  }
  const std::string url_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const std::string base = "http://" + url_host + ":" + std::to_string(http.port());
  std::string public_url = config.public_url.empty() ? base : config.public_url;
  while (public_url.ends_with('/')) public_url.pop_back();

  auto url_key = store->GetOrCreateSetting("url_key", HexEncode(RandomBytes(32)));
  if (!url_key) {
    std::cerr << "spacestore serve: " << url_key.error().message << "\n";
    return 1;
  }
  domain::UrlSigner signer(*url_key, public_url, clock);
  domain::SpaceService spaces(*store, clock);
  domain::DentryService dentries(*store, clock, spaces);
  domain::UploadService uploads(
      *store, *blobs, clock, spaces, signer,
      domain::UploadOptions{config.url_ttl_seconds, config.upload_ttl_seconds,
                            config.blob_grace_seconds, config.max_upload_bytes});
  api::dingtalk_v1::DingTalkApi dingtalk(identity, spaces, dentries, uploads);
  api::koodrive::KooDriveApi koodrive(identity, spaces);
  api::transfer::TransferApi transfer(uploads);
  Frontend frontend(dingtalk, koodrive, transfer, *store);

  // The collector: expired uploads give back their reservation, unreferenced blobs go.
  std::mutex collector_mu;
  std::condition_variable_any collector_cv;
  std::jthread collector([&](std::stop_token stop) {
    std::unique_lock lock(collector_mu);
    for (;;) {
      collector_cv.wait_for(lock, stop, std::chrono::seconds(config.collect_interval_seconds),
                            [] { return false; });
      if (stop.stop_requested()) return;
      auto stats = uploads.Collect();
      if (!stats) {
        spdlog::warn("collector: {}", stats.error().message);
      } else if (stats->expired_uploads + stats->blobs_removed + stats->staging_removed > 0) {
        spdlog::info("collector: {} expired uploads, {} blobs, {} staging files removed",
                     stats->expired_uploads, stats->blobs_removed, stats->staging_removed);
      }
    }
  });

  std::printf(
      "spacestore listening on %s\n"
      "  try: curl -s -X POST %s/v1.0/oauth2/accessToken -H 'content-type: application/json' "
      "-d '{\"appKey\":\"<appKey>\",\"appSecret\":\"<appSecret>\"}'\n",
      base.c_str(), base.c_str());
  std::fflush(stdout);
  http.Run(frontend);
  collector.request_stop();
  spdlog::info("spacestore stopped");
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App cli(
      "spacestore: a self-hosted organization storage service speaking the DingTalk "
      "storage v1.0 and KooDrive OSE v1 APIs",
      "spacestore");
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "spacestore 0.1.0");

  ServeConfig config;
  auto* serve = cli.add_subcommand("serve", "Run the HTTP server");
  serve->add_option("--listen", config.listen, "HOST:PORT to listen on")
      ->envname("SPACESTORE_LISTEN")
      ->capture_default_str();
  serve->add_option("--data-dir", config.data_dir, "Data directory")
      ->envname("SPACESTORE_DATA_DIR")
      ->capture_default_str();
  serve->add_option("--public-url", config.public_url, "Base URL for signed URLs")
      ->envname("SPACESTORE_PUBLIC_URL");
  serve->add_option("--metadata", config.metadata, "Metadata backend: sqlite or memory")
      ->envname("SPACESTORE_METADATA")
      ->check(CLI::IsMember({"sqlite", "memory"}))
      ->capture_default_str();
  serve->add_option("--corp-id", config.corp_id, "Bootstrap corpId")->envname("SPACESTORE_CORP_ID");
  serve->add_option("--app-key", config.app_key, "Bootstrap appKey")->envname("SPACESTORE_APP_KEY");
  serve->add_option("--app-secret", config.app_secret, "Bootstrap appSecret")
      ->envname("SPACESTORE_APP_SECRET");
  serve->add_option("--union-id", config.union_id, "Bootstrap unionId")
      ->envname("SPACESTORE_UNION_ID");
  serve->add_option("--token-ttl", config.token_ttl_seconds, "Access-token lifetime, seconds")
      ->envname("SPACESTORE_TOKEN_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--max-body-bytes", config.max_body_bytes, "Largest JSON body, bytes")
      ->envname("SPACESTORE_MAX_BODY_BYTES")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--read-timeout-ms", config.read_timeout_ms, "Time to receive a request, ms")
      ->envname("SPACESTORE_READ_TIMEOUT_MS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--io-threads", config.io_threads, "Socket threads")
      ->envname("SPACESTORE_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--workers", config.workers, "Handler threads (0: one per core, at least 2)")
      ->envname("SPACESTORE_WORKERS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve->add_option("--access-log", config.access_log, "Access log on stderr (true/false)")
      ->envname("SPACESTORE_ACCESS_LOG")
      ->capture_default_str();
  serve->add_option("--blobs", config.blobs, "Blob backend: local or memory")
      ->envname("SPACESTORE_BLOBS")
      ->check(CLI::IsMember({"local", "memory"}))
      ->capture_default_str();
  serve->add_option("--url-ttl", config.url_ttl_seconds, "Signed URL lifetime, seconds")
      ->envname("SPACESTORE_URL_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--upload-ttl", config.upload_ttl_seconds, "Upload key lifetime, seconds")
      ->envname("SPACESTORE_UPLOAD_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--blob-grace", config.blob_grace_seconds,
                   "Minimum age before an unreferenced blob is collected, seconds")
      ->envname("SPACESTORE_BLOB_GRACE")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve
      ->add_option("--collect-interval", config.collect_interval_seconds,
                   "Seconds between collector passes")
      ->envname("SPACESTORE_COLLECT_INTERVAL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--max-upload-bytes", config.max_upload_bytes, "Largest upload body, bytes")
      ->envname("SPACESTORE_MAX_UPLOAD_BYTES")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  std::string admin_data_dir = "./data";
  auto* admin = cli.add_subcommand("admin", "Manage orgs, apps and users in a data directory");
  admin->add_option("--data-dir", admin_data_dir, "Data directory")
      ->envname("SPACESTORE_DATA_DIR")
      ->capture_default_str();
  tools::AdminCommands admin_commands(*admin, admin_data_dir);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "spacestore: " << e.what() << "\nRun with --help for usage.\n";
    return kExitUsage;
  }
  if (serve->parsed()) {
    if (config.workers == 0) {
      config.workers = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    }
    return Serve(config);
  }
  return admin_commands.Run();
}

}  // namespace
}  // namespace spacestore::app

int main(int argc, char** argv) { return spacestore::app::Main(argc, argv); }
