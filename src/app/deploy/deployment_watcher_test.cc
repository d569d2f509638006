#include "app/deploy/deployment_watcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "serving/serving_metrics.h"
#include "serving/serving_test_util.h"

namespace ferry::app {
namespace {

using serving::testing::Fleet;

// A registry stand-in: the alias points at `version`; resolving can be made to fail.
struct FakeRegistry {
  std::mutex mu;
  std::condition_variable cv;
  std::string version = "1";
  bool fail = false;
  int calls = 0;

  absl::StatusOr<serving::VersionRef> Resolve(const std::string& uri) {
    std::lock_guard<std::mutex> lock(mu);
    ++calls;
    cv.notify_all();
    if (fail) return absl::UnavailableError("registry down");
    return serving::VersionRef{"fraud", version, uri + "#" + version, "fake"};
  }
  void Point(const std::string& v) {
    std::lock_guard<std::mutex> lock(mu);
    version = v;
  }
};

class DeploymentWatcherTest : public ::testing::Test {
 protected:
  std::string Primary() { return manager_.Find("fraud")->primary()->version(); }

  Fleet fleet_;
  serving::testing::FakeClock clock_;
  serving::ServingMetrics metrics_;
  serving::ModelManager manager_{fleet_.Loader(), clock_, metrics_};
  FakeRegistry registry_;
  VersionResolver resolver_ = [this](const std::string& uri) { return registry_.Resolve(uri); };
};

TEST_F(DeploymentWatcherTest, FollowsTheAliasAndKeepsServingWhenTheRegistryFails) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  auto name = watcher.Add({"", "models:/fraud@champion", false, {}, {}});
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, "fraud");  // the resolved model name
  EXPECT_EQ(Primary(), "1");

  registry_.Point("2");
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "2");
  EXPECT_EQ(fleet_.Live(), 1);  // version 1 was unloaded

  registry_.fail = true;
  registry_.Point("3");
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "2");  // a failed resolve changes nothing
  registry_.fail = false;
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "3");
}

TEST_F(DeploymentWatcherTest, AFailingLoadKeepsTheOldVersionAndIsRetried) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@champion", false, {}, {}}).ok());
  // Fleet's loader fails for the source "missing".
  VersionResolver missing = [](const std::string&) -> absl::StatusOr<serving::VersionRef> {
    return serving::VersionRef{"fraud", "9", "missing", "fake"};
  };
  DeploymentWatcher broken(manager_, missing, std::chrono::milliseconds(0));
  EXPECT_EQ(broken.Add({"other", "models:/x@y", false, {}, {}}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Primary(), "1");
}

TEST_F(DeploymentWatcherTest, ChallengersAreWatchedToo) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@champion", false, {}, {}}).ok());
  serving::ChallengerPolicy shadow{serving::ChallengerMode::kShadow, 0};
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@challenger", true, shadow, {}}).ok());
  EXPECT_EQ(manager_.Find("fraud")->challenger()->version(), "1");
  registry_.Point("5");
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "5");
  EXPECT_EQ(manager_.Find("fraud")->challenger()->version(), "5");
}

TEST_F(DeploymentWatcherTest, ACanaryFollowsItsAliasAndGoesWhenTheAliasIsDeleted) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@champion", false, {}, {}}).ok());
  std::string canary_version;  // empty: the challenger alias is not set
  VersionResolver resolver = [&](const std::string& uri) -> absl::StatusOr<serving::VersionRef> {
    if (canary_version.empty()) return absl::NotFoundError("no alias challenger");
    return serving::VersionRef{"fraud", canary_version, uri + "#" + canary_version, "fake"};
  };
  DeploymentWatcher canary_watcher(manager_, resolver, std::chrono::milliseconds(0));
  serving::ChallengerPolicy canary{serving::ChallengerMode::kCanary, 10};
  WatchTarget target{"fraud", "models:/fraud@challenger", true, canary, {}, true};
  ASSERT_TRUE(canary_watcher.Add(target).ok());  // absent alias: watched, nothing loaded
  EXPECT_EQ(manager_.Find("fraud")->challenger(), nullptr);
  ASSERT_TRUE(canary_watcher.SetCanaryPercent("fraud", 40).ok());  // kept for the load
  EXPECT_EQ(canary_watcher.SetCanaryPercent("fraud", 101).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(canary_watcher.SetCanaryPercent("other", 5).code(), absl::StatusCode::kNotFound);

  canary_version = "7";
  canary_watcher.RefreshAll();
  ASSERT_NE(manager_.Find("fraud")->challenger(), nullptr);
  EXPECT_EQ(manager_.Find("fraud")->challenger()->version(), "7");
  EXPECT_EQ(manager_.Find("fraud")->policy().canary_percent, 40);
  ASSERT_TRUE(canary_watcher.SetCanaryPercent("fraud", 25).ok());  // applied at once
  EXPECT_EQ(manager_.Find("fraud")->policy().canary_percent, 25);

  canary_version.clear();  // the alias was deleted
  canary_watcher.RefreshAll();
  EXPECT_EQ(manager_.Find("fraud")->challenger(), nullptr);
  EXPECT_EQ(Primary(), "1");
}

