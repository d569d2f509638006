#include "monitoring/profile/byte_io.h"

#include <cstring>

namespace ferry::monitoring {

void ByteWriter::Fixed(uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void ByteWriter::F64(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(bits));
  U64(bits);
}

void ByteWriter::Bytes(std::string_view bytes) {
  U32(static_cast<uint32_t>(bytes.size()));
  out_.append(bytes);
}

absl::Status ByteReader::InvalidAt(size_t offset, std::string_view what,
                                   std::string_view reason) const {
  return absl::InvalidArgumentError("profile: offset " + std::to_string(offset) + ": " +
                                    std::string(what) + ": " + std::string(reason));
}

absl::Status ByteReader::Invalid(std::string_view what, std::string_view reason) const {
  return InvalidAt(pos_, what, reason);
}

absl::Status ByteReader::Need(uint64_t count, size_t item_size, std::string_view what) const {
  if (item_size != 0 && count > remaining() / item_size) {
    return Invalid(what, "truncated (" + std::to_string(count) + " items of " +
                             std::to_string(item_size) + " bytes declared, " +
                             std::to_string(remaining()) + " bytes left)");
  }
  return absl::OkStatus();
}

absl::Status ByteReader::Fixed(uint64_t* v, int bytes, std::string_view what) {
  if (remaining() < static_cast<size_t>(bytes)) {
    return Invalid(what, "truncated (need " + std::to_string(bytes) + " bytes, " +
                             std::to_string(remaining()) + " left)");
  }
  uint64_t out = 0;
  for (int i = 0; i < bytes; ++i) {
    out |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
  }
  pos_ += bytes;
  *v = out;
  return absl::OkStatus();
}

absl::Status ByteReader::U8(uint8_t* v, std::string_view what) {
  uint64_t x = 0;
  RETURN_IF_ERROR(Fixed(&x, 1, what));
  *v = static_cast<uint8_t>(x);
  return absl::OkStatus();
}

absl::Status ByteReader::U16(uint16_t* v, std::string_view what) {
  uint64_t x = 0;
  RETURN_IF_ERROR(Fixed(&x, 2, what));
  *v = static_cast<uint16_t>(x);
  return absl::OkStatus();
}

absl::Status ByteReader::U32(uint32_t* v, std::string_view what) {
  uint64_t x = 0;
  RETURN_IF_ERROR(Fixed(&x, 4, what));
  *v = static_cast<uint32_t>(x);
  return absl::OkStatus();
}

absl::Status ByteReader::U64(uint64_t* v, std::string_view what) { return Fixed(v, 8, what); }

absl::Status ByteReader::F64(double* v, std::string_view what) {
  uint64_t bits = 0;
  RETURN_IF_ERROR(Fixed(&bits, 8, what));
  std::memcpy(v, &bits, sizeof(bits));
  return absl::OkStatus();
}

absl::Status ByteReader::Raw(std::string_view* v, size_t len, std::string_view what) {
  if (remaining() < len) {
    return Invalid(what, "truncated (need " + std::to_string(len) + " bytes, " +
                             std::to_string(remaining()) + " left)");
  }
  *v = in_.substr(pos_, len);
  pos_ += len;
  return absl::OkStatus();
}

absl::Status ByteReader::Bytes(std::string_view* v, size_t max_len, std::string_view what) {
  const size_t start = pos_;
  uint32_t len = 0;
  RETURN_IF_ERROR(U32(&len, what));
  if (len > max_len) {
    return InvalidAt(
        start, what,
        "length " + std::to_string(len) + " over the limit " + std::to_string(max_len));
  }
  return Raw(v, len, what);
}

}  // namespace ferry::monitoring
