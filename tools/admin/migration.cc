// Migration: tables, then blobs, then verification. Tables come first so that a target refused
// for holding other data is refused before any content is written to its blob store; blobs are
// copied from the source metadata's references, never by listing the source store, so content
// the collector would remove anyway is not carried over.
#include "tools/admin/migration.h"

#include <map>
#include <string>
#include <utility>

#include "tools/fsck/store_checker.h"

namespace spacestore::tools {
namespace {

Error VerifyFailed(const std::string& why) {
  return MakeError(Errc::kConflict, "verify", "verification failed: " + why);
}

// Every space's used bytes, by space id, read in one snapshot.
Result<std::map<std::string, int64_t>> UsedBytes(domain::MetadataStore& store) {
  std::map<std::string, int64_t> used;
  auto read = store.View([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto orgs = tx.identity().ListOrgs();
    if (!orgs) return orgs.error();
    for (const auto& org : *orgs) {
      auto spaces = tx.spaces().List(org.corp_id, {});
      if (!spaces) return spaces.error();
      for (const auto& space : *spaces) used[space.id] = space.used_bytes;
    }
    return {};
  });
  if (!read) return read.error();
  return used;
}

}  // namespace

Migration::Migration(MigrationEnd from, MigrationEnd to, const Clock& clock, Options options)
    : from_(from), to_(to), clock_(clock), options_(std::move(options)) {}

Result<MigrationReport> Migration::Run() {
  MigrationReport report;
  auto say = [&](const std::string& line) {
    if (options_.progress) options_.progress(line);
  };
  TableCopier tables(from_.tables, to_.tables,
                     {.batch_rows = options_.batch_rows, .on_table = [&](const TableCopyStats& t) {
                        say("table " + t.table + ": " + std::to_string(t.rows) + " rows, " +
                            std::to_string(t.inserted) + " copied");
                      }});
  auto copied = tables.Copy();
  if (!copied) return copied.error();
  report.tables = std::move(*copied);

  say("copying the blobs the source references");
  BlobCopier blobs(from_.blobs, to_.blobs);
  auto content = blobs.CopyReferenced(from_.metadata);
  if (!content) return content.error();
  report.blobs = std::move(*content);
  if (!report.blobs.missing.empty()) {
    return MakeError(Errc::kNotFound, "blob",
                     std::to_string(report.blobs.missing.size()) +
                         " blobs the source references are not in its blob store (first: " +
                         report.blobs.missing.front() +
                         "); run spacestore fsck on the source and restore them first");
  }

  say("blobs: " + std::to_string(report.blobs.referenced) + " referenced, " +
      std::to_string(report.blobs.copied) + " copied (" + std::to_string(report.blobs.bytes) +
      " bytes); verifying tables");
  if (auto verified = tables.Verify(); !verified) return verified.error();
  if (auto r = CheckUsedBytes(report); !r) return r.error();
  say("verifying every target blob's size and SHA-256");
  if (auto r = CheckTargetContent(report); !r) return r.error();
  return report;
}

Result<void> Migration::CheckUsedBytes(MigrationReport& report) {
  auto source = UsedBytes(from_.metadata);
  if (!source) return source.error();
  auto target = UsedBytes(to_.metadata);
  if (!target) return target.error();
  for (const auto& [id, used] : *source) {
    auto it = target->find(id);
    if (it == target->end()) return VerifyFailed("space " + id + " is not in the target");
    if (it->second != used) {
      return VerifyFailed("space " + id + " uses " + std::to_string(used) +
                          " bytes in the source, " + std::to_string(it->second) + " in the target");
    }
  }
  if (target->size() != source->size()) {
    return VerifyFailed("the target has spaces the source does not");
  }
  report.spaces_checked = std::ssize(*source);
  return {};
}

Result<void> Migration::CheckTargetContent(MigrationReport& report) {
  // A grace period longer than any store's life: orphans, stale sessions and staging files
  // are the collector's business on the running target, not a failed copy. What is checked:
  // every referenced blob's presence, size and hash, and the space counters.
  constexpr int64_t kAlways = int64_t{100} * 366 * 24 * 3600;
  StoreChecker checker(to_.metadata, to_.blobs, clock_,
                       {.repair = false, .verify_content = true, .grace_seconds = kAlways});
  auto checked = checker.Run();
  if (!checked) return checked.error();
  for (const auto& f : checked->findings) {
    if (f.kind == "missing_blob" || f.kind == "size_mismatch" || f.kind == "hash_mismatch" ||
        f.kind == "used_bytes_mismatch" || f.kind == "reserved_bytes_mismatch") {
      const bool counters = f.kind == "used_bytes_mismatch" || f.kind == "reserved_bytes_mismatch";
      return VerifyFailed(f.kind + ": " + f.detail +
                          (counters ? " (the source has the same fault: run spacestore fsck "
                                      "--repair on it, then migrate again)"
                                    : ""));
    }
  }
  report.blobs_verified = checked->blobs;
  return {};
}

}  // namespace spacestore::tools