// Setting the percent runs on a request's event loop: it must not wait for a load in
// progress, and the load that was running must still end with the percent set.
TEST_F(DeploymentWatcherTest, SettingTheCanaryPercentDoesNotWaitForARefresh) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@champion", false, {}, {}}).ok());
  std::atomic<bool> alias_set{false};
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  VersionResolver resolver = [&](const std::string& uri) -> absl::StatusOr<serving::VersionRef> {
    if (!alias_set) return absl::NotFoundError("no alias challenger");
    entered.set_value();
    released.wait();  // a slow registry: the refresh holds its lock meanwhile
    return serving::VersionRef{"fraud", "7", uri + "#7", "fake"};
  };
  DeploymentWatcher canary_watcher(manager_, resolver, std::chrono::milliseconds(0));
  serving::ChallengerPolicy canary{serving::ChallengerMode::kCanary, 10};
  WatchTarget target{"fraud", "models:/fraud@challenger", true, canary, {}, true};
  ASSERT_TRUE(canary_watcher.Add(target).ok());
  alias_set = true;
  std::thread refresh([&] { canary_watcher.RefreshAll(); });
  entered.get_future().wait();
  auto set =
      std::async(std::launch::async, [&] { return canary_watcher.SetCanaryPercent("fraud", 60); });
  const bool returned = set.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  release.set_value();
  refresh.join();
  ASSERT_TRUE(returned) << "SetCanaryPercent waited for the refresh";
  EXPECT_TRUE(set.get().ok());
  ASSERT_NE(manager_.Find("fraud")->challenger(), nullptr);
  EXPECT_EQ(manager_.Find("fraud")->policy().canary_percent, 60);
}

TEST_F(DeploymentWatcherTest, OnlyAliasesAreResolvedAgain) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud/1", false, {}, {}}).ok());
  ASSERT_TRUE(watcher.Add({"local", "/models/fraud.oci", false, {}, {}}).ok());
  registry_.Point("2");
  watcher.RefreshAll();
  EXPECT_EQ(registry_.calls, 2);  // the two Adds, no refresh
  EXPECT_EQ(Primary(), "1");
  EXPECT_TRUE(FollowsAlias("models:/a@b"));
  EXPECT_FALSE(FollowsAlias("models:/a/3"));
  EXPECT_TRUE(FollowsAlias("models:/a/Production"));
  EXPECT_TRUE(FollowsAlias("models:/a/staging"));
  EXPECT_TRUE(FollowsAlias("models:/a/latest"));
  EXPECT_FALSE(FollowsAlias("pkg@v.oci"));
}

TEST_F(DeploymentWatcherTest, AReferenceThatCannotLoadIsReportedAndRetriedUntilItLoads) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  watcher.set_retry_backoff(std::chrono::milliseconds(0), std::chrono::milliseconds(0));
  registry_.fail = true;
  EXPECT_FALSE(watcher.AddOrRetry({"", "models:/fraud@champion", false, {}, {}}).ok());
  EXPECT_EQ(manager_.Find("fraud"), nullptr);
  std::string metrics;
  watcher.RenderMetrics(&metrics);
  EXPECT_NE(metrics.find("ferry_deployment_ready{reference=\"models:/fraud@champion\"} 0"),
            std::string::npos)
      << metrics;
  watcher.RefreshAll();  // still failing: a second attempt
  metrics.clear();
  watcher.RenderMetrics(&metrics);
  EXPECT_NE(
      metrics.find("ferry_deployment_load_attempts_total{reference=\"models:/fraud@champion\"} 2"),
      std::string::npos)
      << metrics;
  registry_.fail = false;
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "1");
  metrics.clear();
  watcher.RenderMetrics(&metrics);
  EXPECT_NE(metrics.find("ferry_deployment_ready{reference=\"models:/fraud@champion\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("load_attempts"), std::string::npos);
  registry_.Point("2");  // once loaded it follows its alias like any other
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "2");
}

TEST_F(DeploymentWatcherTest, RetriesWaitForTheirBackoff) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  watcher.set_retry_backoff(std::chrono::hours(1), std::chrono::hours(2));
  registry_.fail = true;
  EXPECT_FALSE(watcher.AddOrRetry({"", "models:/fraud@champion", false, {}, {}}).ok());
  registry_.fail = false;
  watcher.RefreshAll();
  EXPECT_EQ(registry_.calls, 1);  // not due yet
  EXPECT_EQ(manager_.Find("fraud"), nullptr);
}

TEST_F(DeploymentWatcherTest, ARegistryChangeRetriesFailedTargetsAtOnce) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  watcher.set_retry_backoff(std::chrono::hours(1), std::chrono::hours(2));
  registry_.fail = true;
  EXPECT_FALSE(watcher.AddOrRetry({"", "models:/fraud@champion", false, {}, {}}).ok());
  registry_.fail = false;  // e.g. the alias moved to a version that loads
  watcher.OnRegistryChange();
  watcher.RefreshAll();  // what the poked thread runs; without the change it waits an hour
  EXPECT_EQ(Primary(), "1");
}

TEST_F(DeploymentWatcherTest, PokeRefreshesOnTheWatcherThread) {
  DeploymentWatcher watcher(manager_, resolver_, std::chrono::milliseconds(0));
  ASSERT_TRUE(watcher.Add({"fraud", "models:/fraud@champion", false, {}, {}}).ok());
  watcher.Start();
  registry_.Point("7");
  watcher.Poke();
  {
    std::unique_lock<std::mutex> lock(registry_.mu);
    registry_.cv.wait(lock, [this] { return registry_.calls >= 2; });
  }
  // The resolve happened; the swap follows on the same thread. Refreshing here as well is
  // serialised with it, so afterwards version 7 is primary either way.
  watcher.RefreshAll();
  EXPECT_EQ(Primary(), "7");
}

}  // namespace
}  // namespace ferry::app
