// BlobCopier: the referenced ids are gathered from one snapshot (a View) first and copied
// after it ends, so no read transaction stays open across the copying.
#include "tools/admin/blob_copier.h"

#include <limits>
#include <set>

namespace spacestore::tools {
namespace {

constexpr int kPage = 1000;
constexpr size_t kChunk = size_t{1} << 20;

// Every blob id `tx` references, each once.
Result<std::set<std::string>> ReferencedBlobs(domain::MetadataTransaction& tx) {
  std::set<std::string> ids;
  auto orgs = tx.identity().ListOrgs();
  if (!orgs) return orgs.error();
  for (const auto& org : *orgs) {
    auto spaces = tx.spaces().List(org.corp_id, {});
    if (!spaces) return spaces.error();
    for (const auto& space : *spaces) {
      std::string after_id;
      int64_t after_version = 0;
      for (;;) {
        auto page = tx.dentries().ListSpaceVersions(space.id, after_id, after_version, kPage);
        if (!page) return page.error();
        for (const auto& v : *page) ids.insert(v.blob_id);
        if (std::ssize(*page) < kPage) break;
        after_id = page->back().dentry_id;
        after_version = page->back().version;
      }
    }
  }
  std::string after_key;
  for (;;) {
    auto page = tx.uploads().ListAfter(after_key, kPage);
    if (!page) return page.error();
    for (const auto& u : *page) {
      if (!u.blob_id.empty()) ids.insert(u.blob_id);
      if (!u.multipart) continue;
      auto parts = tx.uploads().ListParts(u.key);
      if (!parts) return parts.error();
      for (const auto& p : *parts) ids.insert(p.blob_id);
    }
    if (std::ssize(*page) < kPage) break;
    after_key = page->back().key;
  }
  return ids;
}

}  // namespace

Result<CopyStats> BlobCopier::CopyReferenced(domain::MetadataStore& snapshot) {
  std::set<std::string> ids;
  auto read = snapshot.View([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto found = ReferencedBlobs(tx);
    if (!found) return found.error();
    ids = std::move(*found);
    return {};
  });
  if (!read) return read.error();
  CopyStats stats;
  for (const auto& id : ids) {
    if (auto r = CopyOne(id, stats); !r) return r.error();
  }
  return stats;
}

Result<CopyStats> BlobCopier::CopyAll() {
  auto ids = from_.List("", std::numeric_limits<int64_t>::max());
  if (!ids) return ids.error();
  CopyStats stats;
  for (const auto& id : *ids) {
    if (auto r = CopyOne(id, stats); !r) return r.error();
  }
  return stats;
}

Result<void> BlobCopier::CopyOne(const std::string& id, CopyStats& stats) {
  ++stats.referenced;
  auto have = to_.Exists(id);
  if (!have) return have.error();
  if (*have) return {};
  auto reader = from_.Open(id);
  if (!reader) {
    if (reader.error().code != Errc::kNotFound) return reader.error();
    stats.missing.push_back(id);
    return {};
  }
  auto writer = to_.NewWriter(false);
  if (!writer) return writer.error();
  std::string buffer(kChunk, '\0');
  for (int64_t offset = 0;;) {
    auto n = (*reader)->ReadAt(offset, buffer.data(), buffer.size());
    if (!n) return n.error();
    if (*n == 0) break;
    if (auto r = (*writer)->Append(std::string_view(buffer.data(), *n)); !r) return r;
    offset += static_cast<int64_t>(*n);
  }
  auto info = (*writer)->Commit();
  if (!info) return info.error();
  if (info->id != id) {
    // The copy is stored under its true hash. It is left there: that hash may name a good blob
    // the target already held (the copy deduplicated onto it), which removing would destroy.
    // Unreferenced, it goes with the collector or fsck --repair like any orphan.
    return MakeError(Errc::kInternal, "blob",
                     "blob " + id + " is damaged in the source (its content hashes to " + info->id +
                         "); run spacestore fsck --verify-content");
  }
  ++stats.copied;
  stats.bytes += info->size;
  return {};
}

}  // namespace spacestore::tools
