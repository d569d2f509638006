// SqliteStore's WebhookStore: subscriptions, the delivery log and pending deliveries.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using testing::SqliteStoreTest;

TEST_F(SqliteStoreTest, WebhooksAndDeliveryLog) {
  Webhook w{"w1", "http://127.0.0.1:1/hook", {"model_version.created"}, "s3cret", "d", 100};
  ASSERT_TRUE(store_->CreateWebhook(w).ok());
  auto got = store_->GetWebhook("w1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->events, w.events);
  EXPECT_EQ(got->secret, "s3cret");
  EXPECT_EQ(store_->ListWebhooks()->size(), 1u);
  EXPECT_TRUE(absl::IsNotFound(store_->GetWebhook("nope").status()));

  WebhookDelivery d;
  d.delivery_id = "d1";
  d.webhook_id = "w1";
  d.event = "model_version.created";
  d.payload = "{}";
  d.creation_timestamp = 200;
  WebhookDelivery orphan = d;
  orphan.delivery_id = "d2";
  orphan.webhook_id = "gone";
  ASSERT_TRUE(store_->AddDeliveries({d, orphan}).ok());
  auto pending = store_->ListPendingDeliveries();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);

  ASSERT_TRUE(
      store_->RecordDeliveryAttempt("d1", {1, 300, 5, 500, "HTTP 500"}, DeliveryState::kPending)
          .ok());
  ASSERT_TRUE(
      store_->RecordDeliveryAttempt("d1", {2, 400, 3, 200, ""}, DeliveryState::kSucceeded).ok());
  EXPECT_TRUE(store_->ListPendingDeliveries()->empty());
  auto log = store_->ListDeliveries("w1", 10);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].state, DeliveryState::kSucceeded);
  ASSERT_EQ((*log)[0].attempts.size(), 2u);
  EXPECT_EQ((*log)[0].attempts[0].http_status, 500);
  EXPECT_EQ((*log)[0].attempts[1].http_status, 200);

  ASSERT_TRUE(store_->DeleteWebhook("w1").ok());
  EXPECT_TRUE(absl::IsNotFound(
      store_->RecordDeliveryAttempt("d1", {3, 500, 1, 200, ""}, DeliveryState::kSucceeded)));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteWebhook("w1")));
  EXPECT_TRUE(absl::IsNotFound(store_->ListDeliveries("w1", 10).status()));
}

}  // namespace
}  // namespace ferry::store::sqlite
