// Migration and TableCopier on SQLite -> SQLite with memory blobs (local blobs where a test
// damages a stored file): a whole deployment copied and verified, a re-run that copies nothing,
// and each refusal (a target holding other data, a source written meanwhile, missing or damaged
// content, different schemas).
#include "tools/admin/migration.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "fake_clock.h"
#include "sqlite_exec.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_table_access.h"
#include "temp_dir.h"

namespace spacestore::tools {
namespace {

namespace fs = std::filesystem;

// One deployment: a SQLite metadata file, its table view and a blob store.
struct Deployment {
  std::string path;
  std::unique_ptr<storage::SqliteMetadataStore> metadata;
  std::unique_ptr<storage::SqliteTableAccess> tables;
  std::unique_ptr<domain::BlobStore> blobs;

  MigrationEnd End() { return {*metadata, *tables, *blobs}; }
};

Deployment Open(const std::string& path, std::unique_ptr<domain::BlobStore> blobs) {
  Deployment d{path, nullptr, nullptr, std::move(blobs)};
  auto store = storage::SqliteMetadataStore::Open(path, {.connections = 2});
  EXPECT_TRUE(store) << store.error().message;
  d.metadata = std::move(*store);
  auto tables = storage::SqliteTableAccess::Open(path);
  EXPECT_TRUE(tables) << tables.error().message;
  d.tables = std::move(*tables);
  return d;
}

std::string PutBlob(domain::BlobStore& blobs, const std::string& content) {
  auto w = blobs.NewWriter(false);
  EXPECT_TRUE(w);
  EXPECT_TRUE((*w)->Append(content));
  auto info = (*w)->Commit();
  EXPECT_TRUE(info);
  return info->id;
}

domain::Space MakeSpace(const std::string& id, const std::string& scene_id) {
  domain::Space s;
  s.id = id;
  s.corp_id = "corp1";
  s.app_id = "app1";
  s.owner_id = "u1";
  s.creator_id = "u1";
  s.modifier_id = "u1";
  s.scene = "s";
  s.scene_id = scene_id;
  s.create_time = 1000;
  s.modified_time = 1000;
  return s;
}

domain::Dentry MakeDentry(const std::string& id, const std::string& parent, const std::string& name,
                          domain::DentryType type) {
  domain::Dentry d;
  d.id = id;
  d.space_id = "100";
  d.parent_id = parent;
  d.uuid = "uuid-" + id;
  d.type = type;
  d.name = name;
  d.creator_id = "u1";
  d.modifier_id = "u1";
  d.create_time = 1000;
  d.modified_time = 1000;
  return d;
}

// A small deployment made through the port's primitives: an org, a setting, two spaces, a
// folder holding a file with two versions, a multipart upload with one part, a user in a
// department and a grant to each, an app with its event subscription and delivery state.
void Seed(Deployment& d) {
  auto& store = *d.metadata;
  ASSERT_TRUE(store.CreateOrg(domain::Org{"corp1", "Corp One", int64_t{1} << 30, 1000}));
  ASSERT_TRUE(store.GetOrCreateSetting("token_key", "secret"));
  ASSERT_TRUE(store.CreateSpace(MakeSpace("100", "1")));
  ASSERT_TRUE(store.CreateSpace(MakeSpace("200", "2")));
  const std::string v1 = "first version", v2 = "the second version", part = "part one";
  const std::string b1 = PutBlob(*d.blobs, v1), b2 = PutBlob(*d.blobs, v2);
  const std::string bp = PutBlob(*d.blobs, part);
  ASSERT_TRUE(store.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto r = tx.dentries().Insert(MakeDentry("10", "0", "docs", domain::DentryType::kFolder));
        !r) {
      return r;
    }
    auto file = MakeDentry("11", "10", "a.txt", domain::DentryType::kFile);
    file.version = 2;
    file.size = std::ssize(v2);
    file.blob_id = b2;
    if (auto r = tx.dentries().Insert(file); !r) return r;
    for (const auto& v : {domain::DentryVersion{"11", 1, std::ssize(v1), b1, "u1", 1000},
                          domain::DentryVersion{"11", 2, std::ssize(v2), b2, "u1", 2000}}) {
      if (auto r = tx.dentries().InsertVersion(v); !r) return r;
    }
    if (auto r = tx.spaces().AdjustBytes("100", std::ssize(v1) + std::ssize(v2), 0); !r) return r;
    domain::UploadSession upload;
    upload.key = "up1";
    upload.corp_id = "corp1";
    upload.space_id = "200";
    upload.app_id = "app1";
    upload.creator_id = "u1";
    upload.multipart = true;
    upload.create_time = 1000;
    upload.expire_time = int64_t{1} << 50;
    if (auto r = tx.uploads().Put(upload); !r) return r;
    return tx.uploads().PutPart({"up1", 1, bp, std::ssize(part)});
  }));
  ASSERT_TRUE(store.CreateUser(domain::User{"u1", "corp1", "User One", 1000}));
  ASSERT_TRUE(store.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto& permissions = tx.permissions();
    if (auto r = permissions.InsertDepartment({"corp1", "d1", "Dept One", 1000}); !r) return r;
    if (auto r = permissions.AddDepartmentMember("corp1", "d1", "u1"); !r) return r.error();
    for (const auto& [type, member] :
         {std::pair{domain::MemberType::kUser, "u1"}, std::pair{domain::MemberType::kDept, "d1"}}) {
      domain::Grant g;
      g.space_id = "100";
      g.dentry_id = "10";
      g.member_type = type;
      g.member_id = member;
      g.member_corp_id = "corp1";
      g.role = domain::Role::kEditor;
      g.expire_time =
          type == domain::MemberType::kUser ? std::optional<int64_t>(5000) : std::nullopt;
      g.operator_id = "u1";
      g.create_time = 1000;
      g.modified_time = 1000;
      if (auto r = permissions.PutGrant(g); !r) return r;
    }
    return {};
  }));
  // The event log: two events, an app subscribed to the org, its delivery cursor and a dead
  // letter (foreign keys to orgs and apps).
  ASSERT_TRUE(
      store.CreateApp(domain::App{"app1", "key1", "h", "corp1", "App", {}, {}, 1, 1, {}, {}}));
  ASSERT_TRUE(store.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto& events = tx.events();
    for (const char* id : {"ev1", "ev2"}) {
      domain::Event e{"corp1",
                      0,
                      id,
                      "dentry.created",
                      "100",
                      "10",
                      "u1",
                      1000,
                      {{"name", std::string("docs")}, {"size", int64_t{0}}}};
      if (auto r = events.Append(e); !r) return r.error();
    }
    auto put = events.PutSubscription({"app1", domain::EventScope::kOrg, "corp1", "corp1", 1000});
    if (!put) return put.error();
    if (auto r = events.PutDelivery({"app1", 1, 2, 5000, "503"}); !r) return r;
    return events.PutDeadLetter({"app1", 1, "corp1", 8, "refused", 4000});
  }));
}

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = Open(dir_.File("source.db"), std::make_unique<storage::MemoryBlobStore>(clock_));
    Seed(source_);
    target_ = Open(dir_.File("target.db"), std::make_unique<storage::MemoryBlobStore>(clock_));
  }

  Result<MigrationReport> Migrate() {
    return Migration(source_.End(), target_.End(), clock_, {.batch_rows = 2, .progress = {}}).Run();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  Deployment source_;
  Deployment target_;
};

