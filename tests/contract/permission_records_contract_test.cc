// The permission aggregate (grants, departments, department members) on every backend, with
// the permission generations each write must move (domain/permission_records.h) and the ones it
// must leave alone.
#include <map>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::Department;
using domain::Grant;
using domain::MemberType;
using domain::Role;

Grant MakeGrant(const std::string& space_id, const std::string& dentry_id, MemberType type,
                const std::string& member_id, Role role = Role::kReader) {
  Grant g;
  g.space_id = space_id;
  g.dentry_id = dentry_id;
  g.member_type = type;
  g.member_id = member_id;
  g.member_corp_id = "corp1";
  g.role = role;
  g.operator_id = "u1";
  g.create_time = 10;
  g.modified_time = 10;
  return g;
}

// Org corp1 with spaces "100" and "101", users u1 and u2; org corp2 with space "200" and its
// own user u1 (the same unionId in another org) and u3.
template <class Factory>
class PermissionContract : public MetadataStoreContract<Factory> {
 protected:
  void SetUp() override {
    MetadataStoreContract<Factory>::SetUp();
    ASSERT_TRUE(this->store_->CreateOrg(Org{"corp2", "Corp Two", 1 << 30, 1000}));
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "100")));
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("101", "s", "101")));
    Space other = this->MakeSpace("200", "s", "200");
    other.corp_id = "corp2";
    ASSERT_TRUE(this->store_->CreateSpace(other));
    ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "One", 1}));
    ASSERT_TRUE(this->store_->CreateUser(User{"u2", "corp1", "Two", 1}));
    ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp2", "One elsewhere", 1}));
    ASSERT_TRUE(this->store_->CreateUser(User{"u3", "corp2", "Three", 1}));
  }

  template <class F>
  auto Tx(F&& fn) {
    return this->store_->Write(
        [&](domain::MetadataTransaction& tx) { return fn(tx.permissions()); });
  }
  template <class F>
  auto Read(F&& fn) {
    return this->store_->Read(
        [&](domain::MetadataTransaction& tx) { return fn(tx.permissions()); });
  }

  Result<void> Put(const Grant& g) {
    return Tx([&](domain::PermissionRecords& p) { return p.PutGrant(g); });
  }
  std::vector<Grant> Grants(const std::string& space_id) {
    auto grants = Read([&](domain::PermissionRecords& p) { return p.ListSpaceGrants(space_id); });
    EXPECT_TRUE(grants);
    return grants ? *grants : std::vector<Grant>{};
  }

  // Every space's permission generation, by id.
  std::map<std::string, int64_t> Generations() {
    std::map<std::string, int64_t> out;
    for (const auto& [corp, id] :
         {std::pair{"corp1", "100"}, std::pair{"corp1", "101"}, std::pair{"corp2", "200"}}) {
      auto space = this->store_->GetSpace(corp, id);
      EXPECT_TRUE(space);
      if (space) out[id] = space->permission_generation;
    }
    return out;
  }
  // The spaces whose generation differs from `before`.
  std::vector<std::string> MovedSince(const std::map<std::string, int64_t>& before) {
    std::vector<std::string> moved;
    for (const auto& [id, gen] : Generations()) {
      if (gen != before.at(id)) moved.push_back(id);
    }
    return moved;
  }
};
TYPED_TEST_SUITE(PermissionContract, Backends);

using Ids = std::vector<std::string>;

TYPED_TEST(PermissionContract, PutGrantRoundTripsAndReplaceKeepsCreateTime) {
  Grant g = MakeGrant("100", "d1", MemberType::kUser, "u1");
  g.expire_time = 5000;
  ASSERT_TRUE(this->Put(g));
  auto grants = this->Grants("100");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].space_id, "100");
  EXPECT_EQ(grants[0].dentry_id, "d1");
  EXPECT_EQ(grants[0].member_type, MemberType::kUser);
  EXPECT_EQ(grants[0].member_id, "u1");
  EXPECT_EQ(grants[0].member_corp_id, "corp1");
  EXPECT_EQ(grants[0].role, Role::kReader);
  EXPECT_EQ(grants[0].expire_time, 5000);
  EXPECT_EQ(grants[0].operator_id, "u1");
  EXPECT_EQ(grants[0].create_time, 10);
  EXPECT_EQ(grants[0].modified_time, 10);

  Grant replaced = g;
  replaced.role = Role::kManager;
  replaced.expire_time = std::nullopt;
  replaced.operator_id = "u2";
  replaced.member_corp_id = "corp9";
  replaced.create_time = 20;
  replaced.modified_time = 30;
  ASSERT_TRUE(this->Put(replaced));
  grants = this->Grants("100");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].role, Role::kManager);
  EXPECT_FALSE(grants[0].expire_time);
  EXPECT_EQ(grants[0].operator_id, "u2");
  EXPECT_EQ(grants[0].member_corp_id, "corp9");
  EXPECT_EQ(grants[0].create_time, 10);  // The first write's.
  EXPECT_EQ(grants[0].modified_time, 30);
}

