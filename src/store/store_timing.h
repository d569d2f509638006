#pragma once
// How long metadata-store transactions take, for metrics. The store times each transaction
// (from asking for it, so waiting for the writer or a pooled reader counts) and tells the
// observer; what is done with the figures is up to the caller (app/ renders them on
// /metrics), so the store depends on nothing above it.

#include <cstdint>

namespace ferry::store {

class StoreTimingObserver {
 public:
  enum class Kind { kRead, kWrite };
  virtual ~StoreTimingObserver() = default;
  // Called after every transaction, from the thread that ran it: must be thread-safe and
  // cheap.
  virtual void OnTransaction(Kind kind, int64_t micros) = 0;
};

}  // namespace ferry::store
