#include "registry/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/strings.h"

namespace ferry::registry {

std::string WebhookSignature(std::string_view secret, std::string_view delivery_id,
                             std::string_view timestamp, std::string_view body) {
  std::string signed_content;
  signed_content.reserve(delivery_id.size() + timestamp.size() + body.size() + 2);
  signed_content.append(delivery_id).append(".").append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac,
       &mac_len);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

}  // namespace ferry::registry
