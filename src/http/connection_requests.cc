// Connection's request handling: routing, body modes (buffered, streamed to a BodySink,
// discarded), responses and the access log. The I/O side is in connection.cc.

#include <time.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <utility>
#include <variant>

#include "common/logging.h"
#include "http/connection.h"
#include "http/response_writer.h"

namespace ferry::http {
namespace {

constexpr size_t kKeepReadBuffer = 64 * 1024;
constexpr size_t kInlineBodyLimit = 16 * 1024;
constexpr int64_t kMaxDiscardBytes = 64 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

// Client-supplied ids are echoed only if short and printable.
bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

HttpResponse InternalError() {
  return JsonErrorResponse(500, "INTERNAL_ERROR", "Internal server error");
}

// Runs fn(); if it throws, logs and returns fallback(). Handler exceptions must never reach
// the event loop.
template <typename Fn, typename Fallback>
auto Guarded(const char* where, Fn&& fn, Fallback&& fallback) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    LogError("handler threw", {{"where", where}, {"what", e.what()}});
  } catch (...) {
    LogError("handler threw", {{"where", where}, {"what", "unknown exception"}});
  }
  return fallback();
}

}  // namespace

// 413 in the error shape of the route's protocol (Router::SetErrorFormat).
HttpResponse Connection::TooLarge(std::string_view path, int64_t max_body) const {
  return context_.router->ErrorFor(path, 413, "INVALID_PARAMETER_VALUE",
                                   "Request body exceeds " + std::to_string(max_body) + " bytes");
}

void Connection::AbortSink() {
  if (!sink_) return;
  std::unique_ptr<BodySink> sink = std::move(sink_);
  Guarded(
      "BodySink::Abort", [&] { sink->Abort(); }, [] {});
}

void Connection::OnHeaders() {
  HttpRequest& request = parser_.request();
  responded_ = false;
  discarded_ = 0;
  is_head_ = request.method == "HEAD";
  request_start_ns_ = MonotonicNanos();
  log_method_ = request.method;
  if (context_.options->access_log) log_path_ = request.path;
  const std::string* client_id = request.Header("x-request-id");
  if (client_id != nullptr && IsValidRequestId(*client_id)) {
    request_id_ = *client_id;
  } else {
    context_.NextRequestId(&request_id_);
  }
  request.request_id = request_id_;
  request.peer = peer_;
  if (!CheckHost()) return;
  if (parser_.has_body()) {
    body_window_start_ms_ = context_.now_ms;
    body_window_bytes_ = 0;
  }

  Router::Match match = context_.router->Find(request.method, request.path);
  request.path_rest = std::move(match.path_rest);
  route_index_ = match.route_index;
  if (match.status == 404) {
    const Handler& not_found = context_.router->not_found();
    return RespondEarly(Guarded(
        "not_found handler", [&] { return not_found(request); }, InternalError));
  }
  if (match.status == 405) {
    return RespondEarly(context_.router->ErrorFor(request.path, 405, "METHOD_NOT_ALLOWED",
                                                  "Method " + request.method.substr(0, 32) +
                                                      " is not allowed for " +
                                                      request.path.substr(0, 256)));
  }
  if (match.stream_handler != nullptr) return StartStream(*match.stream_handler);

  handler_ = match.handler;
  async_handler_ = match.async_handler;
  int64_t max_body = context_.options->max_body_bytes;
  if (parser_.content_length() > max_body) {
    return Reject(TooLarge(request.path, max_body));
  }
  if (!ReserveBody(request)) return;
  body_mode_ = BodyMode::kBuffer;
  MaybeSendContinue();
}

// The body's whole declared length (at most max_body_bytes) is reserved at once: growing by
// doubling copied a 50 MB body six times over on the loop (tens of ms per copy on a loaded
// machine). Only address space is taken; pages are committed as the bytes arrive. An
// allocation the system refuses is answered 503 rather than thrown on the loop.
bool Connection::ReserveBody(HttpRequest& request) {
  if (parser_.content_length() <= 0) return true;
  try {
    request.body.reserve(static_cast<size_t>(parser_.content_length()));
    return true;
  } catch (const std::exception&) {  // std::bad_alloc, std::length_error
    Reject(context_.router->ErrorFor(request.path, 503, "TEMPORARILY_UNAVAILABLE",
                                     "Not enough memory for the request body"));
    return false;
  }
}

