#pragma once
// One client connection of the HTTP server: reads, parses, dispatches to the router's
// handlers inline, and writes responses in order (pipelining). Internal to http/; owned and
// driven by one EventLoop thread, never touched by another.
//
// An async handler's request leaves the connection waiting (awaiting_serial_ != 0): it reads
// on (up to kAwaitReadLimit buffered bytes) but parses nothing until the loop delivers the
// response through OnAsyncResponse(); the request's parser state (version, HEAD, request id,
// log fields) is kept until then, so the response goes out as an inline one would.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "http/admission/connection_limiter.h"
#include "http/async_mailbox.h"
#include "http/http_server.h"
#include "http/output_queue.h"
#include "http/read_buffer.h"
#include "http/request_metrics.h"
#include "http/request_parser.h"
#include "http/router.h"
#include "http/transport.h"

namespace ferry::http {

// State shared by the connections of one loop.
class Connection;

struct LoopContext {
  const Router* router = nullptr;
  const ServerOptions* options = nullptr;
  RequestMetrics* metrics = nullptr;  // may be null
  ParserLimits limits;
  int64_t now_ms = 0;  // monotonic, refreshed after every epoll_wait
  uint32_t id_prefix = 0;
  uint64_t id_counter = 0;
  std::shared_ptr<AsyncMailbox> mailbox;  // the loop's; given to each Responder
  uint64_t async_serial = 0;              // last serial handed to a Responder

  // Connections waiting for a request's headers, oldest first, as (connection, since):
  // entries go stale when the connection closes or its headers arrive (see
  // Connection::WaitingForHeaders), and the loop drops them lazily.
  std::deque<std::pair<Connection*, int64_t>> header_waiters;
  // Keep-alive connections idle between requests, oldest first, likewise (see
  // Connection::IdleSince).
  std::deque<std::pair<Connection*, int64_t>> idle_waiters;

  // Writes a short id unique within the process ("<loop prefix>-<counter>", hex) to *out.
  void NextRequestId(std::string* out);
};

class Connection {
 public:
  // `slot` is the connection's place under the server's connection caps, given back when the
  // connection is destroyed.
  // `peer`: the client's address as text, handed to every request (HttpRequest::peer).
  // `tls`: the connection's TLS session over `fd` (null: plain HTTP); its handshake runs
  // first, under the header deadline.
  Connection(int fd, LoopContext& context, ConnectionLimiter::Slot slot = {}, std::string peer = "",
             std::unique_ptr<Transport> tls = nullptr);
  ~Connection();  // closes the socket; aborts an unfinished upload
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Handles epoll readiness `events` (EPOLLIN, EPOLLOUT, ...). Afterwards closed() says
  // whether the loop must drop the connection, and wants_rerun() whether it stopped early for
  // fairness and must be run again without waiting for a new event.
  void OnEvents(uint32_t events);
  void Rerun();
  bool wants_rerun() const { return wants_rerun_; }
  // Whether the loop holds the connection in its rerun queue, which must list it once: a
  // connection listed again on every event got several turns per loop iteration.
  bool rerun_queued() const { return rerun_queued_; }
  void set_rerun_queued(bool queued) { rerun_queued_ = queued; }
  bool closed() const { return closed_; }
  // True while the connection waits for the headers of the request it began at `since`
  // (its entry in LoopContext::header_waiters is current).
  bool WaitingForHeaders(int64_t since) const {
    return !closed_ && header_start_ms_ == since && !parser_.in_body() && awaiting_serial_ == 0;
  }
  // True while the connection has been idle between requests since `since` (its entry in
  // LoopContext::idle_waiters is current); `sent` also asks that its last response is out.
  bool IdleSince(int64_t since, bool sent) const {
    return !closed_ && idle_since_ms_ == since && header_start_ms_ < 0 && awaiting_serial_ == 0 &&
           (!sent || out_.empty());
  }

  // Closes an idle connection whose idle_timeout_ms passed, or a lingering one whose time is
  // up; answers 408 to a client whose headers missed header_timeout_ms or whose body fell
  // below min_body_rate. Afterwards wants_rerun() may ask for a run (to flush the 408).
  void OnTimer();
  // Server shutdown: closes the connection now if no request is in progress; otherwise the
  // current request finishes and the connection closes after its response.
  void BeginDrain();
  // Closes at once, aborting any upload in progress, and gives back the connection's slot.
  void CloseNow();

