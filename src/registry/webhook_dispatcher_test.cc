// WebhookDispatcher over a real SQLite store and raw local receivers: deliveries are in the
// store before OnRegistryEvent returns, retries step through the backoff on a fake clock, a
// full queue records its refusals, and the destination policy keeps deliveries off internal
// addresses in every spelling unless allowed.

#include "registry/webhook_dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/testing/fake_clock.h"
#include "common/testing/test_dir.h"
#include "registry/testing/webhook_receiver.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::registry {
namespace {

using testing::WebhookReceiver;

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_ + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  void TearDown() override { store_.reset(); }
  void AddHook(const std::string& id, const std::string& url) {
    ASSERT_TRUE(store_->CreateWebhook({id, url, {"model_version.created"}, "", "", 1}).ok());
  }
  static RegistryEvent Event(int64_t version) {
    RegistryEvent e;
    e.type = RegistryEventType::kModelVersionCreated;
    e.model_name = "m";
    e.version = version;
    return e;
  }
  WebhookDelivery Only(const std::string& hook) {
    auto list = store_->ListDeliveries(hook, 10);
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 1u);
    return list->empty() ? WebhookDelivery{} : (*list)[0];
  }

  ferry::testing::TestDir tmp_;
  std::string dir_ = tmp_.path();
  std::unique_ptr<store::MetadataBackend> store_;
};

WebhookDispatcherOptions Allowing(const std::string& hosts) {
  WebhookDispatcherOptions options;
  options.destinations = *net::DestinationPolicy::Parse(hosts);
  return options;
}

TEST_F(WebhookDispatcherTest, RecordsBeforeReturningAndBacksOffOnTheInjectedClock) {
  WebhookReceiver receiver({500, 503});
  AddHook("h", receiver.url());
  // Time stands still until the test moves it.
  ferry::testing::FakeClock clock(1000);
  WebhookDispatcher dispatcher(*store_, clock, SystemRandom(), Allowing("127.0.0.1"));
  ASSERT_TRUE(dispatcher.Start().ok());
  dispatcher.OnRegistryEvent(Event(1));
  EXPECT_EQ(Only("h").state, DeliveryState::kPending);  // already in the store

  auto step = [&](int64_t ms) {
    clock.AdvanceMillis(ms);
    dispatcher.WakeUp();
    dispatcher.WaitUntilQuiet();
    return receiver.bodies().size();
  };
  EXPECT_EQ(step(0), 1u);
  EXPECT_EQ(step(499), 1u);  // 0.5 s backoff not over
  EXPECT_EQ(step(1), 2u);
  EXPECT_EQ(step(999), 2u);  // then 1 s
  EXPECT_EQ(step(1), 3u);
  dispatcher.WaitIdle();
  WebhookDelivery d = Only("h");
  EXPECT_EQ(d.state, DeliveryState::kSucceeded);
  ASSERT_EQ(d.attempts.size(), 3u);
  EXPECT_EQ(d.attempts[0].http_status, 500);
  EXPECT_EQ(d.attempts[1].http_status, 503);
  EXPECT_EQ(d.attempts[2].http_status, 200);
  EXPECT_EQ(d.attempts[2].timestamp - d.attempts[0].timestamp, 1500);
}

TEST_F(WebhookDispatcherTest, AWebhookHearsOnlyItsWorkspacesModels) {
  Webhook in_a{"a", "http://127.0.0.1:9/", {"model_version.created"}, "", "", 1};
  in_a.workspace = "team-a";
  ASSERT_TRUE(store_->CreateWebhook(in_a).ok());
  AddHook("d", "http://127.0.0.1:9/");  // default
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), Allowing("127.0.0.1"));
  // Not started: deliveries are recorded, none is sent.
  RegistryEvent e = Event(1);
  e.workspace = "team-a";
  dispatcher.OnRegistryEvent(e);
  EXPECT_EQ(store_->ListDeliveries("a", 10)->size(), 1u);
  EXPECT_TRUE(store_->ListDeliveries("d", 10)->empty());
  e.workspace = "team-b";
  dispatcher.OnRegistryEvent(e);
  dispatcher.OnRegistryEvent(Event(2));  // default
  EXPECT_EQ(store_->ListDeliveries("a", 10)->size(), 1u);
  EXPECT_EQ(store_->ListDeliveries("d", 10)->size(), 1u);
  EXPECT_EQ(store_->GetWebhook("a")->workspace, "team-a");
}

