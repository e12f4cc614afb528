// The open-link aggregate on every backend: provider URLs upserted per dentry and type, tokens
// read back field by field, single use, removal, expiry and the rows of a deleted space.
#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::MetadataTransaction;
using domain::OpenInfo;
using domain::OpenToken;
using domain::OpenTokenKind;
using domain::OpenType;

OpenToken MakeToken(const std::string& hash, int64_t expire_time) {
  OpenToken t;
  t.token_hash = hash;
  t.kind = OpenTokenKind::kOfficeAccess;
  t.pair_hash = "pair-" + hash;
  t.corp_id = "corp1";
  t.app_id = "app1";
  t.union_id = "u1";
  t.space_id = "100";
  t.dentry_id = "d1";
  t.version = 3;
  t.check_login = true;
  t.water_mark = true;
  t.create_time = 1000;
  t.expire_time = expire_time;
  return t;
}

template <class Factory>
class OpenContract : public TransactionContract<Factory> {
 protected:
  template <class F>
  auto Write(F&& fn) {
    return this->store_->Write([&](MetadataTransaction& tx) { return fn(tx.open()); });
  }
  Result<void> Insert(const OpenToken& t) {
    return this->store_->Transact(
        [&](MetadataTransaction& tx) { return tx.open().InsertToken(t); });
  }
  Result<OpenToken> Get(const std::string& hash) {
    return this->store_->Read([&](MetadataTransaction& tx) { return tx.open().GetToken(hash); });
  }
  // Whether ConsumeToken used the token (a failed call fails the test).
  bool Consume(const std::string& hash, int64_t now, int64_t expire) {
    auto used = this->store_->Write(
        [&](MetadataTransaction& tx) { return tx.open().ConsumeToken(hash, now, expire); });
    EXPECT_TRUE(used);
    return used && *used;
  }
};
TYPED_TEST_SUITE(OpenContract, Backends);

