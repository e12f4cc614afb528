#include "domain/permission_service.h"

#include <gtest/gtest.h>

#include "domain/dentry_service.h"
#include "domain/recycle_service.h"
#include "domain/task_service.h"
#include "domain/tree_service.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

// Grants, inheritance, expiry and the grant rules on the memory store with a fake clock.
class PermissionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c", int64_t{1} << 40, 0}));
    for (const char* u : {"owner", "u2", "u3"}) {
      ASSERT_TRUE(store_.CreateUser(User{u, "corp1", u, 0}));
    }
    AddSpaceParams user_space;
    auto s = spaces_.AddSpace(owner_, user_space);
    ASSERT_TRUE(s);
    space_ = s->id;
    // /a/b/c/f: a file three folders below a.
    std::string parent = kRootDentryId;
    for (const char* name : {"a", "b", "c", "f"}) {
      auto d = dentries_.AddFolder(owner_, space_, parent, name, ConflictStrategy::kFail, {});
      ASSERT_TRUE(d);
      ids_.push_back(d->id);
      parent = d->id;
    }
    AddSpaceParams app_space;
    app_space.owner_type = OwnerType::kApp;
    app_space.scene = "app";
    auto a = spaces_.AddSpace(owner_, app_space);
    ASSERT_TRUE(a);
    app_space_ = a->id;
  }

  GrantRequest Request(std::string role, std::vector<MemberSpec> members,
                       std::optional<int64_t> duration = std::nullopt) {
    return GrantRequest{std::move(role), std::move(members), duration};
  }
  static MemberSpec UserMember(std::string id) { return MemberSpec{"USER", std::move(id), ""}; }

  Role RoleOf(const Actor& actor, const std::string& space, const std::string& id) {
    auto roles = permissions_.BatchQueryRoles(actor, space, {id});
    EXPECT_TRUE(roles) << roles.error().message;
    if (!roles || (*roles)[0].roles.empty()) return Role::kNone;
    return (*roles)[0].roles[0];
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  PermissionService permissions_{store_, clock_, spaces_};
  TaskService tasks_{store_, clock_};
  TreeService tree_{store_, clock_, spaces_, tasks_};
  RecycleService recycle_{store_, clock_, spaces_, tasks_};
  const Actor owner_{"corp1", "app1", "owner"};
  const Actor u2_{"corp1", "app1", "u2"};
  const Actor u3_{"corp1", "app1", "u3"};
  std::string space_;
  std::string app_space_;
  std::vector<std::string> ids_;  // a, b, c, f
};

TEST_F(PermissionServiceTest, MatrixIsInDeclarationOrder) {
  // MinimumRole indexes its table by the enum: a row out of place would answer another row.
  const auto all = AllCapabilities();
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(static_cast<size_t>(all[i]), i);
  EXPECT_EQ(MinimumRole(Capability::kDownload), Role::kDownloader);
  EXPECT_EQ(MinimumRole(Capability::kManagePermissions), Role::kManager);
}

TEST_F(PermissionServiceTest, AGrantOnAFolderAppliesToEverythingBelowIt) {
  EXPECT_EQ(dentries_.GetDentry(u2_, space_, ids_[3]).error().code, Errc::kPermissionDenied);
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("READER", {UserMember("u2")})));
  EXPECT_TRUE(dentries_.GetDentry(u2_, space_, ids_[3]));
  EXPECT_EQ(RoleOf(u2_, space_, ids_[3]), Role::kReader);
  EXPECT_EQ(RoleOf(u2_, space_, kRootDentryId), Role::kNone);
  EXPECT_EQ(RoleOf(u3_, space_, ids_[3]), Role::kNone);
  // The strongest applicable role wins.
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[2], Request("EDITOR", {UserMember("u2")})));
  EXPECT_EQ(RoleOf(u2_, space_, ids_[3]), Role::kEditor);
  EXPECT_EQ(RoleOf(u2_, space_, ids_[1]), Role::kReader);
  // A revoke is seen by the next call.
  ASSERT_TRUE(permissions_.DeletePermission(owner_, space_, ids_[0], "READER", {UserMember("u2")}));
  EXPECT_EQ(RoleOf(u2_, space_, ids_[1]), Role::kNone);
  EXPECT_EQ(dentries_.GetDentry(u2_, space_, ids_[1]).error().code, Errc::kPermissionDenied);
}

