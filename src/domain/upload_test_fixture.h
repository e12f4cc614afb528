#pragma once

// The fixture shared by the upload, transfer and collector tests: an org, a user and a space of
// 1,000 bytes on the in-memory stores, with helpers that run the upload flow.

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "domain/collector.h"
#include "domain/space_service.h"
#include "domain/transfer_service.h"
#include "domain/upload_service.h"
#include "fake_clock.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {

class UploadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    AddSpaceParams p;
    p.quota_bytes = 1000;
    auto s = spaces_.AddSpace(actor_, p);
    ASSERT_TRUE(s);
    space_ = s->id;
  }

  // Switches the test to a second space without a quota, for multipart parts of 100 KB.
  void UseUncappedSpace() {
    AddSpaceParams p;
    p.scene_id = "uncapped";
    auto s = spaces_.AddSpace(actor_, p);
    ASSERT_TRUE(s);
    space_ = s->id;
  }

  // Authorizes, PUTs `data` and returns the upload key.
  std::string Upload(const std::string& data, std::optional<int64_t> declared) {
    PreCheck check;
    check.size = declared;
    auto ticket = uploads_.Authorize(actor_, space_, check, false);
    EXPECT_TRUE(ticket) << ticket.error().message;
    EXPECT_TRUE(ticket->grant);
    EXPECT_EQ(ticket->grant->upload_key, ticket->key);
    auto sink = transfers_.OpenUpload(*ticket->grant, data.size());
    EXPECT_TRUE(sink) << sink.error().message;
    EXPECT_TRUE((*sink)->Append(data));
    EXPECT_TRUE((*sink)->Finish());
    return ticket->key;
  }

  // PUTs `data` as the part `grant` names.
  void PutPart(const TransferGrant& grant, const std::string& data) {
    auto sink = transfers_.OpenUpload(grant, std::nullopt);
    ASSERT_TRUE(sink) << sink.error().message;
    ASSERT_TRUE((*sink)->Append(data));
    ASSERT_TRUE((*sink)->Finish());
  }

  Result<Dentry> Commit(const std::string& key, const std::string& name) {
    CommitRequest r;
    r.upload_key = key;
    r.name = name;
    r.parent_id = "0";
    return uploads_.Commit(actor_, space_, r);
  }

  Space GetSpace() { return *spaces_.GetSpace(actor_, space_); }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  storage::MemoryBlobStore blobs_{clock_};
  SpaceService spaces_{store_, clock_};
  UploadService uploads_{store_, blobs_, clock_, spaces_,
                         UploadOptions{.url_ttl_seconds = 900, .session_ttl_seconds = 3600}};
  TransferService transfers_{store_, blobs_, clock_};
  Collector collector_{store_, blobs_, clock_, CollectorOptions{.blob_grace_seconds = 60}};
  const Actor actor_{"corp1", "app1", "u1"};
  std::string space_;
};

}  // namespace spacestore::domain
