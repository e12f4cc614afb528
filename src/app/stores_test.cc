// The --metadata forms the composition root accepts.
#include "app/stores.h"

#include <gtest/gtest.h>

namespace spacestore::app {
namespace {

TEST(ParseMetadataBackendTest, NamesAndPostgresUrls) {
  StoreConfig config;
  EXPECT_TRUE(ParseMetadataBackend("memory", config));
  EXPECT_EQ(config.metadata, StoreConfig::Metadata::kMemory);
  EXPECT_TRUE(ParseMetadataBackend("sqlite", config));
  EXPECT_EQ(config.metadata, StoreConfig::Metadata::kSqlite);
  for (const std::string url :
       {"postgres://ada:pw@db:5432/spacestore", "postgresql://db/spacestore?sslmode=verify-full"}) {
    StoreConfig pg;
    EXPECT_TRUE(ParseMetadataBackend(url, pg)) << url;
    EXPECT_EQ(pg.metadata, StoreConfig::Metadata::kPostgres);
    EXPECT_EQ(pg.postgres_url, url);
  }
}

TEST(ParseMetadataBackendTest, AnythingElseIsRefusedAndChangesNothing) {
  for (const std::string text : {"", "SQLITE", "mysql://db/x", "postgres:", "postgres//db/x"}) {
    StoreConfig config;
    EXPECT_FALSE(ParseMetadataBackend(text, config)) << text;
    EXPECT_EQ(config.metadata, StoreConfig::Metadata::kSqlite);
    EXPECT_TRUE(config.postgres_url.empty());
  }
}

}  // namespace
}  // namespace spacestore::app
