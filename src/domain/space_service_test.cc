#include "domain/space_service.h"

#include <gtest/gtest.h>

#include "domain/quota.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class SpaceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c", int64_t{1} << 40, 0}));
    for (const char* u : {"u1", "u2"}) ASSERT_TRUE(store_.CreateUser(User{u, "corp1", u, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp2", "u1", 0}));
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  const Actor u1_{"corp1", "app1", "u1"};
  const Actor u2_{"corp1", "app1", "u2"};
};

TEST_F(SpaceServiceTest, AddSpaceAppliesDefaults) {
  auto s = spaces_.AddSpace(u1_, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->scene, "default");
  EXPECT_EQ(s->scene_id, "0");
  EXPECT_EQ(s->owner_type, OwnerType::kUser);
  EXPECT_EQ(s->owner_id, "u1");
  EXPECT_EQ(s->creator_id, "u1");
  EXPECT_FALSE(s->quota_bytes);
  EXPECT_FALSE(s->capabilities.can_search);
  EXPECT_EQ(s->create_time, clock_.NowMillis());
  EXPECT_EQ(s->id.size(), 12u);
}

TEST_F(SpaceServiceTest, AddSpaceIsIdempotentOnScene) {
  AddSpaceParams p;
  p.scene = "s";
  p.scene_id = "1";
  auto a = spaces_.AddSpace(u1_, p);
  p.name = "other";
  auto b = spaces_.AddSpace(u1_, p);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(b->name, "");
}

TEST_F(SpaceServiceTest, ValidationNamesTheField) {
  AddSpaceParams p;
  p.scene = "a-b";
  EXPECT_EQ(spaces_.AddSpace(u1_, p).error().subject, "scene");
  p = {};
  p.scene_id = "1 2";
  EXPECT_EQ(spaces_.AddSpace(u1_, p).error().subject, "sceneId");
  p = {};
  p.name = "a|b";
  EXPECT_EQ(spaces_.AddSpace(u1_, p).error().subject, "name");
  p = {};
  p.quota_bytes = 0;
  EXPECT_EQ(spaces_.AddSpace(u1_, p).error().subject, "quota");
}

TEST_F(SpaceServiceTest, UnknownUserIsPermissionDenied) {
  auto r = spaces_.AddSpace(Actor{"corp1", "app1", "ghost"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPermissionDenied);
}

TEST_F(SpaceServiceTest, ReadRulesForUserAndAppSpaces) {
  auto user_space = spaces_.AddSpace(u1_, {});
  ASSERT_TRUE(user_space);
  EXPECT_TRUE(spaces_.GetSpace(u1_, user_space->id));
  EXPECT_EQ(spaces_.GetSpace(u2_, user_space->id).error().code, Errc::kPermissionDenied);
  AddSpaceParams app_params;
  app_params.owner_type = OwnerType::kApp;
  app_params.scene = "app";
  auto app_space = spaces_.AddSpace(u1_, app_params);
  ASSERT_TRUE(app_space);
  EXPECT_EQ(app_space->owner_id, "app1");
  EXPECT_TRUE(spaces_.GetSpace(u1_, app_space->id));
  EXPECT_EQ(spaces_.GetSpace(u2_, app_space->id).error().code, Errc::kPermissionDenied);
  EXPECT_TRUE(spaces_.GetSpace(Actor{"corp1", "app1", ""}, app_space->id));
}

TEST_F(SpaceServiceTest, OtherOrgsSpaceIsNotFound) {
  auto s = spaces_.AddSpace(u1_, {});
  ASSERT_TRUE(s);
  auto r = spaces_.GetSpace(Actor{"corp2", "app9", "u1"}, s->id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "space");
}

TEST_F(SpaceServiceTest, OrgUsageOnlyForOwnOrg) {
  EXPECT_TRUE(spaces_.GetOrgUsage(u1_, "corp1"));
  EXPECT_EQ(spaces_.GetOrgUsage(u1_, "corp2").error().code, Errc::kPermissionDenied);
}

TEST_F(SpaceServiceTest, OwnedSpacesAreFoundByOwnerAndKind) {
  const Actor app{"corp1", "app1", ""};
  auto a = spaces_.CreateOwnedSpace(app, {"u1", SpaceKind::kIndividual, int64_t{1} << 30});
  auto b = spaces_.CreateOwnedSpace(app, {"u1", SpaceKind::kIndividual, std::nullopt});
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->owner_type, OwnerType::kUser);
  auto found = spaces_.FindOwnedSpace(app, "u1", SpaceKind::kIndividual, std::nullopt);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, a->id);
  found = spaces_.FindOwnedSpace(app, "u1", SpaceKind::kIndividual, b->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, b->id);
  EXPECT_FALSE(spaces_.FindOwnedSpace(app, "u1", SpaceKind::kGroup, std::nullopt));
  EXPECT_EQ(spaces_.CreateOwnedSpace(app, {"ghost", SpaceKind::kIndividual, std::nullopt})
                .error()
                .subject,
            "ownerId");
  EXPECT_TRUE(spaces_.CreateOwnedSpace(app, {"dept9", SpaceKind::kDepartment, std::nullopt}));
}

TEST_F(SpaceServiceTest, UsersCreateIndividualSpacesOnlyForThemselves) {
  const auto denied = spaces_.CreateOwnedSpace(u1_, {"u2", SpaceKind::kIndividual, std::nullopt});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, Errc::kPermissionDenied);
  EXPECT_TRUE(spaces_.CreateOwnedSpace(u1_, {"u1", SpaceKind::kIndividual, std::nullopt}));
  const Actor app{"corp1", "app1", ""};
  EXPECT_TRUE(spaces_.CreateOwnedSpace(app, {"u2", SpaceKind::kIndividual, std::nullopt}));
}