TEST_F(MigrationTest, CopiesEveryTableAndBlobThenARerunCopiesNothing) {
  auto first = Migrate();
  ASSERT_TRUE(first) << first.error().message;
  int64_t inserted = 0;
  for (const auto& t : first->tables) {
    EXPECT_EQ(t.inserted, t.rows) << t.table;
    EXPECT_EQ(t.present, 0) << t.table;
    inserted += t.inserted;
  }
  EXPECT_GT(inserted, 8);
  EXPECT_EQ(first->blobs.referenced, 3);
  EXPECT_EQ(first->blobs.copied, 3);
  EXPECT_EQ(first->blobs_verified, 3);
  EXPECT_EQ(first->spaces_checked, 2);

  auto space = target_.metadata->GetSpace("corp1", "100");
  ASSERT_TRUE(space);
  EXPECT_EQ(space->used_bytes, 31);
  // The grants, departments and members came along, and so did the permission generation.
  EXPECT_EQ(space->permission_generation,
            source_.metadata->GetSpace("corp1", "100")->permission_generation);
  auto grants = target_.metadata->Read(
      [](domain::MetadataTransaction& tx) { return tx.permissions().ListSpaceGrants("100"); });
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].expire_time, 5000);
  EXPECT_FALSE((*grants)[1].expire_time);
  auto members = target_.metadata->Read([](domain::MetadataTransaction& tx) {
    return tx.permissions().ListDepartmentMembers("corp1", "d1");
  });
  EXPECT_EQ(members.value(), std::vector<std::string>{"u1"});
  auto setting = target_.metadata->GetOrCreateSetting("token_key", "other");
  ASSERT_TRUE(setting);
  EXPECT_EQ(*setting, "secret") << "signing keys travel with the metadata";
  // The event log came along, with its delivery state.
  auto log = target_.metadata->Read([](domain::MetadataTransaction& tx) {
    return tx.events().List("corp1", 0, domain::EventFilter{true, {}}, 10);
  });
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[1].event_id, "ev2");
  EXPECT_EQ(std::get<std::string>(*(*log)[1].Field("name")), "docs");
  auto delivery = target_.metadata->Read(
      [](domain::MetadataTransaction& tx) { return tx.events().GetDelivery("app1"); });
  ASSERT_TRUE(delivery && *delivery);
  EXPECT_EQ((*delivery)->delivered_seq, 1);

  auto second = Migrate();
  ASSERT_TRUE(second) << second.error().message;
  for (const auto& t : second->tables) {
    EXPECT_EQ(t.inserted, 0) << t.table;
    EXPECT_EQ(t.present, t.rows) << t.table;
  }
  EXPECT_EQ(second->blobs.copied, 0);
  EXPECT_EQ(second->blobs_verified, 3);

  // orgs.event_seq came along: the target's next event continues the log.
  auto next = target_.metadata->Write([](domain::MetadataTransaction& tx) {
    return tx.events().Append(
        domain::Event{"corp1", 0, "ev3", "dentry.created", "100", "10", "u1", 2000, {}});
  });
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(*next, 3);
}

