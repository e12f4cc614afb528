// Backup and restore. A backup directory has the layout of a data directory (metadata.db,
// blobs/, staging/), so a server or fsck can be pointed at it directly.
//
// Backup order: the metadata snapshot first (VACUUM INTO, one read transaction of the live
// database), then every blob that snapshot references is copied. Blobs are immutable and named
// by their hash, so a copy made later is the same content. The one way a referenced blob can
// vanish between the snapshot and its copy: the file is deleted (or its space is) after the
// snapshot and the collector then removes the blob, which it only does to blobs older than
// --blob-grace and unreferenced in the *live* metadata. A blob missing at copy time is therefore
// checked against the live metadata: still referenced means the source is damaged (fail, run
// fsck); no longer referenced means it was collected, and the backup takes a new snapshot and
// copies what is missing (blobs already copied are kept), up to kAttempts times.
#include "app/backup.h"

#include <sys/stat.h>

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "app/stores.h"
#include "base/clock.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_snapshot.h"
#include "tools/admin/blob_copier.h"

namespace spacestore::app {
namespace {

namespace fs = std::filesystem;

constexpr int kAttempts = 3;

int Fail(const std::string& command, const std::string& why) {
  std::cerr << "spacestore admin " << command << ": " << why << "\n";
  return 1;
}

// Creates `dir` (0700) for a backup or restore; refuses one that has anything in it.
Result<void> MakeEmptyDir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return MakeError(Errc::kAlreadyExists, "dir", dir.string() + " is not empty");
  }
  fs::create_directories(dir, ec);
  if (ec) return MakeError(Errc::kUnavailable, "dir", "cannot create " + dir.string());
  fs::permissions(dir, fs::perms::owner_all, ec);
  return {};
}

void RemoveDatabase(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix, ec);
}

}  // namespace

BackupCommands::BackupCommands(CLI::App& admin) {
  backup_ = admin.add_subcommand(
      "backup", "Copy a data directory, consistently, while the server runs (online)");
  backup_->add_option("dir", backup_dir_, "Backup directory (new or empty)")->required();
  backup_->add_option("--data-dir", backup_data_dir_,
                      "Data directory to back up (default: admin's --data-dir)");
  restore_ = admin.add_subcommand("restore", "Make a new data directory from a backup");
  restore_->add_option("dir", restore_dir_, "Backup directory")->required();
  restore_->add_option("--data-dir", restore_target_, "Data directory to create (new or empty)")
      ->required();
}

bool BackupCommands::parsed() const { return backup_->parsed() || restore_->parsed(); }

int BackupCommands::Run(const std::string& admin_data_dir) {
  // Everything written is the owner's alone: files 0600, directories 0700.
  ::umask(077);
  if (backup_->parsed())
    return Backup(backup_data_dir_.empty() ? admin_data_dir : backup_data_dir_);
  return Restore();
}

int BackupCommands::Backup(const std::string& data_dir) {
  const fs::path source_db = fs::path(data_dir) / "metadata.db";
  std::error_code ec;
  if (!fs::is_regular_file(source_db, ec)) return Fail("backup", "no metadata.db in " + data_dir);
  const fs::path dir(backup_dir_);
  if (auto r = MakeEmptyDir(dir); !r) return Fail("backup", r.error().message);
  SystemClock clock;
  auto source = OpenStores(StoreConfig{.data_dir = data_dir, .sqlite_connections = 1}, clock);
  if (!source) return Fail("backup", source.error().message);
  auto target = storage::LocalBlobStore::OpenDirectory(dir);
  if (!target) return Fail("backup", target.error().message);
  tools::BlobCopier copier(*source->blobs, **target);
  const fs::path db = dir / "metadata.db";
  tools::CopyStats total;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    RemoveDatabase(db);
    if (auto r = storage::SnapshotDatabase(source_db.string(), db.string()); !r) {
      return Fail("backup", r.error().message);
    }
    auto snapshot = storage::SqliteMetadataStore::Open(db.string(), {.connections = 1});
    if (!snapshot) return Fail("backup", snapshot.error().message);
    auto stats = copier.CopyReferenced(**snapshot);
    snapshot->reset();  // Closes the copy (and folds its WAL back into metadata.db).
    if (!stats) return Fail("backup", stats.error().message);
    total.referenced = stats->referenced;
    total.copied += stats->copied;
    total.bytes += stats->bytes;
    if (stats->missing.empty()) {
      boost::json::object out{{"backup", dir.string()},    {"dataDir", data_dir},
                              {"blobs", total.referenced}, {"copied", total.copied},
                              {"bytes", total.bytes},      {"attempts", attempt}};
      std::cout << boost::json::serialize(out) << std::endl;
      return 0;
    }
    for (const auto& id : stats->missing) {
      auto live = source->metadata->IsBlobReferenced(id);
      if (!live) return Fail("backup", live.error().message);
      if (*live) {
        return Fail("backup", "blob " + id +
                                  " is referenced but missing from the data directory; run "
                                  "spacestore fsck");
      }
    }
    std::cerr << "spacestore admin backup: " << stats->missing.size()
              << " blobs were collected after the snapshot; taking a new one\n";
  }
  return Fail("backup", "blobs kept being collected under the backup; try again");
}

int BackupCommands::Restore() {
  const fs::path backup_db = fs::path(restore_dir_) / "metadata.db";
  std::error_code ec;
  if (!fs::is_regular_file(backup_db, ec)) {
    return Fail("restore", "no metadata.db in " + restore_dir_ + " (not a backup)");
  }
  const fs::path target(restore_target_);
  if (auto r = MakeEmptyDir(target); !r) return Fail("restore", r.error().message);
  const fs::path db = target / "metadata.db";
  if (auto r = storage::SnapshotDatabase(backup_db.string(), db.string()); !r) {
    return Fail("restore", r.error().message);
  }
  auto from = storage::LocalBlobStore::OpenDirectory(restore_dir_);
  if (!from) return Fail("restore", from.error().message);
  auto to = storage::LocalBlobStore::OpenDirectory(target);
  if (!to) return Fail("restore", to.error().message);
  tools::BlobCopier copier(**from, **to);
  auto copied = copier.CopyAll();
  if (!copied) return Fail("restore", copied.error().message);
  // Every blob the restored metadata references must now be there.
  auto store = storage::SqliteMetadataStore::Open(db.string(), {.connections = 1});
  if (!store) return Fail("restore", store.error().message);
  auto check = copier.CopyReferenced(**store);
  if (!check) return Fail("restore", check.error().message);
  if (!check->missing.empty()) {
    return Fail("restore", std::to_string(check->missing.size()) +
                               " referenced blobs are not in the backup (first: " +
                               check->missing.front() + ")");
  }
  boost::json::object out{{"restored", target.string()},
                          {"backup", restore_dir_},
                          {"blobs", copied->referenced},
                          {"bytes", copied->bytes}};
  std::cout << boost::json::serialize(out) << std::endl;
  return 0;
}

}  // namespace spacestore::app
