#include "http/connection.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <string>
#include <utility>

#include "http/response_writer.h"

namespace ferry::http {
namespace {

constexpr size_t kHeaderReadSize = 16 * 1024;
constexpr size_t kBodyReadSize = 256 * 1024;
constexpr int64_t kLingerMs = 2000;
constexpr int kMaxReadsPerRun = 16;
// Bytes one Run() reads before yielding to the loop's other connections: with a 50 MB body
// arriving, 16 body reads (4 MiB, received and then appended) held the loop for 20-80 ms on
// a loaded 2-core machine; 512 KiB keeps a turn to a few ms while reads stay large.
constexpr size_t kMaxBytesPerRun = 512 * 1024;
// Input buffered while an async response is outstanding, beyond which reading pauses.
constexpr size_t kAwaitReadLimit = 64 * 1024;

}  // namespace

void LoopContext::NextRequestId(std::string* out) {
  char buffer[32];
  char* end = std::to_chars(buffer, buffer + 8, id_prefix | 0x10000000u, 16).ptr;
  *end++ = '-';
  end = std::to_chars(end, buffer + sizeof(buffer), ++id_counter, 16).ptr;
  out->assign(buffer, end);
}

Connection::Connection(int fd, LoopContext& context, ConnectionLimiter::Slot slot, std::string peer,
                       std::unique_ptr<Transport> tls)
    : fd_(fd),
      context_(context),
      parser_(context.limits),
      last_active_ms_(context.now_ms),
      slot_(std::move(slot)),
      peer_(std::move(peer)),
      tls_(std::move(tls)),
      handshaking_(tls_ != nullptr),
      waker_(context.mailbox, this) {
  MarkHeaderStart();
}

void Connection::MarkHeaderStart() {
  idle_since_ms_ = -1;
  header_start_ms_ = context_.now_ms;
  context_.header_waiters.emplace_back(this, header_start_ms_);
}

void Connection::MarkIdle() {
  header_start_ms_ = -1;
  idle_since_ms_ = context_.now_ms;
  context_.idle_waiters.emplace_back(this, idle_since_ms_);
}

Connection::~Connection() { CloseNow(); }

void Connection::OnEvents(uint32_t events) {
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readable_ = true;
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) rdhup_ = true;
  if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) writable_ = true;
  // A TLS read may wait for the socket to be writable (a key update to answer) and a write
  // for it to be readable: any event retries both, and a spurious try costs one call.
  if (tls_ && events != 0) readable_ = writable_ = true;
  Run();
}

void Connection::Rerun() { Run(); }

// The connection's driver: alternates flushing output, parsing buffered input and reading,
// until it must wait for the socket. Reads per call are bounded (in count and bytes) so one
// busy client cannot starve the others on the loop; wants_rerun() then asks the loop to call
// again.
void Connection::Run() {
  wants_rerun_ = false;
  int reads = 0;
  size_t bytes = 0;
  while (!closed_) {
    if (lingering_) return Linger();
    if (handshaking_ && !ContinueHandshake()) return;
    if (!FlushOutput()) return;
    if (close_after_write_) {
      if (out_.empty()) FinishClose();
      return;
    }
    if (parser_.idle() && out_.congested()) return;  // resumes on EPOLLOUT
    if (awaiting_serial_ != 0) {
      if (!ReadWhileAwaiting(&reads, &bytes)) return;  // resumes in OnAsyncResponse()
      continue;
    }
    if (SinkPaused()) return;  // resumes when the sink wakes the connection
    // parse_pending_: a pause may have come between the body's last bytes and the parse
    // that ends the message, with nothing left buffered.
    if (!stalled_ && (in_.size() > 0 || parse_pending_)) {
      ProcessInput();
      continue;
    }
    if (peer_eof_) {
      OnInputEnded();
      continue;
    }
    if (!readable_) return;
    if (++reads > kMaxReadsPerRun || bytes >= kMaxBytesPerRun) {
      wants_rerun_ = true;
      return;
    }
    bytes += ReadInput();
  }
}

bool Connection::FlushOutput() {
  if (out_.empty() || !writable_) return true;
  size_t sent = 0;
  OutputQueue::FlushResult result = out_.Flush(fd_, tls_.get(), waker_, &sent);
  if (sent > 0) last_active_ms_ = context_.now_ms;
  if (result == OutputQueue::FlushResult::kError) {
    CloseNow();
    return false;
  }
  if (result == OutputQueue::FlushResult::kBlocked) writable_ = false;
  return true;
}