TEST_F(PermissionServiceTest, TemporaryGrantsExpireExactly) {
  ASSERT_TRUE(permissions_.AddPermission(owner_, app_space_, kRootDentryId,
                                         Request("READER", {UserMember("u2")}, 60)));
  clock_.AdvanceMillis(59999);
  EXPECT_EQ(RoleOf(u2_, app_space_, kRootDentryId), Role::kReader);
  EXPECT_TRUE(spaces_.GetSpace(u2_, app_space_));
  clock_.AdvanceMillis(1);
  EXPECT_EQ(RoleOf(u2_, app_space_, kRootDentryId), Role::kNone);
  EXPECT_EQ(spaces_.GetSpace(u2_, app_space_).error().code, Errc::kPermissionDenied);
  auto listed = permissions_.ListPermissions(owner_, app_space_, kRootDentryId, {}, {}, "");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->permissions.empty());
}

TEST_F(PermissionServiceTest, GrantRulesPerSpaceType) {
  auto subject = [](const Result<void>& r) { return r ? std::string("ok") : r.error().subject; };
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, ids_[0],
                                               Request("READER", {UserMember("u2")}, 60))),
            "duration");
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, app_space_, ids_.empty() ? "" : "0",
                                               Request("READER", {UserMember("u2")}))),
            "duration");
  for (int64_t bad : {0, 3601}) {
    EXPECT_EQ(subject(permissions_.AddPermission(owner_, app_space_, "0",
                                                 Request("READER", {UserMember("u2")}, bad))),
              "duration");
  }
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, "0",
                                               Request("OWNER", {UserMember("u2")}))),
            "roleId");
  EXPECT_EQ(
      subject(permissions_.AddPermission(owner_, space_, "0", Request("BOSS", {UserMember("u2")}))),
      "roleId");
  std::vector<MemberSpec> many(31, UserMember("u2"));
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, "0", Request("READER", many))),
            "members");
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, "0",
                                               Request("READER", {MemberSpec{"DEPT", "d", ""}}))),
            "members");
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, "0",
                                               Request("READER", {MemberSpec{"TAG", "t", ""}}))),
            "members");
  EXPECT_EQ(subject(permissions_.AddPermission(owner_, space_, "0",
                                               Request("READER", {UserMember("x")}))),
            "members");
  // In a USER space the grantor must be a MANAGER, and grants no more than it holds.
  EXPECT_EQ(permissions_.AddPermission(u2_, space_, "0", Request("READER", {UserMember("u3")}))
                .error()
                .code,
            Errc::kPermissionDenied);
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("MANAGER", {UserMember("u2")})));
  auto by_manager =
      permissions_.AddPermission(u2_, space_, ids_[1], Request("EDITOR", {UserMember("u3")}));
  EXPECT_TRUE(by_manager) << by_manager.error().message;
  EXPECT_EQ(permissions_.AddPermission(u2_, space_, "0", Request("READER", {UserMember("u3")}))
                .error()
                .code,
            Errc::kPermissionDenied);
  // In an APP space any user of the owning app grants, with no role of its own.
  EXPECT_TRUE(
      permissions_.AddPermission(u3_, app_space_, "0", Request("READER", {UserMember("u2")}, 5)));
  EXPECT_EQ(permissions_
                .AddPermission(Actor{"corp1", "app2", "u3"}, app_space_, "0",
                               Request("READER", {UserMember("u2")}, 5))
                .error()
                .code,
            Errc::kPermissionDenied);
}

TEST_F(PermissionServiceTest, DepartmentOrgAndAllUsersMembers) {
  ASSERT_TRUE(store_.Transact([](MetadataTransaction& tx) -> Result<void> {
    if (auto r = tx.permissions().InsertDepartment(Department{"corp1", "d1", "D", 0}); !r) return r;
    auto added = tx.permissions().AddDepartmentMember("corp1", "d1", "u2");
    if (!added) return added.error();
    return {};
  }));
  ASSERT_TRUE(permissions_.AddPermission(
      owner_, space_, ids_[1], Request("DOWNLOADER", {MemberSpec{"DEPT", "d1", "corp1"}})));
  EXPECT_EQ(RoleOf(u2_, space_, ids_[2]), Role::kDownloader);
  EXPECT_EQ(RoleOf(u3_, space_, ids_[2]), Role::kNone);
  // Leaving the department takes the role away at once.
  ASSERT_TRUE(store_.Transact([](MetadataTransaction& tx) -> Result<void> {
    auto removed = tx.permissions().RemoveDepartmentMember("corp1", "d1", "u2");
    if (!removed) return removed.error();
    return {};
  }));
  EXPECT_EQ(RoleOf(u2_, space_, ids_[2]), Role::kNone);
  ASSERT_TRUE(permissions_.AddPermission(owner_, space_, ids_[0],
                                         Request("READER", {MemberSpec{"ORG", "corp1", ""}})));
  EXPECT_EQ(RoleOf(u3_, space_, ids_[2]), Role::kReader);
  ASSERT_TRUE(permissions_.AddPermission(owner_, space_, "0",
                                         Request("EDITOR", {MemberSpec{"ALL_USERS", "", ""}})));
  EXPECT_EQ(RoleOf(u3_, space_, ids_[2]), Role::kEditor);
  EXPECT_EQ(
      permissions_
          .AddPermission(owner_, space_, "0", Request("READER", {MemberSpec{"ORG", "corp2", ""}}))
          .error()
          .subject,
      "members");
}

