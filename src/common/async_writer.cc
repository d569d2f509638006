#include "common/async_writer.h"

#include "common/file_hash.h"

namespace ferry {

AsyncWriter::AsyncWriter(int fd, std::string path, size_t depth, size_t chunk_size)
    : fd_(fd), path_(std::move(path)), chunk_size_(chunk_size) {
  for (size_t i = 0; i < depth; ++i) {
    buffers_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size));
    free_.push_back(buffers_.back().get());
  }
  thread_ = std::thread([this] { Run(); });
}

char* AsyncWriter::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !free_.empty(); });
  char* buf = free_.front();
  free_.pop_front();
  return buf;
}

void AsyncWriter::Submit(char* buf, size_t len) {
  std::lock_guard lock(mu_);
  queue_.emplace_back(buf, len);
  cv_.notify_all();
}

absl::Status AsyncWriter::Finish() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  return status_;
}

void AsyncWriter::Run() {
  while (true) {
    std::pair<char*, size_t> item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty() || done_; });
      if (queue_.empty()) return;
      item = queue_.front();
      queue_.pop_front();
    }
    if (status_.ok()) status_ = WriteAll(fd_, std::string_view(item.first, item.second), path_);
    std::lock_guard lock(mu_);
    free_.push_back(item.first);
    cv_.notify_all();
  }
}

}  // namespace ferry
