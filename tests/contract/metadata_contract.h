#pragma once

// The fixtures of the metadata contract suites, one suite per aggregate of the port, each typed
// over every backend so that the in-memory store used by unit tests and the SQLite and
// PostgreSQL stores used in production cannot drift apart. A new backend adds its factory to
// Backends. The same sources build two binaries: contract_tests (memory and SQLite, one CTest
// entry per test) and, with SPACESTORE_CONTRACT_POSTGRES, contract_postgres_tests (PostgreSQL,
// one CTest entry for the whole binary, so that one server serves every test: a fresh schema
// per test).

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "domain/metadata_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"
#ifdef SPACESTORE_CONTRACT_POSTGRES
#include "postgres_server.h"
#include "storage/metadata/postgres/postgres_metadata_store.h"
#endif

namespace spacestore::contract {

using domain::App;
using domain::Org;
using domain::Space;
using domain::User;

struct MemoryFactory {
  std::unique_ptr<domain::MetadataStore> Make() {
    return std::make_unique<storage::MemoryMetadataStore>();
  }
};

struct SqliteFactory {
  testing::TempDir dir;
  std::unique_ptr<domain::MetadataStore> Make() {
    auto store = storage::SqliteMetadataStore::Open(dir.File("metadata.db"));
    EXPECT_TRUE(store.has_value());
    return std::move(*store);
  }
};

template <class Factory>
class MetadataStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Make();
    ASSERT_TRUE(store_->CreateOrg(Org{"corp1", "Corp One", 1 << 30, 1000}));
  }

  Space MakeSpace(std::string id, std::string scene, std::string scene_id) {
    Space s;
    s.id = std::move(id);
    s.corp_id = "corp1";
    s.app_id = "app1";
    s.owner_id = "u1";
    s.creator_id = "u1";
    s.modifier_id = "u1";
    s.scene = std::move(scene);
    s.scene_id = std::move(scene_id);
    s.quota_bytes = 4096;
    s.capabilities.can_rename = true;
    s.create_time = 1000;
    s.modified_time = 1000;
    return s;
  }

  Factory factory_;
  std::unique_ptr<domain::MetadataStore> store_;
};

#ifdef SPACESTORE_CONTRACT_POSTGRES
struct PostgresFactory {
  std::unique_ptr<domain::MetadataStore> Make() {
    auto store =
        storage::PostgresMetadataStore::Open(testing::PostgresServer::ForTest().NewSchemaUrl());
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
    return std::move(*store);
  }
};
using Backends = ::testing::Types<PostgresFactory>;
#else
using Backends = ::testing::Types<MemoryFactory, SqliteFactory>;
#endif

// A dentry of space "100" named `name` under `parent`, with distinct times and sizes.
inline domain::Dentry MakeDentry(const std::string& id, const std::string& parent,
                                 const std::string& name, int64_t time,
                                 domain::DentryType type = domain::DentryType::kFile) {
  domain::Dentry d;
  d.id = id;
  d.space_id = "100";
  d.parent_id = parent;
  d.uuid = "uuid-" + id;
  d.type = type;
  d.name = name;
  d.path = "/" + name;
  d.size = time;  // Distinct sizes make the SIZE order testable.
  d.creator_id = "u1";
  d.modifier_id = "u1";
  d.create_time = time;
  d.modified_time = time;
  d.blob_id = type == domain::DentryType::kFile ? "blob-" + id : "";
  return d;
}

// A store holding org "corp1" and its space "100".
template <class Factory>
class TransactionContract : public MetadataStoreContract<Factory> {
 protected:
  void SetUp() override {
    MetadataStoreContract<Factory>::SetUp();
    ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  }

  Result<void> Insert(const domain::Dentry& d) {
    return this->store_->Transact(
        [&](domain::MetadataTransaction& tx) { return tx.dentries().Insert(d); });
  }
};

}  // namespace spacestore::contract
