#pragma once
// Little-endian writer and bounds-checked reader for the profile encoding. Every read error
// is kInvalidArgument "profile: offset N: <what>: <reason>", so a truncated or hostile input
// names the byte and the field where decoding stopped.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::monitoring {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Fixed(v, 2); }
  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void F64(double v);
  // A u32 length followed by the bytes.
  void Bytes(std::string_view bytes);
  void Raw(std::string_view bytes) { out_.append(bytes); }

  std::string Take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  void Fixed(uint64_t v, int bytes);
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  absl::Status U8(uint8_t* v, std::string_view what);
  absl::Status U16(uint16_t* v, std::string_view what);
  absl::Status U32(uint32_t* v, std::string_view what);
  absl::Status U64(uint64_t* v, std::string_view what);
  // Any double, NaN included; callers check the range they allow.
  absl::Status F64(double* v, std::string_view what);
  // A u32 length (at most `max_len`) followed by that many bytes.
  absl::Status Bytes(std::string_view* v, size_t max_len, std::string_view what);
  absl::Status Raw(std::string_view* v, size_t len, std::string_view what);
  // Fails unless at least `count` items of `item_size` bytes remain (checked before a
  // container is sized from an untrusted count).
  absl::Status Need(uint64_t count, size_t item_size, std::string_view what) const;

  // kInvalidArgument at `offset` (default: the current one).
  absl::Status Invalid(std::string_view what, std::string_view reason) const;
  absl::Status InvalidAt(size_t offset, std::string_view what, std::string_view reason) const;

  size_t offset() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  absl::Status Fixed(uint64_t* v, int bytes, std::string_view what);
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace ferry::monitoring
