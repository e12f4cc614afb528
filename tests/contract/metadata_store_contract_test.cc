// The MetadataStore contract: one typed suite run against every adapter, so the in-memory
// store used by unit tests and the SQLite store used in production cannot drift apart.
#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "domain/metadata_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

using domain::App;
using domain::Org;
using domain::Space;
using domain::User;

struct MemoryFactory {
  std::unique_ptr<domain::MetadataStore> Make() {
    return std::make_unique<storage::MemoryMetadataStore>();
  }
};

struct SqliteFactory {
  testing::TempDir dir;
  std::unique_ptr<domain::MetadataStore> Make() {
    auto store = storage::SqliteMetadataStore::Open(dir.File("metadata.db"));
    EXPECT_TRUE(store.has_value());
    return std::move(*store);
  }
};

template <class Factory>
class MetadataStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Make();
    ASSERT_TRUE(store_->CreateOrg(Org{"corp1", "Corp One", 1 << 30, 1000}));
  }

  Space MakeSpace(std::string id, std::string scene, std::string scene_id) {
    Space s;
    s.id = std::move(id);
    s.corp_id = "corp1";
    s.app_id = "app1";
    s.owner_id = "u1";
    s.creator_id = "u1";
    s.modifier_id = "u1";
    s.scene = std::move(scene);
    s.scene_id = std::move(scene_id);
    s.quota_bytes = 4096;
    s.capabilities.can_rename = true;
    s.create_time = 1000;
    s.modified_time = 1000;
    return s;
  }

  Factory factory_;
  std::unique_ptr<domain::MetadataStore> store_;
};

using Backends = ::testing::Types<MemoryFactory, SqliteFactory>;
TYPED_TEST_SUITE(MetadataStoreContract, Backends);

TYPED_TEST(MetadataStoreContract, OrgsAreUniqueAndListed) {
  auto again = this->store_->CreateOrg(Org{"corp1", "dup", 1, 1});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
  ASSERT_TRUE(this->store_->CreateOrg(Org{"corp0", "Zero", 5, 2}));
  auto orgs = this->store_->ListOrgs();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].corp_id, "corp0");
  auto org = this->store_->GetOrg("corp1");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->capacity_bytes, 1 << 30);
  auto missing = this->store_->GetOrg("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

TYPED_TEST(MetadataStoreContract, AppsAreFoundByIdAndKey) {
  App app{"app1", "key1", "hash", "corp1", "App", {"Storage.Space.Read"}, 100, 1, 2};
  ASSERT_TRUE(this->store_->CreateApp(app));
  auto by_key = this->store_->FindAppByKey("key1");
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->app_id, "app1");
  EXPECT_EQ(by_key->scopes, std::vector<std::string>{"Storage.Space.Read"});
  EXPECT_EQ(by_key->quota_bytes, 100);
  App dup = app;
  dup.app_id = "app2";
  auto r = this->store_->CreateApp(dup);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  App orphan = app;
  orphan.app_id = "app3";
  orphan.app_key = "key3";
  orphan.corp_id = "nocorp";
  r = this->store_->CreateApp(orphan);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "org");
  EXPECT_FALSE(this->store_->GetApp("zzz"));
}

TYPED_TEST(MetadataStoreContract, UsersAreScopedToTheirOrg) {
  ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "User", 1}));
  EXPECT_TRUE(this->store_->GetUser("corp1", "u1"));
  auto other = this->store_->GetUser("corp2", "u1");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kNotFound);
  auto dup = this->store_->CreateUser(User{"u1", "corp1", "Again", 2});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
}

TYPED_TEST(MetadataStoreContract, SettingIsCreatedOnce) {
  auto first = this->store_->GetOrCreateSetting("k", "v1");
  auto second = this->store_->GetOrCreateSetting("k", "v2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, "v1");
  EXPECT_EQ(*second, "v1");
}

TYPED_TEST(MetadataStoreContract, SpaceRoundTripsEveryField) {
  Space s = this->MakeSpace("100", "scene", "1");
  s.name = "Name";
  s.owner_type = domain::OwnerType::kApp;
  s.kind = domain::SpaceKind::kGroup;
  auto created = this->store_->CreateSpace(s);
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->created);
  auto got = this->store_->GetSpace("corp1", "100");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Name");
  EXPECT_EQ(got->owner_type, domain::OwnerType::kApp);
  EXPECT_EQ(got->kind, domain::SpaceKind::kGroup);
  EXPECT_EQ(got->quota_bytes, 4096);
  EXPECT_TRUE(got->capabilities.can_rename);
  EXPECT_FALSE(got->capabilities.can_search);
  EXPECT_EQ(got->scene_id, "1");
  EXPECT_EQ(got->create_time, 1000);
}

