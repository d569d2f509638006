#include "http/event_loop.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "common/clock.h"
#include "common/logging.h"
#include "http/tls/tls_context.h"

namespace ferry::http {
namespace {

constexpr int kMaxEvents = 256;
constexpr int kMaxAcceptsPerEvent = 64;
constexpr int64_t kAcceptPauseMs = 100;

// A quarter of the shortest timeout, so deadlines are kept within 25%.
int64_t SweepIntervalMs(const ServerOptions& options) {
  int64_t shortest = 4000;
  for (int64_t timeout : {options.idle_timeout_ms, options.header_timeout_ms,
                          options.min_body_rate > 0 ? options.body_rate_window_ms : 0}) {
    if (timeout > 0) shortest = std::min(shortest, timeout);
  }
  return std::clamp<int64_t>(shortest / 4, 10, 1000);
}

// The whole answer to a connection over a cap, sent without reading its request.
constexpr std::string_view kRefusal =
    "HTTP/1.1 503 Service Unavailable\r\nServer: ferry\r\nContent-Type: application/json\r\n"
    "Retry-After: 1\r\nConnection: close\r\nContent-Length: 79\r\n\r\n"
    "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"Too many open connections\"}\n";

// Best effort: the socket's send buffer is empty, so the answer fits unless the client
// vanished. Whatever request bytes already arrived are dropped unread, so that the close
// sends a FIN rather than a reset that could destroy the answer in flight.
void Refuse(int fd) {
  ssize_t ignored = ::send(fd, kRefusal.data(), kRefusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
  char scratch[4096];
  ignored = ::recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);
  (void)ignored;
  ::close(fd);
}

}  // namespace

int64_t EventLoop::NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create(int listen_fd, const Router& router,
                                                             const ServerOptions& options,
                                                             ConnectionLimiter& limiter,
                                                             RequestMetrics* metrics) {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    ::close(listen_fd);
    return absl::InternalError(std::string("epoll_create1: ") + strerror(errno));
  }
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    ::close(listen_fd);
    ::close(epoll_fd);
    return absl::InternalError(std::string("eventfd: ") + strerror(errno));
  }
  std::unique_ptr<EventLoop> loop(
      new EventLoop(epoll_fd, wake_fd, listen_fd, router, options, limiter, metrics));
  epoll_event listen_event{EPOLLIN, {.u64 = kListenerId}};
  epoll_event wake_event{EPOLLIN, {.u64 = kWakeId}};
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &listen_event) != 0 ||
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &wake_event) != 0) {
    return absl::InternalError(std::string("epoll_ctl: ") + strerror(errno));
  }
  return loop;
}

EventLoop::EventLoop(int epoll_fd, int wake_fd, int listen_fd, const Router& router,
                     const ServerOptions& options, ConnectionLimiter& limiter,
                     RequestMetrics* metrics)
    : epoll_fd_(epoll_fd),
      wake_fd_(wake_fd),
      listen_fd_(listen_fd),
      options_(options),
      limiter_(limiter),
      mailbox_(std::make_shared<AsyncMailbox>(wake_fd)) {
  context_.mailbox = mailbox_;
  context_.router = &router;
  context_.options = &options_;
  context_.metrics = metrics;
  context_.id_prefix = static_cast<uint32_t>(SystemRandom().Next64());
}

EventLoop::~EventLoop() {
  connections_.clear();
  completions_.clear();
  mailbox_->Close();  // before the eventfd it writes to is closed
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void EventLoop::RequestStop(int64_t deadline_ms) {
  stop_deadline_ms_.store(deadline_ms);
  stop_requested_.store(true);
  uint64_t one = 1;
  ssize_t ignored = ::write(wake_fd_, &one, sizeof(one));
  (void)ignored;
}

void EventLoop::Run() {
  epoll_event events[kMaxEvents];
  context_.now_ms = NowMs();
  next_sweep_ms_ = context_.now_ms + SweepIntervalMs(options_);
  mailbox_->Bind();
  while (!(draining_ && connections_.empty())) {
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, WaitTimeoutMs());
    context_.now_ms = NowMs();
    if (n < 0 && errno != EINTR) {
      LogError("epoll_wait failed", {{"error", strerror(errno)}});
      break;
    }
    for (int i = 0; i < n; ++i) HandleEvent(events[i].data.u64, events[i].events);
    if (woken_ || mailbox_->has_local()) DeliverCompletions();
    RunPending();
    if (!draining_ && stop_requested_.load()) BeginDrain();
    if (draining_ && context_.now_ms >= drain_deadline_ms_) break;
    if (context_.now_ms >= next_sweep_ms_) Sweep();
  }
  mailbox_->Unbind();
  connections_.clear();  // past the drain deadline: close what is left, aborting uploads
}

