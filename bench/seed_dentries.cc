// spacestore-bench-seed: fills one folder of a space with N files straight through the metadata
// store, for the listing benchmark (a million AddFolder calls over HTTP would take minutes).
// Usage: spacestore-bench-seed DATA_DIR SPACE_ID COUNT [ID_PREFIX [PARENT_ID]]
// Dentry ids are ID_PREFIX (default "b") followed by 0..COUNT-1; names are file-<n>.txt.
// Without PARENT_ID the files go into the root and have no stored version (listings only).
// With PARENT_ID they go into that folder, each with one stored version of 1 KiB charged to
// the space's usedQuota, so the tree is exact (fsck-clean) for the delete and restore benchmark.
// The server may be running on the same data dir: the inserts are ordinary SQLite
// transactions of 20,000 rows each.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/stores.h"
#include "base/clock.h"
#include "domain/dentry.h"

int main(int argc, char** argv) {
  using namespace spacestore;
  if (argc < 4 || argc > 6) {
    std::fprintf(stderr, "usage: %s DATA_DIR SPACE_ID COUNT [ID_PREFIX [PARENT_ID]]\n", argv[0]);
    return 2;
  }
  const std::string prefix = argc >= 5 ? argv[4] : "b";
  const bool versioned = argc == 6;
  const std::string parent_id = versioned ? argv[5] : domain::kRootDentryId;
  constexpr int64_t kVersionBytes = 1024;
  const std::string space_id = argv[2];
  const long count = std::strtol(argv[3], nullptr, 10);
  auto store =
      app::OpenMetadataStore(app::StoreConfig{.metadata = app::StoreConfig::Metadata::kSqlite,
                                              .data_dir = argv[1],
                                              .sqlite_connections = 1});
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  const int64_t base_time = SystemClock().NowMillis();
  constexpr long kBatch = 20000;
  for (long first = 0; first < count; first += kBatch) {
    auto r = (*store)->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
      for (long i = first; i < std::min(count, first + kBatch); ++i) {
        domain::Dentry d;
        d.id = prefix + std::to_string(i);
        d.space_id = space_id;
        d.parent_id = parent_id;
        d.uuid = prefix + "u" + std::to_string(i);
        d.name = "file-" + std::to_string(i) + ".txt";
        d.path = "/" + d.name;
        d.size = versioned ? kVersionBytes : i % 100000;
        d.creator_id = "bench";
        d.modifier_id = "bench";
        d.create_time = base_time + i;
        d.modified_time = base_time + i;
        d.blob_id = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        if (auto ok = tx.dentries().Insert(d); !ok) return ok;
        if (!versioned) continue;
        if (auto ok = tx.dentries().InsertVersion(
                {d.id, 1, d.size, d.blob_id, d.modifier_id, d.modified_time});
            !ok) {
          return ok;
        }
      }
      if (!versioned) return {};
      const int64_t files = std::min(count, first + kBatch) - first;
      return tx.spaces().AdjustBytes(space_id, files * kVersionBytes, 0);
    });
    if (!r) {
      std::fprintf(stderr, "insert: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %ld dentries into space %s in %.1f s\n", count, space_id.c_str(), seconds);
  return 0;
}
