#include "domain/dentry_cache.h"

#include <gtest/gtest.h>

namespace spacestore::domain {
namespace {

Space At(const std::string& id, int64_t generation, int64_t create_time = 1000) {
  Space s;
  s.id = id;
  s.create_time = create_time;
  s.dentry_generation = generation;
  return s;
}

constexpr size_t kRoomy = size_t{1} << 20;

DentryCache::Entry Named(const std::string& id, const std::string& name) {
  Dentry d;
  d.id = id;
  d.name = name;
  return std::make_shared<const Dentry>(std::move(d));
}

TEST(DentryCacheTest, ServesOnlyTheGenerationItWasFilledAt) {
  DentryCache cache(kRoomy);
  const DentryCache::Entry a[] = {Named("a", "v1")};
  cache.Add(At("s1", 5), a);
  EXPECT_EQ(cache.Find(At("s1", 5), "a"), a[0]);
  EXPECT_EQ(cache.Find(At("s1", 6), "a"), nullptr);  // The space has changed since.
  EXPECT_EQ(cache.Find(At("s1", 4), "a"), nullptr);
  EXPECT_EQ(cache.Find(At("s2", 5), "a"), nullptr);  // Another space.
  EXPECT_EQ(cache.Find(At("s1", 5), "b"), nullptr);
}

TEST(DentryCacheTest, NewerGenerationReplacesOlderIsIgnored) {
  DentryCache cache(kRoomy);
  const DentryCache::Entry v1[] = {Named("a", "v1"), Named("b", "v1")};
  const DentryCache::Entry v2[] = {Named("a", "v2")};
  cache.Add(At("s1", 1), v1);
  cache.Add(At("s1", 2), v2);
  EXPECT_EQ(cache.size(), 1u);  // b of generation 1 is gone with it.
  EXPECT_EQ(cache.Find(At("s1", 2), "a")->name, "v2");
  EXPECT_EQ(cache.Find(At("s1", 2), "b"), nullptr);
  cache.Add(At("s1", 1), v1);  // A slow reader of the old generation.
  EXPECT_EQ(cache.Find(At("s1", 2), "a")->name, "v2");
  EXPECT_EQ(cache.Find(At("s1", 1), "a"), nullptr);
}

TEST(DentryCacheTest, FindAllAnswersEachIdInOrder) {
  DentryCache cache(kRoomy);
  const DentryCache::Entry read[] = {Named("a", "A"), Named("c", "C")};
  cache.Add(At("s1", 3), read);
  const std::vector<std::string> ids = {"c", "b", "a", "c"};
  std::vector<DentryCache::Entry> out;
  cache.FindAll(At("s1", 3), ids, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], read[1]);
  EXPECT_EQ(out[1], nullptr);
  EXPECT_EQ(out[2], read[0]);
  EXPECT_EQ(out[3], read[1]);
  cache.FindAll(At("s1", 4), ids, out);
  EXPECT_EQ(out, std::vector<DentryCache::Entry>(4, nullptr));
}

// `count` dentries "<prefix>0", "<prefix>1", ... with names of equal length.
std::vector<DentryCache::Entry> Many(const std::string& prefix, int count) {
  std::vector<DentryCache::Entry> out;
  for (int i = 0; i < count; ++i) out.push_back(Named(prefix + std::to_string(1000 + i), "n"));
  return out;
}

TEST(DentryCacheTest, StaysWithinItsByteBudget) {
  const size_t each = DentryCache::Footprint(*Named("a1000", "n"));
  DentryCache cache(300 * each);
  cache.Add(At("s1", 1), Many("a", 200));
  EXPECT_EQ(cache.size(), 200u);
  EXPECT_EQ(cache.bytes(), 200 * each);
  cache.Add(At("s2", 1), Many("b", 200));  // Would need 400: starts over with these.
  EXPECT_EQ(cache.size(), 200u);
  EXPECT_LE(cache.bytes(), 300 * each);
  EXPECT_EQ(cache.Find(At("s1", 1), "a1000"), nullptr);
  EXPECT_NE(cache.Find(At("s2", 1), "b1000"), nullptr);
  cache.Add(At("s3", 1), Many("c", 400));  // More than it can ever hold: not kept at all.
  EXPECT_EQ(cache.size(), 200u);
  EXPECT_EQ(cache.Find(At("s3", 1), "c1000"), nullptr);
  // Re-adding the same dentries does not count them twice.
  cache.Add(At("s2", 1), Many("b", 200));
  EXPECT_EQ(cache.size(), 200u);
  EXPECT_EQ(cache.bytes(), 200 * each);
}

TEST(DentryCacheTest, KeepsNoHugeDentry) {
  DentryCache cache(kRoomy);
  Dentry big;
  big.id = "big";
  big.app_properties = {{"app1", "k", std::string(kRoomy / 100, 'v'), true}};
  const DentryCache::Entry read[] = {std::make_shared<const Dentry>(big), Named("small", "s")};
  cache.Add(At("s1", 1), read);
  EXPECT_EQ(cache.Find(At("s1", 1), "big"), nullptr);
  EXPECT_EQ(cache.Find(At("s1", 1), "small"), read[1]);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(DentryCacheTest, ASpaceCreatedAgainUnderTheSameIdStartsEmpty) {
  DentryCache cache(kRoomy);
  const DentryCache::Entry old[] = {Named("a", "old")};
  cache.Add(At("s1", 7, /*create_time=*/1000), old);
  EXPECT_EQ(cache.Find(At("s1", 7, 2000), "a"), nullptr);  // Same id and generation, new space.
  const DentryCache::Entry fresh[] = {Named("b", "new")};
  cache.Add(At("s1", 3, 2000), fresh);  // A lower generation, but of the new space.
  EXPECT_EQ(cache.Find(At("s1", 3, 2000), "b"), fresh[0]);
  EXPECT_EQ(cache.Find(At("s1", 3, 2000), "a"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace spacestore::domain
