// What the PostgreSQL adapter adds to the contract suites: migrations when nodes start
// together, retries after lost connections and serialization failures, savepoints, text the
// database refuses, and URLs never showing a password. One server for the binary
// (tests/support/postgres_server.h), a fresh schema per test.
#include "storage/metadata/postgres/postgres_metadata_store.h"

#include <gtest/gtest.h>

#include <future>

#include <atomic>
#include <thread>
#include <vector>

#include "postgres_server.h"
#include "storage/metadata/postgres/migrations.h"
#include "storage/metadata/postgres/pg_db.h"

namespace spacestore::storage {
namespace {

using testing::PostgresServer;

domain::Org MakeOrg(const std::string& id) { return domain::Org{id, "Org " + id, 1000, 1}; }

domain::Space MakeSpace(const std::string& id) {
  domain::Space s;
  s.id = id;
  s.corp_id = "corp1";
  s.app_id = "app1";
  s.owner_id = "u1";
  s.creator_id = "u1";
  s.modifier_id = "u1";
  s.scene = "s";
  s.scene_id = id;
  return s;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = PostgresServer::ForTest().NewSchemaUrl(); }

  std::unique_ptr<PostgresMetadataStore> Open(PostgresOptions options = {}) {
    auto store = PostgresMetadataStore::Open(url_, options);
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    return store ? std::move(*store) : nullptr;
  }

  // Ends every server connection spacestore opened, as a failover or a restart would.
  static void DropConnections() {
    PostgresServer::ForTest().Exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'spacestore' AND pid <> pg_backend_pid()");
  }

  std::string url_;
};

TEST_F(PostgresStoreTest, NodesStartingTogetherMigrateOnce) {
  std::vector<std::thread> nodes;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      if (PostgresMetadataStore::Open(url_)) ++opened;
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(opened.load(), 4);
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(pg::Migrations().size()));
}

TEST_F(PostgresStoreTest, ASchemaNewerThanTheBinaryIsRefused) {
  ASSERT_TRUE(Open());
  auto conn = pg::Connection::Open(url_);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->Exec("INSERT INTO schema_migrations (version) VALUES (999)"));
  auto store = PostgresMetadataStore::Open(url_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kInternal);
}

TEST_F(PostgresStoreTest, ALostConnectionIsReplaced) {
  auto store = Open();
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->CreateSpace(MakeSpace("100")));
  DropConnections();
  EXPECT_TRUE(store->GetSpace("corp1", "100"));
  DropConnections();
  EXPECT_TRUE(store->GetOrg("corp1"));
  DropConnections();
  EXPECT_TRUE(store->CreateOrg(MakeOrg("corp2")));
}

TEST_F(PostgresStoreTest, ATransactionCutOffBeforeCommitRunsAgainOnce) {
  auto store = Open();
  int runs = 0;
  auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    ++runs;
    if (auto ok = tx.identity().InsertOrg(MakeOrg("corp1")); !ok) return ok;
    if (runs == 1) DropConnections();  // Before COMMIT is sent.
    return tx.identity().InsertOrg(MakeOrg("corp2"));
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(store->ListOrgs()->size(), 2u);
}

TEST_F(PostgresStoreTest, GivesUpAsUnavailableAfterTheLastAttempt) {
  auto store = Open(PostgresOptions{.connections = 2, .max_attempts = 3});
  int runs = 0;
  auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    ++runs;
    DropConnections();
    return tx.identity().InsertOrg(MakeOrg("corp1"));
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnavailable);
  EXPECT_EQ(runs, 3);
  EXPECT_FALSE(store->GetOrg("corp1"));
}

TEST_F(PostgresStoreTest, ARefusedWriteLeavesTheTransactionUsable) {
  auto store = Open();
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto dup = tx.identity().InsertOrg(MakeOrg("corp1"));
    EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
    auto orphan = tx.identity().InsertUser(domain::User{"u1", "nocorp", "U", 1});
    EXPECT_EQ(orphan.error().code, Errc::kNotFound);
    return tx.identity().InsertOrg(MakeOrg("corp2"));
  }));
  EXPECT_TRUE(store->GetOrg("corp2"));
}

// SERIALIZABLE makes "read, check, write" exact: the quota pattern, from many threads.
TEST_F(PostgresStoreTest, ConcurrentCheckThenWriteNeverOvershoots) {
  auto store = Open();
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->CreateSpace(MakeSpace("100")));
  std::atomic<int> granted{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      bool won = false;
      auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
        won = false;
        auto space = tx.spaces().Get("corp1", "100");
        if (!space) return space.error();
        if (space->used_bytes + 10 > 100) return {};
        won = true;
        return tx.spaces().AdjustBytes("100", 10, 0);
      });
      EXPECT_TRUE(r) << r.error().message;
      if (r && won) ++granted;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(granted.load(), 10);
  EXPECT_EQ(store->GetSpace("corp1", "100")->used_bytes, 100);
}

// Many slow writers on one row, each allowed only three runs: a writer that lost two runs takes
// the write gate and runs alone, so none of them is starved into a 503.
TEST_F(PostgresStoreTest, WritersOnAHotRowAreNeverStarved) {
  auto store = Open(PostgresOptions{.connections = 20, .max_attempts = 3});
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->CreateSpace(MakeSpace("100")));
  constexpr int kWriters = 16;
  constexpr int kEach = 5;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      for (int n = 0; n < kEach; ++n) {
        auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
          if (auto space = tx.spaces().Get("corp1", "100"); !space) return space.error();
          // A transaction longer than its neighbours': without the gate it loses every run.
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          return tx.spaces().AdjustBytes("100", 1, 0);
        });
        EXPECT_TRUE(r) << r.error().message;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(store->GetSpace("corp1", "100")->used_bytes, kWriters * kEach);
}

