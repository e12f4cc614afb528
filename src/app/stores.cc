// The composition root's store factory: backend names map to concrete adapters here and nowhere
// else, so a new backend (PostgreSQL, S3) is one more case in each switch.
#include "app/stores.h"

#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <utility>

#include "app/data_dir.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "storage/metadata/postgres/postgres_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/thumbnail/local_thumbnail_store.h"
#include "storage/thumbnail/memory_thumbnail_store.h"

namespace spacestore::app {
namespace {

// Creates and checks the data dir (PrepareDataDir) and says once, on stderr, what it had to
// tighten: stderr because `admin` prints its JSON answer on stdout.
Result<void> MakeDataDir(const std::string& data_dir) {
  auto report = PrepareDataDir(data_dir);
  if (!report) return report.error();
  if (report->tightened > 0) {
    std::cerr << "spacestore: removed group and other access from " << report->tightened
              << " files and folders in " << data_dir
              << " (an older spacestore left them readable by other users)\n";
  }
  return {};
}

// Sets `out` to the value `name` maps to in `names`; false if it maps to none.
template <class E>
bool ParseName(const std::string& name, std::initializer_list<std::pair<const char*, E>> names,
               E& out) {
  for (const auto& [text, value] : names) {
    if (name == text) {
      out = value;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<domain::MetadataStore>> OpenMetadataStore(const StoreConfig& config) {
  switch (config.metadata) {
    case StoreConfig::Metadata::kMemory:
      return std::unique_ptr<domain::MetadataStore>(
          std::make_unique<storage::MemoryMetadataStore>());
    case StoreConfig::Metadata::kPostgres: {
      auto store = storage::PostgresMetadataStore::Open(
          config.postgres_url,
          storage::PostgresOptions{.connections = config.postgres_connections});
      if (!store) return store.error();  // Its message names the URL without the password.
      return std::unique_ptr<domain::MetadataStore>(std::move(*store));
    }
    case StoreConfig::Metadata::kSqlite:
      break;
  }
  if (auto ok = MakeDataDir(config.data_dir); !ok) return ok.error();
  const auto path = std::filesystem::path(config.data_dir) / "metadata.db";
  auto store = storage::SqliteMetadataStore::Open(
      path.string(), storage::SqliteOptions{.connections = config.sqlite_connections});
  if (!store) {
    Error e = store.error();
    e.message = "cannot open " + path.string() + ": " + e.message;
    return e;
  }
  return std::unique_ptr<domain::MetadataStore>(std::move(*store));
}

Result<Stores> OpenStores(const StoreConfig& config, const Clock& clock) {
  auto metadata = OpenMetadataStore(config);
  if (!metadata) return metadata.error();
  Stores stores{std::move(*metadata), nullptr, nullptr};
  switch (config.blobs) {
    case StoreConfig::Blobs::kMemory:
      stores.blobs = std::make_unique<storage::MemoryBlobStore>(clock);
      stores.thumbnails = std::make_unique<storage::MemoryThumbnailStore>();
      return stores;
    case StoreConfig::Blobs::kLocal:
      break;
  }
  if (auto ok = MakeDataDir(config.data_dir); !ok) return ok.error();
  auto blobs = storage::LocalBlobStore::OpenDirectory(config.data_dir);
  if (!blobs) return blobs.error();
  stores.blobs = std::move(*blobs);
  auto thumbnails = storage::LocalThumbnailStore::OpenDirectory(
      std::filesystem::path(config.data_dir) / "thumbnails");
  if (!thumbnails) return thumbnails.error();
  stores.thumbnails = std::move(*thumbnails);
  return stores;
}

bool ParseMetadataBackend(const std::string& text, StoreConfig& config) {
  if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
    config.metadata = StoreConfig::Metadata::kPostgres;
    config.postgres_url = text;
    return true;
  }
  return ParseName(
      text,
      {{"sqlite", StoreConfig::Metadata::kSqlite}, {"memory", StoreConfig::Metadata::kMemory}},
      config.metadata);
}

bool ParseBlobBackend(const std::string& name, StoreConfig::Blobs& out) {
  return ParseName(
      name, {{"local", StoreConfig::Blobs::kLocal}, {"memory", StoreConfig::Blobs::kMemory}}, out);
}

}  // namespace spacestore::app
