#pragma once

#include "domain/upload_records.h"

namespace spacestore::storage::sql {

// The upload aggregate on SQLite and PostgreSQL (one text for both, over a backend's Connection;
// sql_rows.h): tables uploads and upload_parts. Thread-safety: confined, like its connection, to
// the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlUploadRecords final : public domain::UploadRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlUploadRecords(Connection& conn) : conn_(conn) {}

  // UploadRecords
  Result<domain::UploadSession> Get(std::string_view key) override;
  Result<void> Put(const domain::UploadSession& upload) override;
  Result<void> Delete(std::string_view key) override;
  Result<void> PutPart(const domain::UploadPart& part) override;
  Result<std::vector<domain::UploadPart>> ListParts(std::string_view key) override;
  Result<std::vector<std::string>> ListExpired(int64_t now_millis, int limit) override;
  Result<int64_t> CountOpen(int64_t now_millis) override;
  Result<bool> IsBlobReferenced(std::string_view blob_id) override;
  Result<std::vector<domain::UploadSession>> ListAfter(std::string_view after_key,
                                                       int limit) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
