// The composition root's store factory: backend names map to concrete adapters here and nowhere
// else, so a new backend (PostgreSQL, S3) is one more case in each switch.
#include "app/stores.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <utility>

#include "app/data_dir.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/blob/s3/s3_blob_store.h"
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

// The S3 keys: SPACESTORE_S3_* first, then the AWS_* names other tools use. Never logged.
Result<storage::s3::S3Credentials> S3CredentialsFromEnvironment() {
  auto env = [](const char* primary, const char* fallback) {
    for (const char* name : {primary, fallback}) {
      if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return std::string(v);
    }
    return std::string();
  };
  storage::s3::S3Credentials keys{env("SPACESTORE_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
                                  env("SPACESTORE_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY")};
  if (keys.access_key_id.empty() || keys.secret_access_key.empty()) {
    return MakeError(Errc::kInvalidArgument, "blobs",
                     "S3 blobs need SPACESTORE_S3_ACCESS_KEY_ID and "
                     "SPACESTORE_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and "
                     "AWS_SECRET_ACCESS_KEY) in the environment");
  }
  return keys;
}

}  // namespace

Result<std::unique_ptr<domain::BlobStore>> OpenS3Blobs(const StoreConfig& config,
                                                       const Clock& clock) {
  auto location = storage::s3::ParseS3Url(config.s3_url);
  if (!location) return location.error();
  auto keys = S3CredentialsFromEnvironment();
  if (!keys) return keys.error();
  storage::S3BlobStoreOptions options;
  // An https endpoint's certificate is checked against this CA bundle (PEM) when set, else
  // against the system's trust store.
  if (const char* ca = std::getenv("SPACESTORE_S3_CA_FILE"); ca != nullptr) {
    options.http.ca_file = ca;
  }
  auto store =
      storage::S3BlobStore::Open(std::move(*location), std::move(*keys), clock, std::move(options));
  if (!store) return store.error();
  return std::unique_ptr<domain::BlobStore>(std::move(*store));
}

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
    case StoreConfig::Blobs::kS3: {
      auto blobs = OpenS3Blobs(config, clock);
      if (!blobs) return blobs.error();
      stores.blobs = std::move(*blobs);
      break;
    }
    case StoreConfig::Blobs::kLocal:
      break;
  }
  // The data dir holds the thumbnail cache, and local blobs unless they have a directory of
  // their own.
  if (auto ok = MakeDataDir(config.data_dir); !ok) return ok.error();
  if (config.blobs == StoreConfig::Blobs::kLocal) {
    const std::string& dir = config.blobs_dir.empty() ? config.data_dir : config.blobs_dir;
    if (!config.blobs_dir.empty()) {
      if (auto ok = MakeDataDir(dir); !ok) return ok.error();
    }
    auto blobs = storage::LocalBlobStore::OpenDirectory(dir);
    if (!blobs) return blobs.error();
    stores.blobs = std::move(*blobs);
  }
  auto thumbnails = storage::LocalThumbnailStore::OpenDirectory(
      std::filesystem::path(config.data_dir) / "thumbnails");
  if (!thumbnails) return thumbnails.error();
  stores.thumbnails = std::move(*thumbnails);
  return stores;
}

Result<void> ParseMetadataBackend(const std::string& text, StoreConfig& config) {
  if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
    config.metadata = StoreConfig::Metadata::kPostgres;
    config.postgres_url = text;
    return {};
  }
  if (ParseName(
          text,
          {{"sqlite", StoreConfig::Metadata::kSqlite}, {"memory", StoreConfig::Metadata::kMemory}},
          config.metadata)) {
    return {};
  }
  return MakeError(Errc::kInvalidArgument, "metadata",
                   "expected sqlite, memory, postgres://... or postgresql://...");
}

int DefaultWorkers(StoreConfig::Metadata metadata, unsigned cores) {
  // 8 per core served GetSpace 2.2x faster than 1 per core on PostgreSQL (bench scaleout).
  const int n = static_cast<int>(std::max(2u, cores));
  return metadata == StoreConfig::Metadata::kPostgres ? 8 * n : n;
}

Result<void> ParseBlobBackend(const std::string& value, StoreConfig& out) {
  if (value.starts_with("s3://")) {
    // Parsed here too, so a malformed URL is a usage error before anything starts.
    if (auto location = storage::s3::ParseS3Url(value); !location) return location.error();
    out.blobs = StoreConfig::Blobs::kS3;
    out.s3_url = value;
    return {};
  }
  if (value.starts_with("local:")) {
    out.blobs_dir = value.substr(6);
    if (out.blobs_dir.empty()) {
      return MakeError(Errc::kInvalidArgument, "blobs", "--blobs local:DIR needs a directory");
    }
    out.blobs = StoreConfig::Blobs::kLocal;
    return {};
  }
  if (ParseName(value,
                {{"local", StoreConfig::Blobs::kLocal}, {"memory", StoreConfig::Blobs::kMemory}},
                out.blobs)) {
    return {};
  }
  return MakeError(Errc::kInvalidArgument, "blobs",
                   "--blobs must be local, local:DIR, memory or "
                   "s3://BUCKET?endpoint=http[s]://HOST:PORT&region=REGION");
}

}  // namespace spacestore::app