// Concurrent GetSpace calls are answered in shared statements, each with exactly what a lone
// call would answer: its own space, kNotFound for another org's or a missing one, and
// kInvalidArgument for text the database refuses, without failing the batch it was in.
TEST_F(PostgresStoreTest, ConcurrentGetSpaceCallsEachGetTheirOwnAnswer) {
  auto store = Open();
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp2")));
  ASSERT_TRUE(store->CreateSpace(MakeSpace("100")));
  domain::Space other = MakeSpace("200");
  other.corp_id = "corp2";
  ASSERT_TRUE(store->CreateSpace(other));
  std::vector<std::thread> callers;
  for (int t = 0; t < 12; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        switch ((t + i) % 4) {
          case 0: {
            auto s = store->GetSpace("corp1", "100");
            ASSERT_TRUE(s) << s.error().message;
            EXPECT_EQ(s->id, "100");
            EXPECT_EQ(s->corp_id, "corp1");
            break;
          }
          case 1: {
            auto s = store->GetSpace("corp2", "200");
            ASSERT_TRUE(s) << s.error().message;
            EXPECT_EQ(s->corp_id, "corp2");
            break;
          }
          case 2: {
            auto s = store->GetSpace("corp1", (i % 2) ? "200" : "300");
            ASSERT_FALSE(s);
            EXPECT_EQ(s.error().code, Errc::kNotFound);
            EXPECT_EQ(s.error().subject, "space");
            break;
          }
          default: {
            // Bad text in either part of the key, whatever else is running.
            auto s =
                (i % 2) ? store->GetSpace("corp1", "1\xff\"") : store->GetSpace("corp1\xff", "100");
            ASSERT_FALSE(s);
            EXPECT_EQ(s.error().code, Errc::kInvalidArgument);
          }
        }
      }
    });
  }
  for (auto& c : callers) c.join();
}

domain::Dentry MakeFile(const std::string& id, const std::string& name) {
  domain::Dentry d;
  d.id = id;
  d.space_id = "100";
  d.parent_id = domain::kRootDentryId;
  d.uuid = "uuid-" + id;
  d.type = domain::DentryType::kFile;
  d.name = name;
  d.path = "/" + name;
  d.creator_id = "u1";
  d.modifier_id = "u1";
  d.blob_id = "blob-" + id;
  return d;
}

// A rename into a name that a concurrent transaction takes between this one's check and its
// UPDATE runs again and sees the name taken, as on SQLite (where writers run one at a time), so
// the domain can pick another name instead of answering a conflict.
TEST_F(PostgresStoreTest, ARenameIntoANameTakenConcurrentlyRunsAgainAndSeesIt) {
  auto store = Open();
  ASSERT_TRUE(store->CreateOrg(MakeOrg("corp1")));
  ASSERT_TRUE(store->CreateSpace(MakeSpace("100")));
  ASSERT_TRUE(store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto r = tx.dentries().Insert(MakeFile("a", "a.txt")); !r) return r;
    return tx.dentries().Insert(MakeFile("b", "b.txt"));
  }));
  std::promise<void> first_renamed;
  std::promise<void> second_checked;
  std::thread first([&] {
    bool once = false;
    auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
      auto a = tx.dentries().Get("100", "a");
      if (!a) return a.error();
      a->name = "x.txt";
      if (auto u = tx.dentries().Update(*a); !u) return u;
      if (!once) {
        once = true;
        first_renamed.set_value();
        second_checked.get_future().wait();
        // The other transaction is now blocked in its UPDATE on this one's new name.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  first_renamed.get_future().wait();
  int runs = 0;
  auto r = store->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    ++runs;
    auto taken = tx.dentries().FindChild("100", domain::kRootDentryId, "x.txt");
    if (!taken) return taken.error();
    auto b = tx.dentries().Get("100", "b");
    if (!b) return b.error();
    b->name = taken->has_value() ? "x (1).txt" : "x.txt";
    if (runs == 1) second_checked.set_value();
    return tx.dentries().Update(*b);
  });
  first.join();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(store->GetDentries("100", {"a", "b"})->at(1).name, "x (1).txt");
}

TEST_F(PostgresStoreTest, TextTheDatabaseCannotHoldIsInvalid) {
  auto store = Open();
  auto nul = store->CreateOrg(MakeOrg(std::string("a\0b", 3)));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code, Errc::kInvalidArgument);
  auto bad_utf8 = store->CreateOrg(MakeOrg("a\xff"));
  ASSERT_FALSE(bad_utf8);
  EXPECT_EQ(bad_utf8.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(store->ListOrgs()->empty());
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAndThePasswordStaysHidden) {
  auto store = PostgresMetadataStore::Open("postgresql://ada:topsecret@127.0.0.1:1/db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  EXPECT_EQ(store.error().message.find("topsecret"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("127.0.0.1"), std::string::npos);
}

TEST(RedactPostgresUrlTest, RemovesPasswordsOnly) {
  EXPECT_EQ(RedactPostgresUrl("postgres://ada:pw@db:5432/x"), "postgres://ada@db:5432/x");
  EXPECT_EQ(RedactPostgresUrl("postgresql://ada@db/x?sslmode=require&password=pw"),
            "postgresql://ada@db/x?sslmode=require&password=***");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db/x"), "postgresql://db/x");
  EXPECT_EQ(RedactPostgresUrl("postgresql://ada:p@ss@db/x"), "postgresql://ada@db/x");
}

}  // namespace
}  // namespace spacestore::storage
