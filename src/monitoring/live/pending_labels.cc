#include "monitoring/live/pending_labels.h"

namespace ferry::monitoring {

// One hash of the id per request to insert it and one to erase it; rows only touch the queue.

void PendingLabels::BeginRequest(const std::string& request_id) {
  if (capacity_ == 0) return;
  const uint64_t seq = front_seq_ + rows_.size();
  auto [it, inserted] = index_.try_emplace(request_id);
  it->second = Request{seq, 0};
  requests_.push_back(Queued{&*it, seq, 0});
}

void PendingLabels::AddRow(PendingRow row) {
  if (capacity_ == 0 || requests_.empty()) return;
  rows_.push_back(row);
  Queued& last = requests_.back();
  ++last.rows;
  if (last.entry->second.first_seq == last.first_seq) last.entry->second.rows = last.rows;
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
    const Queued& r = requests_.front();
    if (r.entry->second.first_seq == r.first_seq) index_.erase(r.entry->first);
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