TYPED_TEST(PermissionContract, PutGrantOnAMissingSpaceIsNotFound) {
  auto r = this->Put(MakeGrant("999", "d1", MemberType::kUser, "u1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "space");
}

TYPED_TEST(PermissionContract, RemoveGrantSaysWhetherThereWasOne) {
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kDept, "u1")));
  auto remove = [&] {
    return this->Tx([](domain::PermissionRecords& p) {
      return p.RemoveGrant("100", "d1", MemberType::kUser, "u1");
    });
  };
  EXPECT_TRUE(remove().value());
  EXPECT_FALSE(remove().value());
  const auto left = this->Grants("100");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].member_type, MemberType::kDept);
}

TYPED_TEST(PermissionContract, ListSpaceGrantsIsOrderedByDentryTypeAndMember) {
  ASSERT_TRUE(this->Put(MakeGrant("100", "b", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "a", MemberType::kDept, "d1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "a", MemberType::kUser, "u2")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "a", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "0", MemberType::kAllUsers, "")));
  ASSERT_TRUE(this->Put(MakeGrant("101", "a", MemberType::kUser, "u1")));
  Ids keys;
  for (const auto& g : this->Grants("100")) {
    const int type = static_cast<int>(g.member_type);
    keys.push_back(g.dentry_id + "/" + std::to_string(type) + "/" + g.member_id);
  }
  // USER is 0, DEPT 1, ALL_USERS 3.
  EXPECT_EQ(keys, (Ids{"0/3/", "a/0/u1", "a/0/u2", "a/1/d1", "b/0/u1"}));
  EXPECT_TRUE(this->Grants("999").empty());
}

TYPED_TEST(PermissionContract, GrantWritesMoveTheirSpaceOnly) {
  auto before = this->Generations();
  EXPECT_EQ(before, (std::map<std::string, int64_t>{{"100", 0}, {"101", 0}, {"200", 0}}));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  EXPECT_EQ(this->MovedSince(before), Ids{"100"});

  before = this->Generations();
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1", Role::kEditor)));
  EXPECT_EQ(this->MovedSince(before), Ids{"100"});

  before = this->Generations();
  auto remove = [&] {
    return this->Tx([](domain::PermissionRecords& p) {
      return p.RemoveGrant("100", "d1", MemberType::kUser, "u1");
    });
  };
  ASSERT_TRUE(remove().value());
  EXPECT_EQ(this->MovedSince(before), Ids{"100"});

  before = this->Generations();
  ASSERT_FALSE(remove().value());
  EXPECT_EQ(this->MovedSince(before), Ids{});  // Nothing removed, nothing moved.
}

TYPED_TEST(PermissionContract, RemoveMemberGrantsCountsAndStaysInTheOrg) {
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d2", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u2")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kDept, "u1")));  // Another type.
  ASSERT_TRUE(this->Put(MakeGrant("101", "d1", MemberType::kUser, "u2")));
  ASSERT_TRUE(this->Put(MakeGrant("200", "d1", MemberType::kUser, "u1")));  // Another org.
  auto before = this->Generations();
  auto removed = this->Tx([](domain::PermissionRecords& p) {
    return p.RemoveMemberGrants("corp1", MemberType::kUser, "u1");
  });
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(this->MovedSince(before), Ids{"100"});  // The only space it touched.
  Ids left;
  for (const auto& g : this->Grants("100")) left.push_back(g.dentry_id + "/" + g.member_id);
  EXPECT_EQ(left, (Ids{"d1/u2", "d1/u1"}));  // u2's USER grant, then the DEPT one.
  EXPECT_EQ(this->Grants("101").size(), 1u);
  EXPECT_EQ(this->Grants("200").size(), 1u);

  before = this->Generations();
  removed = this->Tx([](domain::PermissionRecords& p) {
    return p.RemoveMemberGrants("corp1", MemberType::kUser, "u1");
  });
  EXPECT_EQ(removed.value(), 0);
  EXPECT_EQ(this->MovedSince(before), Ids{});
}

