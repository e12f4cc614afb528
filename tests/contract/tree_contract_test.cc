// Computed paths and subtree primitives (Ancestry, Subtree, Rehome) on every backend: a path
// is never stored, so renaming or moving a folder rewrites one row and every descendant reads
// its new path at once.
#include <string>
#include <vector>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::DentryType;
using domain::MetadataTransaction;

template <class Factory>
class TreeContract : public TransactionContract<Factory> {
 protected:
  // Space "100": /a/b/c/f.txt (ids a, b, c, f) and /top.txt (id t); every stored path is wrong
  // on purpose, since writes must ignore it.
  void SetUp() override {
    TransactionContract<Factory>::SetUp();
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
    for (auto d : {MakeDentry("a", "0", "a", 10, DentryType::kFolder),
                   MakeDentry("b", "a", "b", 11, DentryType::kFolder),
                   MakeDentry("c", "b", "c", 12, DentryType::kFolder),
                   MakeDentry("f", "c", "f.txt", 13), MakeDentry("t", "0", "top.txt", 14)}) {
      d.path = "/stale/" + d.name;
      ASSERT_TRUE(this->Insert(d));
    }
  }

  std::string PathOf(const std::string& space_id, const std::string& id) {
    auto d = this->store_->GetDentry(space_id, id);
    EXPECT_TRUE(d) << id;
    return d ? d->path : "";
  }

  int64_t Generation(const std::string& space_id) {
    return this->store_->GetSpace("corp1", space_id)->dentry_generation;
  }
};
TYPED_TEST_SUITE(TreeContract, Backends);

TYPED_TEST(TreeContract, EveryReadComputesThePathFromTheParents) {
  EXPECT_EQ(this->PathOf("100", "f"), "/a/b/c/f.txt");
  EXPECT_EQ(this->PathOf("100", "c"), "/a/b/c");
  EXPECT_EQ(this->PathOf("100", "t"), "/top.txt");
  auto many = this->store_->GetDentries("100", {"f", "t", "b"});
  ASSERT_TRUE(many);
  for (const auto& d : *many) {
    EXPECT_EQ(d.path, d.id == "f" ? "/a/b/c/f.txt" : d.id == "t" ? "/top.txt" : "/a/b");
  }
  auto page = this->store_->ListChildren("100", "c", domain::ListQuery{});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->dentries.size(), 1u);
  EXPECT_EQ(page->dentries[0].path, "/a/b/c/f.txt");
  auto all = this->store_->ListAll("100", domain::ListQuery{});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->dentries.size(), 5u);
  for (const auto& d : all->dentries) EXPECT_FALSE(d.path.starts_with("/stale")) << d.path;
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto child = tx.dentries().FindChild("100", "b", "c");
    EXPECT_TRUE(child && *child);
    if (child && *child) {
      EXPECT_EQ((*child)->path, "/a/b/c");
    }
    return {};
  }));
}

TYPED_TEST(TreeContract, RenamingAFolderRewritesOneRow) {
  const int64_t before = this->Generation("100");
  auto a = this->store_->GetDentry("100", "a");
  ASSERT_TRUE(a);
  a->name = "renamed";
  ASSERT_TRUE(
      this->store_->Transact([&](MetadataTransaction& tx) { return tx.dentries().Update(*a); }));
  EXPECT_GT(this->Generation("100"), before);
  EXPECT_EQ(this->PathOf("100", "f"), "/renamed/b/c/f.txt");
  // Moving b to the root (a same-space move is an Update of the parent).
  auto b = this->store_->GetDentry("100", "b");
  ASSERT_TRUE(b);
  b->parent_id = "0";
  ASSERT_TRUE(
      this->store_->Transact([&](MetadataTransaction& tx) { return tx.dentries().Update(*b); }));
  EXPECT_EQ(this->PathOf("100", "f"), "/b/c/f.txt");
  EXPECT_EQ(this->PathOf("100", "a"), "/renamed");
}

