// SqliteStore's RegistryStore: models, versions, aliases, tags, cascades and search.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using testing::SqliteStoreTest;

class SqliteRegistryTest : public SqliteStoreTest {
 protected:
  RegisteredModel NewModel(const std::string& name, int64_t now_ms = 1000,
                           std::vector<RegisteredModelTag> tags = {}) {
    RegisteredModel m;
    m.name = name;
    m.creation_timestamp = m.last_updated_timestamp = now_ms;
    m.tags = std::move(tags);
    auto created = store_->CreateRegisteredModel("default", m);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(RegisteredModel{});
  }
  ModelVersion NewVersion(const std::string& name, const std::string& source, int64_t now_ms = 2000,
                          const std::string& run_id = "") {
    ModelVersion v;
    v.name = name;
    v.source = source;
    v.run_id = run_id;
    v.creation_timestamp = v.last_updated_timestamp = now_ms;
    auto created = store_->CreateModelVersion("default", v);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(ModelVersion{});
  }
};

TEST_F(SqliteRegistryTest, CreateGetAndDuplicate) {
  RegisteredModel m = NewModel("fraud", 1000, {{"team", "risk"}});
  EXPECT_EQ(m.name, "fraud");
  EXPECT_EQ(m.tags, (std::vector<KeyValue>{{"team", "risk"}}));
  RegisteredModel dup;
  dup.name = "fraud";
  auto again = store_->CreateRegisteredModel("default", dup);
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
  EXPECT_EQ(again.status().message(), "Registered Model (name=fraud) already exists.");
  auto missing = store_->GetRegisteredModel("default", "nope");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(), "Registered Model with name=nope not found");
}

TEST_F(SqliteRegistryTest, VersionNumbersAreNeverReused) {
  NewModel("m");
  EXPECT_EQ(NewVersion("m", "s1").version, 1);
  EXPECT_EQ(NewVersion("m", "s2").version, 2);
  ASSERT_TRUE(store_->DeleteModelVersion("default", "m", 2, 3000).ok());
  EXPECT_EQ(NewVersion("m", "s3").version, 3);
  auto gone = store_->GetModelVersion("default", "m", 2);
  EXPECT_EQ(gone.status().message(), "Model Version (name=m, version=2) not found");
  ModelVersion orphan;
  orphan.name = "nope";
  EXPECT_TRUE(absl::IsNotFound(store_->CreateModelVersion("default", orphan).status()));
}

TEST_F(SqliteRegistryTest, RenameCarriesVersionsTagsAndAliases) {
  NewModel("old", 1000, {{"k", "v"}});
  NewVersion("old", "s1");
  ASSERT_TRUE(store_->SetModelVersionTag("default", "old", 1, {"vk", "vv"}).ok());
  ASSERT_TRUE(store_->SetRegisteredModelAlias("default", "old", "champion", 1).ok());
  auto renamed = store_->RenameRegisteredModel("default", "old", "new", 5000);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->last_updated_timestamp, 5000);
  EXPECT_EQ(renamed->tags, (std::vector<KeyValue>{{"k", "v"}}));
  ASSERT_EQ(renamed->aliases.size(), 1u);
  EXPECT_EQ(renamed->aliases[0].alias, "champion");
  auto v = store_->GetModelVersionByAlias("default", "new", "champion");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->name, "new");
  EXPECT_EQ(v->tags, (std::vector<KeyValue>{{"vk", "vv"}}));
  EXPECT_EQ(v->aliases, std::vector<std::string>{"champion"});
  EXPECT_TRUE(absl::IsNotFound(store_->GetRegisteredModel("default", "old").status()));
  NewModel("other");
  EXPECT_TRUE(
      absl::IsAlreadyExists(store_->RenameRegisteredModel("default", "new", "other", 1).status()));
  // The allocator moved with the model.
  EXPECT_EQ(NewVersion("new", "s2").version, 2);
}

