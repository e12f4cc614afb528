// BatchItemCache keeps an item's text per dentry object and viewing app, and nothing else.
#include "api/dingtalk_v1/batch_item_cache.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace spacestore::api::dingtalk_v1 {
namespace {

std::shared_ptr<const domain::Dentry> MakeDentry(std::string name) {
  auto d = std::make_shared<domain::Dentry>();
  d->id = "d1";
  d->space_id = "s1";
  d->name = std::move(name);
  return d;
}

// What WriteTo wrote, as the one element of an array.
std::string Written(const BatchItemCache& cache, const domain::Dentry& d, std::string_view app) {
  server::JsonWriter w;
  w.BeginArray();
  if (!cache.WriteTo(w, d, app)) return "";
  w.EndArray();
  return std::move(w).Finish();
}

TEST(BatchItemCacheTest, KeepsTextPerDentryObjectAndViewingApp) {
  BatchItemCache cache;
  const auto first = MakeDentry("a.txt");
  EXPECT_EQ(Written(cache, *first, "app1"), "");
  cache.Put(first, "app1", R"({"n":"a.txt"})");
  EXPECT_EQ(Written(cache, *first, "app1"), R"([{"n":"a.txt"}])");
  // Another app may see other app properties: not its text.
  EXPECT_EQ(Written(cache, *first, "app2"), "");
  // A renamed dentry is another object, even with the same id: not its text.
  const auto renamed = MakeDentry("b.txt");
  EXPECT_EQ(Written(cache, *renamed, "app1"), "");
}

TEST(BatchItemCacheTest, StartsOverPastItsBound) {
  BatchItemCache cache(64);
  const auto a = MakeDentry("a");
  const auto b = MakeDentry("b");
  cache.Put(a, "app1", std::string(40, 'x'));
  cache.Put(b, "app1", std::string(40, 'y'));  // Past 64 bytes: a's text is dropped.
  EXPECT_EQ(Written(cache, *a, "app1"), "");
  EXPECT_NE(Written(cache, *b, "app1"), "");
  cache.Put(a, "app1", std::string(100, 'z'));  // Larger than the bound: never kept.
  EXPECT_EQ(Written(cache, *a, "app1"), "");
}

}  // namespace
}  // namespace spacestore::api::dingtalk_v1
