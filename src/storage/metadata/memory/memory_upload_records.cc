// The upload aggregate in memory.
#include "storage/metadata/memory/memory_upload_records.h"

#include <algorithm>

namespace spacestore::storage::memory {

// UploadRecords

Result<domain::UploadSession> MemoryUploadRecords::Get(std::string_view key) {
  const auto it = state_.uploads.find(key);
  if (it == state_.uploads.end()) return NotFound("upload", key);
  return it->second;
}

Result<void> MemoryUploadRecords::Put(const domain::UploadSession& u) {
  undo_.Remember(state_.uploads, u.key);
  state_.uploads.insert_or_assign(u.key, u);
  return {};
}

Result<void> MemoryUploadRecords::Delete(std::string_view key) {
  const std::string k(key);
  undo_.Remember(state_.uploads, k);
  state_.uploads.erase(k);
  for (auto it = state_.parts.lower_bound({k, 0});
       it != state_.parts.end() && it->first.first == k;) {
    undo_.Remember(state_.parts, it->first);
    it = state_.parts.erase(it);
  }
  return {};
}

Result<void> MemoryUploadRecords::PutPart(const domain::UploadPart& p) {
  const std::pair<std::string, int32_t> key{p.upload_key, p.part_number};
  undo_.Remember(state_.parts, key);
  state_.parts.insert_or_assign(key, p);
  return {};
}

Result<std::vector<domain::UploadPart>> MemoryUploadRecords::ListParts(std::string_view key) {
  std::vector<domain::UploadPart> out;
  for (auto it = state_.parts.lower_bound({std::string(key), 0});
       it != state_.parts.end() && it->first.first == key; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<std::vector<std::string>> MemoryUploadRecords::ListExpired(int64_t now_millis, int limit) {
  std::vector<const domain::UploadSession*> expired;
  for (const auto& [key, u] : state_.uploads) {
    if (u.expire_time < now_millis) expired.push_back(&u);
  }
  std::sort(expired.begin(), expired.end(),
            [](const auto* a, const auto* b) { return a->expire_time < b->expire_time; });
  std::vector<std::string> out;
  for (const auto* u : expired) {
    if (std::ssize(out) == limit) break;
    out.push_back(u->key);
  }
  return out;
}

Result<int64_t> MemoryUploadRecords::CountOpen(int64_t now_millis) {
  return std::count_if(state_.uploads.begin(), state_.uploads.end(), [&](const auto& entry) {
    const domain::UploadSession& u = entry.second;
    return u.state != domain::UploadSession::State::kCommitted && u.expire_time >= now_millis;
  });
}

Result<bool> MemoryUploadRecords::IsBlobReferenced(std::string_view blob_id) {
  return std::any_of(state_.uploads.begin(), state_.uploads.end(),
                     [&](const auto& kv) { return kv.second.blob_id == blob_id; }) ||
         std::any_of(state_.parts.begin(), state_.parts.end(),
                     [&](const auto& kv) { return kv.second.blob_id == blob_id; });
}

Result<std::vector<domain::UploadSession>> MemoryUploadRecords::ListAfter(
    std::string_view after_key, int limit) {
  std::vector<domain::UploadSession> out;
  for (auto it = state_.uploads.upper_bound(after_key);
       it != state_.uploads.end() && std::ssize(out) < limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace spacestore::storage::memory