TYPED_TEST(PermissionContract, TouchOrgMovesEverySpaceOfTheOrg) {
  const auto before = this->Generations();
  ASSERT_TRUE(this->Tx([](domain::PermissionRecords& p) { return p.TouchOrg("corp1"); }));
  EXPECT_EQ(this->MovedSince(before), (Ids{"100", "101"}));
}

TYPED_TEST(PermissionContract, DepartmentsAreUniquePerOrgAndListedById) {
  auto insert = [&](const Department& d) {
    return this->Tx([&](domain::PermissionRecords& p) { return p.InsertDepartment(d); });
  };
  ASSERT_TRUE(insert(Department{"corp1", "d2", "Two", 5}));
  ASSERT_TRUE(insert(Department{"corp1", "d1", "One", 6}));
  ASSERT_TRUE(insert(Department{"corp2", "d1", "Elsewhere", 7}));
  auto dup = insert(Department{"corp1", "d1", "Again", 8});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(dup.error().subject, "department");
  auto orphan = insert(Department{"nocorp", "d1", "None", 8});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::kNotFound);
  EXPECT_EQ(orphan.error().subject, "org");

  auto d1 = this->Read([](domain::PermissionRecords& p) { return p.GetDepartment("corp1", "d1"); });
  ASSERT_TRUE(d1);
  EXPECT_EQ(d1->corp_id, "corp1");
  EXPECT_EQ(d1->dept_id, "d1");
  EXPECT_EQ(d1->name, "One");
  EXPECT_EQ(d1->create_time, 6);
  auto missing =
      this->Read([](domain::PermissionRecords& p) { return p.GetDepartment("corp1", "d9"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "department");

  auto list = this->Read([](domain::PermissionRecords& p) { return p.ListDepartments("corp1"); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].dept_id, "d1");
  EXPECT_EQ((*list)[1].dept_id, "d2");
  EXPECT_EQ((*list)[1].name, "Two");
}

TYPED_TEST(PermissionContract, MembersAreAddedOnceAndListedInOrder) {
  for (const auto& d : {Department{"corp1", "d2", "Two", 1}, Department{"corp1", "d1", "One", 1},
                        Department{"corp2", "d1", "Elsewhere", 1}}) {
    ASSERT_TRUE(this->Tx([&](domain::PermissionRecords& p) { return p.InsertDepartment(d); }));
  }
  auto add = [&](const char* corp, const char* dept, const char* user) {
    return this->Tx(
        [&](domain::PermissionRecords& p) { return p.AddDepartmentMember(corp, dept, user); });
  };
  auto remove = [&](const char* corp, const char* dept, const char* user) {
    return this->Tx(
        [&](domain::PermissionRecords& p) { return p.RemoveDepartmentMember(corp, dept, user); });
  };
  EXPECT_TRUE(add("corp1", "d2", "u1").value());
  EXPECT_FALSE(add("corp1", "d2", "u1").value());
  EXPECT_TRUE(add("corp1", "d1", "u2").value());
  EXPECT_TRUE(add("corp1", "d1", "u1").value());
  EXPECT_TRUE(add("corp2", "d1", "u3").value());

  auto unknown_user = add("corp1", "d1", "u3");  // A user of corp2 only.
  ASSERT_FALSE(unknown_user);
  EXPECT_EQ(unknown_user.error().code, Errc::kNotFound);
  EXPECT_EQ(unknown_user.error().subject, "user");
  auto unknown_dept = add("corp1", "d9", "u1");
  ASSERT_FALSE(unknown_dept);
  EXPECT_EQ(unknown_dept.error().code, Errc::kNotFound);
  EXPECT_EQ(unknown_dept.error().subject, "department");

  auto members = [&](const char* corp, const char* dept) {
    return this
        ->Read([&](domain::PermissionRecords& p) { return p.ListDepartmentMembers(corp, dept); })
        .value();
  };
  auto departments = [&](const char* corp, const char* user) {
    return this->Read([&](domain::PermissionRecords& p) { return p.UserDepartments(corp, user); })
        .value();
  };
  EXPECT_EQ(members("corp1", "d1"), (Ids{"u1", "u2"}));
  EXPECT_EQ(members("corp2", "d1"), Ids{"u3"});
  EXPECT_EQ(departments("corp1", "u1"), (Ids{"d1", "d2"}));
  EXPECT_EQ(departments("corp2", "u1"), Ids{});

  EXPECT_TRUE(remove("corp1", "d1", "u1").value());
  EXPECT_FALSE(remove("corp1", "d1", "u1").value());
  EXPECT_EQ(members("corp1", "d1"), Ids{"u2"});
  EXPECT_EQ(departments("corp1", "u1"), Ids{"d2"});
}

TYPED_TEST(PermissionContract, MembershipChangesMoveTheOrgOnlyWhenSomethingChanged) {
  ASSERT_TRUE(this->Tx([](domain::PermissionRecords& p) {
    return p.InsertDepartment(Department{"corp1", "d1", "One", 1});
  }));
  auto add = [&] {
    return this->Tx(
        [](domain::PermissionRecords& p) { return p.AddDepartmentMember("corp1", "d1", "u1"); });
  };
  auto remove = [&] {
    return this->Tx(
        [](domain::PermissionRecords& p) { return p.RemoveDepartmentMember("corp1", "d1", "u1"); });
  };
  auto before = this->Generations();
  ASSERT_TRUE(add().value());
  EXPECT_EQ(this->MovedSince(before), (Ids{"100", "101"}));
  before = this->Generations();
  ASSERT_FALSE(add().value());
  EXPECT_EQ(this->MovedSince(before), Ids{});
  before = this->Generations();
  ASSERT_TRUE(remove().value());
  EXPECT_EQ(this->MovedSince(before), (Ids{"100", "101"}));
  before = this->Generations();
  ASSERT_FALSE(remove().value());
  EXPECT_EQ(this->MovedSince(before), Ids{});
}

TYPED_TEST(PermissionContract, DeleteUserTakesItsMembershipsAndGrantsAlong) {
  for (const auto& d : {Department{"corp1", "d1", "One", 1}, Department{"corp1", "d2", "Two", 1},
                        Department{"corp2", "d1", "Elsewhere", 1}}) {
    ASSERT_TRUE(this->Tx([&](domain::PermissionRecords& p) { return p.InsertDepartment(d); }));
  }
  ASSERT_TRUE(this->Tx([](domain::PermissionRecords& p) -> Result<void> {
    for (const auto& [corp, dept, user] :
         {std::tuple{"corp1", "d1", "u1"}, std::tuple{"corp1", "d2", "u1"},
          std::tuple{"corp1", "d1", "u2"}, std::tuple{"corp2", "d1", "u1"}}) {
      if (auto r = p.AddDepartmentMember(corp, dept, user); !r) return r.error();
    }
    return {};
  }));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u2")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kDept, "d1")));
  ASSERT_TRUE(this->Put(MakeGrant("200", "d1", MemberType::kUser, "u1")));  // corp2's u1.
  const auto before = this->Generations();

  ASSERT_TRUE(this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.identity().DeleteUser("corp1", "u1"); }));
  EXPECT_EQ(this->store_->GetUser("corp1", "u1").error().code, Errc::kNotFound);
  EXPECT_TRUE(this->store_->GetUser("corp2", "u1"));
  EXPECT_EQ(
      this->Read([](domain::PermissionRecords& p) { return p.UserDepartments("corp1", "u1"); })
          .value(),
      Ids{});
  EXPECT_EQ(this->Read([](domain::PermissionRecords& p) {
                  return p.ListDepartmentMembers("corp1", "d1");
                })
                .value(),
            Ids{"u2"});
  EXPECT_EQ(
      this->Read([](domain::PermissionRecords& p) { return p.UserDepartments("corp2", "u1"); })
          .value(),
      Ids{"d1"});
  Ids left;
  for (const auto& g : this->Grants("100")) left.push_back(g.member_id);
  EXPECT_EQ(left, (Ids{"u2", "d1"}));
  EXPECT_EQ(this->Grants("200").size(), 1u);
  // Every space of the org, also "101", which held nothing of the user's.
  EXPECT_EQ(this->MovedSince(before), (Ids{"100", "101"}));
}

