#include "domain/version_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/dentry_service.h"
#include "domain/upload_test_fixture.h"

namespace spacestore::domain {
namespace {

class VersionServiceTest : public UploadServiceTest {
 protected:
  // A file "f.txt" whose versions 1, 2, 3, ... hold `contents` in order.
  std::string MakeFile(const std::vector<std::string>& contents) {
    std::string id;
    for (const auto& data : contents) {
      CommitRequest r;
      r.upload_key = Upload(data, std::nullopt);
      r.name = "f.txt";
      r.parent_id = "0";
      r.overwrite_dentry_id = id;
      clock_.AdvanceMillis(1000);
      auto d = uploads_.Commit(actor_, space_, r);
      EXPECT_TRUE(d) << d.error().message;
      id = d->id;
    }
    return id;
  }

  // The bytes of `version` of file `id`, as a download reads them.
  std::string Download(const std::string& id, int64_t version) {
    auto grant = uploads_.DownloadGrant(actor_, space_, id, version);
    EXPECT_TRUE(grant) << grant.error().message;
    auto download = transfers_.OpenDownload(*grant);
    EXPECT_TRUE(download) << download.error().message;
    std::string out(static_cast<size_t>(download->size), '\0');
    auto n = download->reader->ReadAt(0, out.data(), out.size());
    EXPECT_TRUE(n);
    return out;
  }

  std::vector<int64_t> Numbers(const DentryPage& page) {
    std::vector<int64_t> out;
    for (const auto& d : page.dentries) out.push_back(d.version);
    return out;
  }

  DentryService dentries_{store_, clock_, spaces_};
  VersionService versions_{store_, clock_, spaces_};
};

TEST_F(VersionServiceTest, ListsNewestFirstInPages) {
  const std::string id = MakeFile({"a", "bb", "ccc"});
  auto first = versions_.ListVersions(actor_, space_, id, VersionQuery{2, ""});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(Numbers(*first), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(first->dentries[0].size, 3);
  EXPECT_EQ(first->dentries[1].size, 2);
  EXPECT_LT(first->dentries[1].modified_time, first->dentries[0].modified_time);
  EXPECT_EQ(first->dentries[1].name, "f.txt");
  ASSERT_FALSE(first->next_cursor.empty());
  auto second = versions_.ListVersions(actor_, space_, id, VersionQuery{2, first->next_cursor});
  ASSERT_TRUE(second);
  EXPECT_EQ(Numbers(*second), (std::vector<int64_t>{1}));
  EXPECT_EQ(second->dentries[0].size, 1);
  EXPECT_TRUE(second->next_cursor.empty());
  // A page that holds exactly the rest has no token either.
  auto whole = versions_.ListVersions(actor_, space_, id, VersionQuery{3, ""});
  ASSERT_TRUE(whole);
  EXPECT_EQ(Numbers(*whole), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_TRUE(whole->next_cursor.empty());
}

TEST_F(VersionServiceTest, RefusesBadPagesAndForeignTokens) {
  const std::string id = MakeFile({"a", "b"});
  const std::string other = MakeFile({"c"});  // Overwrites nothing: a new "f (1).txt".
  for (const int limit : {0, -1, 101}) {
    auto r = versions_.ListVersions(actor_, space_, id, VersionQuery{limit, ""});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().subject, "maxResults");
  }
  auto page = versions_.ListVersions(actor_, space_, id, VersionQuery{1, ""});
  ASSERT_TRUE(page);
  ASSERT_FALSE(page->next_cursor.empty());
  for (const std::string& token :
       {std::string("garbage"), std::string("v.0.") + id, std::string("v.x.") + id,
        std::string("v.01.") + id, std::string("v.-1.") + id, std::string("v.+1.") + id,
        page->next_cursor + "1"}) {
    auto r = versions_.ListVersions(actor_, space_, id, VersionQuery{1, token});
    ASSERT_FALSE(r) << token;
    EXPECT_EQ(r.error().subject, "nextToken");
  }
  auto foreign = versions_.ListVersions(actor_, space_, other, VersionQuery{1, page->next_cursor});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().subject, "nextToken");
}

TEST_F(VersionServiceTest, FoldersAndMissingDentriesHaveNoVersions) {
  auto folder = dentries_.AddFolder(actor_, space_, "0", "dir", ConflictStrategy::kFail, {});
  ASSERT_TRUE(folder);
  auto list = versions_.ListVersions(actor_, space_, folder->id, {});
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(list.error().subject, "dentryId");
  auto revert = versions_.Revert(actor_, space_, folder->id, 1);
  ASSERT_FALSE(revert);
  EXPECT_EQ(revert.error().subject, "dentryId");
  auto missing = versions_.ListVersions(actor_, space_, "424242424242", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "dentry");
}

TEST_F(VersionServiceTest, ADentryOfAnotherSpaceIsMissing) {
  const std::string id = MakeFile({"a"});
  AddSpaceParams p;
  p.scene_id = "other";
  auto other = spaces_.AddSpace(actor_, p);
  ASSERT_TRUE(other);
  auto list = versions_.ListVersions(actor_, other->id, id, {});
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().subject, "dentry");
  auto revert = versions_.Revert(actor_, other->id, id, 1);
  ASSERT_FALSE(revert);
  EXPECT_EQ(revert.error().subject, "dentry");
}

TEST_F(VersionServiceTest, RevertMakesANewLatestVersionWithTheOldContent) {
  const std::string id = MakeFile({"first", "second!"});
  ASSERT_EQ(GetSpace().used_bytes, 12);
  // Read through the cache first, so the test also shows the revert invalidates it.
  ASSERT_EQ(dentries_.GetDentry(actor_, space_, id)->version, 2);
  const Dentry before = *store_.GetDentry(space_, id);
  clock_.AdvanceMillis(5000);
  auto reverted = versions_.Revert(actor_, space_, id, 1);
  ASSERT_TRUE(reverted) << reverted.error().message;
  EXPECT_EQ(reverted->version, 3);
  EXPECT_EQ(reverted->size, 5);
  EXPECT_EQ(reverted->modified_time, clock_.NowMillis());
  auto v1 = store_.Read([&](MetadataTransaction& tx) { return tx.dentries().GetVersion(id, 1); });
  EXPECT_EQ(reverted->blob_id, v1->blob_id);  // Shared, not copied.
  EXPECT_EQ(Download(id, 3), "first");
  EXPECT_EQ(Download(id, 2), "second!");
  EXPECT_EQ(GetSpace().used_bytes, 17);  // Charged as a new version.
  EXPECT_EQ(*store_.SumVersionBytes(space_), 17);
  auto seen = dentries_.GetDentry(actor_, space_, id);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->version, 3);
  EXPECT_EQ(seen->size, 5);
  EXPECT_EQ(seen->create_time, before.create_time);
  EXPECT_EQ(seen->uuid, before.uuid);
  // Reverting to the latest adds a version too.
  auto again = versions_.Revert(actor_, space_, id, 3);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->version, 4);
  EXPECT_EQ(GetSpace().used_bytes, 22);
  auto page = versions_.ListVersions(actor_, space_, id, {});
  ASSERT_TRUE(page);
  EXPECT_EQ(Numbers(*page), (std::vector<int64_t>{4, 3, 2, 1}));
}

