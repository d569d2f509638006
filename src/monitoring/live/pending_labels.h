#pragma once
// The predictions remembered for labels posted later: a row of type `Row` per row of each
// request (for the window monitor: the window it went to and its row in that window's
// buffer; for per-version quality: the version and the prediction). A bounded FIFO: past
// `capacity` rows the oldest are forgotten (their labels then count as unknown). Internal to
// live/.
//
// One hash of the id per request to insert it and one to erase it; rows only touch the queue.

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

template <typename Row>
class PendingRows {
 public:
  explicit PendingRows(size_t capacity) : capacity_(capacity) {}

  // Starts the rows of `request_id` (a later request with the same id replaces it).
  void BeginRequest(const std::string& request_id) {
    if (capacity_ == 0) return;
    const uint64_t seq = front_seq_ + rows_.size();
    auto [it, inserted] = index_.try_emplace(request_id);
    it->second = Request{seq, 0};
    requests_.push_back(Queued{&*it, seq, 0});
  }

  // Appends the next row of the current request.
  void AddRow(Row row) {
    if (capacity_ == 0 || requests_.empty()) return;
    rows_.push_back(std::move(row));
    Queued& last = requests_.back();
    ++last.rows;
    if (last.entry->second.first_seq == last.first_seq) last.entry->second.rows = last.rows;
    Evict();
  }

  // Row `row` of `request_id`, or nullptr when unknown or forgotten.
  Row* Find(const std::string& request_id, uint64_t row) {
    auto it = index_.find(request_id);
    if (it == index_.end() || row >= it->second.rows) return nullptr;
    const uint64_t seq = it->second.first_seq + row;
    if (seq < front_seq_) return nullptr;
    return &rows_[seq - front_seq_];
  }

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
    typename Index::value_type* entry = nullptr;
    uint64_t first_seq = 0;
    uint64_t rows = 0;
  };

  void Evict() {
    while (rows_.size() > capacity_) {
      rows_.pop_front();
      ++front_seq_;
    }
    // Requests whose rows are all gone (the last one stays: it may still grow).
    while (requests_.size() > 1 &&
           requests_.front().first_seq + requests_.front().rows <= front_seq_) {
      const Queued& r = requests_.front();
      if (r.entry->second.first_seq == r.first_seq) index_.erase(r.entry->first);
      requests_.pop_front();
    }
  }

  size_t capacity_;
  uint64_t front_seq_ = 0;  // sequence number of rows_.front()
  std::deque<Row> rows_;
  std::deque<Queued> requests_;
  Index index_;
};

using PendingLabels = PendingRows<PendingRow>;

}  // namespace ferry::monitoring