TYPED_TEST(PermissionContract, DeletingASpaceRemovesItsGrants) {
  ASSERT_TRUE(this->Put(MakeGrant("101", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("101", "0", MemberType::kOrg, "corp1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "101"));
  EXPECT_TRUE(this->Grants("101").empty());
  EXPECT_EQ(this->Grants("100").size(), 1u);
  // A space made again under the id starts with none and at generation 0.
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("101", "s", "101")));
  EXPECT_TRUE(this->Grants("101").empty());
  EXPECT_EQ(this->store_->GetSpace("corp1", "101")->permission_generation, 0);
}

TYPED_TEST(PermissionContract, SpaceWritesNeverSetTheGeneration) {
  Space s = this->MakeSpace("102", "s", "102");
  s.permission_generation = 7;
  ASSERT_TRUE(this->store_->CreateSpace(s));
  EXPECT_EQ(this->store_->GetSpace("corp1", "102")->permission_generation, 0);
  ASSERT_TRUE(this->Put(MakeGrant("102", "d1", MemberType::kUser, "u1")));
  const int64_t moved = this->store_->GetSpace("corp1", "102")->permission_generation;
  EXPECT_NE(moved, 0);
  Space changed = this->store_->GetSpace("corp1", "102").value();
  changed.name = "renamed";
  changed.permission_generation = 999;
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.spaces().UpdateSettings(changed); }));
  EXPECT_EQ(this->store_->GetSpace("corp1", "102")->permission_generation, moved);
}

