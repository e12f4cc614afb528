// The TableAccess contract (src/storage/metadata/table_access.h), typed over every backend that
// implements it, so `admin migrate` copies alike in each direction. A backend adds a factory
// that makes a fresh, migrated store and its table view (PostgreSQL: a fresh database or
// schema on the suite's server).
#include "storage/metadata/table_access.h"

#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "domain/metadata_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_table_access.h"
#include "temp_dir.h"
#ifdef SPACESTORE_CONTRACT_POSTGRES
#include "postgres_server.h"
#include "storage/metadata/postgres/postgres_metadata_store.h"
#include "storage/metadata/postgres/postgres_table_access.h"
#endif

namespace spacestore::contract {
namespace {

using storage::ColumnType;
using storage::Row;
using storage::TableInfo;
using storage::Value;

struct SqliteTables {
  testing::TempDir dir;
  std::unique_ptr<domain::MetadataStore> store;
  std::unique_ptr<storage::TableAccess> tables;

  void Make() {
    const std::string path = dir.File("metadata.db");
    auto opened = storage::SqliteMetadataStore::Open(path);
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::move(*opened);
    auto access = storage::SqliteTableAccess::Open(path);
    ASSERT_TRUE(access) << access.error().message;
    tables = std::move(*access);
  }
};

template <class Factory>
class TableAccessContract : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(factory_.Make()); }

  storage::TableAccess& access() { return *factory_.tables; }
  domain::MetadataStore& store() { return *factory_.store; }

  TableInfo Table(const std::string& name) {
    auto tables = access().ListTables();
    EXPECT_TRUE(tables) << tables.error().message;
    for (auto& t : *tables) {
      if (t.name == name) return t;
    }
    ADD_FAILURE() << "no table " << name;
    return {};
  }

  // A row for `table` with `values` by column name and a value of the column's type elsewhere.
  Row MakeRow(const TableInfo& table, const std::map<std::string, Value>& values) {
    Row row;
    for (const auto& c : table.columns) {
      auto it = values.find(c.name);
      if (it != values.end()) {
        row.push_back(it->second);
      } else if (c.type == ColumnType::kInteger) {
        row.emplace_back(int64_t{0});
      } else {
        row.emplace_back(std::string("x"));
      }
    }
    return row;
  }

  Row Org(const std::string& corp_id, const std::string& name) {
    return MakeRow(Table("orgs"), {{"corp_id", corp_id}, {"name", name}});
  }

  Factory factory_;
};

#ifdef SPACESTORE_CONTRACT_POSTGRES
// A fresh schema on the binary's one server; the store migrates it before the view opens.
struct PostgresTables {
  std::unique_ptr<domain::MetadataStore> store;
  std::unique_ptr<storage::TableAccess> tables;

  void Make() {
    const std::string url = testing::PostgresServer::ForTest().NewSchemaUrl();
    auto opened = storage::PostgresMetadataStore::Open(url);
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::move(*opened);
    auto access = storage::OpenPostgresTableAccess(url);
    ASSERT_TRUE(access) << access.error().message;
    tables = std::move(*access);
  }
};
using Backends = ::testing::Types<PostgresTables>;
#else
using Backends = ::testing::Types<SqliteTables>;
#endif
TYPED_TEST_SUITE(TableAccessContract, Backends);

TYPED_TEST(TableAccessContract, ListsEveryDataTableParentsFirst) {
  auto version = this->access().SchemaVersion();
  ASSERT_TRUE(version);
  EXPECT_GT(*version, 0);
  auto tables = this->access().ListTables();
  ASSERT_TRUE(tables) << tables.error().message;
  std::set<std::string> names;
  for (const auto& t : *tables) {
    EXPECT_FALSE(t.key.empty()) << t.name;
    for (const auto& parent : t.references) {
      EXPECT_TRUE(names.contains(parent)) << t.name << " listed before " << parent;
    }
    names.insert(t.name);
  }
  for (const char* expected :
       {"settings", "orgs", "apps", "users", "spaces", "dentries", "dentry_versions", "uploads",
        "upload_parts", "tasks", "recycle_items", "permissions", "departments",
        "department_members"}) {
    EXPECT_TRUE(names.contains(expected)) << expected;
  }
  const auto spaces = this->Table("spaces");
  ASSERT_EQ(spaces.key.size(), 1u);
  EXPECT_EQ(spaces.columns[spaces.key[0]].name, "seq");
  EXPECT_EQ(spaces.references, std::vector<std::string>{"orgs"});
  for (const auto& c : spaces.columns) {
    EXPECT_EQ(c.maintained, c.name == "dentry_generation" || c.name == "permission_generation")
        << c.name;
  }
  EXPECT_EQ(this->Table("permissions").references, std::vector<std::string>{"spaces"});
  EXPECT_EQ(this->Table("departments").references, std::vector<std::string>{"orgs"});
  EXPECT_EQ(this->Table("department_members").references,
            (std::vector<std::string>{"departments", "users"}));
  const auto users = this->Table("users");
  ASSERT_EQ(users.key.size(), 2u);
  EXPECT_EQ(users.columns[users.key[0]].name, "corp_id");
  EXPECT_EQ(users.columns[users.key[1]].name, "union_id");
}