TEST_F(PermissionServiceTest, ARemovedUserLosesEveryGrantAtOnce) {
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("EDITOR", {UserMember("u2")})));
  EXPECT_TRUE(dentries_.GetDentry(u2_, space_, ids_[1]));
  ASSERT_TRUE(store_.Transact(
      [](MetadataTransaction& tx) { return tx.identity().DeleteUser("corp1", "u2"); }));
  EXPECT_EQ(dentries_.GetDentry(u2_, space_, ids_[1]).error().subject, "user");
  auto listed = permissions_.ListPermissions(owner_, space_, ids_[0], {}, {}, "");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->permissions.empty());
}

TEST_F(PermissionServiceTest, ListingShowsOnlyWhatTheUserMaySee) {
  auto other = dentries_.AddFolder(owner_, space_, kRootDentryId, "z", ConflictStrategy::kFail, {});
  ASSERT_TRUE(other);
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[2], Request("READER", {UserMember("u2")})));
  ListQuery q;
  auto root = dentries_.ListDentries(u2_, space_, kRootDentryId, q);
  ASSERT_TRUE(root) << root.error().message;
  ASSERT_EQ(root->dentries.size(), 1u);
  EXPECT_EQ(root->dentries[0].id, ids_[0]);
  auto b = dentries_.ListDentries(u2_, space_, ids_[1], q);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->dentries.size(), 1u);
  EXPECT_EQ(b->dentries[0].id, ids_[2]);
  EXPECT_EQ(dentries_.ListDentries(u2_, space_, other->id, q).error().code,
            Errc::kPermissionDenied);
  auto c = dentries_.ListDentries(u2_, space_, ids_[2], q);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->dentries.size(), 1u);  // f, inherited.
}

TEST_F(PermissionServiceTest, GetDentriesAnswersPermissionDeniedPerItem) {
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[2], Request("READER", {UserMember("u2")})));
  auto got = dentries_.GetDentries(u2_, space_, {ids_[0], ids_[3], "nope"});
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)[0].dentry.error().code, Errc::kPermissionDenied);
  EXPECT_TRUE((*got)[1].dentry);
  EXPECT_FALSE((*got)[2].dentry);
}

TEST_F(PermissionServiceTest, ListPermissionsPagesInMemberOrder) {
  ASSERT_TRUE(permissions_.AddPermission(owner_, space_, ids_[0],
                                         Request("READER", {UserMember("u3"), UserMember("u2")})));
  auto first = permissions_.ListPermissions(owner_, space_, ids_[0], {}, 1, "");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->permissions.size(), 1u);
  EXPECT_EQ(first->permissions[0].member_id, "u2");
  ASSERT_FALSE(first->next_token.empty());
  auto second = permissions_.ListPermissions(owner_, space_, ids_[0], {}, 1, first->next_token);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->permissions.size(), 1u);
  EXPECT_EQ(second->permissions[0].member_id, "u3");
  EXPECT_TRUE(second->next_token.empty());
  EXPECT_EQ(permissions_.ListPermissions(owner_, space_, ids_[0], {}, 1, "zz").error().subject,
            "nextToken");
  auto editors = permissions_.ListPermissions(owner_, space_, ids_[0], {"EDITOR"}, {}, "");
  ASSERT_TRUE(editors);
  EXPECT_TRUE(editors->permissions.empty());
}

