#include "cli/mlflow/model_fetch.h"

#include <gtest/gtest.h>

namespace ferry::cli {
namespace {

TEST(ParseModelRef, VersionsAliasesStagesAndLatestAsMlflowReadsThem) {
  auto v = ParseModelRef("models:/fraud/3");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->name, "fraud");
  EXPECT_EQ(v->version, "3");
  EXPECT_FALSE(RefMoves(*v));

  auto a = ParseModelRef("models:/fraud@champion");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->alias, "champion");
  EXPECT_TRUE(RefMoves(*a));

  for (const char* stage : {"Production", "Staging", "production", "Archived"}) {
    auto s = ParseModelRef(std::string("models:/fraud/") + stage);
    ASSERT_TRUE(s.ok()) << stage;
    EXPECT_EQ(s->name, "fraud");
    EXPECT_EQ(s->stage, stage);
    EXPECT_TRUE(s->version.empty());
    EXPECT_FALSE(s->latest);
    EXPECT_TRUE(RefMoves(*s));
  }
  for (const char* latest : {"models:/fraud/latest", "models:/fraud/Latest"}) {
    auto l = ParseModelRef(latest);
    ASSERT_TRUE(l.ok()) << latest;
    EXPECT_TRUE(l->latest);
    EXPECT_TRUE(l->stage.empty());
    EXPECT_TRUE(RefMoves(*l));
  }
}

TEST(ParseModelRef, LocalPathsAndMalformedReferences) {
  auto p = ParseModelRef("fraud.oci");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->path, "fraud.oci");
  EXPECT_FALSE(RefMoves(*p));
  for (const char* bad :
       {"models:/", "models:/fraud", "models:/fraud/", "models:/@x", "models:/fraud/1/2"}) {
    auto r = ParseModelRef(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace ferry::cli