TEST_F(MigrationTest, TheTriggerKeptGenerationIsNotCompared) {
  ASSERT_TRUE(Migrate());
  // Inserting the copied dentries moved the target's counter past the source's; the re-run
  // must accept that, since no copy can keep it equal.
  auto gen = [](Deployment& d) {
    auto tables = d.tables->ListTables();
    EXPECT_TRUE(tables);
    auto spaces = std::find_if(tables->begin(), tables->end(),
                               [](const storage::TableInfo& t) { return t.name == "spaces"; });
    EXPECT_NE(spaces, tables->end());
    auto rows = d.tables->ScanRows(*spaces, std::nullopt, 10);
    EXPECT_TRUE(rows);
    const auto column = std::find_if(spaces->columns.begin(), spaces->columns.end(),
                                     [](const auto& c) { return c.name == "dentry_generation"; });
    EXPECT_NE(column, spaces->columns.end());
    int64_t sum = 0;
    for (const auto& r : *rows) sum += std::get<int64_t>(r[column - spaces->columns.begin()]);
    return sum;
  };
  EXPECT_NE(gen(source_), gen(target_));
  ASSERT_TRUE(Migrate());
}

TEST_F(MigrationTest, ATargetHoldingOtherDataIsRefusedBeforeAnyWrite) {
  ASSERT_TRUE(target_.metadata->CreateOrg(domain::Org{"corp1", "Another", 5, 7}));
  auto r = Migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(r.error().subject, "orgs");
  EXPECT_NE(r.error().message.find("not an earlier copy"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("corp_id='corp1'"), std::string::npos) << r.error().message;
  for (auto& t : *target_.tables->ListTables()) {
    EXPECT_EQ(*target_.tables->CountRows(t), t.name == "orgs" ? 1 : 0) << t.name;
  }
}

TEST_F(MigrationTest, ATargetWithRowsTheSourceLacksIsRefusedBeforeAnyWrite) {
  ASSERT_TRUE(Migrate());
  ASSERT_TRUE(target_.metadata->CreateOrg(domain::Org{"corp2", "Other", 5, 7}));
  auto r = Migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_NE(r.error().message.find("rows the source does not have"), std::string::npos)
      << r.error().message;
}

TEST_F(MigrationTest, ExtraRowsInTheTargetFailVerification) {
  // Past what the pre-check samples, only the verification can see them.
  TableCopier copier(*source_.tables, *target_.tables);
  ASSERT_TRUE(copier.Copy());
  ASSERT_TRUE(target_.metadata->CreateOrg(domain::Org{"corp2", "Other", 5, 7}));
  auto r = copier.Verify();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_NE(r.error().message.find("the target differs"), std::string::npos) << r.error().message;
}

TEST_F(MigrationTest, ASourceWrittenDuringTheCopyIsCaught) {
  TableCopier copier(*source_.tables, *target_.tables);
  ASSERT_TRUE(copier.Copy());
  ASSERT_TRUE(source_.metadata->CreateOrg(domain::Org{"corp2", "Late", 5, 7}));
  auto r = copier.Verify();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_NE(r.error().message.find("source changed"), std::string::npos) << r.error().message;
}

TEST_F(MigrationTest, ABlobMissingFromTheSourceFails) {
  ASSERT_TRUE(source_.metadata->Transact([](domain::MetadataTransaction& tx) {
    return tx.uploads().PutPart({"up1", 2, std::string(64, 'e'), 3});
  }));
  auto r = Migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "blob");
}

