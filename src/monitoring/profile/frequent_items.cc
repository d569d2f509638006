#include "monitoring/profile/frequent_items.h"

#include <algorithm>

#include "monitoring/profile/hash.h"

namespace ferry::monitoring {

FrequentItems::FrequentItems(uint8_t lg_max_k)
    : lg_max_k_(std::clamp<uint8_t>(lg_max_k, 3, 16)), table_(8), keys_(8) {}

std::string_view FrequentItems::Truncate(std::string_view item) {
  if (item.size() <= kMaxItemBytes) return item;
  size_t end = kMaxItemBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
  while (end > 0 && (static_cast<uint8_t>(item[end]) & 0xC0) == 0x80) --end;
  return item.substr(0, end);
}

void FrequentItems::Insert(std::string_view key, uint64_t hash, uint64_t count) {
  const size_t mask = table_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Entry& e = table_[i];
    if (e.count == 0) {
      e.hash = hash;
      e.count = count;
      keys_[i].assign(key.data(), key.size());
      ++size_;
      return;
    }
    if (e.hash == hash && keys_[i] == key) {
      e.count += count;
      return;
    }
  }
}

void FrequentItems::Update(std::string_view item, uint64_t hash, uint64_t weight) {
  if (weight == 0) return;
  stream_weight_ += weight;
  Insert(item, hash, weight);
  if (size_ * 2 > table_.size()) MakeRoom();
}

void FrequentItems::Update(std::string_view item) {
  const std::string_view key = Truncate(item);
  Update(key, HashBytes(key));
}

void FrequentItems::MakeRoom() {
  if (table_.size() < MaxTableSize()) {
    Rebuild(table_.size() * 2, 0);
  } else if (size_ > MaxMapSize()) {
    Purge();
  }
}

// Re-inserts every counter above `subtract`, less `subtract`, into a table of `table_size`
// slots (linear probing has no cheap deletion). The old buffers are kept for the next time.
void FrequentItems::Rebuild(size_t table_size, uint64_t subtract) {
  old_table_.swap(table_);
  old_keys_.swap(keys_);
  table_.assign(table_size, Entry{});
  keys_.resize(table_size);
  size_ = 0;
  for (size_t i = 0; i < old_table_.size(); ++i) {
    if (old_table_[i].count > subtract) {
      Insert(old_keys_[i], old_table_[i].hash, old_table_[i].count - subtract);
    }
  }
}

// Subtracts the median counter from all and drops those left at or below 0.
void FrequentItems::Purge() {
  scratch_.clear();
  for (const Entry& e : table_) {
    if (e.count != 0) scratch_.push_back(e.count);
  }
  auto mid = scratch_.begin() + scratch_.size() / 2;
  std::nth_element(scratch_.begin(), mid, scratch_.end());
  const uint64_t median = *mid;
  Rebuild(table_.size(), median);
  offset_ += median;
}

void FrequentItems::Merge(const FrequentItems& other) {
  if (&other == this) {
    const FrequentItems copy = other;
    Merge(copy);
    return;
  }
  const uint64_t weight = stream_weight_ + other.stream_weight_;
  for (size_t i = 0; i < other.table_.size(); ++i) {
    const Entry& e = other.table_[i];
    if (e.count != 0) Update(other.keys_[i], e.hash, e.count);
  }
  stream_weight_ = weight;
  offset_ += other.offset_;
}

std::vector<FrequentItem> FrequentItems::AllItems() const {
  std::vector<FrequentItem> out;
  out.reserve(size_);
  for (size_t i = 0; i < table_.size(); ++i) {
    const uint64_t c = table_[i].count;
    if (c != 0) out.push_back({keys_[i], c + offset_, c, c + offset_});
  }
  return out;
}

std::vector<FrequentItem> FrequentItems::TopItems(size_t limit) const {
  std::vector<FrequentItem> out = AllItems();
  std::erase_if(out, [this](const FrequentItem& f) { return f.lower <= offset_; });
  std::sort(out.begin(), out.end(), [](const FrequentItem& a, const FrequentItem& b) {
    return a.estimate != b.estimate ? a.estimate > b.estimate : a.item < b.item;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace ferry::monitoring