void Connection::StartStream(const StreamHandler& handler) {
  using Result = std::variant<std::unique_ptr<BodySink>, HttpResponse>;
  HttpRequest& request = parser_.request();
  Result result = Guarded(
      "stream handler", [&] { return handler(request); }, [] { return Result(InternalError()); });
  if (HttpResponse* response = std::get_if<HttpResponse>(&result)) {
    return RespondEarly(std::move(*response));
  }
  sink_ = std::move(std::get<std::unique_ptr<BodySink>>(result));
  if (!sink_) return RespondEarly(InternalError());
  body_mode_ = BodyMode::kSink;
  MaybeSendContinue();
}

// An offloaded sink with a full queue: no more of the body is read or parsed until it wakes
// the connection, so the client's bytes wait in the kernel and TCP slows the client down.
bool Connection::SinkPaused() {
  if (body_mode_ != BodyMode::kSink || !sink_) return false;
  return !Guarded(
      "BodySink::Accepting", [&] { return sink_->Accepting(waker_); }, [] { return true; });
}

void Connection::OnBody(std::string_view piece) {
  switch (body_mode_) {
    case BodyMode::kBuffer: {
      std::string& body = parser_.request().body;
      int64_t max_body = context_.options->max_body_bytes;
      if (static_cast<int64_t>(body.size() + piece.size()) > max_body) {
        return Reject(TooLarge(parser_.request().path, max_body));
      }
      body.append(piece);
      return;
    }
    case BodyMode::kSink: {
      absl::Status status = Guarded(
          "BodySink::Write", [&] { return sink_->Write(piece); },
          [] { return absl::InternalError("Upload failed"); });
      if (status.ok()) return;
      AbortSink();
      return Reject(SinkErrorResponse(status));
    }
    case BodyMode::kDiscard:
      discarded_ += static_cast<int64_t>(piece.size());
      if (discarded_ > kMaxDiscardBytes) close_after_write_ = linger_ = true;
      return;
    case BodyMode::kNone:
      return;
  }
}

void Connection::OnMessageDone() {
  HttpRequest& request = parser_.request();
  bool close = !parser_.keep_alive() || draining_;
  switch (body_mode_) {
    case BodyMode::kBuffer: {
      if (async_handler_ != nullptr) return DispatchAsync(*async_handler_, close);
      const Handler& handler = *handler_;
      SendResponse(Guarded(
                       "handler", [&] { return handler(request); }, InternalError),
                   close);
      break;
    }
    case BodyMode::kSink:
      return FinishSink(close);
    case BodyMode::kDiscard:
    case BodyMode::kNone:
      if (close) close_after_write_ = true;
      break;
  }
  FinishRequest();
}

// The request stays "in progress" (parser complete, not reset) until OnAsyncResponse(). If
// the handler throws, its Responder parameter is destroyed on the way out and answers 500.
void Connection::DispatchAsync(const AsyncHandler& handler, bool close) {
  awaiting_serial_ = ++context_.async_serial;
  awaiting_close_ = close;
  Responder responder(context_.mailbox, this, awaiting_serial_);
  HttpRequest& request = parser_.request();
  Guarded(
      "async handler", [&] { handler(request, std::move(responder)); }, [] {});
}

// Like DispatchAsync(): the sink answers through a Responder, at once or from a worker
// (a package import takes seconds and must not hold the loop).
void Connection::FinishSink(bool close) {
  std::unique_ptr<BodySink> sink = std::move(sink_);
  awaiting_serial_ = ++context_.async_serial;
  awaiting_close_ = close;
  Responder responder(context_.mailbox, this, awaiting_serial_);
  Guarded(
      "BodySink::Finish", [&] { sink->FinishAsync(std::move(responder)); }, [] {});
}

bool Connection::OnAsyncResponse(uint64_t serial, HttpResponse& response) {
  if (closed_ || serial != awaiting_serial_) return false;
  awaiting_serial_ = 0;
  SendResponse(std::move(response), awaiting_close_ || draining_);
  FinishRequest();
  Run();
  return true;
}

