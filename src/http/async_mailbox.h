#pragma once
// Where Responders deliver deferred responses to an EventLoop. Internal to http/.
//
// Each loop owns one mailbox, shared (shared_ptr) with every Responder it hands out, so a
// Send() after the loop is gone finds a closed mailbox instead of a dangling loop. Posts from
// other threads go to a mutex-protected queue and wake the loop through its eventfd (only
// when the queue was empty: one wake per batch). Posts from the loop's own thread, such as a
// handler that answers at once, go to a thread-local queue without lock or syscall.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "http/http_types.h"

namespace ferry::http {

class AsyncMailbox {
 public:
  struct Completion {
    // Identifies the request: the loop delivers only if `connection` is still one of its
    // connections and is waiting for `serial` (serials are never reused within a loop), so
    // a connection closed (and its memory reused) since is never touched.
    Connection* connection = nullptr;
    uint64_t serial = 0;
    HttpResponse response;
    // A Waker's: no response, the loop runs `connection` again (if it is still one of its).
    bool wake = false;
  };

  // `wake_fd` is the loop's eventfd; it must stay open until Close().
  explicit AsyncMailbox(int wake_fd) : wake_fd_(wake_fd) {}

  // Any thread. Dropped (destroyed on the calling thread) after Close().
  void Post(Completion completion);

  // Loop thread only: from Bind() to Unbind(), posts from this thread take the local queue.
  void Bind();
  void Unbind();
  bool has_local() const { return !local_.empty(); }
  // Loop thread only: moves local completions, and with `remote` the queued ones, to *out.
  void Take(bool remote, std::vector<Completion>* out);

  // Any thread, once the loop has stopped for good: drops what is queued and every later
  // post, and never touches the eventfd again.
  void Close();

 private:
  const int wake_fd_;
  std::vector<Completion> local_;  // loop thread only
  std::mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Completion> remote_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::http
