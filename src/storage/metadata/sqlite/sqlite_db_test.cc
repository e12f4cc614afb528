// Every commit that writes goes through a WriteTransaction, which marks the write sequence:
// anything else is refused by the connection's commit hook, so SpaceView can never be left
// holding data a commit changed (sqlite_db.h, write_seq.h).
#include "storage/metadata/sqlite/sqlite_db.h"

#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

class WriteGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = Connection::Open(dir_.File("db"));
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
    auto tx = WriteTransaction::Begin(*conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (x INTEGER)"));
    ASSERT_TRUE(tx->Commit());
  }

  int64_t Rows() {
    auto st = conn_->Prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(st && st->Step());
    return st->Int(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(WriteGuardTest, AWriteTransactionCommitsAndMovesTheSequence) {
  const uint64_t before = conn_->write_seq()->Load();
  auto tx = WriteTransaction::Begin(*conn_);
  ASSERT_TRUE(tx);
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)"));
  ASSERT_TRUE(tx->Commit());
  EXPECT_EQ(Rows(), 1);
  EXPECT_GT(conn_->write_seq()->Load(), before);
  EXPECT_TRUE(WriteSeq::Stable(conn_->write_seq()->Load()));
}

TEST_F(WriteGuardTest, AnAutocommitWriteIsRefusedAndLeavesNothing) {
  const uint64_t before = conn_->write_seq()->Load();
  auto r = conn_->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  EXPECT_NE(r.error().message.find("WriteTransaction"), std::string::npos) << r.error().message;
  EXPECT_EQ(Rows(), 0);
  EXPECT_EQ(conn_->write_seq()->Load(), before);
}

TEST_F(WriteGuardTest, AWriteInADeferredTransactionIsRefusedAtCommit) {
  ASSERT_TRUE(conn_->Exec("BEGIN DEFERRED"));
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(conn_->Exec("COMMIT"));
  EXPECT_FALSE(conn_->InTransaction());  // Rolled back.
  EXPECT_EQ(Rows(), 0);
}

TEST_F(WriteGuardTest, ReadsAndPragmasOutsideAWriteTransactionStillWork) {
  ASSERT_TRUE(conn_->BeginSnapshot());
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(conn_->EndSnapshot());
  EXPECT_TRUE(conn_->Exec("BEGIN DEFERRED; SELECT * FROM t; COMMIT"));
  EXPECT_TRUE(
      conn_->Exec("PRAGMA user_version; PRAGMA journal_mode=WAL; "
                  "PRAGMA wal_checkpoint(TRUNCATE)"));
  // Open runs its PRAGMAs on every connection, the WAL switch included on a fresh file.
  EXPECT_TRUE(Connection::Open(dir_.File("db")));
  EXPECT_TRUE(Connection::Open(dir_.File("fresh")));
}

TEST_F(WriteGuardTest, ACommitIsRefusedWhenTheSequenceWasMovedBehindItsBack) {
  auto tx = WriteTransaction::Begin(*conn_);
  ASSERT_TRUE(tx);
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)"));
  // A process that ignores the write lock marks and ends a write of its own: a view could
  // have been filled at the even value it left, before this commit.
  auto rogue = WriteSeq::Open(dir_.File("db-seq"));
  ASSERT_TRUE(rogue);
  (*rogue)->EndWrite((*rogue)->BeginWrite());
  EXPECT_FALSE(tx->Commit());
  EXPECT_EQ(Rows(), 0);
}

TEST(WriteGuardMemoryTest, AnInMemoryDatabaseAlsoWritesOnlyInAWriteTransaction) {
  auto conn = Connection::Open(":memory:");
  ASSERT_TRUE(conn);
  EXPECT_EQ((*conn)->write_seq(), nullptr);
  EXPECT_FALSE((*conn)->Exec("CREATE TABLE t (x INTEGER)"));
  auto tx = WriteTransaction::Begin(**conn);
  ASSERT_TRUE(tx);
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (x INTEGER)"));
  EXPECT_TRUE(tx->Commit());
}

}  // namespace
}  // namespace spacestore::storage::sqlite
