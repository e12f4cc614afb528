// spacestore: the one binary. Parses the command line (CLI11): `serve` runs the server
// (serve.cc wires it), `admin` manages identities in the store --metadata names (stores.cc
// opens it). Together with serve.cc and stores.cc this is the composition root.
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "app/backup.h"
#include "app/config.h"
#include "app/migrate.h"
#include "app/serve.h"
#include "app/stores.h"
#include "storage/metadata/postgres/postgres_metadata_store.h"
#include "tools/admin/admin_commands.h"
#include "tools/fsck/fsck_command.h"

namespace spacestore::app {
namespace {

constexpr int kExitUsage = 2;

// --metadata and --blobs: the same forms and environment variables on every subcommand that
// opens the stores (serve, admin, fsck), so an operator manages a shared deployment from any
// machine.
void AddStoreOptions(CLI::App& command, std::string& metadata, std::string& blobs) {
  command
      .add_option("--metadata", metadata,
                  "Metadata backend: sqlite (in --data-dir), memory, or a PostgreSQL URL "
                  "postgres://USER[:PASS]@HOST:PORT/DB (password also from PGPASSWORD)")
      ->envname("SPACESTORE_METADATA")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            StoreConfig probe;
            auto ok = ParseMetadataBackend(text, probe);
            return ok ? std::string() : ok.error().message;
          },
          "BACKEND"))
      ->capture_default_str();
  command
      .add_option(
          "--blobs", blobs,
          "Blob backend: local (in --data-dir), local:DIR, memory or "
          "s3://BUCKET?endpoint=http[s]://HOST:PORT&region=REGION (keys from "
          "SPACESTORE_S3_ACCESS_KEY_ID and SPACESTORE_S3_SECRET_ACCESS_KEY; https checked against "
          "SPACESTORE_S3_CA_FILE or the system CAs)")
      ->envname("SPACESTORE_BLOBS")
      ->check([](const std::string& value) {
        StoreConfig parsed;
        auto ok = ParseBlobBackend(value, parsed);
        return ok ? std::string() : ok.error().message;
      })
      ->capture_default_str();
}

// The stores an admin or fsck command line names (both values were checked by the parser).
StoreConfig StoreConfigOf(const std::string& data_dir, const std::string& metadata,
                          const std::string& blobs, int connections) {
  StoreConfig config{
      .data_dir = data_dir, .sqlite_connections = connections, .postgres_connections = connections};
  (void)ParseMetadataBackend(metadata, config);
  (void)ParseBlobBackend(blobs, config);
  return config;
}

// Where fsck looked, for its messages and report: the data directory, or the shared stores
// (a PostgreSQL URL without its password).
std::string StoresShown(const StoreConfig& config, const std::string& metadata,
                        const std::string& blobs) {
  if (config.metadata != StoreConfig::Metadata::kPostgres &&
      config.blobs != StoreConfig::Blobs::kS3) {
    return config.data_dir;
  }
  const std::string shown_metadata = config.metadata == StoreConfig::Metadata::kPostgres
                                         ? storage::RedactPostgresUrl(config.postgres_url)
                                         : metadata;
  return shown_metadata + " + " + blobs;
}