int EventLoop::WaitTimeoutMs() const {
  if (!pending_.empty() || mailbox_->has_local()) return 0;
  int64_t until = next_sweep_ms_;
  if (draining_) until = std::min(until, drain_deadline_ms_);
  return static_cast<int>(std::clamp<int64_t>(until - context_.now_ms, 0, 1000));
}

void EventLoop::HandleEvent(uint64_t data, uint32_t events) {
  if (data == kListenerId) return Accept();
  if (data == kWakeId) {
    uint64_t value;
    ssize_t ignored = ::read(wake_fd_, &value, sizeof(value));
    (void)ignored;
    woken_ = true;  // a completion or a stop request: both are handled after the batch,
    return;         // which may still name connections
  }
  // Safe without a lookup: a connection is deleted only after its fd is closed, which removes
  // it from epoll, and one epoll_wait batch holds at most one event per fd.
  Connection* connection = reinterpret_cast<Connection*>(data);
  connection->OnEvents(events);
  AfterRun(connection);
}

void EventLoop::AfterRun(Connection* connection) {
  if (connection->closed()) {
    connections_.erase(connection);
  } else if (connection->wants_rerun()) {
    QueueRerun(connection);
  }
}

// The lookup by pointer is what makes a completion for a closed connection safe: it is
// dereferenced only while this loop still owns it, and the serial tells a new connection at
// the same address from the one that issued the request.
void EventLoop::DeliverCompletions() {
  mailbox_->Take(woken_, &completions_);
  woken_ = false;
  for (AsyncMailbox::Completion& completion : completions_) {
    auto it = connections_.find(completion.connection);
    if (it == connections_.end()) continue;
    Connection* connection = it->second.get();
    if (completion.wake) {
      connection->Rerun();
      AfterRun(connection);
      continue;
    }
    if (connection->OnAsyncResponse(completion.serial, completion.response)) AfterRun(connection);
  }
  completions_.clear();  // destroys the responses nobody was waiting for
}

void EventLoop::QueueRerun(Connection* connection) {
  if (connection->rerun_queued()) return;
  connection->set_rerun_queued(true);
  pending_.push_back(connection);
}

void EventLoop::RunPending() {
  std::vector<Connection*> connections;
  connections.swap(pending_);
  for (Connection* connection : connections) {
    if (connections_.find(connection) == connections_.end()) continue;  // closed meanwhile
    connection->set_rerun_queued(false);
    connection->Rerun();
    AfterRun(connection);
  }
}

void EventLoop::Accept() {
  if (!accepting_) return;
  for (int i = 0; i < kMaxAcceptsPerEvent; ++i) {
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof(peer);
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &peer_length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        LogWarn("accept failed; pausing", {{"error", strerror(errno)}});
        PauseAccepting();
      }
      return;  // EAGAIN: the backlog is empty
    }
    ConnectionLimiter::Slot slot;
    ConnectionLimiter::Refusal refusal = limiter_.TryAcquire(peer, &slot);
    if (refusal == ConnectionLimiter::Refusal::kTotal && EvictStalestWaiter()) {
      refusal = limiter_.TryAcquire(peer, &slot);
    }
    if (refusal != ConnectionLimiter::Refusal::kNone) {
      Refuse(fd);
      continue;
    }
    AddConnection(fd, std::move(slot), PeerAddressText(peer));
  }
}

