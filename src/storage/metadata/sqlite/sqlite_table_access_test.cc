// SqliteTableAccess on a migrated database: the catalog it reports (every table, parents first,
// keys, trigger-kept columns), keyed scans, insert-if-absent and its errors.
#include "storage/metadata/sqlite/sqlite_table_access.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "sqlite_exec.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

class SqliteTableAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("metadata.db");
    auto store = SqliteMetadataStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto access = SqliteTableAccess::Open(path_);
    ASSERT_TRUE(access) << access.error().message;
    access_ = std::move(*access);
  }

  void Exec(const std::string& sql) { testing::ExecSql(path_, sql); }

  TableInfo Table(const std::string& name) {
    auto tables = access_->ListTables();
    EXPECT_TRUE(tables) << tables.error().message;
    for (auto& t : *tables) {
      if (t.name == name) return t;
    }
    ADD_FAILURE() << "no table " << name;
    return {};
  }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteTableAccess> access_;
};

TEST_F(SqliteTableAccessTest, ListsEveryDataTableParentsFirst) {
  auto version = access_->SchemaVersion();
  ASSERT_TRUE(version);
  EXPECT_GT(*version, 0);
  auto tables = access_->ListTables();
  ASSERT_TRUE(tables) << tables.error().message;
  std::set<std::string> names;
  for (const auto& t : *tables) {
    EXPECT_FALSE(t.name.starts_with("sqlite_")) << t.name;
    EXPECT_FALSE(t.key.empty()) << t.name;
    for (const auto& parent : t.references) {
      EXPECT_TRUE(names.contains(parent)) << t.name << " listed before " << parent;
    }
    names.insert(t.name);
  }
  for (const char* expected :
       {"settings", "orgs", "apps", "users", "spaces", "dentries", "dentry_versions", "uploads",
        "upload_parts", "tasks", "recycle_items"}) {
    EXPECT_TRUE(names.contains(expected)) << expected;
  }
  const auto spaces = Table("spaces");
  ASSERT_EQ(spaces.key.size(), 1u);
  EXPECT_EQ(spaces.columns[spaces.key[0]].name, "seq");
  EXPECT_EQ(spaces.references, std::vector<std::string>{"orgs"});
  for (const auto& c : spaces.columns) {
    EXPECT_EQ(c.maintained, c.name == "dentry_generation") << c.name;
  }
  const auto users = Table("users");
  ASSERT_EQ(users.key.size(), 2u);
  EXPECT_EQ(users.columns[users.key[0]].name, "corp_id");
  EXPECT_EQ(users.columns[users.key[1]].name, "union_id");
}

TEST_F(SqliteTableAccessTest, ATableAddedLaterIsListedWithItsTypesAndOrder) {
  Exec(
      "CREATE TABLE zz_parent (id TEXT PRIMARY KEY);"
      "CREATE TABLE aa_child (id INTEGER PRIMARY KEY, parent TEXT REFERENCES zz_parent (id),"
      " weight REAL, payload BLOB);");
  auto tables = access_->ListTables();
  ASSERT_TRUE(tables);
  auto index = [&](const std::string& name) {
    return std::find_if(tables->begin(), tables->end(),
                        [&](const TableInfo& t) { return t.name == name; }) -
           tables->begin();
  };
  EXPECT_LT(index("zz_parent"), index("aa_child"));
  const auto child = Table("aa_child");
  ASSERT_EQ(child.columns.size(), 4u);
  EXPECT_EQ(child.columns[2].type, ColumnType::kReal);
  EXPECT_EQ(child.columns[3].type, ColumnType::kBlob);

  const Row parent{std::string("p")};
  ASSERT_TRUE(access_->InsertRows(Table("zz_parent"), std::span(&parent, 1)));
  const std::vector<Row> rows{{int64_t{1}, std::string("p"), 0.5, Bytes{std::string("\0x", 2)}},
                              {int64_t{2}, Value{}, Value{}, Value{}},
                              {int64_t{3}, Value{}, -1.25, Bytes{}}};
  auto put = access_->InsertRows(child, rows);
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->inserted, 3);
  auto back = access_->ScanRows(child, std::nullopt, 10);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, rows);
}