TYPED_TEST(TableAccessContract, ScansEveryRowOnceInBatches) {
  const auto settings = this->Table("settings");
  std::vector<Row> rows;
  for (int i = 0; i < 25; ++i) {
    rows.push_back(this->MakeRow(
        settings, {{"key", "k" + std::to_string(100 + i)}, {"value", "v" + std::to_string(i)}}));
  }
  auto put = this->access().InsertRows(settings, rows);
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->inserted, 25);
  auto count = this->access().CountRows(settings);
  ASSERT_TRUE(count);

  std::set<std::string> seen;
  std::optional<Row> after;
  for (;;) {
    auto batch = this->access().ScanRows(settings, after, 7);
    ASSERT_TRUE(batch) << batch.error().message;
    for (auto& r : *batch) {
      EXPECT_TRUE(seen.insert(std::get<std::string>(r[settings.key[0]])).second) << "twice";
    }
    if (batch->size() < 7) break;
    after = Row{batch->back()[settings.key[0]]};
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), *count);
  EXPECT_EQ(this->access().ScanRows(settings, Row{}, 1).error().code, Errc::kInvalidArgument);
}

TYPED_TEST(TableAccessContract, InsertSkipsPresentKeysAndReturnsTheStoredRow) {
  const auto orgs = this->Table("orgs");
  const Row first = this->Org("corp", "one");
  ASSERT_EQ(this->access().InsertRows(orgs, std::vector<Row>{first})->inserted, 1);
  auto put = this->access().InsertRows(
      orgs, std::vector<Row>{this->Org("corp", "other"), this->Org("corp2", "two")});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->inserted, 1);
  ASSERT_EQ(put->existing.size(), 1u);
  EXPECT_EQ(put->existing[0], first);
  auto orgs_seen = this->store().ListOrgs();
  ASSERT_TRUE(orgs_seen);
  EXPECT_EQ(orgs_seen->size(), 2u) << "rows written as tables are read by the store";
}

TYPED_TEST(TableAccessContract, AnotherUniqueClashOrAMissingParentIsAConflictAndWritesNothing) {
  ASSERT_TRUE(
      this->access().InsertRows(this->Table("orgs"), std::vector<Row>{this->Org("corp", "n")}));
  const auto apps = this->Table("apps");
  auto app = [&](const std::string& id, const std::string& key, const std::string& corp) {
    return this->MakeRow(
        apps, {{"app_id", id}, {"app_key", key}, {"corp_id", corp}, {"quota_bytes", Value{}}});
  };
  ASSERT_TRUE(this->access().InsertRows(apps, std::vector<Row>{app("app1", "key1", "corp")}));
  // The same app_key under another app_id: a different row, not a re-run.
  auto clash = this->access().InsertRows(
      apps, std::vector<Row>{app("app2", "key2", "corp"), app("app3", "key1", "corp")});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, Errc::kConflict);
  EXPECT_EQ(clash.error().subject, "apps");
  EXPECT_EQ(*this->access().CountRows(apps), 1) << "the batch is one transaction";
  auto orphan = this->access().InsertRows(apps, std::vector<Row>{app("app4", "key4", "nocorp")});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::kConflict);
}

