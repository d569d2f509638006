// FrequentItems::EncodeTo / DecodeFrom: the sketch's part of the profile encoding.
#include <algorithm>
#include <string>

#include "monitoring/profile/byte_io.h"
#include "monitoring/profile/frequent_items.h"
#include "monitoring/profile/hash.h"

namespace ferry::monitoring {

void FrequentItems::EncodeTo(ByteWriter& out) const {
  std::vector<size_t> live;
  for (size_t i = 0; i < table_.size(); ++i) {
    if (table_[i].count != 0) live.push_back(i);
  }
  std::sort(live.begin(), live.end(), [this](size_t a, size_t b) { return keys_[a] < keys_[b]; });
  out.U8(lg_max_k_);
  out.U64(stream_weight_);
  out.U64(offset_);
  out.U32(static_cast<uint32_t>(live.size()));
  for (size_t i : live) {
    out.Bytes(keys_[i]);
    out.U64(table_[i].count);
  }
}

absl::StatusOr<FrequentItems> FrequentItems::DecodeFrom(ByteReader& in) {
  uint8_t lg_max_k = 0;
  uint64_t stream_weight = 0, offset = 0;
  uint32_t count = 0;
  RETURN_IF_ERROR(in.U8(&lg_max_k, "items.lg_max_k"));
  if (lg_max_k < 3 || lg_max_k > 16) {
    return in.InvalidAt(in.offset() - 1, "items.lg_max_k",
                        std::to_string(lg_max_k) + " outside [3, 16]");
  }
  RETURN_IF_ERROR(in.U64(&stream_weight, "items.stream_weight"));
  RETURN_IF_ERROR(in.U64(&offset, "items.offset"));
  if (offset > stream_weight)
    return in.InvalidAt(in.offset() - 8, "items.offset", "over the stream weight");
  const size_t count_at = in.offset();
  RETURN_IF_ERROR(in.U32(&count, "items.count"));
  FrequentItems sketch(lg_max_k);
  if (count > sketch.MaxMapSize()) {
    return in.InvalidAt(count_at, "items.count",
                        std::to_string(count) + " over " + std::to_string(sketch.MaxMapSize()));
  }
  RETURN_IF_ERROR(in.Need(count, 12, "items"));
  uint64_t total = 0;
  std::string_view previous;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = in.offset();
    std::string_view key;
    uint64_t counter = 0;
    RETURN_IF_ERROR(in.Bytes(&key, kMaxItemBytes, "items.item"));
    if (i > 0 && key <= previous) {
      return in.InvalidAt(at, "items.item", "items not sorted or repeated");
    }
    RETURN_IF_ERROR(in.U64(&counter, "items.counter"));
    if (counter == 0 || counter > stream_weight - total) {
      return in.InvalidAt(at, "items.counter", "zero, or counters over the stream weight");
    }
    total += counter;
    sketch.Insert(key, HashBytes(key), counter);
    if (sketch.size_ * 2 > sketch.table_.size()) sketch.MakeRoom();
    previous = key;
  }
  sketch.stream_weight_ = stream_weight;
  sketch.offset_ = offset;
  return sketch;
}

}  // namespace ferry::monitoring