  // Delivers an async handler's response and runs the connection on. Returns false, and
  // leaves `response` alone, if the connection is not waiting for `serial`.
  bool OnAsyncResponse(uint64_t serial, HttpResponse& response);

 private:
  enum class BodyMode { kNone, kBuffer, kSink, kDiscard };

  void Run();
  bool FlushOutput();
  // Reads once into in_ and returns the bytes read (0 on EOF, EAGAIN or an error).
  size_t ReadInput();
  // recv(2), or a TLS read: > 0 bytes, 0 at EOF, -1 with errno (EAGAIN: nothing more yet).
  ssize_t Receive(char* dest, size_t size);
  // Drives the TLS handshake; false while it waits for the socket or after it failed.
  bool ContinueHandshake();
  void ProcessInput();
  bool SinkPaused();
  bool MayStartRequest();
  void OnInputEnded();
  void FinishClose();
  void Linger();

  void OnHeaders();
  void StartStream(const StreamHandler& handler);
  bool ReserveBody(HttpRequest& request);  // false: answered (the allocation failed)
  void OnBody(std::string_view piece);
  void OnMessageDone();
  void DispatchAsync(const AsyncHandler& handler, bool close);
  void FinishSink(bool close);
  HttpResponse TooLarge(std::string_view path, int64_t max_body) const;
  bool ReadWhileAwaiting(int* reads, size_t* bytes);
  void OnParseError();
  bool CheckHost();
  bool CheckDeadlines();
  void MarkHeaderStart();
  void MarkIdle();
  void TimeOut(std::string_view message);

  // Answers before the body was read: a small body is read and dropped, otherwise the
  // connection closes after the response.
  void RespondEarly(HttpResponse response);
  void Reject(HttpResponse response);  // answer, then close (lingering)
  void MaybeSendContinue();
  void SendResponse(HttpResponse response, bool close);
  void Observe(int status);  // tells ServerOptions::observer, if any
  void FinishRequest();
  void AbortSink();
  void LogRequest(int status);

  int fd_;
  LoopContext& context_;
  RequestParser parser_;
  ReadBuffer in_;
  OutputQueue out_;

  BodyMode body_mode_ = BodyMode::kNone;
  const Handler* handler_ = nullptr;
  const AsyncHandler* async_handler_ = nullptr;
  uint64_t awaiting_serial_ = 0;  // != 0: an async response is outstanding
  bool awaiting_close_ = false;   // close the connection after that response
  std::unique_ptr<BodySink> sink_;
  bool responded_ = false;  // the current request has been answered
  bool is_head_ = false;
  int64_t discarded_ = 0;
  int64_t request_start_ns_ = 0;
  int route_index_ = -1;  // the router's, for metrics
  std::string request_id_;
  std::string log_method_;
  std::string log_path_;

  bool readable_ = false;
  bool writable_ = true;
  bool peer_eof_ = false;       // the client will send nothing more
  bool rdhup_ = false;          // EPOLLRDHUP seen: read until EOF
  bool stalled_ = false;        // the parser needs more input than is buffered
  bool parse_pending_ = false;  // a paused sink stopped ProcessInput() (see SinkPaused())
  bool close_after_write_ = false;
  bool linger_ = false;  // on close, drain the client's input before closing
  bool lingering_ = false;
  bool draining_ = false;
  bool wants_rerun_ = false;
  bool rerun_queued_ = false;
  bool closed_ = false;
  int64_t last_active_ms_ = 0;
  int64_t linger_deadline_ms_ = 0;
  // Slow-client deadlines: when the current request's header section began (-1: no request
  // begun), and the body bytes read in the current rate window.
  int64_t header_start_ms_ = 0;
  int64_t idle_since_ms_ = -1;  // between requests of a keep-alive connection
  int64_t body_window_start_ms_ = 0;
  int64_t body_window_bytes_ = 0;
  ConnectionLimiter::Slot slot_;
  std::string peer_;
  std::unique_ptr<Transport> tls_;
  bool handshaking_ = false;
  Waker waker_;  // handed to sinks and sources that fill or drain on another thread
};

}  // namespace ferry::http