TYPED_TEST(PermissionContract, AFailedTransactionUndoesEveryWrite) {
  ASSERT_TRUE(this->Tx([](domain::PermissionRecords& p) {
    return p.InsertDepartment(Department{"corp1", "d1", "One", 1});
  }));
  ASSERT_TRUE(this->Tx(
      [](domain::PermissionRecords& p) { return p.AddDepartmentMember("corp1", "d1", "u2"); }));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d1", MemberType::kUser, "u1")));
  ASSERT_TRUE(this->Put(MakeGrant("100", "d2", MemberType::kUser, "u2")));
  const auto grants_before = this->Grants("100");
  const auto before = this->Generations();

  auto r = this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    auto& p = tx.permissions();
    Grant changed = MakeGrant("100", "d1", MemberType::kUser, "u1", Role::kOwner);
    changed.create_time = 99;
    if (auto w = p.PutGrant(changed); !w) return w;
    if (auto w = p.PutGrant(MakeGrant("101", "d1", MemberType::kUser, "u1")); !w) return w;
    if (auto w = p.RemoveGrant("100", "d2", MemberType::kUser, "u2"); !w) return w.error();
    if (auto w = p.RemoveMemberGrants("corp1", MemberType::kUser, "u1"); !w) return w.error();
    if (auto w = p.InsertDepartment(Department{"corp1", "d2", "Two", 1}); !w) return w;
    if (auto w = p.AddDepartmentMember("corp1", "d1", "u1"); !w) return w.error();
    if (auto w = p.RemoveDepartmentMember("corp1", "d1", "u2"); !w) return w.error();
    if (auto w = tx.identity().DeleteUser("corp1", "u2"); !w) return w;
    if (auto w = tx.spaces().Delete("corp1", "100"); !w) return w;
    return MakeError(Errc::kConflict, "test", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);

  const auto grants_after = this->Grants("100");
  ASSERT_EQ(grants_after.size(), grants_before.size());
  for (size_t i = 0; i < grants_after.size(); ++i) {
    EXPECT_EQ(grants_after[i].member_id, grants_before[i].member_id);
    EXPECT_EQ(grants_after[i].role, grants_before[i].role);
    EXPECT_EQ(grants_after[i].create_time, grants_before[i].create_time);
  }
  EXPECT_TRUE(this->Grants("101").empty());
  EXPECT_TRUE(this->store_->GetUser("corp1", "u2"));
  EXPECT_EQ(this->Read([](domain::PermissionRecords& p) {
                  return p.ListDepartmentMembers("corp1", "d1");
                })
                .value(),
            Ids{"u2"});
  EXPECT_EQ(this->Read([](domain::PermissionRecords& p) { return p.ListDepartments("corp1"); })
                .value()
                .size(),
            1u);
  EXPECT_EQ(this->Generations(), before);
}

}  // namespace
}  // namespace spacestore::contract
