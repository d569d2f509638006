// Webhook event names, payload shapes (MLflow's) and the signature scheme.

#include "registry/webhook_events.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "registry/webhook_signature.h"

namespace ferry::registry {
namespace {

TEST(WebhookEventsTest, NamesFollowMlflow) {
  EXPECT_EQ(WebhookEventName(RegistryEventType::kModelVersionCreated), "model_version.created");
  EXPECT_EQ(WebhookEventName(RegistryEventType::kModelVersionAliasSet),
            "model_version_alias.created");
  EXPECT_EQ(WebhookEventName(RegistryEventType::kModelVersionTagSet), "model_version_tag.set");
  EXPECT_EQ(WebhookEventName(RegistryEventType::kModelVersionStageChanged),
            "model_version.stage_changed");
  EXPECT_TRUE(IsKnownWebhookEvent("registered_model.created"));
  EXPECT_FALSE(IsKnownWebhookEvent("model_version.exploded"));
  EXPECT_EQ(KnownWebhookEvents().size(), 10u);
  EXPECT_TRUE(IsKnownWebhookEvent("monitoring_alert.firing"));
  EXPECT_TRUE(IsKnownWebhookEvent("monitoring_alert.resolved"));
}

TEST(WebhookEventsTest, MonitoringAlertCarriesItsDataAsIs) {
  RegistryEvent e;
  e.type = RegistryEventType::kMonitoringAlertFiring;
  e.model_name = "iris";
  e.timestamp_ms = 1700000000123;
  e.data_json = R"({"kind":"data_drift","columns":["x"]})";
  auto json = ParseJson(WebhookPayload(e));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->Find("entity")->as_string(), "monitoring_alert");
  EXPECT_EQ(json->Find("action")->as_string(), "firing");
  EXPECT_EQ(json->Find("data")->Find("kind")->as_string(), "data_drift");
  EXPECT_EQ(json->Find("data")->Find("columns")->items()[0].as_string(), "x");
}

TEST(WebhookEventsTest, PayloadShape) {
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionCreated;
  e.model_name = "m";
  e.version = 3;
  e.source = "s3://b/m";
  e.tags = {{"k", "v"}};
  e.timestamp_ms = 1700000000123;
  auto json = ParseJson(WebhookPayload(e));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->Find("entity")->as_string(), "model_version");
  EXPECT_EQ(json->Find("action")->as_string(), "created");
  EXPECT_EQ(json->Find("timestamp")->as_string(), "2023-11-14T22:13:20.123000+00:00");
  const JsonValue* data = json->Find("data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->Find("version")->as_string(), "3");
  EXPECT_TRUE(data->Find("run_id")->is_null());
  EXPECT_EQ(data->Find("tags")->Find("k")->as_string(), "v");
  EXPECT_TRUE(data->Find("description")->is_null());
}

TEST(WebhookSignatureTest, KnownAnswer) {
  // Computed with Python's hmac module, as MLflow's receivers verify it.
  EXPECT_EQ(WebhookSignature("secret", "d1", "1700000000", R"({"a":1})"),
            "v1,wlU8/88X8uHW0WG8enjE55SLdEN4T5sdonj5u63gXK4=");
}

}  // namespace
}  // namespace ferry::registry
