// `spacestore admin migrate`: parses the two locations, opens each side's metadata store (which
// migrates its schema, so both sides end at this binary's version), its table view and its blob
// store, and hands them to tools::Migration. The source is opened like any store, never
// created: a mistyped source path must fail, not migrate an empty deployment.
#include "app/migrate.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "app/data_dir.h"
#include "app/stores.h"
#include "base/clock.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/metadata/postgres/postgres_table_access.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_table_access.h"
#include "tools/admin/migration.h"

namespace spacestore::app {
namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 2;

// A deployment's stores, opened for migrating.
struct OpenedEnd {
  std::unique_ptr<domain::MetadataStore> metadata;
  std::unique_ptr<storage::TableAccess> tables;
  std::unique_ptr<domain::BlobStore> blobs;
};

// `location` without a password, for messages: "postgres://user:secret@host/db?password=x"
// shows as "postgres://user@host/db?password=<hidden>".
std::string Redacted(std::string location) {
  const auto scheme = location.find("://");
  if (scheme == std::string::npos) return location;
  const auto authority_end = std::min(location.find_first_of("/?", scheme + 3), location.size());
  const auto at = location.rfind('@', authority_end);
  const auto colon = location.find(':', scheme + 3);
  if (at != std::string::npos && at > scheme && colon < at) location.erase(colon, at - colon);
  const auto query = location.find('?', scheme);
  for (auto key = location.find("password=", query); key != std::string::npos;
       key = location.find("password=", key + 1)) {
    const auto value = key + std::string_view("password=").size();
    location.replace(value, location.find('&', value) - value, "<hidden>");
  }
  return location;
}

// The DIR of "PREFIX:DIR", or empty if `location` is not of that form.
std::string DirOf(const std::string& location, const std::string& prefix) {
  if (!location.starts_with(prefix + ":") || location.size() == prefix.size() + 1) return "";
  return location.substr(prefix.size() + 1);
}

// Whether two locations name the same store (directories compared after resolving them).
bool SamePlace(const std::string& a, const std::string& b) {
  const auto colon_a = a.find(':'), colon_b = b.find(':');
  if (a.find("://") != std::string::npos || colon_a == std::string::npos ||
      colon_b == std::string::npos || a.substr(0, colon_a) != b.substr(0, colon_b)) {
    return a == b;
  }
  std::error_code ec;
  // The trailing "" makes "dir" and "dir/" alike.
  return (fs::weakly_canonical(a.substr(colon_a + 1), ec) / "").lexically_normal() ==
         (fs::weakly_canonical(b.substr(colon_b + 1), ec) / "").lexically_normal();
}

bool IsPostgres(const std::string& location) {
  return location.starts_with("postgres://") || location.starts_with("postgresql://");
}

Error Usage(const std::string& why) { return MakeError(Errc::kInvalidArgument, "usage", why); }

Result<void> PrepareDir(const std::string& dir) {
  auto report = PrepareDataDir(dir);
  if (!report) return report.error();
  return {};
}

// kInvalidArgument (subject "usage") unless `location` names a metadata store this binary
// can open.
Result<void> CheckMetadataForm(const std::string& location) {
  if (!DirOf(location, "sqlite").empty() || IsPostgres(location)) return {};
  if (location == "memory" || location == "sqlite") {
    return Usage(
        "--from and --to need a location: sqlite:DIR or a PostgreSQL URL (a memory "
        "store lives only in its process)");
  }
  return Usage("unknown metadata location " + Redacted(location) +
               " (expected sqlite:DIR, or postgres://... where PostgreSQL is built in)");
}

// Likewise for a blob store.
Result<void> CheckBlobForm(const std::string& location) {
  if (!DirOf(location, "local").empty() || location.starts_with("s3://")) return {};
  return Usage("unknown blob location " + Redacted(location) +
               " (expected local:DIR, or s3://BUCKET?endpoint=... where S3 is built in)");
}

// A refusal (kPreconditionFailed, subject "busy") when another process
// has the SQLite database at `db` open: a server (or an admin command) that may write to it.
// Every SQLite connection to a WAL database holds a shared POSIX lock on the "DMS" byte (offset
// 128) of its -shm file for as long as it is open, so asking the kernel whether a write lock
// there would conflict finds such a process without disturbing it.
Result<void> RefuseIfOpenElsewhere(const fs::path& db) {
  const std::string shm = db.string() + "-shm";
  const int fd = ::open(shm.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};  // No -shm file: no connection has the database open.
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  probe.l_start = 128;
  probe.l_len = 1;
  const int rc = ::fcntl(fd, F_GETLK, &probe);
  ::close(fd);
  if (rc == 0 && probe.l_type != F_UNLCK) {
    return MakeError(Errc::kPreconditionFailed, "busy",
                     db.string() + " is open in process " + std::to_string(probe.l_pid) +
                         " (a spacestore server?): stop every process using it, then migrate");
  }
  return {};
}

// Opens the metadata side of `location`. `create`: make the store if it is not there (the
// target); otherwise a missing one is kNotFound.
Result<void> OpenMetadata(const std::string& location, bool create, OpenedEnd& end) {
  if (auto r = CheckMetadataForm(location); !r) return r;
  if (IsPostgres(location)) {
    // Opening the store migrates the database's schema; the table view needs it migrated.
    StoreConfig config;
    if (auto r = ParseMetadataBackend(location, config); !r) return Usage("bad PostgreSQL URL");
    config.postgres_connections = 2;
    auto store = OpenMetadataStore(config);
    if (!store) return store.error();
    end.metadata = std::move(*store);
    auto tables = storage::OpenPostgresTableAccess(location);
    if (!tables) return tables.error();
    end.tables = std::move(*tables);
    return {};
  }
  const std::string dir = DirOf(location, "sqlite");
  const fs::path db = fs::path(dir) / "metadata.db";
  std::error_code ec;
  if (!create && !fs::is_regular_file(db, ec)) {
    return MakeError(Errc::kNotFound, "source", "no metadata.db in " + dir);
  }
  if (auto r = RefuseIfOpenElsewhere(db); !r) return r.error();
  if (auto r = PrepareDir(dir); !r) return r.error();
  auto store = storage::SqliteMetadataStore::Open(db.string(), {.connections = 2});
  if (!store) return store.error();
  end.metadata = std::move(*store);
  auto tables = storage::SqliteTableAccess::Open(db.string());
  if (!tables) return tables.error();
  end.tables = std::move(*tables);
  return {};
}

// Opens the blob side of `location`; `create` as for OpenMetadata.
Result<void> OpenBlobs(const std::string& location, bool create, const Clock& clock,
                       OpenedEnd& end) {
  if (auto r = CheckBlobForm(location); !r) return r;
  if (location.starts_with("s3://")) {
    StoreConfig config;
    if (auto r = ParseBlobBackend(location, config); !r) return r;
    auto blobs = OpenS3Blobs(config, clock);
    if (!blobs) return blobs.error();
    end.blobs = std::move(*blobs);
    return {};
  }
  const std::string dir = DirOf(location, "local");
  std::error_code ec;
  if (!create && !fs::is_directory(dir, ec)) {
    return MakeError(Errc::kNotFound, "source", "no blob directory " + dir);
  }
  if (auto r = PrepareDir(dir); !r) return r.error();
  auto blobs = storage::LocalBlobStore::OpenDirectory(dir);
  if (!blobs) return blobs.error();
  end.blobs = std::move(*blobs);
  return {};
}

// The blob location to use when none was given: the metadata directory's own blobs.
std::string DefaultBlobs(const std::string& metadata) {
  const std::string dir = DirOf(metadata, "sqlite");
  return dir.empty() ? "" : "local:" + dir;
}

int Fail(const Error& e) {
  std::cerr << "spacestore admin migrate: " << ErrcName(e.code) << ": " << e.message << "\n";
  return e.subject == "usage" ? kExitUsage : 1;
}

boost::json::object Summary(const tools::MigrationReport& report, const std::string& from,
                            const std::string& to) {
  boost::json::array tables;
  for (const auto& t : report.tables) {
    tables.push_back(
        {{"table", t.table}, {"rows", t.rows}, {"inserted", t.inserted}, {"present", t.present}});
  }
  return {{"from", from},
          {"to", to},
          {"tables", std::move(tables)},
          {"blobs",
           {{"referenced", report.blobs.referenced},
            {"copied", report.blobs.copied},
            {"bytes", report.blobs.bytes}}},
          {"verified",
           {{"tables", std::ssize(report.tables)},
            {"spaces", report.spaces_checked},
            {"blobs", report.blobs_verified}}}};
}

}  // namespace

