// StoreChecker: one metadata snapshot (View) is walked space by space, version by version, then
// session by session; each distinct blob they name is opened once (and hashed with
// verify_content) while the snapshot is held, so every reference is judged against one state of
// the metadata. Stored blobs are then listed slice by slice (as the collector does) and each one
// older than the grace period is checked against the *current* references, the collector's own
// test, so a blob written for a commit that is still on its way is never an orphan.
//
// Rejected: reading the database and the blob directory directly. Going through the ports keeps
// fsck correct for every backend and keeps its idea of a reference the collector's.
#include "tools/fsck/store_checker.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "base/crypto.h"

namespace spacestore::tools {
namespace {

constexpr int kPage = 1000;
constexpr size_t kReadChunk = size_t{1} << 20;

// What the blob store holds for one id, looked up once per run.
struct BlobState {
  bool exists = false;
  int64_t size = 0;
  bool hash_ok = true;  // Only meaningful with verify_content.
};

// The order repairs run in: stale sessions release their reservations before counters are
// recounted, so the recount sees the released state.
int RepairOrder(const std::string& kind) {
  static constexpr std::array<const char*, 4> kOrder = {"stale_upload", "reserved_bytes_mismatch",
                                                        "used_bytes_mismatch", "orphan_blob"};
  for (size_t i = 0; i < kOrder.size(); ++i) {
    if (kind == kOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(kOrder.size());
}

Result<BlobState> Inspect(domain::BlobStore& blobs, const std::string& id, bool verify_content) {
  BlobState state;
  auto reader = blobs.Open(id);
  if (!reader) {
    if (reader.error().code == Errc::kNotFound) return state;
    return reader.error();
  }
  state.exists = true;
  state.size = (*reader)->size();
  if (!verify_content) return state;
  Digest sha(Digest::Kind::kSha256);
  std::string buffer(kReadChunk, '\0');
  for (int64_t offset = 0;;) {
    auto n = (*reader)->ReadAt(offset, buffer.data(), buffer.size());
    if (!n) return n.error();
    if (*n == 0) break;
    sha.Update(std::string_view(buffer.data(), *n));
    offset += static_cast<int64_t>(*n);
  }
  state.hash_ok = sha.FinishHex() == id;
  return state;
}

}  // namespace

int64_t CheckReport::Unrepaired() const {
  return std::count_if(findings.begin(), findings.end(),
                       [](const Finding& f) { return !f.repaired; });
}

StoreChecker::StoreChecker(domain::MetadataStore& store, domain::BlobStore& blobs,
                           const Clock& clock, CheckOptions options)
    : store_(store), blobs_(blobs), clock_(clock), options_(options) {}

Result<CheckReport> StoreChecker::Run() {
  CheckReport report;
  const int64_t now = clock_.NowMillis();
  const int64_t cutoff = now - options_.grace_seconds * 1000;
  if (auto r = CheckMetadata(report); !r) return r.error();
  if (auto r = ConfirmMissing(report); !r) return r.error();
  if (auto r = CheckStoredBlobs(report, cutoff); !r) return r.error();
  if (auto r = CheckStaging(report, cutoff); !r) return r.error();
  if (!options_.repair) return report;
  std::vector<Finding*> order;
  for (auto& f : report.findings) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const Finding* a, const Finding* b) {
    return RepairOrder(a->kind) < RepairOrder(b->kind);
  });
  for (Finding* f : order) {
    if (auto r = Repair(*f, now, cutoff); !r) return r.error();
  }
  return report;
}

Result<void> StoreChecker::CheckMetadata(CheckReport& report) {
  std::unordered_map<std::string, BlobState> seen;
  const int64_t stale_before = clock_.NowMillis() - options_.grace_seconds * 1000;
  // Checks that blob `id` is stored with `size` bytes; `f` carries the referrer's ids.
  auto check_blob = [&](const std::string& id, int64_t size, Finding f) -> Result<void> {
    auto it = seen.find(id);
    if (it == seen.end()) {
      auto state = Inspect(blobs_, id, options_.verify_content);
      if (!state) return state.error();
      it = seen.emplace(id, *state).first;
      ++report.blobs;
    }
    f.blob_id = id;
    if (!it->second.exists) {
      f.kind = "missing_blob";
      f.detail = "blob " + id + " is not stored";
      report.findings.push_back(std::move(f));
      return {};
    }
    if (it->second.size != size) {
      f.kind = "size_mismatch";
      f.detail = "recorded size " + std::to_string(size) + ", stored blob has " +
                 std::to_string(it->second.size) + " bytes";
      report.findings.push_back(f);
    }
    if (!it->second.hash_ok) {
      f.kind = "hash_mismatch";
      f.detail = "the stored content's SHA-256 is not its id";
      report.findings.push_back(std::move(f));
    }
    return {};
  };

  return store_.View([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto orgs = tx.identity().ListOrgs();
    if (!orgs) return orgs.error();
    std::unordered_map<std::string, int64_t> reserved_by_space;
    std::unordered_map<std::string, domain::Space> spaces;
    for (const auto& org : *orgs) {
      auto list = tx.spaces().List(org.corp_id, {});
      if (!list) return list.error();
      for (auto& space : *list) {
        ++report.spaces;
        int64_t sum = 0;
        std::string after_id;
        int64_t after_version = 0;
        for (;;) {
          auto page = tx.dentries().ListSpaceVersions(space.id, after_id, after_version, kPage);
          if (!page) return page.error();
          for (const auto& v : *page) {
            ++report.versions;
            sum += v.size;
            Finding f{.space_id = space.id, .dentry_id = v.dentry_id, .version = v.version};
            if (auto r = check_blob(v.blob_id, v.size, std::move(f)); !r) return r;
          }
          if (std::ssize(*page) < kPage) break;
          after_id = page->back().dentry_id;
          after_version = page->back().version;
        }
        if (sum != space.used_bytes) {
          report.findings.push_back(
              Finding{.kind = "used_bytes_mismatch",
                      .space_id = space.id,
                      .detail = "usedQuota is " + std::to_string(space.used_bytes) +
                                ", the stored versions add up to " + std::to_string(sum)});
        }
        reserved_by_space.emplace(space.id, 0);
        spaces.emplace(space.id, std::move(space));
      }
    }
    std::string after_key;
    for (;;) {
      auto page = tx.uploads().ListAfter(after_key, kPage);
      if (!page) return page.error();
      for (const auto& u : *page) {
        ++report.uploads;
        reserved_by_space[u.space_id] += u.reserved_bytes;
        if (u.state != domain::UploadSession::State::kCommitted && u.expire_time < stale_before) {
          report.findings.push_back(
              Finding{.kind = "stale_upload",
                      .space_id = u.space_id,
                      .upload_key = u.key,
                      .detail = "upload session expired at " + std::to_string(u.expire_time) +
                                " (epoch ms) and was never collected; it holds " +
                                std::to_string(u.reserved_bytes) + " reserved bytes"});
        }
        if (u.state == domain::UploadSession::State::kUploaded && !u.blob_id.empty()) {
          Finding f{.space_id = u.space_id, .upload_key = u.key};
          if (auto r = check_blob(u.blob_id, u.blob_size, std::move(f)); !r) return r;
        }
        if (!u.multipart) continue;
        auto parts = tx.uploads().ListParts(u.key);
        if (!parts) return parts.error();
        for (const auto& p : *parts) {
          ++report.parts;
          Finding f{.space_id = u.space_id,
                    .upload_key = u.key,
                    .detail = "part " + std::to_string(p.part_number)};
          if (auto r = check_blob(p.blob_id, p.size, std::move(f)); !r) return r;
        }
      }
      if (std::ssize(*page) < kPage) break;
      after_key = page->back().key;
    }
    for (const auto& [space_id, reserved] : reserved_by_space) {
      const auto s = spaces.find(space_id);
      if (s == spaces.end() || s->second.reserved_bytes == reserved) continue;
      report.findings.push_back(
          Finding{.kind = "reserved_bytes_mismatch",
                  .space_id = space_id,
                  .detail = "reserved bytes are " + std::to_string(s->second.reserved_bytes) +
                            ", the space's upload sessions hold " + std::to_string(reserved)});
    }
    return {};
  });
}

Result<void> StoreChecker::ConfirmMissing(CheckReport& report) {
  // The snapshot may be older than a deletion that let the collector remove the blob since:
  // a blob is missing only if something still references it now.
  std::vector<Finding> kept;
  for (auto& f : report.findings) {
    if (f.kind == "missing_blob") {
      auto exists = blobs_.Exists(f.blob_id);
      if (!exists) return exists.error();
      auto referenced = store_.IsBlobReferenced(f.blob_id);
      if (!referenced) return referenced.error();
      if (*exists || !*referenced) continue;
    }
    kept.push_back(std::move(f));
  }
  report.findings = std::move(kept);
  return {};
}

Result<void> StoreChecker::CheckStoredBlobs(CheckReport& report, int64_t cutoff) {
  // Slice by slice, as the collector lists them, so memory holds one slice of ids at a time.
  for (int slice = 0; slice < 256; ++slice) {
    const char byte = static_cast<char>(slice);
    auto ids = blobs_.List(HexEncode({&byte, 1}), cutoff);
    if (!ids) return ids.error();
    for (const auto& id : *ids) {
      ++report.stored_blobs;
      auto referenced = store_.IsBlobReferenced(id);
      if (!referenced) return referenced.error();
      if (*referenced) continue;
      report.findings.push_back(Finding{
          .kind = "orphan_blob",
          .blob_id = id,
          .detail = "no version, upload or part references it, and it is older than the grace"});
    }
  }
  return {};
}

Result<void> StoreChecker::CheckStaging(CheckReport& report, int64_t cutoff) {
  auto names = blobs_.ListStaging(cutoff);
  if (!names) return names.error();
  for (const auto& name : *names) {
    ++report.staging_files;
    report.findings.push_back(
        Finding{.kind = "staging_leftover",
                .detail = "staging/" + name + " is older than the grace period"});
  }
  return {};
}

Result<void> StoreChecker::Repair(Finding& f, int64_t now, int64_t cutoff) {
  if (f.kind == "stale_upload") {
    if (auto r = ExpireUpload(f.upload_key, now); !r) return r;
    f.repaired = true;
  } else if (f.kind == "used_bytes_mismatch" || f.kind == "reserved_bytes_mismatch") {
    if (auto r = RecountSpace(f.space_id); !r) return r;
    f.repaired = true;
  } else if (f.kind == "orphan_blob") {
    // Re-checked now, and removed only if still older than the cutoff (Remove checks the age
    // under the lock the writers' dedup takes): a blob a new upload just reused stays.
    auto referenced = store_.IsBlobReferenced(f.blob_id);
    if (!referenced) return referenced.error();
    if (*referenced) return {};
    auto removed = blobs_.Remove(f.blob_id, cutoff);
    if (!removed) return removed.error();
    f.repaired = *removed;
  } else if (f.kind == "staging_leftover") {
    auto swept = blobs_.SweepStaging(cutoff);
    if (!swept) return swept.error();
    f.repaired = true;  // Removed now, or by this sweep for an earlier finding.
  }
  // missing_blob, size_mismatch, hash_mismatch: content is never invented or dropped.
  return {};
}

Result<void> StoreChecker::RecountSpace(const std::string& space_id) {
  // One short write transaction per space: read the truth and the counters together, then
  // move the counters by the difference.
  return store_.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto used = tx.dentries().SumVersionBytes(space_id);
    if (!used) return used.error();
    int64_t reserved = 0;
    std::string corp_id;
    std::string after_key;
    for (;;) {
      auto page = tx.uploads().ListAfter(after_key, kPage);
      if (!page) return page.error();
      for (const auto& u : *page) {
        if (u.space_id == space_id) {
          reserved += u.reserved_bytes;
          corp_id = u.corp_id;
        }
      }
      if (std::ssize(*page) < kPage) break;
      after_key = page->back().key;
    }
    // The space's org: from a session if it has one, else from the org list.
    domain::Space space;
    auto orgs = tx.identity().ListOrgs();
    if (!orgs) return orgs.error();
    bool found = false;
    for (const auto& org : *orgs) {
      auto s = tx.spaces().Get(org.corp_id, space_id);
      if (s) {
        space = *s;
        found = true;
        break;
      }
      if (s.error().code != Errc::kNotFound) return s.error();
    }
    if (!found) return {};  // Deleted meanwhile: nothing left to recount.
    return tx.spaces().AdjustBytes(space_id, *used - space.used_bytes,
                                   reserved - space.reserved_bytes);
  });
}

Result<void> StoreChecker::ExpireUpload(const std::string& key, int64_t now) {
  // What the collector does for an expired session; the reservation released is capped at
  // what the space still counts, since the counter itself may be what is damaged (the recount
  // that follows sets it exactly).
  return store_.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto u = tx.uploads().Get(key);
    if (!u) return u.error().code == Errc::kNotFound ? Result<void>() : u.error();
    if (u->expire_time >= now) return {};
    if (u->state != domain::UploadSession::State::kCommitted && u->reserved_bytes > 0) {
      auto space = tx.spaces().Get(u->corp_id, u->space_id);
      if (space) {
        const int64_t release = std::min(u->reserved_bytes, space->reserved_bytes);
        if (auto r = tx.spaces().AdjustBytes(u->space_id, 0, -release); !r) return r;
      } else if (space.error().code != Errc::kNotFound) {
        return space.error();
      }
    }
    return tx.uploads().Delete(key);
  });
}

}  // namespace spacestore::tools
