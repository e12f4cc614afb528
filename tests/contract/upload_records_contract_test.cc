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

}  // namespace
}  // namespace spacestore::contract