size_t Connection::ReadInput() {
  size_t available = 0;
  char* dest = in_.Reserve(parser_.in_body() ? kBodyReadSize : kHeaderReadSize, &available);
  ssize_t n = Receive(dest, available);
  if (n > 0) {
    in_.Commit(static_cast<size_t>(n));
    last_active_ms_ = context_.now_ms;
    stalled_ = false;
    if (parser_.in_body()) {
      body_window_bytes_ += n;
    } else if (header_start_ms_ < 0 && awaiting_serial_ == 0) {
      MarkHeaderStart();  // the first byte of the next request
    }
    // A short read drained the socket; edge-triggered epoll reports the next arrival. Once
    // the peer has half-closed, read on until EOF instead, since no new edge will come. TLS
    // reads on until it has nothing more: OpenSSL may hold decrypted bytes the socket no
    // longer signals.
    if (static_cast<size_t>(n) < available && !rdhup_ && !tls_) readable_ = false;
    return static_cast<size_t>(n);
  }
  if (n == 0) {
    readable_ = false;
    peer_eof_ = true;
  } else if (errno == EAGAIN) {
    readable_ = false;
  } else if (errno != EINTR) {
    CloseNow();  // ECONNRESET and friends
  }
  return 0;
}

ssize_t Connection::Receive(char* dest, size_t size) {
  if (!tls_) return ::recv(fd_, dest, size, 0);
  size_t n = 0;
  switch (tls_->Read(dest, size, &n)) {
    case Transport::Result::kOk:
      return static_cast<ssize_t>(n);
    case Transport::Result::kEof:
      return 0;
    case Transport::Result::kWantRead:
    case Transport::Result::kWantWrite:
      errno = EAGAIN;
      return -1;
    default:
      errno = ECONNRESET;
      return -1;
  }
}

bool Connection::ContinueHandshake() {
  switch (tls_->Handshake()) {
    case Transport::Result::kOk:
      handshaking_ = false;
      last_active_ms_ = context_.now_ms;
      return true;
    case Transport::Result::kWantRead:
    case Transport::Result::kWantWrite:
      return false;
    case Transport::Result::kPlaintext:
      // Plain HTTP to the TLS port: say so in plain HTTP, then close after reading it.
      tls_.reset();
      handshaking_ = false;
      context_.NextRequestId(&request_id_);
      Reject(ProtocolErrorResponse(
          400, "This port serves HTTPS: use an https:// URL (plain HTTP was sent)"));
      return true;
    default:
      CloseNow();  // a failed handshake or a client that left: nobody to answer
      return false;
  }
}

// Nothing is parsed until the async response is in, but reading on notices a client that
// resets the connection, which then closes (and the late response is dropped). EOF alone
// may be a half-close, so the response is still awaited then.
bool Connection::ReadWhileAwaiting(int* reads, size_t* bytes) {
  if (peer_eof_ || !readable_ || in_.size() >= kAwaitReadLimit) return false;
  if (++*reads > kMaxReadsPerRun || *bytes >= kMaxBytesPerRun) {
    wants_rerun_ = true;
    return false;
  }
  *bytes += ReadInput();
  return true;
}

void Connection::ProcessInput() {
  while (!closed_ && !close_after_write_ && awaiting_serial_ == 0) {
    if (parser_.idle() && !MayStartRequest()) return;
    parse_pending_ = SinkPaused();
    if (parse_pending_) return;
    size_t consumed = 0;
    std::string_view body;
    ParseEvent event = parser_.Parse(in_.view(), &consumed, &body);
    switch (event) {
      case ParseEvent::kNeedMore:
        in_.Consume(consumed);
        stalled_ = true;
        return;
      case ParseEvent::kHeaders:
        in_.Consume(consumed);
        OnHeaders();
        break;
      case ParseEvent::kBody:
        OnBody(body);  // `body` points into in_: consume afterwards
        in_.Consume(consumed);
        break;
      case ParseEvent::kDone:
        in_.Consume(consumed);
        OnMessageDone();
        break;
      case ParseEvent::kError:
        in_.Consume(consumed);
        OnParseError();
        return;
    }
  }
}

bool Connection::MayStartRequest() {
  if (draining_) {
    close_after_write_ = true;
    return false;
  }
  return !out_.congested();
}

