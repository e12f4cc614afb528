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
  enum class Metadata { kSqlite, kMemory, kPostgres };
  enum class Blobs { kLocal, kMemory };

  // Metadata backend: SQLite in `data_dir`/metadata.db, process memory, or the PostgreSQL
  // database at `postgres_url`. Default: kSqlite.
  Metadata metadata = Metadata::kSqlite;
  // Blob backend: files under `data_dir`/blobs, or process memory. Default: kLocal.
  Blobs blobs = Blobs::kLocal;
  // The data directory, created mode 0700 if missing (only when a backend needs it).
  // Default: ./data.
  std::string data_dir = "./data";
  // SQLite connections in the pool: bounds concurrent readers. Default: 8.
  int sqlite_connections = 8;
  // With kPostgres: the libpq URL, postgres://USER[:PASS]@HOST:PORT/DB[?...] (a password may
  // also come from PGPASSWORD). Never logged as it is (RedactPostgresUrl). Default: empty.
  std::string postgres_url{};
  // With kPostgres: most connections this process opens. Default: 16.
  int postgres_connections = 16;
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

// Parses a --metadata value into `config` (metadata, postgres_url): "sqlite", "memory", or a
// URL starting postgres:// or postgresql://. False for anything else, leaving `config` as it was.
bool ParseMetadataBackend(const std::string& text, StoreConfig& config);
// Parses "local" / "memory"; false for any other name.
bool ParseBlobBackend(const std::string& name, StoreConfig::Blobs& out);

}  // namespace spacestore::app
