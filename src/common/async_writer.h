#pragma once
// Writes a stream of chunks to a file on a second thread, so that the producer (reading
// and hashing) never waits for write(2). Buffers cycle between the producer (Acquire, fill,
// Submit) and the writer thread; at most `depth` chunks are in flight.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry {

class AsyncWriter {
 public:
  AsyncWriter(int fd, std::string path, size_t depth, size_t chunk_size);
  ~AsyncWriter() { (void)Finish(); }
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  size_t chunk_size() const { return chunk_size_; }
  // A free buffer of chunk_size() bytes; blocks while all are in flight.
  char* Acquire();
  // Queues the first `len` bytes of a buffer from Acquire() (len 0 just returns it).
  void Submit(char* buf, size_t len);
  // Waits for queued writes and stops the thread; returns the first write error. After a
  // failed write the remaining chunks are dropped.
  absl::Status Finish();

 private:
  void Run();

  const int fd_;
  const std::string path_;
  const size_t chunk_size_;
  std::vector<std::unique_ptr<char[]>> buffers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<char*> free_;                      // guarded by mu_
  std::deque<std::pair<char*, size_t>> queue_;  // guarded by mu_
  bool done_ = false;                           // guarded by mu_
  absl::Status status_;                         // written only by the thread until join
  std::thread thread_;
};

}  // namespace ferry
