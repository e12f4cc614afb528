#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/open_link.h"

namespace spacestore::domain {

// OpenRecords is the open-link aggregate of the metadata port, inside one metadata
// transaction: the providers' URLs registered per dentry (open_infos) and the tokens of preview
// links and WebOffice sessions (open_tokens, kept by hash). Reads see the transaction's own
// writes. Rows of a deleted space go with it.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class OpenRecords {
 public:
  virtual ~OpenRecords() = default;

  // ---- Open infos ----

  // Inserts the URL, or replaces the one with the same (space, dentry, type).
  // kNotFound (subject "space").
  virtual Result<void> PutOpenInfo(const OpenInfo& info) = 0;
  // The URLs registered for a dentry, ordered by type.
  virtual Result<std::vector<OpenInfo>> ListOpenInfos(std::string_view space_id,
                                                      std::string_view dentry_id) = 0;

  // ---- Tokens ----

  // kAlreadyExists (subject "token") if the hash is taken; kNotFound (subject "space").
  virtual Result<void> InsertToken(const OpenToken& token) = 0;
  // The token with that hash, expired or used ones included (the caller judges, on its
  // clock). kNotFound (subject "token").
  virtual Result<OpenToken> GetToken(std::string_view token_hash) = 0;
  // Uses a single-use token: when it is unused and `expire_time > now`, sets used_time to
  // `now` and expire_time to `new_expire_time` and returns true; otherwise false and nothing
  // written. One statement, so two transactions can never both use one token.
  virtual Result<bool> ConsumeToken(std::string_view token_hash, int64_t now,
                                    int64_t new_expire_time) = 0;
  // Removes the token; false if there was none.
  virtual Result<bool> RemoveToken(std::string_view token_hash) = 0;
  // Removes every token whose expire_time is at or before `now`; the number removed.
  virtual Result<int64_t> RemoveExpiredTokens(int64_t now) = 0;
};

}  // namespace spacestore::domain
