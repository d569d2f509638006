#include "http/handlers/auth/access_rules.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(AccessRulesTest, MlflowRoutesHaveOneRuleUnderBothPrefixes) {
  for (const char* route : {"/mlflow/runs/get", "/mlflow/experiments/create",
                            "/mlflow/registered-models/alias", "/mlflow-artifacts/artifacts/*"}) {
    const AccessRule* api = FindAccessRule("GET", std::string("/api/2.0") + route);
    const AccessRule* ajax = FindAccessRule("GET", std::string("/ajax-api/2.0") + route);
    EXPECT_EQ(api, ajax) << route;
  }
  const AccessRule* get = FindAccessRule("GET", "/api/2.0/mlflow/runs/get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->need, AccessNeed::kExperiment);
  EXPECT_EQ(get->level, auth::Permission::kRead);
  EXPECT_EQ(get->locate, Locate::kRun);
  EXPECT_EQ(FindAccessRule("POST", "/api/2.0/mlflow/runs/get"), nullptr);
  EXPECT_EQ(FindAccessRule("GET", "/api/2.0/mlflow/no-such-route"), nullptr);
}

// Issue 15: with auth on, only the health probes and the UI's files are open.
TEST(AccessRulesTest, OnlyProbesAndUiFilesAreOpen) {
  for (const char* path :
       {"/", "/static/*", "/health", "/ping", "/version", "/v2/health/live", "/v2/health/ready"}) {
    const AccessRule* rule = FindAccessRule("GET", path);
    ASSERT_NE(rule, nullptr) << path;
    EXPECT_EQ(rule->need, AccessNeed::kOpen) << path;
  }
  for (const char* path : {"/metrics", "/v2", "/v2/models/*", "/get-artifact",
                           "/api/ferry/v1/deployments", "/api/ferry/v1/webhooks"}) {
    const AccessRule* rule = FindAccessRule("GET", path);
    ASSERT_NE(rule, nullptr) << path;
    EXPECT_NE(rule->need, AccessNeed::kOpen) << path;
  }
}

// The UI's admin pages list users: admins only, under both prefixes.
TEST(AccessRulesTest, ListingUsersIsForAdmins) {
  for (const char* prefix : {"/api/2.0", "/ajax-api/2.0"}) {
    const AccessRule* rule = FindAccessRule("GET", std::string(prefix) + "/mlflow/users/list");
    ASSERT_NE(rule, nullptr) << prefix;
    EXPECT_EQ(rule->need, AccessNeed::kAdmin) << prefix;
  }
}

TEST(AccessRulesTest, WritesNeedMoreThanReads) {
  auto level = [](const char* method, const char* route) {
    const AccessRule* rule = FindAccessRule(method, std::string("/api/2.0/mlflow") + route);
    EXPECT_NE(rule, nullptr) << route;
    return rule == nullptr ? auth::Permission::kNoPermissions : rule->level;
  };
  EXPECT_EQ(level("POST", "/runs/log-batch"), auth::Permission::kEdit);
  EXPECT_EQ(level("POST", "/runs/delete"), auth::Permission::kManage);
  EXPECT_EQ(level("POST", "/experiments/delete"), auth::Permission::kManage);
  EXPECT_EQ(level("DELETE", "/registered-models/delete"), auth::Permission::kManage);
  EXPECT_EQ(level("POST", "/registered-models/alias"), auth::Permission::kEdit);
  EXPECT_EQ(level("GET", "/registered-models/alias"), auth::Permission::kRead);
  EXPECT_EQ(level("POST", "/experiments/permissions/create"), auth::Permission::kManage);
  EXPECT_EQ(level("POST", "/upload-artifact"), auth::Permission::kEdit);
  EXPECT_EQ(level("GET", "/metrics/get-history-bulk-interval"), auth::Permission::kRead);
}

