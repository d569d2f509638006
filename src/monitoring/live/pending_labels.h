#pragma once
// The predictions remembered for labels posted later: per row of each request, the window it
// went to and its row in that window's buffer. A bounded FIFO: past `capacity` rows the
// oldest are forgotten (their labels then count as unknown). Internal to live/.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace ferry::monitoring {

struct PendingRow {
  static constexpr uint32_t kUnbuffered = UINT32_MAX;
  uint64_t window = 0;
  uint32_t buffer_row = kUnbuffered;  // row in the window's buffer, or kUnbuffered
  bool labelled = false;
};

class PendingLabels {
 public:
  explicit PendingLabels(size_t capacity) : capacity_(capacity) {}

  // Starts the rows of `request_id` (a later request with the same id replaces it).
  void BeginRequest(const std::string& request_id);
  // Appends the next row of the current request.
  void AddRow(PendingRow row);

  // Row `row` of `request_id`, or nullptr when unknown or forgotten.
  PendingRow* Find(const std::string& request_id, uint64_t row);

  size_t size() const { return rows_.size(); }
  size_t requests() const { return index_.size(); }

 private:
  struct Request {
    uint64_t first_seq = 0;
    uint64_t rows = 0;
  };
  using Index = std::unordered_map<std::string, Request>;
  // A request in arrival order: its index entry (elements of an unordered_map stay put), which
  // a later request with the same id takes over (then first_seq differs).
  struct Queued {
    Index::value_type* entry = nullptr;
    uint64_t first_seq = 0;
    uint64_t rows = 0;
  };
  void Evict();

  size_t capacity_;
  uint64_t front_seq_ = 0;  // sequence number of rows_.front()
  std::deque<PendingRow> rows_;
  std::deque<Queued> requests_;
  Index index_;
};

}  // namespace ferry::monitoring