void EventLoop::AddConnection(int fd, ConnectionLimiter::Slot slot, std::string peer) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  std::unique_ptr<Transport> tls;
  if (options_.tls) {
    tls = options_.tls->NewSession(fd);
    if (!tls) {
      LogWarn("TLS session allocation failed", {});
      ::close(fd);
      return;
    }
  }
  auto connection =
      std::make_unique<Connection>(fd, context_, std::move(slot), std::move(peer), std::move(tls));
  Connection* key = connection.get();
  epoll_event event{EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                    {.u64 = reinterpret_cast<uint64_t>(key)}};
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    LogWarn("epoll_ctl failed", {{"error", strerror(errno)}});
    return;  // the connection's destructor closes fd
  }
  connections_.emplace(key, std::move(connection));
}

// At the overall cap, a new connection takes the place of this loop's connection that has
// waited longest for a request's headers, or else of the one idle longest between
// keep-alive requests (with its last response sent): trickling or idling clients cannot hold
// every slot, while requests in progress and downloads are left alone. Returns whether one
// was closed.
bool EventLoop::EvictStalestWaiter() {
  auto evict = [this](auto& waiters, auto still_waiting) {
    while (!waiters.empty()) {
      auto [connection, since] = waiters.front();
      waiters.pop_front();
      auto it = connections_.find(connection);
      if (it == connections_.end() || !still_waiting(*connection, since)) continue;
      // Closed, not erased: an event for it may still be in the batch being handled. Sweep
      // or the next run erases it.
      connection->CloseNow();
      limiter_.RecordEviction();
      return true;
    }
    return false;
  };
  return evict(context_.header_waiters,
               [](const Connection& c, int64_t since) { return c.WaitingForHeaders(since); }) ||
         evict(context_.idle_waiters,
               [](const Connection& c, int64_t since) { return c.IdleSince(since, true); });
}

// Drops stale waiter entries, so the queues stay proportional to the connections.
void EventLoop::CompactWaiters() {
  auto compact = [this](auto& waiters, auto still_waiting) {
    if (waiters.size() <= 2 * connections_.size() + 64) return;
    std::deque<std::pair<Connection*, int64_t>> current;
    for (const auto& [connection, since] : waiters) {
      auto it = connections_.find(connection);
      if (it != connections_.end() && still_waiting(*connection, since)) {
        current.emplace_back(connection, since);
      }
    }
    waiters.swap(current);
  };
  compact(context_.header_waiters,
          [](const Connection& c, int64_t since) { return c.WaitingForHeaders(since); });
  compact(context_.idle_waiters,
          [](const Connection& c, int64_t since) { return c.IdleSince(since, false); });
}

// Out of file descriptors: a level-triggered listener would spin, so stop watching it and
// try again from Sweep().
void EventLoop::PauseAccepting() {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
  accepting_ = false;
  resume_accept_ms_ = context_.now_ms + kAcceptPauseMs;
}

void EventLoop::BeginDrain() {
  draining_ = true;
  drain_deadline_ms_ = stop_deadline_ms_.load();
  if (listen_fd_ >= 0) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::close(listen_fd_);
    listen_fd_ = -1;
    accepting_ = false;
  }
  for (auto it = connections_.begin(); it != connections_.end();) {
    it->second->BeginDrain();
    it = it->second->closed() ? connections_.erase(it) : std::next(it);
  }
}

void EventLoop::Sweep() {
  next_sweep_ms_ = context_.now_ms + SweepIntervalMs(options_);
  CompactWaiters();
  if (!accepting_ && !draining_ && context_.now_ms >= resume_accept_ms_) {
    epoll_event event{EPOLLIN, {.u64 = kListenerId}};
    accepting_ = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &event) == 0;
  }
  for (auto it = connections_.begin(); it != connections_.end();) {
    Connection* connection = it->second.get();
    connection->OnTimer();
    if (!connection->closed() && connection->wants_rerun()) QueueRerun(connection);
    it = connection->closed() ? connections_.erase(it) : std::next(it);
  }
}

}  // namespace ferry::http
