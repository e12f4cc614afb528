// The open-link aggregate in memory.
#include "storage/metadata/memory/memory_open_records.h"

namespace spacestore::storage::memory {

void MemoryOpenRecords::EraseSpace(const std::string& space_id) {
  std::erase_if(state_.open_infos, [&](const auto& kv) {
    if (std::get<0>(kv.first) != space_id) return false;
    undo_.Remember(state_.open_infos, kv.first);
    return true;
  });
  std::erase_if(state_.open_tokens, [&](const auto& kv) {
    if (kv.second.space_id != space_id) return false;
    undo_.Remember(state_.open_tokens, kv.first);
    return true;
  });
}

// OpenRecords

Result<void> MemoryOpenRecords::PutOpenInfo(const domain::OpenInfo& info) {
  if (!state_.spaces.contains(info.space_id)) return NotFound("space", info.space_id);
  const MemoryState::OpenInfoKey key{info.space_id, info.dentry_id, info.type};
  undo_.Remember(state_.open_infos, key);
  state_.open_infos.insert_or_assign(key, info);
  return {};
}

Result<std::vector<domain::OpenInfo>> MemoryOpenRecords::ListOpenInfos(std::string_view space_id,
                                                                       std::string_view dentry_id) {
  std::vector<domain::OpenInfo> out;
  for (const auto& [key, info] : state_.open_infos) {
    if (std::get<0>(key) == space_id && std::get<1>(key) == dentry_id) out.push_back(info);
  }
  return out;
}

Result<void> MemoryOpenRecords::InsertToken(const domain::OpenToken& token) {
  if (state_.open_tokens.contains(token.token_hash)) return Exists("token", "");
  if (!state_.spaces.contains(token.space_id)) return NotFound("space", token.space_id);
  undo_.Remember(state_.open_tokens, token.token_hash);
  state_.open_tokens.emplace(token.token_hash, token);
  return {};
}

Result<domain::OpenToken> MemoryOpenRecords::GetToken(std::string_view token_hash) {
  const auto it = state_.open_tokens.find(token_hash);
  if (it == state_.open_tokens.end()) return NotFound("token", "");
  return it->second;
}

Result<bool> MemoryOpenRecords::ConsumeToken(std::string_view token_hash, int64_t now,
                                             int64_t new_expire_time) {
  const auto it = state_.open_tokens.find(token_hash);
  if (it == state_.open_tokens.end() || it->second.used_time || it->second.expire_time <= now) {
    return false;
  }
  undo_.Remember(state_.open_tokens, it->first);
  it->second.used_time = now;
  it->second.expire_time = new_expire_time;
  return true;
}

Result<bool> MemoryOpenRecords::RemoveToken(std::string_view token_hash) {
  const auto it = state_.open_tokens.find(token_hash);
  if (it == state_.open_tokens.end()) return false;
  undo_.Remember(state_.open_tokens, it->first);
  state_.open_tokens.erase(it);
  return true;
}

Result<int64_t> MemoryOpenRecords::RemoveExpiredTokens(int64_t now) {
  return static_cast<int64_t>(std::erase_if(state_.open_tokens, [&](const auto& kv) {
    if (kv.second.expire_time > now) return false;
    undo_.Remember(state_.open_tokens, kv.first);
    return true;
  }));
}

}  // namespace spacestore::storage::memory
