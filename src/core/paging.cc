#include "core/paging.h"

#include "common/json.h"
#include "common/strings.h"

namespace ferry {

std::string EncodePageToken(int64_t offset) {
  return Base64Encode("{\"offset\": " + std::to_string(offset) + "}");
}

absl::StatusOr<int64_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return 0;
  auto bad = absl::InvalidArgumentError("Invalid page token, could not base64-decode");
  auto decoded = Base64Decode(token);
  if (!decoded) return bad;
  auto json = ParseJson(*decoded);
  if (!json.ok() || !json->is_object()) {
    return absl::InvalidArgumentError("Invalid page token, decoded value=" + *decoded);
  }
  const JsonValue* offset = json->Find("offset");
  if (offset == nullptr || !offset->is_integer() || offset->as_int() < 0) {
    return absl::InvalidArgumentError("Invalid page token, parsed value=" + *decoded);
  }
  return offset->as_int();
}

absl::StatusOr<int64_t> CheckMaxResults(std::optional<int64_t> requested, int64_t fallback,
                                        int64_t limit) {
  int64_t n = requested.value_or(fallback);
  if (n < 1 || n > limit) {
    return absl::InvalidArgumentError(
        "Invalid value for request parameter max_results. It must be at most " +
        std::to_string(limit) + " and at least 1, but got value " + std::to_string(n));
  }
  return n;
}

}  // namespace ferry