TEST_F(SpaceServiceTest, AnAppSpaceIsChangedOnlyThroughItsApp) {
  const Actor app1{"corp1", "app1", ""};
  const Actor app2{"corp1", "app2", ""};
  auto space = spaces_.CreateOwnedSpace(app1, {"dept1", SpaceKind::kDepartment, std::nullopt});
  ASSERT_TRUE(space);
  EXPECT_TRUE(spaces_.GetSpace(app2, space->id));  // Readable across the org's apps.
  SpaceUpdate disable;
  disable.disabled = true;
  EXPECT_EQ(spaces_.UpdateSpace(app2, space->id, disable).error().code, Errc::kPermissionDenied);
  EXPECT_EQ(spaces_.DeleteSpace(app2, space->id).error().code, Errc::kPermissionDenied);
  const Actor user_via_app2{"corp1", "app2", "u1"};
  EXPECT_EQ(spaces_.DeleteSpace(user_via_app2, space->id).error().code, Errc::kPermissionDenied);
  EXPECT_TRUE(spaces_.UpdateSpace(app1, space->id, disable));
  EXPECT_TRUE(spaces_.DeleteSpace(app1, space->id));
}

TEST_F(SpaceServiceTest, AnOwnersSpaceIsLookedUpInTheActorsAppFirst) {
  const Actor app1{"corp1", "app1", ""};
  const Actor app2{"corp1", "app2", ""};
  auto first = spaces_.CreateOwnedSpace(app1, {"dept1", SpaceKind::kDepartment, std::nullopt});
  auto second = spaces_.CreateOwnedSpace(app2, {"dept1", SpaceKind::kDepartment, std::nullopt});
  ASSERT_TRUE(first && second);
  EXPECT_EQ(spaces_.FindOwnedSpace(app2, "dept1", SpaceKind::kDepartment, std::nullopt)->id,
            second->id);
  EXPECT_EQ(spaces_.FindOwnedSpace(app1, "dept1", SpaceKind::kDepartment, std::nullopt)->id,
            first->id);
  const Actor app3{"corp1", "app3", ""};  // No space of its own: the oldest, to read.
  EXPECT_EQ(spaces_.FindOwnedSpace(app3, "dept1", SpaceKind::kDepartment, std::nullopt)->id,
            first->id);
}

TEST_F(SpaceServiceTest, QuotasAreCappedAt100PiB) {
  AddSpaceParams p;
  p.quota_bytes = kMaxQuotaBytes + 1;
  EXPECT_EQ(spaces_.AddSpace(u1_, p).error().subject, "quota");
  p.quota_bytes = kMaxQuotaBytes;
  auto space = spaces_.AddSpace(u1_, p);
  ASSERT_TRUE(space);
  SpaceUpdate update;
  update.quota_bytes = std::optional<int64_t>(INT64_MAX);
  EXPECT_EQ(spaces_.UpdateSpace(u1_, space->id, update).error().code, Errc::kInvalidArgument);
}

TEST(QuotaTest, ByteSumsSaturateInsteadOfOverflowing) {
  EXPECT_EQ(AddBytes(1, 2), 3);
  EXPECT_EQ(AddBytes(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(AddBytes(kMaxQuotaBytes * 81, kMaxQuotaBytes * 2), INT64_MAX);
  EXPECT_EQ(AddBytes(INT64_MIN, -1), INT64_MIN);
  EXPECT_TRUE(CheckQuotaLimit(std::nullopt, "quota"));
  EXPECT_TRUE(CheckQuotaLimit(kMaxQuotaBytes, "quota"));
  EXPECT_FALSE(CheckQuotaLimit(0, "quota"));
  EXPECT_EQ(CheckQuotaLimit(kMaxQuotaBytes + 1, "capacity").error().subject, "capacity");
}

}  // namespace
}  // namespace spacestore::domain
