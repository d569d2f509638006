#include "monitoring/live/live_options.h"

#include <cmath>
#include <string>

namespace ferry::monitoring {
namespace {

absl::Status Bad(const std::string& field, const std::string& reason) {
  return absl::InvalidArgumentError("live monitoring option " + field + ": " + reason);
}

bool InOpenUnit(double x) { return std::isfinite(x) && x > 0 && x < 1; }

}  // namespace

absl::Status ValidateLiveOptions(const LiveOptions& o) {
  if (o.window_ms < 0) return Bad("window_ms", "must be >= 0");
  if (o.window_rows == 0 && o.window_ms == 0) {
    return Bad("window_rows", "window_rows or window_ms must be set");
  }
  if (o.history_windows == 0) return Bad("history_windows", "must be >= 1");
  if (o.alert_after < 1) return Bad("alert_after", "must be >= 1");
  if (o.clear_after < 1) return Bad("clear_after", "must be >= 1");
  if (!(std::isfinite(o.drift_share) && o.drift_share > 0 && o.drift_share <= 1)) {
    return Bad("drift_share", "must be in (0, 1]");
  }
  if (!InOpenUnit(o.alpha)) return Bad("alpha", "must be in (0, 1)");
  if (!(std::isfinite(o.distance_threshold) && o.distance_threshold > 0)) {
    return Bad("distance_threshold", "must be > 0");
  }
  if (o.max_columns == 0) return Bad("max_columns", "must be >= 1");
  if (!(std::isfinite(o.quality_tolerance) && o.quality_tolerance >= 0)) {
    return Bad("quality_tolerance", "must be >= 0");
  }
  if (o.reference_quality && !std::isfinite(*o.reference_quality)) {
    return Bad("reference_quality", "must be finite");
  }
  if (o.min_quality_labels == 0) return Bad("min_quality_labels", "must be >= 1");
  if (!(std::isfinite(o.bias_threshold) && o.bias_threshold >= 0)) {
    return Bad("bias_threshold", "must be >= 0");
  }
  return absl::OkStatus();
}

}  // namespace ferry::monitoring