TEST_F(SqliteRegistryTest, DeleteModelRemovesEverything) {
  NewModel("m", 1000, {{"k", "v"}});
  NewVersion("m", "s1");
  ASSERT_TRUE(store_->SetModelVersionTag("default", "m", 1, {"vk", "vv"}).ok());
  ASSERT_TRUE(store_->SetRegisteredModelAlias("default", "m", "a", 1).ok());
  ASSERT_TRUE(store_->DeleteRegisteredModel("default", "m").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteRegisteredModel("default", "m")));
  NewModel("m");
  auto fresh = store_->GetRegisteredModel("default", "m");
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->tags.empty());
  EXPECT_TRUE(fresh->aliases.empty());
  EXPECT_TRUE(fresh->latest_versions.empty());
  EXPECT_EQ(NewVersion("m", "s").version, 1);
  EXPECT_TRUE(NewVersion("m", "s").tags.empty());
}

TEST_F(SqliteRegistryTest, AliasesMoveAndFollowDeletes) {
  NewModel("m");
  NewVersion("m", "s1");
  NewVersion("m", "s2");
  ASSERT_TRUE(store_->SetRegisteredModelAlias("default", "m", "prod", 1).ok());
  ASSERT_TRUE(store_->SetRegisteredModelAlias("default", "m", "prod", 2).ok());
  EXPECT_EQ(store_->GetModelVersionByAlias("default", "m", "prod")->version, 2);
  EXPECT_TRUE(absl::IsNotFound(store_->SetRegisteredModelAlias("default", "m", "x", 9)));
  auto unknown = store_->GetModelVersionByAlias("default", "m", "nope");
  EXPECT_TRUE(absl::IsInvalidArgument(unknown.status()));
  EXPECT_EQ(unknown.status().message(), "Registered model alias nope not found.");
  ASSERT_TRUE(store_->DeleteModelVersion("default", "m", 2, 3000).ok());
  EXPECT_TRUE(
      absl::IsInvalidArgument(store_->GetModelVersionByAlias("default", "m", "prod").status()));
  ASSERT_TRUE(store_->SetRegisteredModelAlias("default", "m", "a", 1).ok());
  ASSERT_TRUE(store_->DeleteRegisteredModelAlias("default", "m", "a").ok());
  EXPECT_TRUE(store_->DeleteRegisteredModelAlias("default", "m", "a").ok());
}

TEST_F(SqliteRegistryTest, StageTransitionsArchiveAndLatestVersions) {
  NewModel("m");
  for (int i = 0; i < 3; ++i) NewVersion("m", "s");
  ASSERT_TRUE(store_
                  ->TransitionModelVersionStage("default", "m", 1, ModelStage::kProduction, false,
                                                10, nullptr)
                  .ok());
  ASSERT_TRUE(store_
                  ->TransitionModelVersionStage("default", "m", 2, ModelStage::kProduction, false,
                                                11, nullptr)
                  .ok());
  std::vector<int64_t> archived;
  auto v3 = store_->TransitionModelVersionStage("default", "m", 3, ModelStage::kProduction, true,
                                                12, &archived);
  ASSERT_TRUE(v3.ok()) << v3.status();
  EXPECT_EQ(v3->current_stage, ModelStage::kProduction);
  EXPECT_EQ(archived.size(), 2u);
  EXPECT_EQ(store_->GetModelVersion("default", "m", 1)->current_stage, ModelStage::kArchived);
  auto m = store_->GetRegisteredModel("default", "m");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->latest_versions.size(), 2u);
  EXPECT_EQ(m->latest_versions[0].current_stage, ModelStage::kProduction);
  EXPECT_EQ(m->latest_versions[0].version, 3);
  EXPECT_EQ(m->latest_versions[1].current_stage, ModelStage::kArchived);
  EXPECT_EQ(m->latest_versions[1].version, 2);
}

