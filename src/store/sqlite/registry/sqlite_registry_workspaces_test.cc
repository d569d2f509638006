// SqliteStore's RegistryStore per workspace: a name in two workspaces is two models, the
// stored key (core/workspace.h's WorkspaceKey) never shows in names, messages or results, and
// searches stay in one workspace with full pages.

#include "core/workspace.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using testing::SqliteStoreTest;

bool HasSeparator(std::string_view text) {
  return text.find(kWorkspaceKeySeparator) != std::string_view::npos;
}

class SqliteRegistryWorkspacesTest : public SqliteStoreTest {
 protected:
  void NewModel(const std::string& workspace, const std::string& name, int64_t now_ms = 1000) {
    RegisteredModel m;
    m.name = name;
    m.creation_timestamp = m.last_updated_timestamp = now_ms;
    auto created = store_->CreateRegisteredModel(workspace, m);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->name, name);
  }
  int64_t NewVersion(const std::string& workspace, const std::string& name,
                     ModelVersionStatus status = ModelVersionStatus::kReady) {
    ModelVersion v;
    v.name = name;
    v.source = "s3://" + workspace + "/" + name;
    v.status = status;
    v.creation_timestamp = v.last_updated_timestamp = 2000;
    auto created = store_->CreateModelVersion(workspace, v);
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return 0;
    EXPECT_EQ(created->name, name);
    EXPECT_EQ(created->workspace, workspace);
    return created->version;
  }
  std::vector<std::string> Names(const RegisteredModelSearchQuery& q) {
    auto page = store_->SearchRegisteredModels(q);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const RegisteredModel& m : page->items) names.push_back(m.name);
    }
    return names;
  }
};

TEST_F(SqliteRegistryWorkspacesTest, SameNameInTwoWorkspacesIsTwoModels) {
  NewModel("team-a", "churn");
  NewModel("team-b", "churn");
  NewModel("default", "churn");
  // Version numbers are per model, so per workspace.
  EXPECT_EQ(NewVersion("team-a", "churn"), 1);
  EXPECT_EQ(NewVersion("team-b", "churn"), 1);
  EXPECT_EQ(NewVersion("team-b", "churn"), 2);
  auto a = store_->GetRegisteredModel("team-a", "churn");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->name, "churn");
  ASSERT_EQ(a->latest_versions.size(), 1u);
  EXPECT_EQ(a->latest_versions[0].name, "churn");
  EXPECT_EQ(a->latest_versions[0].workspace, "team-a");
  EXPECT_EQ(store_->GetModelVersion("team-b", "churn", 2)->source, "s3://team-b/churn");
  EXPECT_EQ(store_->GetModelVersion("default", "churn", 1).status().code(),
            absl::StatusCode::kNotFound);

  // Another workspace's model is not found, with the plain name in the message.
  auto missing = store_->GetRegisteredModel("team-c", "churn");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "Registered Model with name=churn not found");
  auto missing_version = store_->GetModelVersion("team-a", "churn", 2);
  EXPECT_EQ(missing_version.status().message(), "Model Version (name=churn, version=2) not found");
  RegisteredModel dup;
  dup.name = "churn";
  EXPECT_EQ(store_->CreateRegisteredModel("team-a", dup).status().message(),
            "Registered Model (name=churn) already exists.");

  // Aliases, tags, renames and deletes stay in their workspace.
  ASSERT_TRUE(store_->SetRegisteredModelAlias("team-a", "churn", "prod", 1).ok());
  EXPECT_EQ(store_->GetModelVersionByAlias("team-a", "churn", "prod")->workspace, "team-a");
  EXPECT_FALSE(store_->GetModelVersionByAlias("team-b", "churn", "prod").ok());
  ASSERT_TRUE(store_->SetRegisteredModelTag("team-b", "churn", {"k", "b"}).ok());
  EXPECT_TRUE(store_->GetRegisteredModel("team-a", "churn")->tags.empty());
  auto renamed = store_->RenameRegisteredModel("team-a", "churn", "churn2", 3000);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->name, "churn2");
  EXPECT_EQ(store_->GetModelVersionByAlias("team-a", "churn2", "prod")->name, "churn2");
  EXPECT_TRUE(store_->GetRegisteredModel("team-b", "churn").ok());
  NewModel("team-b", "other");
  EXPECT_EQ(store_->RenameRegisteredModel("team-b", "churn", "other", 1).status().message(),
            "Registered Model (name=other) already exists.");
  ASSERT_TRUE(store_->DeleteRegisteredModel("team-b", "churn").ok());
  EXPECT_TRUE(store_->GetRegisteredModel("default", "churn").ok());
  EXPECT_TRUE(store_->GetRegisteredModel("team-a", "churn2").ok());
  EXPECT_EQ(store_->DeleteRegisteredModel("team-b", "churn").code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteRegistryWorkspacesTest, PendingVersionsNameTheirWorkspace) {
  NewModel("team-a", "m");
  NewVersion("team-a", "m", ModelVersionStatus::kPendingRegistration);
  auto pending = store_->ListPendingModelVersions();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].name, "m");
  EXPECT_EQ((*pending)[0].workspace, "team-a");
  auto ready = store_->SetModelVersionStatus((*pending)[0], ModelVersionStatus::kReady, "", 3000);
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_EQ(ready->name, "m");
  EXPECT_EQ(store_->GetModelVersion("team-a", "m", 1)->status, ModelVersionStatus::kReady);
}