TEST_F(MigrationTest, ADamagedTargetBlobFailsVerification) {
  auto local = storage::LocalBlobStore::OpenDirectory(dir_.File("target-blobs"));
  ASSERT_TRUE(local) << local.error().message;
  target_.blobs = std::move(*local);
  ASSERT_TRUE(Migrate());
  // Same size, other bytes: only the content hash can tell.
  int damaged = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_.File("target-blobs") + "/blobs")) {
    if (!e.is_regular_file() || damaged > 0) continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    char c = 0;
    f.read(&c, 1);
    f.seekp(0);
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
    ++damaged;
  }
  ASSERT_EQ(damaged, 1);
  auto r = Migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().subject, "verify");
  EXPECT_NE(r.error().message.find("hash_mismatch"), std::string::npos) << r.error().message;
}

TEST_F(MigrationTest, ATableAddedByALaterMigrationIsCopiedToo) {
  const char* ddl = "CREATE TABLE later (name TEXT PRIMARY KEY, holder TEXT NOT NULL);";
  testing::ExecSql(source_.path, ddl);
  testing::ExecSql(target_.path, ddl);
  testing::ExecSql(source_.path,
                   "INSERT INTO later VALUES ('collector', 'node-a'), ('expiry', 'node-b')");
  auto r = Migrate();
  ASSERT_TRUE(r) << r.error().message;
  auto later = std::find_if(r->tables.begin(), r->tables.end(),
                            [](const TableCopyStats& t) { return t.table == "later"; });
  ASSERT_NE(later, r->tables.end());
  EXPECT_EQ(later->inserted, 2);
}

TEST_F(MigrationTest, DifferentSchemasAreRefusedBeforeAnyCopy) {
  testing::ExecSql(source_.path, "CREATE TABLE only_here (id INTEGER PRIMARY KEY);");
  auto r = Migrate();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPreconditionFailed);
  EXPECT_NE(r.error().message.find("only_here"), std::string::npos);
  auto orgs = target_.metadata->ListOrgs();
  ASSERT_TRUE(orgs);
  EXPECT_TRUE(orgs->empty());
}

}  // namespace
}  // namespace spacestore::tools
