// spacestore-bench-seed: fills a space with N dentries straight through the metadata store, for
// the listing and tree benchmarks (a million AddFolder calls over HTTP would take minutes).
//
// Usage: spacestore-bench-seed DATA_DIR SPACE_ID COUNT [ID_PREFIX [tree | PARENT_ID]]
//   DATA_DIR: the server's data directory (its metadata.db), or a PostgreSQL URL
//         (postgres://...) for a server started with that --metadata.
//   flat (default): COUNT files ID_PREFIX0..ID_PREFIX<COUNT-1>, named file-<n>.txt, in the root,
//         with no stored version (listings only).
//   PARENT_ID: the same files in folder PARENT_ID, each with one stored version of 1 KiB
//         charged to the space's usedQuota, so the tree is exact (fsck-clean).
//   tree: folder "tree-ID_PREFIX" (id ID_PREFIX"root") in the root with COUNT descendants: a
//         chain of kChainDepth folders whose last holds file "deep.txt" (id ID_PREFIX"deep"),
//         and the rest as files of folders of at most 1,000 files each beside the chain; files
//         have versions as with PARENT_ID.
// The server may be running on the same data dir: the inserts are ordinary SQLite
// transactions of 20,000 rows each.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "app/stores.h"
#include "base/clock.h"
#include "domain/dentry.h"

namespace {

using namespace spacestore;

constexpr long kBatch = 20000;
constexpr long kChainDepth = 20;  // The deep descendant sits this many folders down.
constexpr long kFilesPerFolder = 1000;
constexpr int64_t kVersionBytes = 1024;

// The n-th dentry of the seed, given its index.
using Make = std::function<domain::Dentry(long)>;

domain::Dentry Base(const std::string& space_id, std::string id, std::string parent,
                    std::string name, domain::DentryType type, int64_t time) {
  domain::Dentry d;
  d.space_id = space_id;
  d.uuid = "u" + id;
  d.id = std::move(id);
  d.parent_id = std::move(parent);
  d.name = std::move(name);
  d.type = type;
  d.creator_id = "bench";
  d.modifier_id = "bench";
  d.create_time = time;
  d.modified_time = time;
  if (type == domain::DentryType::kFile) {
    d.size = time % 100000;
    d.blob_id = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  }
  return d;
}

// Flat: files in folder `parent`.
Make Flat(const std::string& space_id, const std::string& prefix, const std::string& parent,
          int64_t base_time) {
  return [=](long i) {
    return Base(space_id, prefix + std::to_string(i), parent, "file-" + std::to_string(i) + ".txt",
                domain::DentryType::kFile, base_time + i);
  };
}

// Tree: index 0 is the root folder; 1..kChainDepth the chain; kChainDepth + 1 the deep file;
// then, per group of kFilesPerFolder + 1 indexes, a folder and its files.
Make Tree(const std::string& space_id, const std::string& prefix, int64_t base_time) {
  return [=](long i) {
    const auto folder = domain::DentryType::kFolder;
    const auto file = domain::DentryType::kFile;
    const int64_t t = base_time + i;
    if (i == 0) return Base(space_id, prefix + "root", "0", "tree-" + prefix, folder, t);
    if (i <= kChainDepth) {
      const std::string parent = i == 1 ? prefix + "root" : prefix + "c" + std::to_string(i - 1);
      return Base(space_id, prefix + "c" + std::to_string(i), parent, "level-" + std::to_string(i),
                  folder, t);
    }
    if (i == kChainDepth + 1) {
      return Base(space_id, prefix + "deep", prefix + "c" + std::to_string(kChainDepth), "deep.txt",
                  file, t);
    }
    const long j = i - kChainDepth - 2;
    const long group = j / (kFilesPerFolder + 1);
    const long k = j % (kFilesPerFolder + 1);
    const std::string group_id = prefix + "g" + std::to_string(group);
    if (k == 0) {
      return Base(space_id, group_id, prefix + "root", "group-" + std::to_string(group), folder, t);
    }
    return Base(space_id, group_id + "f" + std::to_string(k), group_id,
                "file-" + std::to_string(k) + ".txt", file, t);
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 6) {
    std::fprintf(stderr, "usage: %s DATA_DIR SPACE_ID COUNT [ID_PREFIX [tree | PARENT_ID]]\n",
                 argv[0]);
    return 2;
  }
  const std::string prefix = argc >= 5 ? argv[4] : "b";
  const std::string space_id = argv[2];
  const bool versioned = argc == 6;
  const bool tree = versioned && std::string(argv[5]) == "tree";
  const std::string parent = versioned && !tree ? argv[5] : domain::kRootDentryId;
  // A tree's COUNT is its descendants: the root folder is one row more.
  const long count = std::strtol(argv[3], nullptr, 10) + (tree ? 1 : 0);
  if (tree && count < kChainDepth + 2) {
    std::fprintf(stderr, "a tree needs at least %ld descendants\n", kChainDepth + 1);
    return 2;
  }
  app::StoreConfig config{.data_dir = argv[1], .sqlite_connections = 1};
  // A URL names a PostgreSQL database; anything else is a data directory.
  if (std::string_view(argv[1]).find("://") != std::string_view::npos &&
      !app::ParseMetadataBackend(argv[1], config)) {
    std::fprintf(stderr, "not a metadata URL: %s\n", argv[1]);
    return 2;
  }
  auto store = app::OpenMetadataStore(config);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  const int64_t base_time = SystemClock().NowMillis();
  const Make make =
      tree ? Tree(space_id, prefix, base_time) : Flat(space_id, prefix, parent, base_time);
  for (long first = 0; first < count; first += kBatch) {
    auto r = (*store)->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
      int64_t bytes = 0;  // Charged to the space with the batch.
      for (long i = first; i < std::min(count, first + kBatch); ++i) {
        domain::Dentry d = make(i);
        if (versioned && !d.is_folder()) d.size = kVersionBytes;
        if (auto ok = tx.dentries().Insert(d); !ok) return ok;
        if (!versioned || d.is_folder()) continue;
        if (auto ok = tx.dentries().InsertVersion(
                {d.id, 1, d.size, d.blob_id, d.modifier_id, d.modified_time});
            !ok) {
          return ok;
        }
        bytes += d.size;
      }
      return tx.spaces().AdjustBytes(space_id, bytes, 0);
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
