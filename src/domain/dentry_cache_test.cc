#include "domain/dentry_cache.h"

#include <gtest/gtest.h>

namespace spacestore::domain {
namespace {

Space At(const std::string& id, int64_t generation) {
  Space s;
  s.id = id;
  s.dentry_generation = generation;
  return s;
}

DentryCache::Entry Named(const std::string& id, const std::string& name) {
  Dentry d;
  d.id = id;
  d.name = name;
  return std::make_shared<const Dentry>(std::move(d));
}

TEST(DentryCacheTest, ServesOnlyTheGenerationItWasFilledAt) {
  DentryCache cache(100);
  const DentryCache::Entry a[] = {Named("a", "v1")};
  cache.Add(At("s1", 5), a);
  EXPECT_EQ(cache.Find(At("s1", 5), "a"), a[0]);
  EXPECT_EQ(cache.Find(At("s1", 6), "a"), nullptr);  // The space has changed since.
  EXPECT_EQ(cache.Find(At("s1", 4), "a"), nullptr);
  EXPECT_EQ(cache.Find(At("s2", 5), "a"), nullptr);  // Another space.
  EXPECT_EQ(cache.Find(At("s1", 5), "b"), nullptr);
}

TEST(DentryCacheTest, NewerGenerationReplacesOlderIsIgnored) {
  DentryCache cache(100);
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
  DentryCache cache(100);
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

TEST(DentryCacheTest, StaysWithinItsCapacity) {
  DentryCache cache(3);
  const DentryCache::Entry two[] = {Named("a", "A"), Named("b", "B")};
  const DentryCache::Entry more[] = {Named("c", "C"), Named("d", "D")};
  const DentryCache::Entry too_many[] = {Named("e", "E"), Named("f", "F"), Named("g", "G"),
                                         Named("h", "H")};
  cache.Add(At("s1", 1), two);
  cache.Add(At("s2", 1), more);  // Would hold 4: starts over with these.
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(At("s1", 1), "a"), nullptr);
  EXPECT_EQ(cache.Find(At("s2", 1), "d"), more[1]);
  cache.Add(At("s3", 1), too_many);  // More than it can ever hold: not kept at all.
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(At("s3", 1), "e"), nullptr);
}

}  // namespace
}  // namespace spacestore::domain
