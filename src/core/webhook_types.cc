#include "core/webhook_types.h"

namespace ferry {

const char* DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSucceeded:
      return "succeeded";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "pending";
}

}  // namespace ferry
