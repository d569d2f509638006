#pragma once
// Frequent items (Misra-Gries with DataSketches' purge, as frequent_items_sketch): at most
// 0.75 * 2^lg_max_k counters in an open-addressing table that starts at 8 slots and doubles
// up to 2^(lg_max_k + 1). When the table overflows,
// the median counter is subtracted from every counter, counters at or below 0 are dropped and
// the median is added to the sketch's offset (its maximum error). An item's true count lies
// in [lower, upper] = [counter, counter + offset]. Items are truncated to 128 bytes (on a
// UTF-8 boundary). Mergeable; updates allocate only for new keys longer than the string's
// small buffer.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::monitoring {

class ByteReader;
class ByteWriter;

struct FrequentItem {
  std::string item;
  uint64_t estimate = 0;  // counter + offset
  uint64_t lower = 0;     // counter
  uint64_t upper = 0;     // counter + offset
};

class FrequentItems {
 public:
  static constexpr uint8_t kDefaultLgMaxK = 10;
  static constexpr size_t kMaxItemBytes = 128;

  explicit FrequentItems(uint8_t lg_max_k = kDefaultLgMaxK);

  // `item` is truncated here; `hash` must be HashBytes(truncated item) (see Truncate).
  void Update(std::string_view item, uint64_t hash, uint64_t weight = 1);
  void Update(std::string_view item);
  void Merge(const FrequentItems& other);

  // The first `max_bytes` bytes of `item`, not splitting a UTF-8 sequence.
  static std::string_view Truncate(std::string_view item);

  uint8_t lg_max_k() const { return lg_max_k_; }
  uint64_t stream_weight() const { return stream_weight_; }
  uint64_t maximum_error() const { return offset_; }
  size_t num_active() const { return size_; }
  // NO_FALSE_POSITIVES: the items whose lower bound exceeds the maximum error, by estimate
  // (ties by item), at most `limit` of them.
  std::vector<FrequentItem> TopItems(size_t limit) const;
  // Every counter (any order): for tests and encoding.
  std::vector<FrequentItem> AllItems() const;

  // u8 lg_max_k, u64 stream weight, u64 offset, u32 count, then (u32 len + bytes, u64
  // counter) per item, sorted by item.
  void EncodeTo(ByteWriter& out) const;
  static absl::StatusOr<FrequentItems> DecodeFrom(ByteReader& in);

 private:
  struct Entry {
    uint64_t hash = 0;
    uint64_t count = 0;  // 0: empty slot
  };
  size_t MaxMapSize() const { return ((size_t{1} << lg_max_k_) * 3) / 4; }
  // The table grows to 2^(lg_max_k + 1) slots, so that at most 768 of 2048 are used and
  // probes stay short (the key is compared only when the 64-bit hash matches).
  size_t MaxTableSize() const { return size_t{2} << lg_max_k_; }
  void Insert(std::string_view key, uint64_t hash, uint64_t count);
  // Doubles the table while it is below its maximum, else purges.
  void MakeRoom();
  void Rebuild(size_t table_size, uint64_t subtract);
  void Purge();

  uint8_t lg_max_k_;
  std::vector<Entry> table_;
  std::vector<std::string> keys_;  // parallel to table_
  size_t size_ = 0;
  uint64_t stream_weight_ = 0;
  uint64_t offset_ = 0;
  std::vector<uint64_t> scratch_;
  std::vector<Entry> old_table_;
  std::vector<std::string> old_keys_;
};

}  // namespace ferry::monitoring
