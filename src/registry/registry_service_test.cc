// RegistryService over a real SQLite store: MLflow's rules, registration status with a fake
// verifier, re-queueing of pending versions at start, and events.

#include "registry/registry_service.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "common/testing/test_dir.h"
#include "core/workspace.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::registry {
namespace {

class FakeVerifier : public VersionVerifier {
 public:
  absl::Status Verify(const ModelVersion& v, std::vector<ModelVersionTag>* found) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
    ++calls_;
    // Findings for every source but another version (which names no package to check).
    if (v.source.rfind("models:/", 0) != 0) found->push_back({"ferry.verified.signer", "lnu-ml"});
    if (v.source.find("bad") != std::string::npos) {
      return absl::FailedPreconditionError("signature does not verify: " + v.source);
    }
    return absl::OkStatus();
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int calls_ = 0;
};

class RecordingObserver : public RegistryObserver {
 public:
  void OnRegistryEvent(const RegistryEvent& e) override { events.push_back(e); }
  std::vector<RegistryEvent> events;
};

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }
  void TearDown() override { store_.reset(); }
  void OpenStore() {
    store_.reset();
    auto store = store::sqlite::SqliteStore::Create(dir_ + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  ModelVersion Register(RegistryService& service, const std::string& name,
                        const std::string& source) {
    auto m = service.CreateRegisteredModel({name, {}, "", ""});
    EXPECT_TRUE(m.ok() || absl::IsAlreadyExists(m.status())) << m.status();
    auto v = service.CreateModelVersion({name, source, "", {}, "", "", ""});
    EXPECT_TRUE(v.ok()) << v.status();
    return v.value_or(ModelVersion{});
  }

  ferry::testing::TestDir tmp_;
  std::string dir_ = tmp_.path();
  store::MetadataBackendPtr store_;
};

TEST_F(RegistryServiceTest, WithoutVerifierVersionsAreReadyAndEventsPublished) {
  RegistryService service(*store_, SystemClock());
  RecordingObserver observer;
  service.AddObserver(&observer);
  ASSERT_TRUE(service.Start().ok());
  ModelVersion v = Register(service, "m", "s3://b/model");
  EXPECT_EQ(v.status, ModelVersionStatus::kReady);
  ASSERT_TRUE(service.SetRegisteredModelAlias("default", "m", "champion", "1").ok());
  ASSERT_TRUE(service.TransitionModelVersionStage("default", "m", "1", "production", false).ok());
  ASSERT_EQ(observer.events.size(), 4u);
  EXPECT_STREQ(RegistryEventName(observer.events[0].type), "registered_model.created");
  EXPECT_STREQ(RegistryEventName(observer.events[1].type), "model_version.created");
  EXPECT_EQ(observer.events[1].source, "s3://b/model");
  EXPECT_EQ(observer.events[2].alias, "champion");
  EXPECT_EQ(observer.events[3].stage, "Production");
  EXPECT_GT(observer.events[3].timestamp_ms, 0);
}

TEST_F(RegistryServiceTest, ValidationMessages) {
  RegistryService service(*store_, SystemClock());
  Register(service, "m", "s");
  EXPECT_EQ(service.CreateRegisteredModel({"", {}, "", ""}).status().message(),
            "Missing value for required parameter 'name'.");
  EXPECT_TRUE(absl::IsAlreadyExists(service.CreateRegisteredModel({"m", {}, "", ""}).status()));
  EXPECT_EQ(service.GetModelVersion("default", "m", "x").status().message(),
            "Parameter 'version' must be an integer, got 'x'.");
  EXPECT_TRUE(absl::IsNotFound(service.GetModelVersion("default", "m", "7").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(service.SetRegisteredModelAlias("default", "m", "v3", "1")));
  EXPECT_TRUE(
      absl::IsInvalidArgument(service.GetModelVersionByAlias("default", "m", "nope").status()));
  auto bad_stage = service.TransitionModelVersionStage("default", "m", "1", "Live", false);
  EXPECT_TRUE(absl::IsInvalidArgument(bad_stage.status()));
  auto bad_archive = service.TransitionModelVersionStage("default", "m", "1", "Archived", true);
  EXPECT_TRUE(absl::IsInvalidArgument(bad_archive.status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(service.SearchRegisteredModels({"", {}, 1001, "", {}}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      service.SearchModelVersions({"", {}, std::nullopt, "garbage", {}}).status()));
}

TEST_F(RegistryServiceTest, ModelsArePerWorkspaceAndNamesRefuseTheKeySeparator) {
  RegistryService service(*store_, SystemClock());
  RecordingObserver observer;
  service.AddObserver(&observer);
  for (const char* workspace : {"team-a", "team-b"}) {
    CreateRegisteredModelRequest model{"churn", {}, "", ""};
    model.workspace = workspace;
    ASSERT_TRUE(service.CreateRegisteredModel(model).ok());
    CreateModelVersionRequest version{"churn", std::string("s3://") + workspace, "", {}, "", "",
                                      ""};
    version.workspace = workspace;
    auto v = service.CreateModelVersion(version);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->version, 1);
  }
  EXPECT_EQ(*service.GetModelVersionDownloadUri("team-b", "churn", "1"), "s3://team-b");
  EXPECT_TRUE(absl::IsNotFound(service.GetRegisteredModel("default", "churn").status()));
  ASSERT_TRUE(service.SetRegisteredModelAlias("team-a", "churn", "prod", "1").ok());
  EXPECT_FALSE(service.GetModelVersionByAlias("team-b", "churn", "prod").ok());
  SearchRegistryRequest search;
  search.scope.workspace = "team-b";
  auto found = service.SearchModelVersions(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].source, "s3://team-b");
  search.scope.workspace = "";  // default
  EXPECT_TRUE(service.SearchRegisteredModels(search)->items.empty());
  // Events name the workspace, for webhooks and deployments.
  ASSERT_EQ(observer.events.size(), 5u);
  EXPECT_EQ(observer.events[0].workspace, "team-a");
  EXPECT_EQ(observer.events[3].workspace, "team-b");
  EXPECT_EQ(observer.events[4].workspace, "team-a");
  EXPECT_EQ(observer.events[4].alias, "prod");

  // U+001F separates a workspace from a name in stored keys: never part of a name.
  const std::string bad = std::string("a") + kWorkspaceKeySeparator + "b";
  for (const char* workspace : {"default", "team-a"}) {
    CreateRegisteredModelRequest model{bad, {}, "", ""};
    model.workspace = workspace;
    absl::Status refused = service.CreateRegisteredModel(model).status();
    EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
    EXPECT_NE(refused.message().find("U+001F"), std::string::npos);
    EXPECT_TRUE(absl::IsInvalidArgument(service.GetRegisteredModel(workspace, bad).status()));
  }
  EXPECT_TRUE(absl::IsInvalidArgument(
      service.RenameRegisteredModel("team-a", "churn", "team-b" + bad).status()));
}

TEST_F(RegistryServiceTest, LatestVersionsAndArchiving) {
  RegistryService service(*store_, SystemClock());
  for (int i = 0; i < 3; ++i) Register(service, "m", "s");
  ASSERT_TRUE(service.TransitionModelVersionStage("default", "m", "1", "Staging", false).ok());
  ASSERT_TRUE(service.TransitionModelVersionStage("default", "m", "2", "Staging", false).ok());
  auto latest = service.GetLatestVersions("default", "m", {"staging"});
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ((*latest)[0].version, 2);
  ASSERT_TRUE(service.TransitionModelVersionStage("default", "m", "3", "Staging", true).ok());
  latest = service.GetLatestVersions("default", "m", {});
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 2u);  // Staging: 3, Archived: 2
  EXPECT_EQ(service.GetModelVersion("default", "m", "1")->current_stage, ModelStage::kArchived);
  EXPECT_FALSE(service.GetLatestVersions("default", "m", {"bogus"}).ok());
  EXPECT_TRUE(absl::IsNotFound(service.GetLatestVersions("default", "nope", {}).status()));
}

TEST_F(RegistryServiceTest, VerifierDrivesStatusOffTheRequestThread) {
  FakeVerifier verifier;
  RegistryService service(*store_, SystemClock(), &verifier);
  ASSERT_TRUE(service.Start().ok());
  ModelVersion good = Register(service, "m", "s3://good");
  ModelVersion bad = Register(service, "m", "s3://bad");
  // Create returned at once although the verifier is still blocked.
  EXPECT_EQ(good.status, ModelVersionStatus::kPendingRegistration);
  absl::Status alias = service.SetRegisteredModelAlias("default", "m", "champion", "1");
  EXPECT_TRUE(absl::IsInvalidArgument(alias));
  EXPECT_NE(std::string(alias.message()).find("Model version m version 1 is PENDING_REGISTRATION"),
            std::string::npos)
      << alias;
  verifier.Open();
  service.WaitForRegistrations();
  EXPECT_EQ(service.GetModelVersion("default", "m", "1")->status, ModelVersionStatus::kReady);
  auto failed = service.GetModelVersion("default", "m", "2");
  EXPECT_EQ(failed->status, ModelVersionStatus::kFailedRegistration);
  EXPECT_EQ(failed->status_message, "signature does not verify: s3://bad");
  EXPECT_TRUE(service.SetRegisteredModelAlias("default", "m", "champion", "1").ok());
  auto to_prod = service.TransitionModelVersionStage("default", "m", "2", "Production", false);
  EXPECT_TRUE(absl::IsInvalidArgument(to_prod.status()));
  EXPECT_NE(std::string(to_prod.status().message()).find("signature does not verify"),
            std::string::npos);
  EXPECT_TRUE(service.TransitionModelVersionStage("default", "m", "2", "Archived", false).ok());
}

TEST_F(RegistryServiceTest, VerifierTagsAreStoredAndReservedToIt) {
  FakeVerifier verifier;
  verifier.Open();
  RegistryService service(*store_, SystemClock(), &verifier);
  ASSERT_TRUE(service.Start().ok());
  Register(service, "m", "s3://good");
  Register(service, "m", "s3://bad");
  service.WaitForRegistrations();
  auto tags = [&](const std::string& version) {
    return service.GetModelVersion("default", "m", version)->tags;
  };
  ASSERT_EQ(tags("1").size(), 1u);
  EXPECT_EQ(tags("1")[0].key, "ferry.verified.signer");
  EXPECT_EQ(tags("1")[0].value, "lnu-ml");
  EXPECT_TRUE(tags("2").empty());  // a failed verification records no findings
  // Clients can neither forge nor remove them.
  absl::Status set =
      service.SetModelVersionTag("default", "m", "2", {"ferry.verified.signer", "me"});
  EXPECT_TRUE(absl::IsInvalidArgument(set));
  EXPECT_NE(std::string(set.message()).find("Tag key 'ferry.verified.signer' is reserved"),
            std::string::npos)
      << set;
  EXPECT_TRUE(absl::IsInvalidArgument(
      service.DeleteModelVersionTag("default", "m", "1", "ferry.verified.signer")));
  // A new version's are dropped (MLflow's copy_model_version copies every tag): only the gate
  // vouches for the copy.
  auto copy = service.CreateModelVersion(
      {"m", "models:/m/1", "", {{"ferry.verified.signer", "me"}, {"team", "a"}}, "", "", ""});
  ASSERT_TRUE(copy.ok()) << copy.status();
  service.WaitForRegistrations();
  auto copied = tags("3");
  ASSERT_EQ(copied.size(), 1u);
  EXPECT_EQ(copied[0].key, "team");
  EXPECT_TRUE(
      service.SetModelVersionTag("default", "m", "1", {"ferry.package.digest", "sha256:ab"}).ok());
}

TEST_F(RegistryServiceTest, PendingVersionsAreRequeuedAtStart) {
  {
    // A process that registered a version and died before verifying it.
    RegisteredModel m;
    m.name = "m";
    ASSERT_TRUE(store_->CreateRegisteredModel("default", m).ok());
    ModelVersion v;
    v.name = "m";
    v.source = "s";
    v.status = ModelVersionStatus::kPendingRegistration;
    ASSERT_TRUE(store_->CreateModelVersion("default", v).ok());
  }
  OpenStore();
  FakeVerifier verifier;
  verifier.Open();
  RegistryService service(*store_, SystemClock(), &verifier);
  ASSERT_TRUE(service.Start().ok());
  service.WaitForRegistrations();
  EXPECT_EQ(verifier.calls(), 1);
  EXPECT_EQ(service.GetModelVersion("default", "m", "1")->status, ModelVersionStatus::kReady);
}

}  // namespace
}  // namespace ferry::registry