TEST_F(SqliteTableAccessTest, ScansInKeyOrderInBatches) {
  const auto settings = Table("settings");
  std::vector<Row> rows;
  for (int i = 0; i < 25; ++i) {
    rows.push_back({std::string("k") + char('a' + i), std::string("v") + std::to_string(i)});
  }
  std::reverse(rows.begin(), rows.end());
  auto put = access_->InsertRows(settings, rows);
  ASSERT_TRUE(put) << put.error().message;
  auto before = access_->CountRows(settings);
  ASSERT_TRUE(before);

  std::vector<Row> seen;
  std::optional<Row> after;
  for (;;) {
    auto batch = access_->ScanRows(settings, after, 7);
    ASSERT_TRUE(batch) << batch.error().message;
    for (auto& r : *batch) seen.push_back(r);
    if (batch->size() < 7) break;
    after = Row{batch->back()[settings.key[0]]};
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), *before);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const Row& a, const Row& b) {
    return std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  }));
  EXPECT_EQ(access_->ScanRows(settings, Row{}, 1).error().code, Errc::kInvalidArgument);
}

TEST_F(SqliteTableAccessTest, InsertSkipsPresentKeysAndReturnsTheStoredRow) {
  const auto settings = Table("settings");
  const std::vector<Row> first{{std::string("a"), std::string("1")}};
  ASSERT_EQ(access_->InsertRows(settings, first)->inserted, 1);
  const std::vector<Row> again{{std::string("a"), std::string("other")},
                               {std::string("b"), std::string("2")}};
  auto put = access_->InsertRows(settings, again);
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->inserted, 1);
  ASSERT_EQ(put->existing.size(), 1u);
  EXPECT_EQ(put->existing[0], first[0]);
}

TEST_F(SqliteTableAccessTest, AnotherUniqueClashOrAMissingParentIsAConflictAndWritesNothing) {
  const auto orgs = Table("orgs");
  const std::vector<Row> org{{std::string("corp"), std::string("n"), int64_t{1}, int64_t{0}}};
  ASSERT_TRUE(access_->InsertRows(orgs, org));
  const auto apps = Table("apps");
  auto app = [](const std::string& id, const std::string& key, const std::string& corp) {
    return Row{id,      key,        std::string("h"), corp, std::string("n"), std::string("s"),
               Value{}, int64_t{0}, int64_t{0}};
  };
  ASSERT_TRUE(access_->InsertRows(apps, std::vector<Row>{app("app1", "key1", "corp")}));
  // Same app_key under another app_id: a different row, not a re-run.
  auto clash = access_->InsertRows(
      apps, std::vector<Row>{app("app2", "key2", "corp"), app("app3", "key1", "corp")});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, Errc::kConflict);
  EXPECT_EQ(clash.error().subject, "apps");
  EXPECT_EQ(*access_->CountRows(apps), 1) << "the batch is one transaction";
  auto orphan = access_->InsertRows(apps, std::vector<Row>{app("app4", "key4", "nocorp")});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::kConflict);
}

TEST_F(SqliteTableAccessTest, WrongShapesAreInvalidArguments) {
  const auto settings = Table("settings");
  EXPECT_EQ(access_->InsertRows(settings, std::vector<Row>{{std::string("a")}}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(
      access_->InsertRows(settings, std::vector<Row>{{std::string("a"), int64_t{1}}}).error().code,
      Errc::kInvalidArgument);
  EXPECT_EQ(
      access_->InsertRows(settings, std::vector<Row>{{std::string("a"), Value{}}}).error().code,
      Errc::kInvalidArgument)
      << "NULL in a NOT NULL column";
}

TEST_F(SqliteTableAccessTest, GeneratedKeysContinuePastCopiedOnes) {
  const auto orgs = Table("orgs");
  ASSERT_TRUE(access_->InsertRows(
      orgs, std::vector<Row>{{std::string("corp"), std::string("n"), int64_t{1}, int64_t{0}}}));
  const auto tasks = Table("tasks");
  Row task(tasks.columns.size());
  for (size_t i = 0; i < tasks.columns.size(); ++i) {
    task[i] =
        tasks.columns[i].type == ColumnType::kInteger ? Value{int64_t{0}} : Value{std::string("x")};
  }
  task[0] = int64_t{500};  // seq
  ASSERT_EQ(tasks.columns[0].name, "seq");
  ASSERT_TRUE(access_->InsertRows(tasks, std::vector<Row>{task}));
  Exec(
      "INSERT INTO tasks (id, corp_id, app_id, actor_id, kind, params, status, total_count,"
      " success_count, fail_count, fail_subject, fail_message, create_time, begin_time,"
      " end_time) VALUES ('t2', '', '', '', '', '', 0, 0, 0, 0, '', '', 0, 0, 0)");
  auto rows = access_->ScanRows(tasks, Row{int64_t{500}}, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_GT(std::get<int64_t>((*rows)[0][0]), 500);
}

TEST_F(SqliteTableAccessTest, OpenNeverCreatesADatabase) {
  auto none = SqliteTableAccess::Open(dir_.File("none.db"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace spacestore::storage
