#include "core/dataset_digest.h"

namespace ferry {

std::string MlflowDatasetDigest(std::string_view digest) {
  constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() == kPrefix.size() + 64 && digest.substr(0, kPrefix.size()) == kPrefix) {
    return std::string(digest.substr(kPrefix.size(), 32));
  }
  return std::string(digest);
}

}  // namespace ferry