TEST_F(PermissionServiceTest, AMoveDropsGrantsOnlyWhereTheMoverMayRevokeThem) {
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[1], Request("READER", {UserMember("u3")})));
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("EDITOR", {UserMember("u2")})));
  // An EDITOR moving b (with u3's grant) into a/x, not preserving: the grant stays.
  auto x = dentries_.AddFolder(owner_, space_, ids_[0], "x", ConflictStrategy::kFail, {});
  ASSERT_TRUE(x);
  MoveTarget into_x{space_, x->id};
  ASSERT_TRUE(tree_.Move(u2_, space_, ids_[1], into_x));
  EXPECT_EQ(RoleOf(u3_, space_, ids_[1]), Role::kReader);
  // The owner (who may revoke) moving it back without preserving drops it.
  MoveTarget back{space_, ids_[0]};
  ASSERT_TRUE(tree_.Move(owner_, space_, ids_[1], back));
  EXPECT_EQ(RoleOf(u3_, space_, ids_[1]), Role::kNone);
}

TEST_F(PermissionServiceTest, APreservingMoveIntoAnotherSpaceCarriesNoMoreThanTheMoverMayGrant) {
  // u2 owns a space and shares its folder x with everyone as MANAGER, then, as a mere EDITOR of
  // the owner's /a, moves x there keeping permissions: the grants must not come along.
  AddSpaceParams mine;
  mine.scene = "u2";
  auto own = spaces_.AddSpace(u2_, mine);
  ASSERT_TRUE(own);
  auto x = dentries_.AddFolder(u2_, own->id, kRootDentryId, "x", ConflictStrategy::kFail, {});
  ASSERT_TRUE(x);
  ASSERT_TRUE(permissions_.AddPermission(u2_, own->id, x->id,
                                         Request("MANAGER", {MemberSpec{"ALL_USERS", "", ""}})));
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("EDITOR", {UserMember("u2")})));
  MoveTarget into{space_, ids_[0]};
  into.preserve_permissions = true;
  ASSERT_TRUE(tree_.Move(u2_, own->id, x->id, into));
  EXPECT_EQ(RoleOf(u3_, space_, x->id), Role::kNone);
  EXPECT_EQ(RoleOf(u2_, space_, x->id), Role::kEditor);
  // A MANAGER of the target carries them, up to its own role.
  auto y = dentries_.AddFolder(u2_, own->id, kRootDentryId, "y", ConflictStrategy::kFail, {});
  ASSERT_TRUE(y);
  ASSERT_TRUE(
      permissions_.AddPermission(u2_, own->id, y->id, Request("READER", {UserMember("u3")})));
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[0], Request("MANAGER", {UserMember("u2")})));
  ASSERT_TRUE(tree_.Move(u2_, own->id, y->id, into));
  EXPECT_EQ(RoleOf(u3_, space_, y->id), Role::kReader);
}

TEST_F(PermissionServiceTest, APurgedDentryTakesItsGrantsWithIt) {
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[1], Request("EDITOR", {UserMember("u2")})));
  EXPECT_TRUE(spaces_.GetSpace(u2_, space_));
  ASSERT_TRUE(recycle_.DeleteDentry(owner_, space_, ids_[0], false));
  EXPECT_EQ(spaces_.GetSpace(u2_, space_).error().code, Errc::kPermissionDenied);
}

TEST_F(PermissionServiceTest, AMissingDentryIsNoDifferentFromAForbiddenOne) {
  auto other = dentries_.AddFolder(owner_, space_, kRootDentryId, "z", ConflictStrategy::kFail, {});
  ASSERT_TRUE(other);
  ASSERT_TRUE(
      permissions_.AddPermission(owner_, space_, ids_[2], Request("READER", {UserMember("u2")})));
  EXPECT_EQ(dentries_.GetDentry(u2_, space_, other->id).error().code, Errc::kPermissionDenied);
  EXPECT_EQ(dentries_.GetDentry(u2_, space_, "nope").error().code, Errc::kPermissionDenied);
  EXPECT_EQ(dentries_.GetDentry(owner_, space_, "nope").error().code, Errc::kNotFound);
  EXPECT_EQ(dentries_.ListDentries(u2_, space_, "nope", ListQuery{}).error().code,
            Errc::kPermissionDenied);
}

TEST_F(PermissionServiceTest, AnExpiredGrantCannotBeUpdated) {
  ASSERT_TRUE(permissions_.AddPermission(owner_, app_space_, kRootDentryId,
                                         Request("READER", {UserMember("u2")}, 1)));
  clock_.AdvanceMillis(1000);
  EXPECT_EQ(permissions_
                .UpdatePermission(owner_, app_space_, kRootDentryId,
                                  Request("EDITOR", {UserMember("u2")}, 60))
                .error()
                .subject,
            "permission");
}

}  // namespace
}  // namespace spacestore::domain
