#pragma once
// One thread's share of the HTTP server: an epoll instance, its own SO_REUSEPORT listening
// socket and the connections accepted from it. Internal to http/.
//
// Run() is called on the loop's thread; RequestStop() may be called from any thread.
//
// Async responses arrive through the loop's AsyncMailbox (woken by the same eventfd as
// RequestStop) and are delivered after each batch of events to the connection that is
// waiting for them, if it is still open; otherwise they are dropped on the loop thread. The
// destructor closes the mailbox, so later Send() calls drop their response on the sender's
// thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "http/connection.h"

namespace ferry::http {

class EventLoop {
 public:
  // Takes ownership of `listen_fd` (non-blocking, listening). `router`, `options` and
  // `limiter` (shared by the server's loops) must outlive the loop.
  static absl::StatusOr<std::unique_ptr<EventLoop>> Create(int listen_fd, const Router& router,
                                                           const ServerOptions& options,
                                                           ConnectionLimiter& limiter,
                                                           RequestMetrics* metrics);
  ~EventLoop();  // closes every socket it still owns

  // Serves until RequestStop() and the drain that follows are over.
  void Run();

  // Stops accepting, closes idle connections, lets requests in progress finish and closes
  // whatever is left at `deadline_ms` (CLOCK_MONOTONIC milliseconds). Thread-safe.
  void RequestStop(int64_t deadline_ms);

  static int64_t NowMs();

 private:
  EventLoop(int epoll_fd, int wake_fd, int listen_fd, const Router& router,
            const ServerOptions& options, ConnectionLimiter& limiter, RequestMetrics* metrics);

  void HandleEvent(uint64_t data, uint32_t events);
  void Accept();
  void AddConnection(int fd, ConnectionLimiter::Slot slot, std::string peer);
  bool EvictStalestWaiter();
  void CompactWaiters();
  void PauseAccepting();
  void BeginDrain();
  void Sweep();
  void QueueRerun(Connection* connection);
  void RunPending();
  void DeliverCompletions();
  // After a connection ran: drops it if closed, queues it if it stopped early.
  void AfterRun(Connection* connection);
  int WaitTimeoutMs() const;

  // epoll data of the two non-connection fds; connections carry their Connection*.
  static constexpr uint64_t kListenerId = 0;
  static constexpr uint64_t kWakeId = 1;

  int epoll_fd_;
  int wake_fd_;
  int listen_fd_;
  bool accepting_ = true;
  int64_t resume_accept_ms_ = 0;
  LoopContext context_;
  ServerOptions options_;
  ConnectionLimiter& limiter_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> pending_;  // asked to be run again; may have closed since
  std::shared_ptr<AsyncMailbox> mailbox_;
  bool woken_ = false;  // the eventfd fired: the mailbox's remote queue may hold completions
  std::vector<AsyncMailbox::Completion> completions_;  // reused buffer
  int64_t next_sweep_ms_ = 0;
  bool draining_ = false;
  int64_t drain_deadline_ms_ = 0;

  std::atomic<bool> stop_requested_{false};
  std::atomic<int64_t> stop_deadline_ms_{0};
};

}  // namespace ferry::http
