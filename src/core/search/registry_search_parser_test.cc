// The registry searches of core/search_parser.h: registered models and model versions.

#include <string>

#include "core/search/search_parser.h"
#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(RegistrySearchParserTest, RegisteredModelFilter) {
  auto f = ParseRegisteredModelFilter("name LIKE '%fraud%' AND tags.team = 'ml'");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 2u);
  EXPECT_EQ((*f)[0].key, "name");
  EXPECT_EQ((*f)[0].op, CompareOp::kLike);
  EXPECT_EQ((*f)[1].entity, SearchEntity::kTag);
  EXPECT_EQ((*f)[1].value.text, "ml");
  EXPECT_TRUE(ParseRegisteredModelFilter("name ILIKE 'A%'").ok());
  EXPECT_FALSE(ParseRegisteredModelFilter("run_id = 'x'").ok());
  EXPECT_FALSE(ParseRegisteredModelFilter("name = 'a' OR name = 'b'").ok());
  EXPECT_FALSE(ParseRegisteredModelFilter("metrics.x > 1").ok());
}

TEST(RegistrySearchParserTest, RegisteredModelOrderBy) {
  auto o = ParseRegisteredModelOrderBy({"timestamp DESC", "name"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ((*o)[0].key, "last_updated_timestamp");
  EXPECT_FALSE((*o)[0].ascending);
  EXPECT_EQ((*o)[1].key, "name");
  EXPECT_FALSE(ParseRegisteredModelOrderBy({"last_updated_timestamp", "timestamp"}).ok());
  EXPECT_FALSE(ParseRegisteredModelOrderBy({"tags.x"}).ok());
  EXPECT_FALSE(ParseRegisteredModelOrderBy({"bogus"}).ok());
}

TEST(RegistrySearchParserTest, ModelVersionFilter) {
  auto f = ParseModelVersionFilter(
      "name = 'm' AND run_id IN ('a', 'b') AND version_number >= 2 AND source_path LIKE 's3://%'");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[1].op, CompareOp::kIn);
  EXPECT_EQ((*f)[1].value.list.size(), 2u);
  EXPECT_TRUE((*f)[2].value.is_number);
  EXPECT_EQ((*f)[3].key, "source_path");
  EXPECT_FALSE(ParseModelVersionFilter("version_number = 'x'").ok());
  EXPECT_FALSE(ParseModelVersionFilter("status = 'READY'").ok());
  EXPECT_FALSE(ParseModelVersionFilter("version_number IN ('1')").ok());
}

TEST(RegistrySearchParserTest, ModelVersionOrderBy) {
  auto o = ParseModelVersionOrderBy({"version_number DESC", "creation_timestamp"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ((*o)[0].key, "version_number");
  EXPECT_FALSE(ParseModelVersionOrderBy({"run_id"}).ok());
}

}  // namespace
}  // namespace ferry