TEST_F(VersionServiceTest, ConcurrentRevertsEachMakeTheirOwnVersion) {
  const std::string id = MakeFile({"0123456789"});
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (!versions_.Revert(actor_, space_, id, 1)) ++failed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  auto page = versions_.ListVersions(actor_, space_, id, {});
  ASSERT_TRUE(page);
  EXPECT_EQ(Numbers(*page), (std::vector<int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(GetSpace().used_bytes, 70);
  EXPECT_EQ(*store_.SumVersionBytes(space_), 70);
}

TEST_F(VersionServiceTest, UnknownVersionsChangeNothing) {
  const std::string id = MakeFile({"a", "b"});
  for (const int64_t v : {int64_t{0}, int64_t{-1}, int64_t{3}, INT64_MAX}) {
    auto r = versions_.Revert(actor_, space_, id, v);
    ASSERT_FALSE(r) << v;
    EXPECT_EQ(r.error().code, Errc::kNotFound);
    EXPECT_EQ(r.error().subject, "version");
  }
  EXPECT_EQ(store_.GetDentry(space_, id)->version, 2);
  EXPECT_EQ(GetSpace().used_bytes, 2);
}

TEST_F(VersionServiceTest, RevertIsRefusedWhenTheQuotaIsFull) {
  const std::string id = MakeFile({std::string(600, 'x'), std::string(300, 'y')});
  ASSERT_EQ(GetSpace().used_bytes, 900);  // Of 1000.
  auto r = versions_.Revert(actor_, space_, id, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(r.error().subject, "space");
  EXPECT_EQ(store_.GetDentry(space_, id)->version, 2);
  EXPECT_EQ(GetSpace().used_bytes, 900);
  auto too_big = versions_.Revert(actor_, space_, id, 2);  // 100 bytes left: 300 do not fit...
  ASSERT_FALSE(too_big);
  const std::string small = MakeFile({"z"});  // ...but 1 byte does (a new file "f (1).txt").
  EXPECT_TRUE(versions_.Revert(actor_, space_, small, 1));
  EXPECT_EQ(GetSpace().used_bytes, 902);
}

TEST_F(VersionServiceTest, RevertIsRefusedInADisabledSpace) {
  const std::string id = MakeFile({"a"});
  SpaceUpdate off;
  off.disabled = true;
  ASSERT_TRUE(store_.UpdateSpace("corp1", space_, off));
  auto r = versions_.Revert(actor_, space_, id, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPermissionDenied);
  EXPECT_TRUE(versions_.ListVersions(actor_, space_, id, {}));  // Reading still works.
}

}  // namespace
}  // namespace spacestore::domain
