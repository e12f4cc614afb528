#pragma once

#include "domain/open_records.h"

namespace spacestore::storage::sql {

// The open-link aggregate on SQLite and PostgreSQL (one text for both, over a backend's
// Connection; sql_rows.h): tables open_infos and open_tokens (migration 9).
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlOpenRecords final : public domain::OpenRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlOpenRecords(Connection& conn) : conn_(conn) {}

  // OpenRecords
  Result<void> PutOpenInfo(const domain::OpenInfo& info) override;
  Result<std::vector<domain::OpenInfo>> ListOpenInfos(std::string_view space_id,
                                                      std::string_view dentry_id) override;
  Result<void> InsertToken(const domain::OpenToken& token) override;
  Result<domain::OpenToken> GetToken(std::string_view token_hash) override;
  Result<bool> ConsumeToken(std::string_view token_hash, int64_t now,
                            int64_t new_expire_time) override;
  Result<bool> RemoveToken(std::string_view token_hash) override;
  Result<int64_t> RemoveExpiredTokens(int64_t now) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
