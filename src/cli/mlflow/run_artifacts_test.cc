#include "cli/mlflow/run_artifacts.h"

#include "gtest/gtest.h"

namespace ferry::cli {
namespace {

TEST(RunArtifactsTest, ParseRunsUri) {
  auto u = ParseRunsUri("runs:/abc123/model/sub/");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->run_id, "abc123");
  EXPECT_EQ(u->path, "model/sub");
  u = ParseRunsUri("runs:/abc123");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->path, "");
  for (const char* bad : {"abc", "runs:/", "runs://x/../y", "s3://b/k"}) {
    EXPECT_FALSE(ParseRunsUri(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ferry::cli