// `spacestore fsck`: opens the stores --metadata and --blobs name (by default the data
// directory's SQLite and local blobs) and checks them.
int RunFsck(tools::FsckCommand& fsck, const std::string& metadata, const std::string& blobs) {
  // Two connections: the snapshot holds one while blob checks look up current references.
  const StoreConfig config = StoreConfigOf(fsck.data_dir(), metadata, blobs, 2);
  const std::string shown = StoresShown(config, metadata, blobs);
  if (config.metadata == StoreConfig::Metadata::kMemory ||
      config.blobs == StoreConfig::Blobs::kMemory) {
    return tools::FsckCommand::CannotOpen(shown, "a memory store has nothing to check");
  }
  // fsck checks a store; it never creates one (OpenStores would make a missing directory).
  std::error_code ec;
  if (config.metadata == StoreConfig::Metadata::kSqlite &&
      !std::filesystem::is_regular_file(std::filesystem::path(fsck.data_dir()) / "metadata.db",
                                        ec)) {
    return tools::FsckCommand::CannotOpen(fsck.data_dir(), "no metadata.db there");
  }
  SystemClock clock;
  auto stores = OpenStores(config, clock);
  if (!stores) return tools::FsckCommand::CannotOpen(shown, stores.error().message);
  return fsck.Run(*stores->metadata, *stores->blobs, clock);
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
  serve
      ->add_option("--workers", config.workers,
                   "Handler threads (0: one per core, at least 2; 8 per core on PostgreSQL)")
      ->envname("SPACESTORE_WORKERS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", config.max_connections,
                   "Most connections open at once; past it the server stops accepting until one "
                   "closes (at most the open files limit less 256)")
      ->envname("SPACESTORE_MAX_CONNECTIONS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--access-log", config.access_log, "Access log on stderr (true/false)")
      ->envname("SPACESTORE_ACCESS_LOG")
      ->capture_default_str();
  AddStoreOptions(*serve, config.metadata, config.blobs);
  serve->add_option("--url-ttl", config.url_ttl_seconds, "Signed URL lifetime, seconds")
      ->envname("SPACESTORE_URL_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--open-link-ttl", config.open_link_ttl_seconds,
                   "Single-use preview link lifetime, seconds")
      ->envname("SPACESTORE_OPEN_LINK_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--office-access-ttl", config.office_access_ttl_seconds,
                   "WebOffice access token lifetime, seconds")
      ->envname("SPACESTORE_OFFICE_ACCESS_TTL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--office-refresh-ttl", config.office_refresh_ttl_seconds,
                   "WebOffice refresh token lifetime, seconds")
      ->envname("SPACESTORE_OFFICE_REFRESH_TTL")
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
  serve
      ->add_option("--lease-ms", config.lease_ms,
                   "How long a node holds the lease of background work, milliseconds")
      ->envname("SPACESTORE_LEASE_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{3'600'000}))
      ->capture_default_str();
  serve
      ->add_option("--event-max-attempts", config.event_max_attempts,
                   "Failed pushes of an event before it goes to the dead letters")
      ->envname("SPACESTORE_EVENT_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve
      ->add_option("--event-backoff-ms", config.event_backoff_ms,
                   "Wait after an event push failed once, doubled after each failure, ms")
      ->envname("SPACESTORE_EVENT_BACKOFF_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400'000}))
      ->capture_default_str();
  serve
      ->add_option("--event-backoff-cap-ms", config.event_backoff_cap_ms,
                   "Longest wait between two pushes of an event, ms")
      ->envname("SPACESTORE_EVENT_BACKOFF_CAP_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400'000}))
      ->capture_default_str();
  serve
      ->add_option("--event-poll-ms", config.event_poll_ms,
                   "How often events other nodes appended are looked for, ms")
      ->envname("SPACESTORE_EVENT_POLL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{3'600'000}))
      ->capture_default_str();
  serve
      ->add_option("--event-timeout-ms", config.event_timeout_ms,
                   "Bound on one event push (connect, send, answer), ms")
      ->envname("SPACESTORE_EVENT_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{600'000}))
      ->capture_default_str();
  serve->add_option("--max-upload-bytes", config.max_upload_bytes, "Largest upload body, bytes")
      ->envname("SPACESTORE_MAX_UPLOAD_BYTES")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  // Test only (fault injection), so hidden from --help: an empty group hides an option.
  serve->add_option("--fault-file", config.fault_file, "TEST ONLY: fault plan file")
      ->envname("SPACESTORE_FAULT_FILE")
      ->group("");

  serve
      ->add_option("--keys-file", config.keys_file,
                   "JSON file with the signing keys, kept out of the data dir (docs/security.md; "
                   "or SPACESTORE_TOKEN_KEY and SPACESTORE_URL_KEY)")
      ->envname("SPACESTORE_KEYS_FILE");

  serve
      ->add_option("--metrics", config.metrics,
                   "Who may read GET /metrics: loopback (peers on 127.0.0.0/8 or ::1), any, off")
      ->envname("SPACESTORE_METRICS")
      ->check(CLI::IsMember({"loopback", "any", "off"}))
      ->capture_default_str();

  std::string admin_data_dir = "./data";
  std::string admin_metadata = "sqlite";
  std::string admin_blobs = "local";
  auto* admin = cli.add_subcommand("admin",
                                   "Manage orgs, apps, users and departments in a data directory "
                                   "or a shared store (--metadata)");
  admin->add_option("--data-dir", admin_data_dir, "Data directory")
      ->envname("SPACESTORE_DATA_DIR")
      ->capture_default_str();
  AddStoreOptions(*admin, admin_metadata, admin_blobs);
  tools::AdminCommands admin_commands(*admin);
  BackupCommands backup(*admin);
  MigrateCommand migrate(*admin);
  tools::FsckCommand fsck(cli);
  std::string fsck_metadata = "sqlite";
  std::string fsck_blobs = "local";
  AddStoreOptions(*cli.get_subcommand("fsck"), fsck_metadata, fsck_blobs);

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
      StoreConfig stores;
      (void)ParseMetadataBackend(config.metadata, stores);  // Checked by the parser.
      config.workers = DefaultWorkers(stores.metadata, std::thread::hardware_concurrency());
    }
    return Serve(config);
  }
  if (fsck.parsed()) return RunFsck(fsck, fsck_metadata, fsck_blobs);
  const StoreConfig admin_stores = StoreConfigOf(admin_data_dir, admin_metadata, admin_blobs, 1);
  if (backup.parsed()) {
    // A backup is SQLite's VACUUM INTO and a copy of local blob files: a shared store is backed
    // up with its own tools (docs/operations.md).
    if (admin_stores.metadata != StoreConfig::Metadata::kSqlite ||
        admin_stores.blobs != StoreConfig::Blobs::kLocal || !admin_stores.blobs_dir.empty()) {
      std::cerr << "spacestore admin: backup and restore work on a data directory only "
                   "(--metadata sqlite --blobs local); back up PostgreSQL and S3 with their own "
                   "tools, or admin migrate the deployment into a data directory first\n";
      return kExitUsage;
    }
    return backup.Run(admin_data_dir);
  }
  if (migrate.parsed()) return migrate.Run();
  if (admin_stores.metadata == StoreConfig::Metadata::kMemory) {
    std::cerr << "spacestore admin: --metadata memory keeps nothing after the command\n";
    return kExitUsage;
  }
  auto store = OpenMetadataStore(admin_stores);
  if (!store) return tools::AdminCommands::Fail(store.error());
  return admin_commands.Run(**store);
}

}  // namespace
}  // namespace spacestore::app

int main(int argc, char** argv) {
  // Everything spacestore creates in a data directory (metadata.db and its -wal and -shm, blobs,
  // staging files, their folders) is for this user alone: the database holds the app secrets'
  // hashes and, unless given from outside, the signing keys (docs/security.md). Set before any
  // subcommand runs, so every writer is covered; the stores also pass explicit modes.
  umask(077);
  try {
    return spacestore::app::Main(argc, argv);
  } catch (const std::exception& e) {
    // Startup fails fast with a message and exit 1 (docs/error-handling.md), also when the
    // failure comes as an exception; the server's own threads catch theirs.
    std::cerr << "spacestore: " << e.what() << "\n";
    return 1;
  }
}
