// The dentry aggregate (dentries, names, listings, generations) on every backend.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

template <class Factory>
class DentryContract : public TransactionContract<Factory> {};
TYPED_TEST_SUITE(DentryContract, Backends);

TYPED_TEST(DentryContract, NamesAreUniqueAmongNormalSiblings) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  auto dup = this->Insert(MakeDentry("2", "0", "a", 11));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
  EXPECT_TRUE(this->Insert(MakeDentry("3", "1", "a", 12)));  // Another folder.
  auto found = this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    auto child = tx.dentries().FindChild("100", "0", "a");
    EXPECT_TRUE(child && *child);
    EXPECT_EQ((*child)->id, "1");
    auto none = tx.dentries().FindChild("100", "0", "b");
    EXPECT_TRUE(none && !*none);
    return {};
  });
  EXPECT_TRUE(found);
}

TYPED_TEST(DentryContract, UpdateKeepsImmutableFieldsAndNameIndex) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  domain::Dentry d = MakeDentry("1", "0", "b", 10);
  d.version = 2;
  d.size = 99;
  d.app_properties = {{"app1", "k",
                       "v|with:3:odd\x1f"
                       "bytes",
                       false}};
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.dentries().Update(d); }));
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

TYPED_TEST(DentryContract, ListChildrenPagesInEveryOrder) {
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

TYPED_TEST(DentryContract, CursorOfAnotherOrderIsRejected) {
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

TYPED_TEST(DentryContract, ListAllSpansFolders) {
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

TYPED_TEST(DentryContract, EveryDentryWriteMovesTheSpaceGeneration) {
  const auto generation = [&](const std::string& space_id) {
    return this->store_->GetSpace("corp1", space_id)->dentry_generation;
  };
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
  const int64_t g0 = generation("100");
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  const int64_t g1 = generation("100");
  EXPECT_NE(g1, g0);
  domain::Dentry d = MakeDentry("1", "0", "b", 10);
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.dentries().Update(d); }));
  const int64_t g2 = generation("100");
  EXPECT_NE(g2, g1);
  EXPECT_NE(g2, g0);
  // Writes that touch no dentry, and other spaces' dentries, leave it as it is.
  ASSERT_TRUE(this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.spaces().AdjustBytes("100", 5, 0); }));
  domain::Dentry other = MakeDentry("2", "0", "a", 11);
  other.space_id = "200";
  ASSERT_TRUE(this->Insert(other));
  EXPECT_EQ(generation("100"), g2);
  // A space's own writes never set it back.
  ASSERT_TRUE(this->store_->UpdateSpace("corp1", "100", domain::SpaceUpdate{}));
  EXPECT_EQ(generation("100"), g2);
}

TYPED_TEST(DentryContract, GetDentriesSkipsMissingAndForeign) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  auto got = this->store_->GetDentries("100", {"1", "nope"});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  auto foreign = this->store_->GetDentries("200", {"1"});
  ASSERT_TRUE(foreign);
  EXPECT_TRUE(foreign->empty());
}

TYPED_TEST(DentryContract, VersionPagesRunNewestFirstWithinOneFile) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  ASSERT_TRUE(this->Insert(MakeDentry("10", "0", "b", 11)));  // Sorts right after "1" as text.
  ASSERT_TRUE(this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    // Gaps, as purged versions would leave.
    for (const int64_t v : {1, 2, 5, 7}) {
      if (auto r = tx.dentries().InsertVersion({"1", v, v * 10, "blob", "u1", v}); !r) return r;
    }
    return tx.dentries().InsertVersion({"10", 1, 3, "blob", "u1", 1});
  }));
  auto page = [&](std::string_view id, std::optional<int64_t> before, int limit) {
    std::vector<int64_t> out;
    EXPECT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
      auto rows = tx.dentries().ListVersionsPage(id, before, limit);
      if (!rows) return rows.error();
      for (const auto& v : *rows) {
        EXPECT_EQ(v.dentry_id, id);
        EXPECT_EQ(v.size, id == "1" ? v.version * 10 : 3);
        out.push_back(v.version);
      }
      return {};
    }));
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(page("1", std::nullopt, 10), (V{7, 5, 2, 1}));
  EXPECT_EQ(page("1", std::nullopt, 2), (V{7, 5}));
  EXPECT_EQ(page("1", 5, 2), (V{2, 1}));
  EXPECT_EQ(page("1", 6, 1), (V{5}));
  EXPECT_EQ(page("1", 2, 10), (V{1}));
  EXPECT_EQ(page("1", 1, 10), V{});
  EXPECT_EQ(page("1", INT64_MAX, 10), (V{7, 5, 2, 1}));
  EXPECT_EQ(page("10", std::nullopt, 10), (V{1}));
  EXPECT_EQ(page("2", std::nullopt, 10), V{});
}

}  // namespace
}  // namespace spacestore::contract
