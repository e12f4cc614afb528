// The fault plan's text form, the fault file's re-reading, and what each decorator fails and
// keeps: a refused write leaves nothing stored, and calls run as usual once the plan clears.
#include "storage/fault/fault_plan.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "domain/store_errors.h"
#include "fake_clock.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/fault/faulty_blob_store.h"
#include "storage/fault/faulty_metadata_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

using Fault = FaultPlan::Fault;

TEST(FaultPlanTest, ParsesEveryKey) {
  const auto plan = ParseFaultPlan(
      "# a full disk\nblob_write = enospc\nblob_write_after_bytes=10\nblob_sync=eio\n\n"
      "blob_read=none\nmetadata_write=enospc  # trailing comment\nmetadata_read=eio\n"
      "delay_ms=5\n");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(*plan, (FaultPlan{.blob_write = Fault::kNoSpace,
                              .blob_write_after_bytes = 10,
                              .blob_sync = Fault::kIoError,
                              .metadata_write = Fault::kNoSpace,
                              .metadata_read = Fault::kIoError,
                              .delay_ms = 5}));
  EXPECT_EQ(*ParseFaultPlan(""), FaultPlan{});
}

TEST(FaultPlanTest, RefusesUnknownKeysAndValues) {
  for (const char* text :
       {"blob_write=full", "disk=eio", "delay_ms=-1", "delay_ms=1x", "blob_write"}) {
    const auto plan = ParseFaultPlan(std::string("\n") + text);
    ASSERT_FALSE(plan) << text;
    EXPECT_EQ(plan.error().subject, "fault_file");
    EXPECT_NE(plan.error().message.find("line 2"), std::string::npos) << plan.error().message;
  }
}

TEST(FaultPlanTest, FaultErrors) {
  const Error full = FaultError(Fault::kNoSpace, "blob", "write");
  EXPECT_EQ(full.code, Errc::kUnavailable);
  EXPECT_EQ(full.subject, domain::kSubjectStorageFull);
  const Error io = FaultError(Fault::kIoError, "metadata", "read");
  EXPECT_EQ(io.code, Errc::kUnavailable);
  EXPECT_EQ(io.subject, "metadata");
}

void Replace(const std::string& path, const std::string& text) {
  std::ofstream(path + ".tmp") << text;
  ASSERT_EQ(std::rename((path + ".tmp").c_str(), path.c_str()), 0);
}

TEST(FaultFileTest, FollowsTheFile) {
  testing::TempDir dir;
  const std::string path = dir.File("faults");
  FaultFile file(path);
  EXPECT_EQ(file.Current(), FaultPlan{});  // No file: no faults.
  Replace(path, "blob_read=eio\n");
  EXPECT_EQ(file.Current().blob_read, Fault::kIoError);
  Replace(path, "blob_read=eio\nnot a plan\n");  // Kept: the last good plan.
  EXPECT_EQ(file.Current().blob_read, Fault::kIoError);
  Replace(path, "metadata_write=enospc\n");
  EXPECT_EQ(file.Current(), FaultPlan{.metadata_write = Fault::kNoSpace});
  ASSERT_EQ(std::remove(path.c_str()), 0);
  EXPECT_EQ(file.Current(), FaultPlan{});
}

class FaultyStoresTest : public ::testing::Test {
 protected:
  std::shared_ptr<FaultSwitch> faults_ = std::make_shared<FaultSwitch>();
  testing::FakeClock clock_;
  FaultyBlobStore blobs_{std::make_unique<MemoryBlobStore>(clock_), faults_};
  FaultyMetadataStore metadata_{std::make_unique<MemoryMetadataStore>(), faults_};
};

TEST_F(FaultyStoresTest, DiskFillsMidwayThroughAWrite) {
  faults_->Set({.blob_write = Fault::kNoSpace, .blob_write_after_bytes = 3});
  auto writer = blobs_.NewWriter(false);
  ASSERT_TRUE(writer);
  EXPECT_TRUE((*writer)->Append("ab"));
  const auto full = (*writer)->Append("cde");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().subject, domain::kSubjectStorageFull);
  EXPECT_EQ((*writer)->size(), 3);  // What fitted.
  faults_->Clear();
  EXPECT_TRUE((*writer)->Append("de"));
  const auto info = (*writer)->Commit();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 5);
}

TEST_F(FaultyStoresTest, FailedSyncStoresNothing) {
  faults_->Set({.blob_sync = Fault::kIoError});
  auto writer = blobs_.NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append("hello"));
  const auto info = (*writer)->Commit();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, Errc::kUnavailable);
  faults_->Clear();
  const auto listed = blobs_.List("", INT64_MAX);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(FaultyStoresTest, ReadsFailAndRecover) {
  auto writer = blobs_.NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append("hello"));
  const auto info = (*writer)->Commit();
  ASSERT_TRUE(info);
  faults_->Set({.blob_read = Fault::kIoError});
  EXPECT_FALSE(blobs_.Open(info->id));
  EXPECT_FALSE(blobs_.Exists(info->id));
  faults_->Clear();
  auto reader = blobs_.Open(info->id);
  ASSERT_TRUE(reader);
  char out[5];
  EXPECT_EQ(*(*reader)->ReadAt(0, out, 5), 5U);
}

TEST_F(FaultyStoresTest, MetadataWriteFailsBeforeTheTransaction) {
  faults_->Set({.metadata_write = Fault::kNoSpace});
  bool ran = false;
  const auto r = metadata_.Transact([&ran](domain::MetadataTransaction&) -> Result<void> {
    ran = true;
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().subject, domain::kSubjectStorageFull);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(metadata_.ListOrgs());  // Reads still work.
  faults_->Set({.metadata_read = Fault::kIoError});
  EXPECT_FALSE(metadata_.ListOrgs());
  EXPECT_FALSE(metadata_.GetSpace("corp", "1"));
  faults_->Clear();
  EXPECT_TRUE(metadata_.Transact([](domain::MetadataTransaction&) -> Result<void> { return {}; }));
}

}  // namespace
}  // namespace spacestore::storage