// RFC 9112 3.2: an HTTP/1.1 request needs exactly one Host; then the allowlist decides.
bool Connection::CheckHost() {
  const HttpRequest& request = parser_.request();
  const std::string* host = nullptr;
  int count = 0;
  for (const auto& [name, value] : request.headers) {
    if (name == "host" && ++count == 1) host = &value;
  }
  if (count > 1 || (count == 0 && parser_.version_minor() >= 1)) {
    Reject(
        context_.router->ErrorFor(request.path, 400, "BAD_REQUEST",
                                  count > 1 ? "More than one Host header" : "Missing Host header"));
    return false;
  }
  if (host == nullptr || context_.options->allowed_hosts.Allows(*host)) return true;
  RespondEarly(context_.router->ErrorFor(
      request.path, 403, "PERMISSION_DENIED",
      "Host '" + host->substr(0, 256) +
          "' is not allowed; start the server with --allowed-hosts listing it"));
  return false;
}

void Connection::OnParseError() {
  AbortSink();
  if (!responded_) {
    if (request_id_.empty()) context_.NextRequestId(&request_id_);
    SendResponse(ProtocolErrorResponse(parser_.error_status(), parser_.error_message()), true);
  }
  close_after_write_ = linger_ = true;
}

void Connection::RespondEarly(HttpResponse response) {
  bool discard = !parser_.has_body() || (!parser_.expect_continue() && !parser_.chunked() &&
                                         parser_.content_length() <= kMaxDiscardBytes);
  if (!discard) return Reject(std::move(response));
  SendResponse(std::move(response), !parser_.keep_alive() || draining_);
  body_mode_ = BodyMode::kDiscard;
}

void Connection::Reject(HttpResponse response) {
  SendResponse(std::move(response), true);
  linger_ = true;
  body_mode_ = BodyMode::kNone;
}

void Connection::MaybeSendContinue() {
  // RFC 9110 10.1.1: 100 may be omitted once some of the body has arrived.
  if (parser_.expect_continue() && parser_.has_body() && in_.size() == 0) {
    out_.AppendBuffer()->append(kContinue);
  }
}

void Connection::SendResponse(HttpResponse response, bool close) {
  if (response.status < 100 || response.status > 599) response.status = 500;
  Observe(response.status);
  bool body_allowed = StatusAllowsBody(response.status);
  int64_t length = 0;
  if (body_allowed) {
    length = response.source ? response.source->size() : static_cast<int64_t>(response.body.size());
  }
  if (length < 0) close = true;  // unknown length: the body ends with the connection
  if (close) close_after_write_ = true;
  ResponseHead head;
  head.content_length = length;
  head.request_id = request_id_;
  head.close = close;
  head.keep_alive_http10 = !close && parser_.version_minor() == 0;
  std::string* buffer = out_.AppendBuffer();
  AppendResponseHead(response, head, buffer);
  if (body_allowed && !is_head_) {
    if (response.source) {
      out_.AppendSource(std::move(response.source), length);
    } else if (response.body.size() <= kInlineBodyLimit) {
      buffer->append(response.body);
    } else {
      out_.AppendOwned(std::move(response.body));
    }
  }
  responded_ = true;
  if (context_.metrics != nullptr) {
    int64_t us = request_start_ns_ > 0 ? (MonotonicNanos() - request_start_ns_) / 1000 : 0;
    context_.metrics->Record(route_index_, log_method_, response.status, us);
  }
  LogRequest(response.status);
}

void Connection::Observe(int status) {
  if (RequestObserver* observer = context_.options->observer; observer != nullptr) {
    observer->OnResponse(parser_.request(), route_index_, status);
  }
}

void Connection::FinishRequest() {
  parser_.Reset();
  if (in_.size() > 0) {
    MarkHeaderStart();
  } else {
    MarkIdle();
  }
  body_mode_ = BodyMode::kNone;
  handler_ = nullptr;
  async_handler_ = nullptr;
  responded_ = is_head_ = false;
  request_start_ns_ = 0;
  route_index_ = -1;
  request_id_.clear();
  log_method_.clear();
  log_path_.clear();
  in_.ShrinkIfEmpty(kKeepReadBuffer);
}

void Connection::LogRequest(int status) {
  if (!context_.options->access_log) return;
  int64_t us = request_start_ns_ > 0 ? (MonotonicNanos() - request_start_ns_) / 1000 : 0;
  char status_text[8];
  char us_text[24];
  auto status_end = std::to_chars(status_text, status_text + sizeof(status_text), status).ptr;
  auto us_end = std::to_chars(us_text, us_text + sizeof(us_text), us).ptr;
  LogInfo("request", {{"method", log_method_},
                      {"path", log_path_},
                      {"status", std::string_view(status_text, status_end - status_text)},
                      {"us", std::string_view(us_text, us_end - us_text)},
                      {"request_id", request_id_}});
}

}  // namespace ferry::http