// The client sent EOF and everything it sent has been handled.
void Connection::OnInputEnded() {
  AbortSink();
  if (out_.empty()) {
    CloseNow();
  } else {
    close_after_write_ = true;
  }
}

// Output is flushed and the connection should close. If the client may still be sending
// (an unread body, pipelined requests), closing at once would make the kernel answer with a
// reset that can destroy the response in flight, so half-close and read on for a while.
void Connection::FinishClose() {
  if ((!linger_ && in_.size() == 0) || peer_eof_) return CloseNow();
  if (tls_) tls_->Shutdown();
  ::shutdown(fd_, SHUT_WR);
  lingering_ = true;
  close_after_write_ = false;
  linger_deadline_ms_ = context_.now_ms + kLingerMs;
  readable_ = true;
  Linger();
}

void Connection::Linger() {
  for (int i = 0; i < kMaxReadsPerRun; ++i) {
    size_t available = 0;
    char* scratch = in_.Reserve(kHeaderReadSize, &available);
    ssize_t n = ::recv(fd_, scratch, available, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      readable_ = false;
      return;
    }
    return CloseNow();  // EOF or error: the client is done
  }
  wants_rerun_ = true;
}

void Connection::OnTimer() {
  if (closed_) return;
  if (lingering_) {
    if (context_.now_ms >= linger_deadline_ms_) CloseNow();
    return;
  }
  if (awaiting_serial_ != 0) return;  // not idle: a per-request deadline is the handler's
  if (CheckDeadlines()) return;
  int timeout = context_.options->idle_timeout_ms;
  if (timeout > 0 && context_.now_ms - last_active_ms_ >= timeout) CloseNow();
}

// True when the client missed a deadline (the connection is then answered 408, or closed).
// Time spent waiting for the client to read a response does not count against the header
// deadline: the next request may legitimately wait behind a long download.
bool Connection::CheckDeadlines() {
  const ServerOptions& options = *context_.options;
  const int64_t now = context_.now_ms;
  if (parser_.in_body()) {
    if (SinkPaused()) {  // the server is not reading: the client cannot be blamed
      body_window_start_ms_ = now;
      body_window_bytes_ = 0;
      return false;
    }
    const int64_t elapsed = now - body_window_start_ms_;
    if (options.min_body_rate <= 0 || elapsed < options.body_rate_window_ms) return false;
    if (body_window_bytes_ * 1000 < options.min_body_rate * elapsed) {
      TimeOut("Request body arrived slower than " + std::to_string(options.min_body_rate) +
              " bytes/s");
      return true;
    }
    body_window_start_ms_ = now;
    body_window_bytes_ = 0;
    return false;
  }
  if (header_start_ms_ < 0 || options.header_timeout_ms <= 0 || !out_.empty()) return false;
  if (now - header_start_ms_ < options.header_timeout_ms) return false;
  if (parser_.idle() && in_.size() == 0) {
    CloseNow();  // nothing of a request arrived: nobody to answer
  } else {
    TimeOut("Request headers not received within " + std::to_string(options.header_timeout_ms) +
            " ms");
  }
  return true;
}

void Connection::TimeOut(std::string_view message) {
  if (responded_) return CloseNow();  // a discarded body: the answer went out already
  AbortSink();
  if (request_id_.empty()) context_.NextRequestId(&request_id_);
  SendResponse(JsonErrorResponse(408, "REQUEST_TIMEOUT", message), true);
  close_after_write_ = linger_ = true;
  body_mode_ = BodyMode::kNone;
  wants_rerun_ = true;
}

void Connection::BeginDrain() {
  draining_ = true;
  if (lingering_) return CloseNow();
  if (parser_.idle() && body_mode_ == BodyMode::kNone) {
    if (out_.empty()) return CloseNow();
    close_after_write_ = true;
  }
}

void Connection::CloseNow() {
  if (closed_) return;
  closed_ = true;
  // A routed request closed without an answer (the client reset the connection or left in
  // the middle of its body, or the server stopped first): 499, as nginx logs it.
  if (route_index_ >= 0 && !responded_) Observe(kClientClosedRequest);
  AbortSink();
  out_.Clear();
  if (tls_) {
    tls_->Shutdown();
    tls_.reset();  // before the socket it uses is closed
  }
  ::close(fd_);
  slot_ = ConnectionLimiter::Slot();  // the connection cap counts open sockets
}

}  // namespace ferry::http