TYPED_TEST(MetadataStoreContract, SpaceOfAnotherOrgIsNotFound) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto r = this->store_->GetSpace("corp2", "100");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "space");
}

TYPED_TEST(MetadataStoreContract, CreateSpaceIsIdempotentOnScene) {
  auto first = this->store_->CreateSpace(this->MakeSpace("100", "s", "1"));
  auto second = this->store_->CreateSpace(this->MakeSpace("200", "s", "1"));
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->space.id, "100");
  auto other_scene = this->store_->CreateSpace(this->MakeSpace("300", "s", "2"));
  ASSERT_TRUE(other_scene);
  EXPECT_TRUE(other_scene->created);
}

TYPED_TEST(MetadataStoreContract, DuplicateIdIsAlreadyExists) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto r = this->store_->CreateSpace(this->MakeSpace("100", "s", "2"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(r.error().subject, "id");
}

TYPED_TEST(MetadataStoreContract, ConcurrentIdenticalCreatesMakeOneSpace) {
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> ids;
  std::atomic<int> created{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = this->store_->CreateSpace(this->MakeSpace(std::to_string(1000 + i), "race", "1"));
      ASSERT_TRUE(r) << r.error().message;
      if (r->created) ++created;
      std::lock_guard lock(mu);
      ids.insert(r->space.id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(ids.size(), 1u);
}

TYPED_TEST(MetadataStoreContract, ListFiltersAndKeepsCreationOrder) {
  Space a = this->MakeSpace("300", "s", "1");
  Space b = this->MakeSpace("100", "s", "2");
  b.owner_id = "u2";
  Space c = this->MakeSpace("200", "s", "3");
  c.kind = domain::SpaceKind::kDepartment;
  for (const auto& s : {a, b, c}) ASSERT_TRUE(this->store_->CreateSpace(s));
  auto all = this->store_->ListSpaces("corp1", {});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "300");
  EXPECT_EQ((*all)[2].id, "200");
  auto mine = this->store_->ListSpaces(
      "corp1", domain::SpaceFilter{"u1", domain::SpaceKind::kIndividual, std::nullopt});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, "300");
}

TYPED_TEST(MetadataStoreContract, UpdateAndDeleteSpace) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  domain::SpaceUpdate lift;
  lift.quota_bytes = std::optional<int64_t>();
  lift.disabled = true;
  lift.modifier_id = "u9";
  lift.modified_time = 5000;
  auto updated = this->store_->UpdateSpace("corp1", "100", lift);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->quota_bytes);
  EXPECT_TRUE(updated->disabled);
  EXPECT_EQ(updated->modifier_id, "u9");
  domain::SpaceUpdate keep;
  keep.modifier_id = "u8";
  keep.modified_time = 6000;
  updated = this->store_->UpdateSpace("corp1", "100", keep);
  ASSERT_TRUE(updated);
  EXPECT_TRUE(updated->disabled);
  EXPECT_FALSE(this->store_->UpdateSpace("corp1", "999", keep));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "100"));
  auto gone = this->store_->DeleteSpace("corp1", "100");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
}

TYPED_TEST(MetadataStoreContract, SumUsedBytesIsZeroForNewSpaces) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto sum = this->store_->SumUsedBytes("corp1", "");
  ASSERT_TRUE(sum);
  EXPECT_EQ(*sum, 0);
}

// ---- Transactions, dentries, uploads ----

domain::Dentry MakeDentry(const std::string& id, const std::string& parent, const std::string& name,
                          int64_t time, domain::DentryType type = domain::DentryType::kFile) {
  domain::Dentry d;
  d.id = id;
  d.space_id = "100";
  d.parent_id = parent;
  d.uuid = "uuid-" + id;
  d.type = type;
  d.name = name;
  d.path = "/" + name;
  d.size = time;  // Distinct sizes make the SIZE order testable.
  d.creator_id = "u1";
  d.modifier_id = "u1";
  d.create_time = time;
  d.modified_time = time;
  d.blob_id = type == domain::DentryType::kFile ? "blob-" + id : "";
  return d;
}

template <class Factory>
class TransactionContract : public MetadataStoreContract<Factory> {
 protected:
  void SetUp() override {
    MetadataStoreContract<Factory>::SetUp();
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  }

  Result<void> Insert(const domain::Dentry& d) {
    return this->store_->Transact(
        [&](domain::MetadataTransaction& tx) { return tx.InsertDentry(d); });
  }
};

TYPED_TEST_SUITE(TransactionContract, Backends);

