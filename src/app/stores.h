#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"
#include "domain/thumbnail_store.h"

namespace spacestore::app {

// Which stores to open, and where.
struct StoreConfig {
  enum class Metadata { kSqlite, kMemory };
  enum class Blobs { kLocal, kMemory };

  // Metadata backend: SQLite in `data_dir`/metadata.db, or process memory. Default: kSqlite.
  Metadata metadata = Metadata::kSqlite;
  // Blob backend: files under `data_dir`/blobs, or process memory. Default: kLocal.
  Blobs blobs = Blobs::kLocal;
  // The data directory, created mode 0700 if missing (only when a backend needs it).
  // Default: ./data.
  std::string data_dir = "./data";
  // SQLite connections in the pool: bounds concurrent readers. Default: 8.
  int sqlite_connections = 8;
};

// The opened stores. Owns them; the blob store may borrow the clock given to OpenStores.
struct Stores {
  std::unique_ptr<domain::MetadataStore> metadata;
  std::unique_ptr<domain::BlobStore> blobs;
  // The thumbnail cache beside the blobs: `data_dir`/thumbnails with local blobs, process
  // memory with memory blobs.
  std::unique_ptr<domain::ThumbnailStore> thumbnails;
};

// Opens the stores `config` names: the one place that knows the concrete backends, shared by
// `serve`, `admin` and the benchmark seeder. The data directory goes through PrepareDataDir
// first (data_dir.h): kPermissionDenied when it or metadata.db is another user's or writable by
// others. kUnavailable when the data directory cannot be created or a store cannot be opened;
// kInternal for a database newer than this binary.
Result<Stores> OpenStores(const StoreConfig& config, const Clock& clock);

// Opens only the metadata store (for commands that never touch content).
Result<std::unique_ptr<domain::MetadataStore>> OpenMetadataStore(const StoreConfig& config);

// Parses "sqlite" / "memory" and "local" / "memory"; false for any other name.
bool ParseMetadataBackend(const std::string& name, StoreConfig::Metadata& out);
bool ParseBlobBackend(const std::string& name, StoreConfig::Blobs& out);

}  // namespace spacestore::app