TEST_F(SqliteRegistryWorkspacesTest, SearchesStayInOneWorkspaceWithFullPages) {
  // Interleaved names, so a filter after paging would leave holes.
  for (const char* name : {"m1", "m2", "m3", "m4", "m5"}) {
    NewModel("team-a", name);
    NewModel("default", name);
    NewModel("team-b", name);
    NewVersion("team-a", name);
    NewVersion("team-b", name);
  }
  NewModel("team-a", "other");
  RegisteredModelSearchQuery q;
  q.scope.workspace = "team-a";
  q.max_results = 2;
  std::vector<std::string> seen;
  for (int64_t offset = 0;; offset += 2) {
    q.offset = offset;
    auto page = store_->SearchRegisteredModels(q);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const RegisteredModel& m : page->items) {
      EXPECT_FALSE(HasSeparator(m.name)) << m.name;
      seen.push_back(m.name);
    }
    if (!page->has_more) break;
    EXPECT_EQ(page->items.size(), 2u);  // full pages
    EXPECT_EQ(page->next_offset, offset + 2);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"m1", "m2", "m3", "m4", "m5", "other"}));

  // Filters, grants and the order see plain names.
  q.max_results = 100;
  q.offset = 0;
  q.filter = {{SearchEntity::kAttribute, "name", CompareOp::kLike, {false, 0, "m%", {}}}};
  q.order_by = {{SearchEntity::kAttribute, "name", false}};
  EXPECT_EQ(Names(q), (std::vector<std::string>{"m5", "m4", "m3", "m2", "m1"}));
  q.filter = {{SearchEntity::kAttribute, "name", CompareOp::kEq, {false, 0, "m2", {}}}};
  EXPECT_EQ(Names(q), (std::vector<std::string>{"m2"}));
  q.filter.clear();
  q.order_by.clear();
  q.scope.only = std::vector<std::string>{"m3", "other"};
  EXPECT_EQ(Names(q), (std::vector<std::string>{"m3", "other"}));
  q.scope.only.reset();
  q.scope.workspace = "";  // `default`
  EXPECT_EQ(Names(q), (std::vector<std::string>{"m1", "m2", "m3", "m4", "m5"}));
  q.scope.workspace = "team-c";
  EXPECT_TRUE(Names(q).empty());

  ModelVersionSearchQuery vq;
  vq.scope.workspace = "team-b";
  vq.max_results = 3;
  auto versions = store_->SearchModelVersions(vq);
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->items.size(), 3u);
  EXPECT_TRUE(versions->has_more);
  for (const ModelVersion& v : versions->items) {
    EXPECT_EQ(v.workspace, "team-b");
    EXPECT_FALSE(HasSeparator(v.name));
  }
  vq.filter = {{SearchEntity::kAttribute, "name", CompareOp::kEq, {false, 0, "m4", {}}}};
  versions = store_->SearchModelVersions(vq);
  ASSERT_EQ(versions->items.size(), 1u);
  EXPECT_EQ(versions->items[0].source, "s3://team-b/m4");
  vq.scope.workspace = "default";  // its models have no versions
  vq.filter.clear();
  EXPECT_TRUE(store_->SearchModelVersions(vq)->items.empty());
}

}  // namespace
}  // namespace ferry::store::sqlite