TYPED_TEST(TransactionContract, FailedTransactionLeavesNoTrace) {
  auto r = this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.InsertDentry(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.AdjustSpaceBytes("100", 50, 7));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    EXPECT_TRUE(tx.PutUpload(u));
    // Reads inside the transaction see its writes.
    EXPECT_TRUE(tx.GetDentry("100", "1"));
    EXPECT_EQ(tx.GetSpace("corp1", "100")->used_bytes, 50);
    return MakeError(Errc::kConflict, "", "abort");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_FALSE(this->store_->GetDentry("100", "1"));
  auto space = this->store_->GetSpace("corp1", "100");
  EXPECT_EQ(space->used_bytes, 0);
  EXPECT_EQ(space->reserved_bytes, 0);
  auto upload = this->store_->Transact(
      [](domain::MetadataTransaction& tx) -> Result<void> { return tx.GetUpload("k1").error(); });
  EXPECT_EQ(upload.error().code, Errc::kNotFound);
}

TYPED_TEST(TransactionContract, NamesAreUniqueAmongNormalSiblings) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  auto dup = this->Insert(MakeDentry("2", "0", "a", 11));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
  EXPECT_TRUE(this->Insert(MakeDentry("3", "1", "a", 12)));  // Another folder.
  auto found = this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto child = tx.FindChild("100", "0", "a");
    EXPECT_TRUE(child && *child);
    EXPECT_EQ((*child)->id, "1");
    auto none = tx.FindChild("100", "0", "b");
    EXPECT_TRUE(none && !*none);
    return {};
  });
  EXPECT_TRUE(found);
}

TYPED_TEST(TransactionContract, UpdateKeepsImmutableFieldsAndNameIndex) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  domain::Dentry d = MakeDentry("1", "0", "b", 10);
  d.version = 2;
  d.size = 99;
  d.app_properties = {{"app1", "k",
                       "v|with:3:odd\x1f"
                       "bytes",
                       false}};
  ASSERT_TRUE(
      this->store_->Transact([&](domain::MetadataTransaction& tx) { return tx.UpdateDentry(d); }));
  auto got = this->store_->GetDentry("100", "1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "b");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->size, 99);
  ASSERT_EQ(got->app_properties.size(), 1u);
  EXPECT_EQ(got->app_properties[0].value,
            "v|with:3:odd\x1f"
            "bytes");
  EXPECT_FALSE(got->app_properties[0].is_public);
  EXPECT_TRUE(this->Insert(MakeDentry("2", "0", "a", 11)));  // "a" is free again.
}

TYPED_TEST(TransactionContract, ListChildrenPagesInEveryOrder) {
  const std::vector<std::string> names = {"d", "b", "e", "a", "c"};
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(this->Insert(MakeDentry(std::to_string(i + 1), "0", names[i], 100 + i)));
  }
  ASSERT_TRUE(this->Insert(MakeDentry("9", "7", "elsewhere", 1)));
  for (const auto order : {domain::DentryOrder::kModifiedTime, domain::DentryOrder::kCreateTime,
                           domain::DentryOrder::kName, domain::DentryOrder::kSize}) {
    for (const bool descending : {true, false}) {
      domain::ListQuery q{order, descending, 2, ""};
      std::vector<std::string> seen;
      for (int pages = 0; pages < 10; ++pages) {
        auto page = this->store_->ListChildren("100", "0", q);
        ASSERT_TRUE(page) << page.error().message;
        for (const auto& d : page->dentries) seen.push_back(d.name);
        if (page->next_cursor.empty()) break;
        q.cursor = page->next_cursor;
      }
      std::vector<std::string> expected;
      if (order == domain::DentryOrder::kName) {
        expected = {"a", "b", "c", "d", "e"};
      } else {
        expected = names;  // Times and sizes grow in insertion order.
      }
      if (descending) std::reverse(expected.begin(), expected.end());
      EXPECT_EQ(seen, expected) << static_cast<int>(order) << " desc=" << descending;
    }
  }
}

TYPED_TEST(TransactionContract, CursorOfAnotherOrderIsRejected) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  ASSERT_TRUE(this->Insert(MakeDentry("2", "0", "b", 11)));
  auto page = this->store_->ListChildren("100", "0", {domain::DentryOrder::kName, false, 1, ""});
  ASSERT_TRUE(page);
  ASSERT_FALSE(page->next_cursor.empty());
  auto bad = this->store_->ListChildren("100", "0",
                                        {domain::DentryOrder::kSize, false, 1, page->next_cursor});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().subject, "nextToken");
  bad = this->store_->ListChildren("100", "0", {domain::DentryOrder::kName, false, 1, "zz"});
  ASSERT_FALSE(bad);
}

TYPED_TEST(TransactionContract, ListAllSpansFolders) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "f", 10, domain::DentryType::kFolder)));
  ASSERT_TRUE(this->Insert(MakeDentry("2", "1", "x", 11)));
  ASSERT_TRUE(this->Insert(MakeDentry("3", "0", "y", 12)));
  auto page = this->store_->ListAll("100", {domain::DentryOrder::kModifiedTime, false, 50, ""});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->dentries.size(), 3u);
  EXPECT_EQ(page->dentries[0].id, "1");
  EXPECT_EQ(page->dentries[2].id, "3");
  EXPECT_TRUE(page->next_cursor.empty());
}

