#include "pipeline/trigger/webhook_match.h"

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

TriggerSpec Alert(const std::string& deployment, const std::string& type) {
  TriggerSpec t;
  t.kind = TriggerKind::kAlert;
  t.deployment = deployment;
  t.alert_type = type;
  return t;
}

TriggerSpec Registry(const std::string& event, const std::string& model) {
  TriggerSpec t;
  t.kind = TriggerKind::kRegistryEvent;
  t.event = event;
  t.model = model;
  return t;
}

std::string AlertBody(const std::string& action, const std::string& deployment,
                      const std::string& kind) {
  return R"({"entity":"monitoring_alert","action":")" + action +
         R"(","timestamp":"2026-12-07T06:00:00.000000+00:00","data":{"kind":")" + kind +
         R"(","state":"firing","deployment":")" + deployment +
         R"(","first_window":3,"last_window":4,"columns":["x1","x2"],"stattests":["sketch_ks"],)"
         R"("statistics":[0.4],"message":"drift"}})";
}

constexpr char kVersionCreated[] =
    R"({"entity":"model_version","action":"created","timestamp":"t","data":{"name":"bc",)"
    R"("version":"3","source":"s3://x","run_id":null,"tags":{},"description":null}})";

TEST(WebhookMatchTest, SubscribesToWhatTheTriggersNeed) {
  TriggerSpec schedule;
  schedule.kind = TriggerKind::kSchedule;
  EXPECT_TRUE(WebhookEventsFor({schedule}).empty());
  EXPECT_EQ(WebhookEventsFor({Alert("a", "drift"), Registry("model_version.created", ""),
                              Alert("b", "any"), Registry("model_version.created", "bc")}),
            (std::vector<std::string>{"model_version.created", "monitoring_alert.firing"}));
}

TEST(WebhookMatchTest, AlertTriggerFiresOnItsDeploymentAndType) {
  const std::vector<TriggerSpec> triggers = {Alert("recsys", "drift")};
  auto hit = MatchWebhook(triggers, AlertBody("firing", "recsys", "data_drift"), 77);
  ASSERT_TRUE(hit.ok()) << hit.status();
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->kind, TriggerKind::kAlert);
  EXPECT_EQ((*hit)->detail, "monitoring_alert: data_drift on recsys (window 4, columns x1,x2)");
  EXPECT_EQ((*hit)->at_unix, 77);
  EXPECT_TRUE(
      MatchWebhook(triggers, AlertBody("firing", "recsys", "prediction_drift"), 1)->has_value());
  EXPECT_FALSE(
      MatchWebhook(triggers, AlertBody("resolved", "recsys", "data_drift"), 1)->has_value());
  EXPECT_FALSE(MatchWebhook(triggers, AlertBody("firing", "other", "data_drift"), 1)->has_value());
  EXPECT_FALSE(MatchWebhook(triggers, AlertBody("firing", "recsys", "quality"), 1)->has_value());
  EXPECT_TRUE(
      MatchWebhook({Alert("recsys", "quality")}, AlertBody("firing", "recsys", "quality"), 1)
          ->has_value());
  EXPECT_TRUE(MatchWebhook({Alert("recsys", "any")}, AlertBody("firing", "recsys", "bias"), 1)
                  ->has_value());
}

TEST(WebhookMatchTest, RegistryTriggerFiresOnItsEventAndModel) {
  auto any = MatchWebhook({Registry("model_version.created", "")}, kVersionCreated, 5);
  ASSERT_TRUE(any.ok() && any->has_value());
  EXPECT_EQ((*any)->kind, TriggerKind::kRegistryEvent);
  EXPECT_EQ((*any)->detail, "registry: model_version.created bc v3");
  EXPECT_TRUE(
      MatchWebhook({Registry("model_version.created", "bc")}, kVersionCreated, 5)->has_value());
  EXPECT_FALSE(
      MatchWebhook({Registry("model_version.created", "churn")}, kVersionCreated, 5)->has_value());
  EXPECT_FALSE(
      MatchWebhook({Registry("registered_model.created", "")}, kVersionCreated, 5)->has_value());
  auto alias = MatchWebhook(
      {Registry("model_version_alias.created", "bc")},
      R"({"entity":"model_version_alias","action":"created","data":{"name":"bc","alias":"champion","version":"2"}})",
      5);
  ASSERT_TRUE(alias.ok() && alias->has_value());
  EXPECT_EQ((*alias)->detail, "registry: model_version_alias.created bc @champion v2");
}

TEST(WebhookMatchTest, FirstMatchingTriggerWins) {
  auto hit = MatchWebhook({Registry("model_version.created", "other"), Alert("bc", "any"),
                           Registry("model_version.created", "bc")},
                          kVersionCreated, 5);
  ASSERT_TRUE(hit.ok() && hit->has_value());
  EXPECT_EQ((*hit)->kind, TriggerKind::kRegistryEvent);
}

TEST(WebhookMatchTest, ABodyThatIsNoDeliveryIsAnError) {
  const std::vector<TriggerSpec> triggers = {Alert("a", "any")};
  for (const char* body :
       {"", "not json", "[]", R"({"entity":"x"})", R"({"entity":"x","action":"y","data":[]})"}) {
    auto r = MatchWebhook(triggers, body, 1);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
}

}  // namespace
}  // namespace ferry::pipeline
