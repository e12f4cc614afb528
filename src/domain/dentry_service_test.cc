#include "domain/dentry_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class DentryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    auto space = spaces_.AddSpace(u1_, {});
    ASSERT_TRUE(space);
    space_id_ = space->id;
    for (const char* name : {"a", "b"}) {
      auto d =
          dentries_.AddFolder(u1_, space_id_, kRootDentryId, name, ConflictStrategy::kFail, {});
      ASSERT_TRUE(d);
      ids_.push_back(d->id);
    }
  }

  // Renames dentry `id` to `name` as another node would: straight through the store.
  void Rename(const std::vector<std::pair<std::string, std::string>>& renames) {
    ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      for (const auto& [id, name] : renames) {
        auto d = tx.dentries().Get(space_id_, id);
        if (!d) return d.error();
        d->name = name;
        d->path = "/" + name;
        if (auto r = tx.dentries().Update(*d); !r) return r;
      }
      return {};
    }));
  }

  std::vector<std::string> Names(DentryService& service, const std::vector<std::string>& ids) {
    auto batch = service.GetDentries(u1_, space_id_, ids);
    EXPECT_TRUE(batch);
    std::vector<std::string> names;
    for (const auto& r : *batch) names.push_back(r.dentry ? (*r.dentry)->name : "-");
    return names;
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  const Actor u1_{"corp1", "app1", "u1"};
  std::string space_id_;
  std::vector<std::string> ids_;
};

TEST_F(DentryServiceTest, RepeatedBatchIsAnsweredFromTheCache) {
  auto first = dentries_.GetDentries(u1_, space_id_, ids_);
  auto second = dentries_.GetDentries(u1_, space_id_, ids_);
  ASSERT_TRUE(first && second);
  ASSERT_EQ(second->size(), 2u);
  // The very same immutable objects: no second read of the store.
  EXPECT_EQ(first->at(0).dentry->get(), second->at(0).dentry->get());
  EXPECT_EQ(first->at(1).dentry->get(), second->at(1).dentry->get());
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, ids_[0])->name, "a");
}

TEST_F(DentryServiceTest, AWriteByAnotherNodeIsSeenAtOnce) {
  DentryService other_node(store_, clock_, spaces_);
  EXPECT_EQ(Names(dentries_, ids_), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Names(other_node, ids_), (std::vector<std::string>{"a", "b"}));
  Rename({{ids_[0], "a2"}});
  EXPECT_EQ(Names(dentries_, ids_), (std::vector<std::string>{"a2", "b"}));
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, ids_[0])->name, "a2");
  // A dentry created elsewhere after a batch missed it is found by the next one.
  auto c = other_node.AddFolder(u1_, space_id_, kRootDentryId, "c", ConflictStrategy::kFail, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(Names(dentries_, {ids_[1], c->id, ids_[0]}),
            (std::vector<std::string>{"b", "c", "a2"}));
}

TEST_F(DentryServiceTest, MissingIdsAreNotFoundEveryTime) {
  for (int i = 0; i < 2; ++i) {
    auto batch = dentries_.GetDentries(u1_, space_id_, {ids_[0], "nope", ids_[0]});
    ASSERT_TRUE(batch);
    ASSERT_EQ(batch->size(), 3u);
    EXPECT_TRUE(batch->at(0).dentry);
    ASSERT_FALSE(batch->at(1).dentry);
    EXPECT_EQ(batch->at(1).dentry.error().code, Errc::kNotFound);
    EXPECT_EQ((*batch->at(2).dentry)->id, ids_[0]);
  }
}

TEST_F(DentryServiceTest, ATinyCacheStillAnswersExactly) {
  DentryService tiny(store_, clock_, spaces_, 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Names(tiny, {ids_[0], ids_[1]}), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(Names(tiny, {ids_[1]}), (std::vector<std::string>{"b"}));
  }
}

// One transaction renames both dentries; every batch, cached or not, must show both names from
// the same transaction, never one old and one new.
TEST_F(DentryServiceTest, BatchNeverMixesTwoStatesUnderConcurrentWrites) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int n = 1; !stop; ++n) {
      Rename({{ids_[0], "a" + std::to_string(n)}, {ids_[1], "b" + std::to_string(n)}});
    }
  });
  for (int i = 0; i < 3000; ++i) {
    // Alternate the id order and sometimes ask for one id first, to mix hits and misses.
    if (i % 3 == 0) (void)Names(dentries_, {ids_[i % 2]});
    const auto names = Names(dentries_, {ids_[0], ids_[1]});
    ASSERT_EQ(names[0].substr(1), names[1].substr(1)) << "batch " << i;
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace spacestore::domain
