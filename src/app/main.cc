// spacestore: the one binary. Parses the command line (CLI11): `serve` runs the server
// (serve.cc wires it), `admin` manages identities in a data directory's store (stores.cc opens
// it). Together with serve.cc and stores.cc this is the composition root.
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
#include "tools/admin/admin_commands.h"
#include "tools/fsck/fsck_command.h"

namespace spacestore::app {
namespace {

constexpr int kExitUsage = 2;

// `spacestore fsck`: opens the data directory's SQLite and local blob stores and checks them.
int RunFsck(tools::FsckCommand& fsck) {
  // fsck checks a store; it never creates one (OpenStores would make a missing directory).
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(fsck.data_dir()) / "metadata.db",
                                        ec)) {
    return tools::FsckCommand::CannotOpen(fsck.data_dir(), "no metadata.db there");
  }
  SystemClock clock;
  // Two connections: the snapshot holds one while blob checks look up current references.
  auto stores =
      OpenStores(StoreConfig{.data_dir = fsck.data_dir(), .sqlite_connections = 2}, clock);
  if (!stores) return tools::FsckCommand::CannotOpen(fsck.data_dir(), stores.error().message);
  return fsck.Run(*stores->metadata, *stores->blobs, clock);
}

// Checks a --metadata value. The value is never repeated in the message: a URL may hold a
// password. `with_memory` false refuses `memory` (for admin, whose store must outlive it).
CLI::Validator MetadataValidator(bool with_memory) {
  return CLI::Validator(
      [with_memory](const std::string& text) -> std::string {
        StoreConfig probe;
        if (ParseMetadataBackend(text, probe) &&
            (with_memory || probe.metadata != StoreConfig::Metadata::kMemory)) {
          return "";
        }
        return with_memory ? "expected sqlite, memory, postgres://... or postgresql://..."
                           : "expected sqlite, postgres://... or postgresql://...";
      },
      "BACKEND");
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
  serve
      ->add_option("--metadata", config.metadata,
                   "Metadata backend: sqlite, memory, or a PostgreSQL URL "
                   "postgres://USER[:PASS]@HOST:PORT/DB (password also from PGPASSWORD)")
      ->envname("SPACESTORE_METADATA")
      ->check(MetadataValidator(/*with_memory=*/true))
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
  serve
      ->add_option("--blobs", config.blobs,
                   "Blob backend: local, local:DIR, memory or "
                   "s3://BUCKET?endpoint=http://HOST:PORT&region=REGION (keys from "
                   "SPACESTORE_S3_ACCESS_KEY_ID and SPACESTORE_S3_SECRET_ACCESS_KEY)")
      ->envname("SPACESTORE_BLOBS")
      ->check([](const std::string& value) {
        StoreConfig parsed;
        auto ok = ParseBlobBackend(value, parsed);
        return ok ? std::string() : ok.error().message;
      })
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
  serve
      ->add_option("--lease-ms", config.lease_ms,
                   "How long a node holds the lease of background work, milliseconds")
      ->envname("SPACESTORE_LEASE_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{3'600'000}))
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
  auto* admin = cli.add_subcommand("admin", "Manage orgs, apps and users in a data directory");
  admin->add_option("--data-dir", admin_data_dir, "Data directory")
      ->envname("SPACESTORE_DATA_DIR")
      ->capture_default_str();
  // The store the org/app/user commands manage: the data dir's SQLite by default, or the
  // PostgreSQL database that serve nodes share (--metadata as for serve).
  std::string admin_metadata = "sqlite";
  admin
      ->add_option("--metadata", admin_metadata,
                   "Metadata backend of the org/app/user commands: sqlite (in --data-dir) or "
                   "postgres://USER[:PASS]@HOST:PORT/DB (password also from PGPASSWORD)")
      ->envname("SPACESTORE_METADATA")
      ->check(MetadataValidator(/*with_memory=*/false))
      ->capture_default_str();
  tools::AdminCommands admin_commands(*admin);
  BackupCommands backup(*admin);
  MigrateCommand migrate(*admin);
  tools::FsckCommand fsck(cli);

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
  if (fsck.parsed()) return RunFsck(fsck);
  if (backup.parsed()) return backup.Run(admin_data_dir);
  if (migrate.parsed()) return migrate.Run();
  StoreConfig admin_store{
      .data_dir = admin_data_dir, .sqlite_connections = 1, .postgres_connections = 1};
  (void)ParseMetadataBackend(admin_metadata, admin_store);  // Checked by the option's validator.
  auto store = OpenMetadataStore(admin_store);
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
