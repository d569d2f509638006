#include "cli/pipeline/webhook_listener.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "net/http_client.h"
#include "registry/webhook_signature.h"

namespace ferry::cli {
namespace {

constexpr char kSecret[] = "test-secret";

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class WebhookListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = WebhookListener::Start(
        "127.0.0.1:0", kSecret, [this](const std::string& body) -> absl::StatusOr<bool> {
          std::lock_guard<std::mutex> lock(mu_);
          bodies_.push_back(body);
          if (body == "not a delivery") return absl::InvalidArgumentError("expected a delivery");
          return body.find("fire") != std::string::npos;
        });
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
  }

  // POSTs `body` to the listener with these headers (a header left empty is not sent).
  net::ClientResponse Post(const std::string& body, const std::string& id, const std::string& ts,
                           const std::string& signature) {
    auto http = net::HttpClient::ForUri("http://127.0.0.1:" + std::to_string(listener_->port()));
    EXPECT_TRUE(http.ok());
    net::ClientRequest req;
    req.method = "POST";
    req.target = "/webhook";
    req.body = body;
    req.headers = {{"Content-Type", "application/json"}};
    if (!id.empty()) req.headers.push_back({registry::kWebhookDeliveryIdHeader, id});
    if (!ts.empty()) req.headers.push_back({registry::kWebhookTimestampHeader, ts});
    if (!signature.empty()) req.headers.push_back({registry::kWebhookSignatureHeader, signature});
    auto resp = http->Do(req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    return resp.ok() ? *resp : net::ClientResponse{};
  }

  net::ClientResponse PostSigned(const std::string& body, const std::string& id, int64_t ts) {
    const std::string t = std::to_string(ts);
    return Post(body, id, t, registry::WebhookSignature(kSecret, id, t, body));
  }

  size_t delivered() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_.size();
  }

  std::unique_ptr<WebhookListener> listener_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

TEST_F(WebhookListenerTest, AcceptsASignedDeliveryOnce) {
  EXPECT_EQ(listener_->url(), "http://127.0.0.1:" + std::to_string(listener_->port()) + "/webhook");
  net::ClientResponse ok = PostSigned("please fire", "d-1", NowSeconds());
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"fired":true})");
  EXPECT_EQ(PostSigned("no match", "d-2", NowSeconds()).body, R"({"fired":false})");
  EXPECT_EQ(delivered(), 2u);
  // The server retries a delivery whose answer it lost: acknowledged, not passed on again.
  net::ClientResponse again = PostSigned("please fire", "d-1", NowSeconds());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(delivered(), 2u);
  // A signed body that is no delivery: 400, not 401.
  EXPECT_EQ(PostSigned("not a delivery", "d-3", NowSeconds()).status, 400);
  EXPECT_EQ(listener_->rejected(), 0);
}

TEST_F(WebhookListenerTest, RefusesUnsignedForgedAndStaleDeliveries) {
  const std::string now = std::to_string(NowSeconds());
  const std::string good = registry::WebhookSignature(kSecret, "d-1", now, "please fire");
  EXPECT_EQ(Post("please fire", "", "", "").status, 401);         // unsigned
  EXPECT_EQ(Post("please fire", "d-1", now, "").status, 401);     // no signature
  EXPECT_EQ(Post("please fire", "d-1", "", good).status, 401);    // no timestamp
  EXPECT_EQ(Post("please fire!", "d-1", now, good).status, 401);  // body changed
  EXPECT_EQ(Post("please fire", "d-2", now, good).status, 401);   // id changed
  EXPECT_EQ(Post("please fire", "d-1", now,
                 registry::WebhookSignature("other", "d-1", now, "please fire"))
                .status,
            401);                                                                // another secret
  EXPECT_EQ(PostSigned("please fire", "d-3", NowSeconds() - 3600).status, 401);  // stale
  EXPECT_EQ(PostSigned("please fire", "d-4", NowSeconds() + 3600).status, 401);  // future
  net::ClientResponse refused = Post("please fire", "", "", "");
  EXPECT_NE(refused.body.find("UNAUTHENTICATED"), std::string::npos) << refused.body;
  EXPECT_EQ(delivered(), 0u);
  EXPECT_EQ(listener_->rejected(), 9);
  // A refused id is not remembered: the genuine delivery still goes through.
  EXPECT_EQ(Post("please fire", "d-1", now, good).status, 200);
  EXPECT_EQ(delivered(), 1u);
}

TEST(WebhookListenerStart, BadAddressIsAnError) {
  auto none = [](const std::string&) -> absl::StatusOr<bool> { return false; };
  EXPECT_EQ(WebhookListener::Start("localhost", "s", none).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WebhookListener::Start(":80", "s", none).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WebhookListener::Start("127.0.0.1:99999", "s", none).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::cli