MigrateCommand::MigrateCommand(CLI::App& admin) {
  command_ = admin.add_subcommand(
      "migrate",
      "Copy a whole deployment (metadata and blobs) to other backends, then verify the copy; "
      "safe to re-run. Stop every server using the source first");
  command_->add_option("--from", from_, "Source metadata: sqlite:DIR or a PostgreSQL URL")
      ->required();
  command_->add_option("--from-blobs", from_blobs_,
                       "Source blobs: local:DIR or s3://... (default: local:DIR of --from)");
  command_->add_option("--to", to_, "Target metadata: sqlite:DIR or a PostgreSQL URL")->required();
  command_->add_option("--to-blobs", to_blobs_,
                       "Target blobs: local:DIR or s3://... (default: local:DIR of --to)");
  command_->add_option("--batch-rows", batch_rows_, "Rows per copy transaction")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
}

bool MigrateCommand::parsed() const { return command_->parsed(); }

int MigrateCommand::Run() {
  for (const auto& check : {CheckMetadataForm(from_), CheckMetadataForm(to_)}) {
    if (!check) return Fail(check.error());
  }
  const std::string from_blobs = from_blobs_.empty() ? DefaultBlobs(from_) : from_blobs_;
  const std::string to_blobs = to_blobs_.empty() ? DefaultBlobs(to_) : to_blobs_;
  if (from_blobs.empty() || to_blobs.empty()) {
    return Fail(Usage("--from-blobs and --to-blobs are needed unless the metadata is sqlite:DIR"));
  }
  if (SamePlace(from_, to_) || SamePlace(from_blobs, to_blobs)) {
    return Fail(Usage("the source and the target must be different stores"));
  }
  for (const auto& check : {CheckBlobForm(from_blobs), CheckBlobForm(to_blobs)}) {
    if (!check) return Fail(check.error());
  }
  SystemClock clock;
  OpenedEnd from;
  OpenedEnd to;
  if (auto r = OpenMetadata(from_, false, from); !r) return Fail(r.error());
  if (auto r = OpenBlobs(from_blobs, false, clock, from); !r) return Fail(r.error());
  if (auto r = OpenMetadata(to_, true, to); !r) return Fail(r.error());
  if (auto r = OpenBlobs(to_blobs, true, clock, to); !r) return Fail(r.error());

  std::cerr << "spacestore admin migrate: " << Redacted(from_) << " + " << Redacted(from_blobs)
            << " -> " << Redacted(to_) << " + " << Redacted(to_blobs) << "\n";
  tools::Migration migration({*from.metadata, *from.tables, *from.blobs},
                             {*to.metadata, *to.tables, *to.blobs}, clock,
                             {.batch_rows = batch_rows_, .progress = [](const std::string& line) {
                                std::cerr << "spacestore admin migrate: " << line << std::endl;
                              }});
  auto report = migration.Run();
  if (!report) return Fail(report.error());
  std::cerr << "spacestore admin migrate: done, verified\n";
  std::cout << boost::json::serialize(Summary(*report, Redacted(from_), Redacted(to_)))
            << std::endl;
  return 0;
}

}  // namespace spacestore::app