// The audit log takes every write and leaves out reads, the POSTs that read included.
TEST(AccessRulesTest, WritesAreAuditedReadsAreNot) {
  auto audited = [](const char* method, const char* route) {
    const AccessRule* rule = FindAccessRule(method, route);
    EXPECT_NE(rule, nullptr) << route;
    return rule != nullptr && Audited(method, *rule);
  };
  EXPECT_TRUE(audited("POST", "/api/2.0/mlflow/experiments/create"));
  EXPECT_TRUE(audited("POST", "/api/2.0/mlflow/runs/log-metric"));
  EXPECT_TRUE(audited("PATCH", "/api/2.0/mlflow/experiments/permissions/update"));
  EXPECT_TRUE(audited("DELETE", "/api/2.0/mlflow/users/delete"));
  EXPECT_TRUE(audited("PUT", "/api/2.0/mlflow-artifacts/artifacts/*"));
  EXPECT_TRUE(audited("POST", "/api/ferry/v1/deployments/*"));
  EXPECT_FALSE(audited("GET", "/api/2.0/mlflow/runs/get"));
  EXPECT_FALSE(audited("GET", "/api/ferry/v1/audit"));
  for (const char* read : {"/api/2.0/mlflow/runs/search", "/api/2.0/mlflow/experiments/search",
                           "/api/2.0/mlflow/experiments/search-datasets",
                           "/api/2.0/mlflow/registered-models/get-latest-versions",
                           "/api/ferry/v1/runs/metric-extremes", "/v2/models/*", "/invocations"}) {
    EXPECT_FALSE(audited("POST", read)) << read;
  }
}

TEST(AccessRulesTest, GrantAndUserChangesNameTheUser) {
  for (const char* route : {"/api/2.0/mlflow/experiments/permissions/update",
                            "/api/2.0/mlflow/registered-models/permissions/update",
                            "/api/2.0/mlflow/users/update-admin"}) {
    const AccessRule* rule = FindAccessRule("PATCH", route);
    ASSERT_NE(rule, nullptr) << route;
    EXPECT_TRUE(rule->audit_username) << route;
  }
  EXPECT_FALSE(FindAccessRule("POST", "/api/2.0/mlflow/runs/create")->audit_username);
}

TEST(AccessRulesTest, Descriptions) {
  EXPECT_EQ(DescribeAccessRule(*FindAccessRule("GET", "/health")), "open");
  EXPECT_EQ(DescribeAccessRule(*FindAccessRule("GET", "/api/2.0/mlflow/runs/get")),
            "experiment READ (run_id)");
  EXPECT_EQ(DescribeAccessRule(*FindAccessRule("POST", "/v2/models/*")),
            "registered model USE (the path segment after the route)");
}

// Roles per workspace: managers read members, the workspace's admins change them (audited);
// creating experiments and models asks for the editor role outside `default`.
TEST(AccessRulesTest, WorkspaceMembersAndCreation) {
  const AccessRule* get = FindAccessRule("GET", "/api/ferry/v1/workspaces/*");
  const AccessRule* put = FindAccessRule("PUT", "/api/ferry/v1/workspaces/*");
  const AccessRule* del = FindAccessRule("DELETE", "/api/ferry/v1/workspaces/*");
  ASSERT_TRUE(get && put && del);
  EXPECT_EQ(get->need, AccessNeed::kWorkspace);
  EXPECT_EQ(get->role, auth::WorkspaceRole::kManager);
  EXPECT_EQ(put->role, auth::WorkspaceRole::kAdmin);
  EXPECT_EQ(del->role, auth::WorkspaceRole::kAdmin);
  EXPECT_FALSE(Audited("GET", *get));
  EXPECT_TRUE(Audited("PUT", *put));
  EXPECT_TRUE(Audited("DELETE", *del));
  EXPECT_TRUE(FindAccessRule("POST", "/api/2.0/mlflow/experiments/create")->creates);
  EXPECT_TRUE(FindAccessRule("POST", "/api/2.0/mlflow/registered-models/create")->creates);
  EXPECT_FALSE(FindAccessRule("POST", "/api/2.0/mlflow/runs/create")->creates);
  EXPECT_EQ(DescribeAccessRule(*put),
            "workspace role admin (the path's workspace; my-role: any who see it)");
}

}  // namespace
}  // namespace ferry::http
