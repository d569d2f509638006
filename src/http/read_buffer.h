#pragma once
// A connection's input buffer: bytes received but not yet consumed by the parser. Internal to
// http/. Views returned by view() stay valid until the next Reserve().

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace ferry::http {

class ReadBuffer {
 public:
  std::string_view view() const { return {data_.get() + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }
  size_t capacity() const { return capacity_; }

  // Drops the first `n` unconsumed bytes.
  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // Makes room for at least `n` more bytes and returns where to write them; *available
  // receives the room actually there (>= n).
  char* Reserve(size_t n, size_t* available) {
    if (capacity_ - end_ < n && begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (capacity_ - end_ < n) {
      size_t grown = std::max(capacity_ * 2, end_ + n);
      std::unique_ptr<char[]> bigger(new char[grown]);
      if (end_ > 0) std::memcpy(bigger.get(), data_.get(), end_);
      data_ = std::move(bigger);
      capacity_ = grown;
    }
    *available = capacity_ - end_;
    return data_.get() + end_;
  }

  // Records that `n` bytes were written at the pointer Reserve() returned.
  void Commit(size_t n) { end_ += n; }

  // Frees the memory when empty and larger than `keep` bytes.
  void ShrinkIfEmpty(size_t keep) {
    if (begin_ == end_ && capacity_ > keep) {
      data_.reset();
      capacity_ = begin_ = end_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace ferry::http