TYPED_TEST(TreeContract, AncestryWalksUpNearestFirst) {
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto chain = tx.dentries().Ancestry("100", "c");
    EXPECT_TRUE(chain);
    if (!chain) return {};
    std::vector<std::string> ids;
    for (const auto& link : *chain) ids.push_back(link.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"c", "b", "a"}));
    EXPECT_EQ(chain->back().parent_id, "0");
    EXPECT_EQ(chain->front().name, "c");
    auto unknown = tx.dentries().Ancestry("100", "nope");
    EXPECT_TRUE(unknown && unknown->empty());
    auto foreign = tx.dentries().Ancestry("200", "c");  // Another space's view.
    EXPECT_TRUE(foreign && foreign->empty());
    return {};
  }));
}

TYPED_TEST(TreeContract, SubtreeCountsNormalRowsAndTheirVersions) {
  domain::Dentry gone = MakeDentry("g", "c", "gone.txt", 20);
  gone.status = domain::DentryStatus::kDeleted;
  ASSERT_TRUE(this->Insert(gone));
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    for (auto v : {domain::DentryVersion{"f", 1, 100, "x", "u1", 1},
                   domain::DentryVersion{"f", 2, 50, "y", "u1", 2},
                   domain::DentryVersion{"g", 1, 7, "z", "u1", 1},
                   domain::DentryVersion{"t", 1, 1000, "w", "u1", 1}}) {
      if (auto ok = tx.dentries().InsertVersion(v); !ok) return ok;
    }
    return {};
  }));
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto a = tx.dentries().MeasureSubtree("100", "a");
    EXPECT_TRUE(a);
    if (a) {
      EXPECT_EQ(a->dentries, 4);         // a, b, c, f; not the deleted g.
      EXPECT_EQ(a->version_bytes, 150);  // Both of f's versions.
    }
    auto file = tx.dentries().MeasureSubtree("100", "t");
    EXPECT_TRUE(file && file->dentries == 1 && file->version_bytes == 1000);
    auto foreign = tx.dentries().MeasureSubtree("200", "a");
    EXPECT_TRUE(foreign && foreign->dentries == 0);  // Not a dentry of that space.
    return {};
  }));
}

TYPED_TEST(TreeContract, RehomeMovesTheSubtreeToAnotherSpace) {
  domain::Dentry gone = MakeDentry("g", "c", "gone.txt", 20);
  gone.status = domain::DentryStatus::kDeleted;
  ASSERT_TRUE(this->Insert(gone));
  domain::Dentry target = MakeDentry("d", "0", "dest", 30, DentryType::kFolder);
  target.space_id = "200";
  ASSERT_TRUE(this->Insert(target));
  const int64_t before = this->Generation("200");
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto moved = tx.dentries().Rehome("100", "b", "200", "d", "b2");
    EXPECT_TRUE(moved);
    if (moved) {
      EXPECT_EQ(*moved, 3);  // b, c, f.
    }
    return {};
  }));
  EXPECT_GT(this->Generation("200"), before);
  EXPECT_EQ(this->PathOf("200", "f"), "/dest/b2/c/f.txt");
  EXPECT_EQ(this->PathOf("200", "b"), "/dest/b2");
  EXPECT_FALSE(this->store_->GetDentry("100", "f"));
  auto left = this->store_->GetDentry("100", "g");  // Not NORMAL: stays where it was.
  ASSERT_TRUE(left);
  auto listed = this->store_->ListChildren("100", "a", domain::ListQuery{});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->dentries.empty());
}

TYPED_TEST(TreeContract, RehomeRefusesATakenNameAndChangesNothing) {
  domain::Dentry taken = MakeDentry("x", "0", "a", 30, DentryType::kFolder);
  taken.space_id = "200";
  ASSERT_TRUE(this->Insert(taken));
  auto r = this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto moved = tx.dentries().Rehome("100", "a", "200", "0", "a");
    if (!moved) return moved.error();
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(this->PathOf("100", "f"), "/a/b/c/f.txt");  // Rolled back whole.
  auto unknown = this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto moved = tx.dentries().Rehome("100", "nope", "200", "0", "z");
    if (!moved) return moved.error();
    return {};
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TYPED_TEST(TreeContract, AMissingAncestorEndsThePath) {
  ASSERT_TRUE(this->Insert(MakeDentry("o", "ghost", "orphan.txt", 40)));
  EXPECT_EQ(this->PathOf("100", "o"), "/orphan.txt");
}

}  // namespace
}  // namespace spacestore::contract