TYPED_TEST(TransactionContract, EveryDentryWriteMovesTheSpaceGeneration) {
  const auto generation = [&](const std::string& space_id) {
    return this->store_->GetSpace("corp1", space_id)->dentry_generation;
  };
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
  const int64_t g0 = generation("100");
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  const int64_t g1 = generation("100");
  EXPECT_NE(g1, g0);
  domain::Dentry d = MakeDentry("1", "0", "b", 10);
  ASSERT_TRUE(
      this->store_->Transact([&](domain::MetadataTransaction& tx) { return tx.UpdateDentry(d); }));
  const int64_t g2 = generation("100");
  EXPECT_NE(g2, g1);
  EXPECT_NE(g2, g0);
  // Writes that touch no dentry, and other spaces' dentries, leave it as it is.
  ASSERT_TRUE(this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.AdjustSpaceBytes("100", 5, 0); }));
  domain::Dentry other = MakeDentry("2", "0", "a", 11);
  other.space_id = "200";
  ASSERT_TRUE(this->Insert(other));
  EXPECT_EQ(generation("100"), g2);
  // A space's own writes never set it back.
  ASSERT_TRUE(this->store_->UpdateSpace("corp1", "100", domain::SpaceUpdate{}));
  EXPECT_EQ(generation("100"), g2);
}

TYPED_TEST(TransactionContract, GetDentriesSkipsMissingAndForeign) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  auto got = this->store_->GetDentries("100", {"1", "nope"});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  auto foreign = this->store_->GetDentries("200", {"1"});
  ASSERT_TRUE(foreign);
  EXPECT_TRUE(foreign->empty());
}

TYPED_TEST(TransactionContract, VersionsUploadsPartsAndReferences) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.InsertDentry(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.InsertVersion({"1", 1, 5, "blobA", "u1", 10}));
    EXPECT_TRUE(tx.InsertVersion({"1", 2, 7, "blobB", "u1", 20}));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    u.multipart = true;
    u.expire_time = 500;
    EXPECT_TRUE(tx.PutUpload(u));
    EXPECT_TRUE(tx.PutUploadPart({"k1", 2, "blobP2", 3}));
    EXPECT_TRUE(tx.PutUploadPart({"k1", 1, "blobP1", 3}));
    auto parts = tx.ListUploadParts("k1");
    EXPECT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].part_number, 1);
    EXPECT_EQ(tx.GetVersion("1", 2)->blob_id, "blobB");
    EXPECT_EQ(tx.GetVersion("1", 3).error().code, Errc::kNotFound);
    return {};
  }));
  auto versions = this->store_->ListVersions("1");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ(this->store_->SumVersionBytes("100").value(), 12);
  for (const char* id : {"blobA", "blobB", "blobP1"}) {
    EXPECT_TRUE(this->store_->IsBlobReferenced(id).value()) << id;
  }
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobZ").value());
  EXPECT_EQ(this->store_->ListExpiredUploads(499, 10)->size(), 0u);
  EXPECT_EQ(this->store_->ListExpiredUploads(501, 10)->size(), 1u);
  ASSERT_TRUE(this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.DeleteUpload("k1"); }));
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobP1").value());
}

TYPED_TEST(TransactionContract, DeletingASpaceTakesItsContentAlong) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.InsertDentry(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.InsertVersion({"1", 1, 5, "blobA", "u1", 10}));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    u.blob_id = "blobU";
    EXPECT_TRUE(tx.PutUpload(u));
    return {};
  }));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "100"));
  EXPECT_FALSE(this->store_->GetDentry("100", "1"));
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobA").value());
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobU").value());
}

TYPED_TEST(TransactionContract, TotalsSumUsedAndReserved) {
  ASSERT_TRUE(this->store_->CreateApp(App{"app1", "key1", "h", "corp1", "A", {}, 5000, 1, 1}));
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.AdjustSpaceBytes("100", 300, 200));
    auto t = tx.Totals("corp1", "app1");
    EXPECT_TRUE(t);
    EXPECT_EQ(t->org_capacity, 1 << 30);
    EXPECT_EQ(t->org_used, 300);
    EXPECT_EQ(t->org_reserved, 200);
    EXPECT_EQ(t->app_quota, 5000);
    EXPECT_EQ(t->app_used, 300);
    auto negative = tx.AdjustSpaceBytes("100", 0, -201);
    EXPECT_FALSE(negative);
    return {};
  }));
}

}  // namespace
}  // namespace spacestore
