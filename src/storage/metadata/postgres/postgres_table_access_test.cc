// TableAccess on PostgreSQL: the catalog read back as tables, rows scanned in key order and
// copied between two schemas of one server, conflicts refused whole, sequences moved on.
#include "storage/metadata/postgres/postgres_table_access.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "postgres_server.h"
#include "storage/metadata/postgres/migrations.h"
#include "storage/metadata/postgres/postgres_metadata_store.h"

namespace spacestore::storage {
namespace {

using testing::PostgresServer;

class PostgresTableAccessTest : public ::testing::Test {
 protected:
  // A migrated schema with its store and its TableAccess.
  struct Side {
    std::unique_ptr<PostgresMetadataStore> store;
    std::unique_ptr<TableAccess> access;
  };

  static Side OpenSide() {
    const std::string url = PostgresServer::ForTest().NewSchemaUrl();
    auto store = PostgresMetadataStore::Open(url);
    EXPECT_TRUE(store);
    auto access = OpenPostgresTableAccess(url);
    EXPECT_TRUE(access);
    return {std::move(*store), std::move(*access)};
  }

  static domain::Space MakeSpace(const std::string& id) {
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

  static const TableInfo& Table(const std::vector<TableInfo>& tables, const std::string& name) {
    auto it = std::find_if(tables.begin(), tables.end(),
                           [&](const TableInfo& t) { return t.name == name; });
    EXPECT_NE(it, tables.end()) << name;
    return *it;
  }

  // Copies every table of `from` into `to` in batches of 2; returns rows inserted.
  static int64_t Copy(TableAccess& from, TableAccess& to) {
    auto tables = from.ListTables();
    auto target = to.ListTables();
    int64_t inserted = 0;
    for (const auto& table : *tables) {
      std::optional<Row> after;
      for (;;) {
        auto rows = from.ScanRows(table, after, 2);
        EXPECT_TRUE(rows);
        if (rows->empty()) break;
        auto outcome = to.InsertRows(Table(*target, table.name), *rows);
        EXPECT_TRUE(outcome) << outcome.error().message;
        inserted += outcome->inserted;
        Row key;
        for (size_t k : table.key) key.push_back(rows->back()[k]);
        after = key;
      }
    }
    return inserted;
  }
};

TEST_F(PostgresTableAccessTest, ListsEveryDataTableParentsFirst) {
  Side side = OpenSide();
  auto tables = side.access->ListTables();
  ASSERT_TRUE(tables);
  std::vector<std::string> names;
  for (const auto& t : *tables) names.push_back(t.name);
  const auto at = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  };
  EXPECT_EQ(std::count(names.begin(), names.end(), std::string(pg::kSchemaTable)), 0);
  EXPECT_LT(at("orgs"), at("apps"));
  EXPECT_LT(at("orgs"), at("spaces"));
  EXPECT_LT(at("spaces"), at("dentries"));
  EXPECT_LT(at("spaces"), at("recycle_items"));
  EXPECT_LT(at("spaces"), at("permissions"));
  EXPECT_LT(at("departments"), at("department_members"));
  EXPECT_LT(at("users"), at("department_members"));
  EXPECT_LT(at("orgs"), at("events"));
  EXPECT_LT(at("apps"), at("event_subscriptions"));
  EXPECT_LT(at("spaces"), at("open_tokens"));
  EXPECT_EQ(names.size(), 21u);  // Every table of migrations 1 to 9.
  const TableInfo& users = Table(*tables, "users");
  ASSERT_EQ(users.key.size(), 2u);
  EXPECT_EQ(users.columns[users.key[0]].name, "corp_id");
  EXPECT_EQ(users.columns[users.key[1]].name, "union_id");
  const TableInfo& spaces = Table(*tables, "spaces");
  for (const auto& c : spaces.columns) {
    EXPECT_EQ(c.maintained, c.name == "dentry_generation" || c.name == "permission_generation")
        << c.name;
    if (c.name == "quota_bytes") {
      EXPECT_FALSE(c.not_null);
    }
    if (c.name == "id") {
      EXPECT_EQ(c.type, ColumnType::kText);
    }
    if (c.name == "seq") {
      EXPECT_EQ(c.type, ColumnType::kInteger);
    }
  }
  EXPECT_EQ(*side.access->SchemaVersion(), static_cast<int>(pg::Migrations().size()));
}

TEST_F(PostgresTableAccessTest, CopiesEveryRowOnceAndReturnsWhatIsThere) {
  Side from = OpenSide();
  ASSERT_TRUE(from.store->CreateOrg(domain::Org{"corp1", "One", 1 << 20, 1}));
  for (const char* id : {"100", "101", "102"}) ASSERT_TRUE(from.store->CreateSpace(MakeSpace(id)));
  ASSERT_TRUE(from.store->GetOrCreateSetting("k", "v"));
  Side to = OpenSide();
  EXPECT_EQ(Copy(*from.access, *to.access), 5);
  auto tables = from.access->ListTables();
  for (const auto& t : *tables) {
    EXPECT_EQ(*from.access->CountRows(t), *to.access->CountRows(t)) << t.name;
  }
  EXPECT_EQ(to.store->GetSpace("corp1", "101")->scene_id, "101");
  // Again: nothing new, and the stored rows come back for comparison.
  const TableInfo& spaces = Table(*tables, "spaces");
  auto rows = from.access->ScanRows(spaces, std::nullopt, 10);
  auto again = to.access->InsertRows(spaces, *rows);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->existing, *rows);
}

TEST_F(PostgresTableAccessTest, AnotherUniqueClashOrAMissingParentIsAConflict) {
  Side side = OpenSide();
  ASSERT_TRUE(side.store->CreateOrg(domain::Org{"corp1", "One", 1 << 20, 1}));
  ASSERT_TRUE(side.store->CreateSpace(MakeSpace("100")));
  auto tables = side.access->ListTables();
  const TableInfo& spaces = Table(*tables, "spaces");
  auto rows = side.access->ScanRows(spaces, std::nullopt, 10);
  ASSERT_EQ(rows->size(), 1u);
  Row clash = rows->front();
  clash[0] = int64_t{99};  // Another seq, the same id.
  auto r = side.access->InsertRows(spaces, std::vector<Row>{clash});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(r.error().subject, "spaces");
  const TableInfo& users = Table(*tables, "users");
  Row orphan(users.columns.size(), Value{std::string("x")});
  for (size_t c = 0; c < users.columns.size(); ++c) {
    if (users.columns[c].type == ColumnType::kInteger) orphan[c] = int64_t{1};
  }
  auto o = side.access->InsertRows(users, std::vector<Row>{orphan});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, Errc::kConflict);
  EXPECT_EQ(*side.access->CountRows(users), 0);
}

