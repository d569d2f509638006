#include "store/postgres/pg_placeholders.h"

#include <gtest/gtest.h>

namespace ferry::store::postgres {
namespace {

TEST(PgPlaceholders, NumbersBarePlaceholdersInOrder) {
  TranslatedSql t = TranslatePlaceholders("SELECT a FROM t WHERE b = ? AND c > ? LIMIT ?");
  EXPECT_EQ(t.sql, "SELECT a FROM t WHERE b = $1 AND c > $2 LIMIT $3");
  EXPECT_EQ(t.params, 3);
}

TEST(PgPlaceholders, KeepsExplicitNumbersAndContinuesAfterTheLargest) {
  TranslatedSql t = TranslatePlaceholders("SELECT ?2, ?1, ?2, ?");
  EXPECT_EQ(t.sql, "SELECT $2, $1, $2, $3");
  EXPECT_EQ(t.params, 3);
}

TEST(PgPlaceholders, LeavesLiteralsIdentifiersAndCommentsAlone) {
  TranslatedSql t = TranslatePlaceholders(
      "SELECT 'a?b', 'it''s ?', \"col?\", E'x\\'?', $$ ? $$, $q$ ? $q$ -- why?\n"
      "/* ? */ FROM t WHERE x = ?");
  EXPECT_EQ(t.sql,
            "SELECT 'a?b', 'it''s ?', \"col?\", E'x\\'?', $$ ? $$, $q$ ? $q$ -- why?\n"
            "/* ? */ FROM t WHERE x = $1");
  EXPECT_EQ(t.params, 1);
}

TEST(PgPlaceholders, BackslashIsNotAnEscapeInStandardStrings) {
  TranslatedSql t = TranslatePlaceholders("SELECT 'a\\', ?");
  EXPECT_EQ(t.sql, "SELECT 'a\\', $1");
}

TEST(PgPlaceholders, NoPlaceholders) {
  TranslatedSql t = TranslatePlaceholders("SELECT 1");
  EXPECT_EQ(t.sql, "SELECT 1");
  EXPECT_EQ(t.params, 0);
}

}  // namespace
}  // namespace ferry::store::postgres
