// The subtree walks of the dentry aggregate (ListSubtree, MeasureSubtree) on every backend:
// NORMAL rows only, through NORMAL folders only, parents first, never across spaces.
#include <algorithm>
#include <set>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::Dentry;
using domain::DentryStatus;
using domain::DentryType;

template <class Factory>
class SubtreeContract : public TransactionContract<Factory> {
 protected:
  void SetUp() override {
    TransactionContract<Factory>::SetUp();
    // A/ f1(10) B/ f2(5) f3(100, DELETED) C/(DELETED) f4(7, under the deleted C) ; g(3) top
    ASSERT_TRUE(this->Insert(Folder("A", "0")));
    ASSERT_TRUE(this->Insert(File("f1", "A", 10)));
    ASSERT_TRUE(this->Insert(Folder("B", "A")));
    ASSERT_TRUE(this->Insert(File("f2", "B", 5)));
    Dentry f3 = File("f3", "B", 100);
    f3.status = DentryStatus::kDeleted;
    ASSERT_TRUE(this->Insert(f3));
    Dentry c = Folder("C", "A");
    c.status = DentryStatus::kDeleted;
    ASSERT_TRUE(this->Insert(c));
    ASSERT_TRUE(this->Insert(File("f4", "C", 7)));
    ASSERT_TRUE(this->Insert(File("g", "0", 3)));
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
    Dentry elsewhere = File("x", "A", 1000);  // Claims parent A, but in another space.
    elsewhere.space_id = "200";
    ASSERT_TRUE(this->Insert(elsewhere));
  }

  static Dentry Folder(const std::string& id, const std::string& parent) {
    return MakeDentry(id, parent, "n" + id, 1, DentryType::kFolder);
  }
  static Dentry File(const std::string& id, const std::string& parent, int64_t size) {
    Dentry d = MakeDentry(id, parent, "n" + id, 1);
    d.size = size;
    return d;
  }

  std::vector<Dentry> List(const std::string& space, const std::string& root) {
    auto rows = this->store_->Snapshot(
        [&](domain::MetadataTransaction& tx) { return tx.dentries().ListSubtree(space, root); });
    EXPECT_TRUE(rows);
    return rows ? *rows : std::vector<Dentry>{};
  }
  domain::SubtreeTotals Measure(const std::string& space, const std::string& root) {
    auto extent = this->store_->Snapshot(
        [&](domain::MetadataTransaction& tx) { return tx.dentries().MeasureSubtree(space, root); });
    EXPECT_TRUE(extent);
    return extent ? *extent : domain::SubtreeTotals{-1, -1, -1};
  }
};
TYPED_TEST_SUITE(SubtreeContract, Backends);

TYPED_TEST(SubtreeContract, ListsNormalRowsParentsFirst) {
  const auto rows = this->List("100", "A");
  std::set<std::string> ids;
  for (const auto& d : rows) ids.insert(d.id);
  EXPECT_EQ(ids, (std::set<std::string>{"A", "f1", "B", "f2"}));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows.front().id, "A");
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto parent = std::find_if(rows.begin(), rows.begin() + static_cast<ptrdiff_t>(i),
                                     [&](const Dentry& d) { return d.id == rows[i].parent_id; });
    EXPECT_NE(parent, rows.begin() + static_cast<ptrdiff_t>(i)) << rows[i].id << " before parent";
  }
  const auto f2 =
      std::find_if(rows.begin(), rows.end(), [](const Dentry& d) { return d.id == "f2"; });
  EXPECT_EQ(f2->size, 5);
  EXPECT_EQ(f2->blob_id, "blob-f2");
  EXPECT_EQ(f2->name, "nf2");
}

TYPED_TEST(SubtreeContract, MeasuresCountAndLatestBytes) {
  const auto a = this->Measure("100", "A");
  EXPECT_EQ(a.dentries, 4);
  EXPECT_EQ(a.file_bytes, 15);
  const auto f1 = this->Measure("100", "f1");
  EXPECT_EQ(f1.dentries, 1);
  EXPECT_EQ(f1.file_bytes, 10);
  EXPECT_EQ(this->List("100", "f1").size(), 1u);
}

TYPED_TEST(SubtreeContract, MissingDeletedOrForeignRootsAreEmpty) {
  for (const auto& [space, root] : std::vector<std::pair<std::string, std::string>>{
           {"100", "nope"}, {"100", "C"}, {"100", "f3"}, {"200", "A"}, {"100", "x"}}) {
    EXPECT_TRUE(this->List(space, root).empty()) << space << "/" << root;
    const auto extent = this->Measure(space, root);
    EXPECT_EQ(extent.dentries, 0) << space << "/" << root;
    EXPECT_EQ(extent.file_bytes, 0);
  }
}

TYPED_TEST(SubtreeContract, SeesTheTransactionsOwnWrites) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto r = tx.dentries().Insert(this->File("f5", "B", 20)); !r) return r;
    auto extent = tx.dentries().MeasureSubtree("100", "A");
    EXPECT_EQ(extent->dentries, 5);
    EXPECT_EQ(extent->file_bytes, 35);
    EXPECT_EQ(tx.dentries().ListSubtree("100", "B")->size(), 3u);  // B, f2, f5.
    return {};
  }));
}

TYPED_TEST(SubtreeContract, WalksADeepChain) {
  std::string parent = "A";
  for (int i = 0; i < 200; ++i) {
    const std::string id = "deep" + std::to_string(i);
    ASSERT_TRUE(this->Insert(this->Folder(id, parent)));
    parent = id;
  }
  const auto rows = this->List("100", "A");
  EXPECT_EQ(rows.size(), 204u);
  EXPECT_EQ(rows.back().id, "deep199");
  EXPECT_EQ(this->Measure("100", "deep0").dentries, 200);
}

}  // namespace
}  // namespace spacestore::contract
