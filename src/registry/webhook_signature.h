#pragma once
// MLflow's webhook signature: "v1," + base64(HMAC-SHA256(secret,
// "<delivery_id>.<timestamp>.<body>")), sent in X-MLflow-Signature with the delivery id
// (X-MLflow-Delivery-Id) and the Unix time in seconds (X-MLflow-Timestamp) it covers.

#include <string>
#include <string_view>

namespace ferry::registry {

inline constexpr char kWebhookSignatureHeader[] = "X-MLflow-Signature";
inline constexpr char kWebhookTimestampHeader[] = "X-MLflow-Timestamp";
inline constexpr char kWebhookDeliveryIdHeader[] = "X-MLflow-Delivery-Id";

std::string WebhookSignature(std::string_view secret, std::string_view delivery_id,
                             std::string_view timestamp, std::string_view body);

}  // namespace ferry::registry