TYPED_TEST(TableAccessContract, WrongShapesAreInvalidArguments) {
  const auto settings = this->Table("settings");
  auto code = [&](Row row) {
    auto r = this->access().InsertRows(settings, std::vector<Row>{std::move(row)});
    return r ? Errc::kInternal : r.error().code;
  };
  EXPECT_EQ(code({std::string("a")}), Errc::kInvalidArgument) << "too few values";
  EXPECT_EQ(code({std::string("a"), int64_t{1}}), Errc::kInvalidArgument) << "wrong type";
  EXPECT_EQ(code({std::string("a"), Value{}}), Errc::kInvalidArgument) << "NULL, NOT NULL";
}

TYPED_TEST(TableAccessContract, GeneratedKeysContinuePastCopiedOnes) {
  const auto tasks = this->Table("tasks");
  ASSERT_EQ(tasks.columns[tasks.key[0]].name, "seq");
  ASSERT_TRUE(this->access().InsertRows(
      tasks, std::vector<Row>{this->MakeRow(
                 tasks, {{"seq", int64_t{500}}, {"id", "t1"}, {"fail_code", Value{}}})}));
  domain::Task task;
  task.id = "t2";
  task.kind = "copy";
  ASSERT_TRUE(this->store().Transact(
      [&](domain::MetadataTransaction& tx) { return tx.tasks().Insert(task); }));
  auto rows = this->access().ScanRows(tasks, Row{int64_t{500}}, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_GT(std::get<int64_t>((*rows)[0][tasks.key[0]]), 500);
}

TYPED_TEST(TableAccessContract, DentryWritesMoveTheMaintainedGeneration) {
  ASSERT_TRUE(
      this->access().InsertRows(this->Table("orgs"), std::vector<Row>{this->Org("corp", "n")}));
  const auto spaces = this->Table("spaces");
  ASSERT_TRUE(this->access().InsertRows(
      spaces,
      std::vector<Row>{this->MakeRow(
          spaces,
          {{"seq", int64_t{1}}, {"id", "100"}, {"corp_id", "corp"}, {"quota_bytes", Value{}}})}));
  const auto dentries = this->Table("dentries");
  ASSERT_TRUE(this->access().InsertRows(
      dentries,
      std::vector<Row>{this->MakeRow(
          dentries,
          {{"seq", int64_t{1}}, {"id", "1"}, {"space_id", "100"}, {"recycle_item_id", Value{}}})}));
  auto space = this->store().GetSpace("corp", "100");
  ASSERT_TRUE(space) << space.error().message;
  auto rows = this->access().ScanRows(spaces, std::nullopt, 10);
  ASSERT_TRUE(rows);
  for (size_t i = 0; i < spaces.columns.size(); ++i) {
    if (spaces.columns[i].name == "dentry_generation") {
      ASSERT_TRUE(spaces.columns[i].maintained);
      EXPECT_GT(std::get<int64_t>((*rows)[0][i]), 0) << spaces.columns[i].name;
    }
  }
}

// The permission records move permission_generation with their own statements; rows written
// through TableAccess are written as they are, so a copied grant leaves the copied counter be.
TYPED_TEST(TableAccessContract, CopiedGrantsKeepTheCopiedPermissionGeneration) {
  ASSERT_TRUE(
      this->access().InsertRows(this->Table("orgs"), std::vector<Row>{this->Org("corp", "n")}));
  const auto spaces = this->Table("spaces");
  ASSERT_TRUE(this->access().InsertRows(
      spaces, std::vector<Row>{this->MakeRow(spaces, {{"seq", int64_t{1}},
                                                      {"id", "100"},
                                                      {"corp_id", "corp"},
                                                      {"quota_bytes", Value{}},
                                                      {"permission_generation", int64_t{7}}})}));
  const auto permissions = this->Table("permissions");
  ASSERT_TRUE(this->access().InsertRows(
      permissions, std::vector<Row>{this->MakeRow(
                       permissions, {{"space_id", "100"}, {"expire_time", Value{}}})}));
  EXPECT_EQ(this->store().GetSpace("corp", "100")->permission_generation, 7);
  auto grants = this->store().Read(
      [](domain::MetadataTransaction& tx) { return tx.permissions().ListSpaceGrants("100"); });
  ASSERT_TRUE(grants);
  EXPECT_EQ(grants->size(), 1u);
}

}  // namespace
}  // namespace spacestore::contract