TEST_F(SqliteRegistryTest, StatusAndPendingList) {
  NewModel("m");
  ModelVersion v;
  v.name = "m";
  v.source = "s";
  v.status = ModelVersionStatus::kPendingRegistration;
  ASSERT_TRUE(store_->CreateModelVersion("default", v).ok());
  auto pending = store_->ListPendingModelVersions();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  // A verdict for another version of the same number (deleted and re-created meanwhile)
  // must not land on this one.
  ModelVersion stale = (*pending)[0];
  stale.source = "other";
  EXPECT_EQ(store_->SetModelVersionStatus(stale, ModelVersionStatus::kReady, "", 5).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto failed = store_->SetModelVersionStatus(
      (*pending)[0], ModelVersionStatus::kFailedRegistration, "bad signature", 5);
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->status_message, "bad signature");
  EXPECT_TRUE(store_->ListPendingModelVersions()->empty());
  // Only a pending version changes.
  EXPECT_FALSE(
      store_->SetModelVersionStatus((*pending)[0], ModelVersionStatus::kReady, "", 6).ok());
}

TEST_F(SqliteRegistryTest, SearchModels) {
  NewModel("alpha", 1000, {{"team", "a"}});
  NewModel("beta", 2000, {{"team", "b"}});
  NewModel("Gamma", 3000);
  RegisteredModelSearchQuery q;
  q.filter = {{SearchEntity::kAttribute, "name", CompareOp::kLike, {false, 0, "%a%", {}}}};
  auto page = store_->SearchRegisteredModels(q);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].name, "Gamma");  // byte order
  q.filter = {{SearchEntity::kTag, "team", CompareOp::kEq, {false, 0, "b", {}}}};
  page = store_->SearchRegisteredModels(q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "beta");
  q.filter.clear();
  q.order_by = {{SearchEntity::kAttribute, "last_updated_timestamp", false}};
  q.max_results = 2;
  page = store_->SearchRegisteredModels(q);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].name, "Gamma");
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->next_offset, 2);

  // The caller's scope applies inside the query, before paging.
  q.scope.only = std::vector<std::string>{"alpha", "Gamma"};
  q.scope.except = {"Gamma"};
  page = store_->SearchRegisteredModels(q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "alpha");
  EXPECT_FALSE(page->has_more);
}

TEST_F(SqliteRegistryTest, SearchVersions) {
  NewModel("a");
  NewModel("b");
  NewVersion("a", "s3://x/1", 1000, "run1");
  NewVersion("a", "s3://x/2", 3000, "run2");
  NewVersion("b", "file:///y", 2000, "run1");
  ASSERT_TRUE(store_->SetModelVersionTag("default", "b", 1, {"k", "v"}).ok());
  ModelVersionSearchQuery q;
  auto page = store_->SearchModelVersions(q);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].version, 2);  // newest update first
  EXPECT_EQ(page->items[1].name, "b");
  q.filter = {{SearchEntity::kAttribute, "run_id", CompareOp::kIn, {false, 0, "", {"run1"}}}};
  page = store_->SearchModelVersions(q);
  EXPECT_EQ(page->items.size(), 2u);
  q.filter = {{SearchEntity::kAttribute, "version_number", CompareOp::kGe, {true, 2, "2", {}}}};
  page = store_->SearchModelVersions(q);
  ASSERT_EQ(page->items.size(), 1u);
  q.filter = {{SearchEntity::kTag, "k", CompareOp::kEq, {false, 0, "v", {}}}};
  page = store_->SearchModelVersions(q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "b");
  q.filter = {
      {SearchEntity::kAttribute, "source_path", CompareOp::kLike, {false, 0, "s3://%", {}}}};
  q.order_by = {{SearchEntity::kAttribute, "version_number", true}};
  page = store_->SearchModelVersions(q);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].version, 1);
}

}  // namespace
}  // namespace ferry::store::sqlite
