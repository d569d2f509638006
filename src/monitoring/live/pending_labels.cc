#include "monitoring/live/pending_labels.h"

namespace ferry::monitoring {

void PendingLabels::BeginRequest(const std::string& request_id) {
  if (capacity_ == 0) return;
  Request r{request_id, front_seq_ + rows_.size(), 0};
  requests_.push_back(r);
  index_[request_id] = r;
}

void PendingLabels::AddRow(PendingRow row) {
  if (capacity_ == 0 || requests_.empty()) return;
  rows_.push_back(row);
  Request& last = requests_.back();
  ++last.rows;
  auto it = index_.find(last.id);
  if (it != index_.end() && it->second.first_seq == last.first_seq) it->second.rows = last.rows;
  Evict();
}

void PendingLabels::Evict() {
  while (rows_.size() > capacity_) {
    rows_.pop_front();
    ++front_seq_;
  }
  // Requests whose rows are all gone (the last one stays: it may still grow).
  while (requests_.size() > 1 &&
         requests_.front().first_seq + requests_.front().rows <= front_seq_) {
    const Request& r = requests_.front();
    auto it = index_.find(r.id);
    if (it != index_.end() && it->second.first_seq == r.first_seq) index_.erase(it);
    requests_.pop_front();
  }
}

PendingRow* PendingLabels::Find(const std::string& request_id, uint64_t row) {
  auto it = index_.find(request_id);
  if (it == index_.end() || row >= it->second.rows) return nullptr;
  const uint64_t seq = it->second.first_seq + row;
  if (seq < front_seq_) return nullptr;
  return &rows_[seq - front_seq_];
}

}  // namespace ferry::monitoring