TEST_F(WebhookDispatcherTest, AFullQueueRecordsWhyTheRestWasNotSent) {
  WebhookReceiver hole({}, WebhookReceiver::Mode::kBlackHole);
  AddHook("h", hole.url());
  WebhookDispatcherOptions options = Allowing("127.0.0.1");
  options.max_queued_per_webhook = 2;
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), options);
  // Not started: nothing leaves the queue.
  for (int v = 1; v <= 4; ++v) dispatcher.OnRegistryEvent(Event(v));
  auto list = store_->ListDeliveries("h", 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  int pending = 0;
  int failed = 0;
  for (const WebhookDelivery& d : *list) {
    if (d.state == DeliveryState::kPending) ++pending;
    if (d.state != DeliveryState::kFailed) continue;
    ++failed;
    ASSERT_EQ(d.attempts.size(), 1u);
    EXPECT_EQ(d.attempts[0].error,
              "not sent: 2 earlier deliveries to this webhook are still queued");
  }
  EXPECT_EQ(pending, 2);
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(hole.connections(), 0);
}

TEST_F(WebhookDispatcherTest, InternalAddressesAreRefusedInEverySpellingWithoutRetry) {
  WebhookReceiver hostile;
  std::string port = std::to_string(hostile.port());
  std::vector<std::string> urls = {
      hostile.url(), "http://2130706433:" + port + "/hook", "http://0177.0.0.1:" + port + "/hook",
      "http://[::ffff:127.0.0.1]:" + port + "/hook", "http://localhost:" + port + "/hook"};
  for (size_t i = 0; i < urls.size(); ++i) AddHook("h" + std::to_string(i), urls[i]);
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom());
  ASSERT_TRUE(dispatcher.Start().ok());
  dispatcher.OnRegistryEvent(Event(1));
  dispatcher.WaitIdle();
  EXPECT_EQ(hostile.connections(), 0);
  for (size_t i = 0; i < urls.size(); ++i) {
    WebhookDelivery d = Only("h" + std::to_string(i));
    EXPECT_EQ(d.state, DeliveryState::kFailed) << urls[i];
    ASSERT_EQ(d.attempts.size(), 1u) << urls[i];
    EXPECT_NE(d.attempts[0].error.find("refused to connect to"), std::string::npos)
        << d.attempts[0].error;
    EXPECT_NE(d.attempts[0].error.find("(a loopback address)"), std::string::npos)
        << d.attempts[0].error;
    EXPECT_NE(d.attempts[0].error.find("--webhook-allow-hosts"), std::string::npos);
  }
}

TEST_F(WebhookDispatcherTest, AnAttemptAtABlackHoleTimesOut) {
  WebhookReceiver hole({}, WebhookReceiver::Mode::kBlackHole);
  AddHook("h", hole.url());
  WebhookDispatcherOptions options = Allowing("127.0.0.1");
  options.max_retries = 0;
  options.request_timeout_ms = 300;
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), options);
  ASSERT_TRUE(dispatcher.Start().ok());
  dispatcher.OnRegistryEvent(Event(1));
  dispatcher.WaitIdle();
  WebhookDelivery d = Only("h");
  EXPECT_EQ(d.state, DeliveryState::kFailed);
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_EQ(d.attempts[0].error.find("timed out talking to http://127.0.0.1:"), 0u)
      << d.attempts[0].error;
  EXPECT_EQ(hole.connections(), 1);
}

TEST_F(WebhookDispatcherTest, RedirectsAreNotFollowed) {
  WebhookReceiver receiver({307});
  AddHook("h", receiver.url());
  WebhookDispatcherOptions options = Allowing("127.0.0.1");
  options.max_retries = 0;
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), options);
  ASSERT_TRUE(dispatcher.Start().ok());
  dispatcher.OnRegistryEvent(Event(1));
  dispatcher.WaitIdle();
  EXPECT_EQ(receiver.connections(), 1);
  WebhookDelivery d = Only("h");
  EXPECT_EQ(d.state, DeliveryState::kFailed);
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_EQ(d.attempts[0].error, "HTTP 307");
}

TEST_F(WebhookDispatcherTest, AllowedLoopbackIsDeliveredIncludingIpv6Literals) {
  WebhookReceiver v4;
  WebhookReceiver v6({}, WebhookReceiver::Mode::kAnswer, /*ipv6=*/true);
  AddHook("v4", v4.url());
  if (v6.ok()) AddHook("v6", v6.url());
  {
    WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), Allowing("127.0.0.1"));
    ASSERT_TRUE(dispatcher.Start().ok());
    dispatcher.OnRegistryEvent(Event(1));
    dispatcher.WaitIdle();
  }
  EXPECT_EQ(v4.bodies().size(), 1u);
  EXPECT_EQ(Only("v4").state, DeliveryState::kSucceeded);
  if (!v6.ok()) GTEST_SKIP() << "no IPv6 loopback here";
  EXPECT_EQ(v6.connections(), 0);
  EXPECT_NE(Only("v6").attempts[0].error.find("refused to connect to ::1 (a loopback address)"),
            std::string::npos);
  WebhookDispatcher dispatcher(*store_, SystemClock(), SystemRandom(), Allowing("[::1]"));
  ASSERT_TRUE(dispatcher.Start().ok());
  dispatcher.OnRegistryEvent(Event(2));
  dispatcher.WaitIdle();
  EXPECT_EQ(v6.bodies().size(), 1u);
}

}  // namespace
}  // namespace ferry::registry