TEST_F(PostgresTableAccessTest, WrongShapesAreInvalidArguments) {
  Side side = OpenSide();
  auto tables = side.access->ListTables();
  const TableInfo& orgs = Table(*tables, "orgs");
  auto short_row = side.access->InsertRows(orgs, std::vector<Row>{Row{std::string("c")}});
  EXPECT_EQ(short_row.error().code, Errc::kInvalidArgument);
  Row typed(orgs.columns.size(), Value{std::string("text where a number goes")});
  auto wrong = side.access->InsertRows(orgs, std::vector<Row>{typed});
  EXPECT_EQ(wrong.error().code, Errc::kInvalidArgument);
  auto bad_key = side.access->ScanRows(orgs, Row{}, 10);
  EXPECT_EQ(bad_key.error().code, Errc::kInvalidArgument);
}

TEST_F(PostgresTableAccessTest, GeneratedKeysContinuePastCopiedOnes) {
  Side from = OpenSide();
  ASSERT_TRUE(from.store->CreateOrg(domain::Org{"corp1", "One", 1 << 20, 1}));
  for (const char* id : {"100", "101", "102"}) ASSERT_TRUE(from.store->CreateSpace(MakeSpace(id)));
  Side to = OpenSide();
  Copy(*from.access, *to.access);
  // A space created on the target gets a seq after the copied ones (no clash on seq).
  ASSERT_TRUE(to.store->CreateSpace(MakeSpace("200")));
  auto tables = to.access->ListTables();
  auto rows = to.access->ScanRows(Table(*tables, "spaces"), std::nullopt, 10);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ(std::get<int64_t>(rows->back()[0]), 4);
}

}  // namespace
}  // namespace spacestore::storage