TYPED_TEST(OpenContract, OpenInfosAreUpsertedPerDentryAndType) {
  auto put = [&](OpenType type, const std::string& url, int64_t time) {
    return this->store_->Transact([&](MetadataTransaction& tx) {
      return tx.open().PutOpenInfo(OpenInfo{"100", "d1", type, "MS_OFFICE", url, "u1", time});
    });
  };
  ASSERT_TRUE(put(OpenType::kEdit, "https://e/1", 1));
  ASSERT_TRUE(put(OpenType::kPreview, "https://p/1", 2));
  ASSERT_TRUE(put(OpenType::kEdit, "https://e/2", 3));
  auto list = this->store_->Read(
      [&](MetadataTransaction& tx) { return tx.open().ListOpenInfos("100", "d1"); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].type, OpenType::kPreview);
  EXPECT_EQ((*list)[0].url, "https://p/1");
  EXPECT_EQ((*list)[1].type, OpenType::kEdit);
  EXPECT_EQ((*list)[1].url, "https://e/2");
  EXPECT_EQ((*list)[1].provider, "MS_OFFICE");
  EXPECT_EQ((*list)[1].operator_id, "u1");
  EXPECT_EQ((*list)[1].modified_time, 3);
  auto other = this->store_->Read(
      [&](MetadataTransaction& tx) { return tx.open().ListOpenInfos("100", "d2"); });
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  auto missing = this->store_->Transact([&](MetadataTransaction& tx) {
    return tx.open().PutOpenInfo(OpenInfo{"nope", "d1", OpenType::kEdit, "MS_OFFICE", "u", "", 1});
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

TYPED_TEST(OpenContract, TokensReadBackEveryField) {
  ASSERT_TRUE(this->Insert(MakeToken("h1", 5000)));
  auto t = this->Get("h1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, OpenTokenKind::kOfficeAccess);
  EXPECT_EQ(t->pair_hash, "pair-h1");
  EXPECT_EQ(t->corp_id, "corp1");
  EXPECT_EQ(t->app_id, "app1");
  EXPECT_EQ(t->union_id, "u1");
  EXPECT_EQ(t->space_id, "100");
  EXPECT_EQ(t->dentry_id, "d1");
  EXPECT_EQ(t->version, 3);
  EXPECT_TRUE(t->check_login);
  EXPECT_TRUE(t->water_mark);
  EXPECT_EQ(t->create_time, 1000);
  EXPECT_EQ(t->expire_time, 5000);
  EXPECT_FALSE(t->used_time);

  OpenToken plain = MakeToken("h2", 6000);
  plain.version.reset();
  plain.pair_hash.clear();
  plain.check_login = plain.water_mark = false;
  ASSERT_TRUE(this->Insert(plain));
  t = this->Get("h2");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->version);
  EXPECT_EQ(t->pair_hash, "");
  EXPECT_FALSE(t->check_login);
  EXPECT_FALSE(t->water_mark);

  auto dup = this->Insert(MakeToken("h1", 1));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
  auto none = this->Get("h3");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kNotFound);
  EXPECT_EQ(none.error().subject, "token");
  OpenToken foreign = MakeToken("h4", 1);
  foreign.space_id = "nope";
  auto r = this->Insert(foreign);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
}

TYPED_TEST(OpenContract, ConsumeUsesATokenOnceAndOnlyBeforeItExpires) {
  ASSERT_TRUE(this->Insert(MakeToken("h1", 5000)));
  ASSERT_TRUE(this->Insert(MakeToken("h2", 5000)));
  EXPECT_EQ(this->Consume("h1", 4999, 9000), true);
  EXPECT_EQ(this->Consume("h1", 4999, 9000), false);  // Used.
  auto t = this->Get("h1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->used_time, 4999);
  EXPECT_EQ(t->expire_time, 9000);
  EXPECT_EQ(this->Consume("h2", 5000, 9000), false);  // Expired at exactly 5000.
  t = this->Get("h2");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->used_time);
  EXPECT_EQ(this->Consume("h3", 1, 9000), false);  // No such token.
}

TYPED_TEST(OpenContract, ConsumeRollsBackWithItsTransaction) {
  ASSERT_TRUE(this->Insert(MakeToken("h1", 5000)));
  auto r = this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto used = tx.open().ConsumeToken("h1", 10, 9000);
    EXPECT_TRUE(used && *used);
    return MakeError(Errc::kConflict, "x", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(this->Consume("h1", 11, 9000), true);
}

TYPED_TEST(OpenContract, RemovesOneTokenAndTheExpiredOnes) {
  ASSERT_TRUE(this->Insert(MakeToken("h1", 100)));
  ASSERT_TRUE(this->Insert(MakeToken("h2", 200)));
  ASSERT_TRUE(this->Insert(MakeToken("h3", 300)));
  auto removed = this->Write([](domain::OpenRecords& o) { return o.RemoveToken("h3"); });
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  removed = this->Write([](domain::OpenRecords& o) { return o.RemoveToken("h3"); });
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);
  auto expired = this->Write([](domain::OpenRecords& o) { return o.RemoveExpiredTokens(200); });
  ASSERT_TRUE(expired);
  EXPECT_EQ(*expired, 2);
  EXPECT_FALSE(this->Get("h1"));
  EXPECT_FALSE(this->Get("h2"));
}

TYPED_TEST(OpenContract, RowsGoWithTheirSpace) {
  ASSERT_TRUE(this->Insert(MakeToken("h1", 100)));
  ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) {
    return tx.open().PutOpenInfo(OpenInfo{"100", "d1", OpenType::kEdit, "MS_OFFICE", "u", "", 1});
  }));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "100"));
  EXPECT_FALSE(this->Get("h1"));
  auto list = this->store_->Read(
      [&](MetadataTransaction& tx) { return tx.open().ListOpenInfos("100", "d1"); });
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

}  // namespace
}  // namespace spacestore::contract
