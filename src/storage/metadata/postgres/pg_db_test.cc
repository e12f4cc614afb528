// The libpq layer's pure parts: the ?NNN parameters of the shared records (storage/metadata/sql)
// become PostgreSQL's $NNN, and nothing quoted changes.
#include "storage/metadata/postgres/pg_db.h"

#include <gtest/gtest.h>

namespace spacestore::storage::pg {
namespace {

TEST(DollarParametersTest, NumberedParametersBecomeDollarParameters) {
  EXPECT_EQ(DollarParameters("SELECT a FROM t WHERE b = ?1 AND (c, d) > (?12, ?3) LIMIT ?2"),
            "SELECT a FROM t WHERE b = $1 AND (c, d) > ($12, $3) LIMIT $2");
}

TEST(DollarParametersTest, QuotedTextAndCommentsAreLeftAsTheyAre) {
  EXPECT_EQ(DollarParameters("SELECT '?1', 'it''s ?2', \"?3\" FROM t -- ?4\nWHERE a = ?5 /* ?6 */"),
            "SELECT '?1', 'it''s ?2', \"?3\" FROM t -- ?4\nWHERE a = $5 /* ?6 */");
}

TEST(DollarParametersTest, DollarParametersAndLoneQuestionMarksAreKept) {
  EXPECT_EQ(DollarParameters("SELECT $1, ? , a ?| b WHERE x = ?"),
            "SELECT $1, ? , a ?| b WHERE x = ?");
}

}  // namespace
}  // namespace spacestore::storage::pg
