#include "core/workspace.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry {
namespace {

TEST(WorkspaceName, AcceptsKubernetesNamespaceNames) {
  for (const std::string& name :
       std::vector<std::string>{"default", "team-a", "a1", "0x", std::string(63, 'z')}) {
    EXPECT_TRUE(ValidateWorkspaceName(name).ok()) << name;
  }
}

TEST(WorkspaceName, RefusesWithTheRuleBroken) {
  EXPECT_NE(ValidateWorkspaceName("a").message().find("between 2 and 63"), std::string::npos);
  EXPECT_NE(ValidateWorkspaceName(std::string(64, 'a')).message().find("between 2 and 63"),
            std::string::npos);
  for (const char* name : {"Team", "-ab", "ab-", "a_b", "a b", "a/b", "ab\n", "../x"}) {
    absl::Status s = ValidateWorkspaceName(name);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(s.message().find("must match the pattern"), std::string::npos) << name;
  }
  EXPECT_NE(ValidateWorkspaceName("api").message().find("reserved"), std::string::npos);
}

TEST(WorkspaceKey, DefaultKeepsPlainNamesOthersArePrefixed) {
  EXPECT_EQ(WorkspaceKey("default", "churn"), "churn");
  EXPECT_EQ(WorkspaceKey("", "churn"), "churn");
  EXPECT_EQ(WorkspaceKey("team-a", "churn"),
            "team-a\x1f"
            "churn");
  WorkspaceName split = SplitWorkspaceKey(
      "team-a\x1f"
      "churn");
  EXPECT_EQ(split.workspace, "team-a");
  EXPECT_EQ(split.name, "churn");
  split = SplitWorkspaceKey("churn");
  EXPECT_EQ(split.workspace, "default");
  EXPECT_EQ(split.name, "churn");
}

}  // namespace
}  // namespace ferry
