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
  enum class Blobs { kLocal, kMemory, kS3 };

  // Metadata backend: SQLite in `data_dir`/metadata.db, process memory, or the PostgreSQL
  // database at `postgres_url`. Default: kSqlite.
  Metadata metadata = Metadata::kSqlite;
  // Blob backend: files under `blobs_dir` (or `data_dir`), process memory, or an S3 bucket.
  // Default: kLocal.
  Blobs blobs = Blobs::kLocal;
  // kLocal: the directory holding blobs/ and staging/ ("local:DIR"). Default: "" (data_dir).
  std::string blobs_dir = {};
  // kS3: `s3://BUCKET?endpoint=http://HOST:PORT&region=REGION` (docs/s3.md); the keys come
  // from the environment (S3CredentialsFromEnvironment). Default: "".
  std::string s3_url = {};
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
  // The thumbnail cache: `data_dir`/thumbnails with local and S3 blobs (a per-node cache even
  // when the blobs are shared: thumbnails are content-addressed, so each node's copy is exact),
  // process memory with memory blobs.
  std::unique_ptr<domain::ThumbnailStore> thumbnails;
};

// Opens the stores `config` names: the one place that knows the concrete backends, shared by
// `serve`, `admin` and the benchmark seeder. The data directory goes through PrepareDataDir
// first (data_dir.h): kPermissionDenied when it or metadata.db is another user's or writable by
// others. kUnavailable when the data directory cannot be created or a store cannot be opened;
// kInternal for a database newer than this binary.
Result<Stores> OpenStores(const StoreConfig& config, const Clock& clock);

// Opens the S3 blob store at `config.s3_url` with the keys from the environment (for
// `admin migrate`, which opens blob stores on their own). kInvalidArgument (subject "blobs")
// for a bad URL or missing keys; kUnavailable if the bucket cannot be reached.
Result<std::unique_ptr<domain::BlobStore>> OpenS3Blobs(const StoreConfig& config,
                                                       const Clock& clock);

// Opens only the metadata store (for commands that never touch content).
Result<std::unique_ptr<domain::MetadataStore>> OpenMetadataStore(const StoreConfig& config);

// Parses a --metadata value into `config` (metadata, postgres_url): "sqlite", "memory", or a
// URL starting postgres:// or postgresql://. kInvalidArgument (subject "metadata", the value not
// repeated: a URL may hold a password) for anything else, leaving `config` as it was.
Result<void> ParseMetadataBackend(const std::string& text, StoreConfig& config);
// The handler threads `serve --workers 0` runs on `cores` cores (fewer than 2 count as 2): one
// per core on an embedded store, where a handler's work is CPU; 8 per core on PostgreSQL, where
// a handler mostly waits for a round trip (docs/deployment.md).
int DefaultWorkers(StoreConfig::Metadata metadata, unsigned cores);
// Parses a --blobs value into `out` (blobs, blobs_dir, s3_url): "local", "local:DIR",
// "memory" or "s3://BUCKET?endpoint=http://HOST:PORT&region=REGION". kInvalidArgument
// (subject "blobs") saying what is wrong with any other value.
Result<void> ParseBlobBackend(const std::string& value, StoreConfig& out);

}  // namespace spacestore::app
