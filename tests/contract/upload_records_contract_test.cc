// The upload aggregate (sessions, parts) and blob references on every backend.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

template <class Factory>
class UploadContract : public TransactionContract<Factory> {};
TYPED_TEST_SUITE(UploadContract, Backends);

TYPED_TEST(UploadContract, VersionsUploadsPartsAndReferences) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.dentries().Insert(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.dentries().InsertVersion({"1", 1, 5, "blobA", "u1", 10}));
    EXPECT_TRUE(tx.dentries().InsertVersion({"1", 2, 7, "blobB", "u1", 20}));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    u.multipart = true;
    u.expire_time = 500;
    EXPECT_TRUE(tx.uploads().Put(u));
    EXPECT_TRUE(tx.uploads().PutPart({"k1", 2, "blobP2", 3}));
    EXPECT_TRUE(tx.uploads().PutPart({"k1", 1, "blobP1", 3}));
    auto parts = tx.uploads().ListParts("k1");
    EXPECT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].part_number, 1);
    EXPECT_EQ(tx.dentries().GetVersion("1", 2)->blob_id, "blobB");
    EXPECT_EQ(tx.dentries().GetVersion("1", 3).error().code, Errc::kNotFound);
    return {};
  }));
  auto versions = this->store_->ListVersions("1");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ(this->store_->SumVersionBytes("100").value(), 12);
  for (const char* id : {"blobA", "blobB", "blobP1"}) {
    EXPECT_TRUE(this->store_->IsBlobReferenced(id).value()) << id;
  }
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobZ").value());
  EXPECT_EQ(this->store_->ListExpiredUploads(499, 10)->size(), 0u);
  EXPECT_EQ(this->store_->ListExpiredUploads(501, 10)->size(), 1u);
  ASSERT_TRUE(this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.uploads().Delete("k1"); }));
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobP1").value());
}

TYPED_TEST(UploadContract, CountOpenSkipsCommittedAndExpired) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    const std::pair<const char*, domain::UploadSession::State> sessions[] = {
        {"pending", domain::UploadSession::State::kPending},
        {"uploaded", domain::UploadSession::State::kUploaded},
        {"committed", domain::UploadSession::State::kCommitted},
    };
    for (const auto& [key, state] : sessions) {
      domain::UploadSession u;
      u.key = key;
      u.space_id = "100";
      u.state = state;
      u.expire_time = 500;
      EXPECT_TRUE(tx.uploads().Put(u));
    }
    return {};
  }));
  EXPECT_EQ(this->store_->CountOpenUploads(499).value(), 2);
  EXPECT_EQ(this->store_->CountOpenUploads(500).value(), 2);
  EXPECT_EQ(this->store_->CountOpenUploads(501).value(), 0);
}

TYPED_TEST(UploadContract, WholeStoreWalksPageThroughVersionsAndSessions) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.dentries().Insert(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.dentries().Insert(MakeDentry("2", "0", "b", 20)));
    domain::Dentry other = MakeDentry("3", "0", "c", 30);
    other.space_id = "200";
    EXPECT_TRUE(tx.dentries().Insert(other));
    EXPECT_TRUE(tx.dentries().InsertVersion({"1", 1, 5, "blobA", "u1", 10}));
    EXPECT_TRUE(tx.dentries().InsertVersion({"1", 2, 7, "blobB", "u1", 20}));
    EXPECT_TRUE(tx.dentries().InsertVersion({"2", 1, 9, "blobC", "u1", 30}));
    EXPECT_TRUE(tx.dentries().InsertVersion({"3", 1, 4, "blobD", "u1", 40}));
    for (const char* key : {"k2", "k1", "k3"}) {
      domain::UploadSession u;
      u.key = key;
      u.space_id = "100";
      EXPECT_TRUE(tx.uploads().Put(u));
    }
    return {};
  }));
  ASSERT_TRUE(this->store_->View([&](domain::MetadataTransaction& tx) -> Result<void> {
    // Every version of space 100 (deleted files' too), by (dentry, version), two at a time.
    auto first = tx.dentries().ListSpaceVersions("100", "", 0, 2);
    EXPECT_TRUE(first);
    EXPECT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].blob_id, "blobA");
    EXPECT_EQ((*first)[1].blob_id, "blobB");
    auto rest = tx.dentries().ListSpaceVersions("100", "1", 2, 2);
    EXPECT_TRUE(rest);
    EXPECT_EQ(rest->size(), 1u);
    EXPECT_EQ((*rest)[0].blob_id, "blobC");
    EXPECT_EQ((*rest)[0].size, 9);
    EXPECT_EQ(tx.dentries().ListSpaceVersions("200", "", 0, 10)->size(), 1u);
    auto keys = tx.uploads().ListAfter("", 2);
    EXPECT_TRUE(keys);
    EXPECT_EQ(keys->size(), 2u);
    EXPECT_EQ((*keys)[0].key, "k1");
    EXPECT_EQ((*keys)[1].key, "k2");
    auto more = tx.uploads().ListAfter("k2", 2);
    EXPECT_EQ(more->size(), 1u);
    EXPECT_EQ((*more)[0].key, "k3");
    return {};
  }));
}

}  // namespace
}  // namespace spacestore::contract
