#pragma once
// Requests, responses and streaming body interfaces of Ferry's HTTP/1.1 server.

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "core/access_scope.h"

namespace ferry::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/a%20b?x=1"
  std::string path;    // percent-decoded path without the query
  std::string query;   // raw query string without '?'
  HeaderList headers;  // names lowercased
  std::string body;    // whole body (non-streaming routes only)
  std::string request_id;
  std::string peer;  // the client's IP address ("127.0.0.1"), as the socket says
  // Path parameters captured by the router: the text matched by a trailing '*'.
  std::string path_rest;
  // The authenticated caller, set by the access check of `--auth` (empty without it).
  std::string user;
  bool user_is_admin = false;
  // The resource the same check found for the audit log ("experiment 3", "registered model
  // 'm'"), empty when the rule names none or the caller was refused before it was found.
  std::string audit_resource;
  // The workspace the request works in (core/workspace.h): its X-MLFLOW-WORKSPACE header,
  // validated, with --enable-workspaces (http/handlers/auth/workspace_guard.h); `default`
  // otherwise.
  std::string workspace = "default";
  // The request's fields once parsed (a handlers/request_args.h RequestArgs), so the access
  // check and the handler parse them once; reset with the request.
  mutable std::any parsed;
  // Kept across a keep-alive connection's requests (RequestParser::Reset leaves it): what
  // --auth's check verified for the connection's last credential (auth_guard.cc).
  mutable std::any connection_memo;
  // What the caller may see, for searches to filter inside their queries (set by the same
  // check; unrestricted without --auth).
  AccessScope experiment_scope;  // experiment ids
  AccessScope model_scope;       // registered model names

  // Returns the first header named `name` (lowercase), or nullptr.
  const std::string* Header(std::string_view name) const;
};

class AsyncMailbox;
class Connection;

// Runs a connection again, from any thread: a body that filled or drained on a worker
// (OffloadSource, OffloadSink) tells the loop it can go on. Copyable. A wake for a connection
// that has closed (or whose loop has stopped) does nothing; a spurious one costs one Run().
class Waker {
 public:
  Waker() = default;  // empty: Wake() does nothing
  void Wake() const;

 private:
  friend class Connection;
  Waker(std::shared_ptr<AsyncMailbox> mailbox, Connection* connection)
      : mailbox_(std::move(mailbox)), connection_(connection) {}
  std::shared_ptr<AsyncMailbox> mailbox_;
  Connection* connection_ = nullptr;  // compared by the loop, never dereferenced here
};

// A response body produced piecewise (large downloads). If fd() >= 0 the server may use
// sendfile() from the current offset instead of Read().
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual int64_t size() const = 0;
  virtual int fd() const = 0;
  // Whether Read() has bytes (or the end, or an error) to give without blocking. A source
  // filled by another thread answers false and calls waker.Wake() once it has; the
  // connection then sends nothing more until woken. Default: always ready.
  virtual bool Poll(const Waker& waker) {
    (void)waker;
    return true;
  }
  // Reads up to `n` bytes; 0 means end of body.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  HeaderList headers;  // extra headers
  std::string body;
  std::unique_ptr<BodySource> source;  // if set, used instead of `body`

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body, std::string content_type = "text/plain");
};

class Responder;

// Runs `job` on another thread, or answers kUnavailable at once when that thread's queue is
// full (BlockingWorker::TrySubmit in http/handlers has this shape).
using JobRunner = std::function<absl::Status(std::function<void()> job)>;

// Receives a request body piece by piece (large uploads). The server calls Write() for each
// chunk in order, then FinishAsync() once the body is complete, or Abort() if the client goes
// away or the body is malformed. A non-OK Write() stops the upload; the server then calls
// Abort() and answers with ErrorResponse(status).
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual absl::Status Write(std::string_view chunk) = 0;
  // Flow control, asked before more of the body is read: a sink whose queue to another
  // thread is full answers false and calls waker.Wake() once it has room; until then the
  // connection reads no more from the client (TCP pushes back). Default: always accepting.
  virtual bool Accepting(const Waker& waker) {
    (void)waker;
    return true;
  }
  virtual HttpResponse Finish() = 0;
  // Answers the upload, at once or later from another thread, as an AsyncHandler does (the
  // connection waits meanwhile). The sink is destroyed when this returns, so work handed
  // to another thread takes what it needs with it. Default: responder.Send(Finish()).
  virtual void FinishAsync(Responder responder);
  virtual void Abort() = 0;
};

// A one-shot handle that answers one request later, from any thread (see Router::AddAsync).
// Movable, not copyable. Send() delivers the response to the event loop that read the
// request, which writes it in request order with the same headers, HEAD handling and access
// log line as an inline response.
//
// A Responder destroyed without Send() answers 500
// {"error_code":"INTERNAL_ERROR","message":"handler dropped the request"}, so a request is
// never left hanging (this includes an async handler that throws before passing its
// Responder on). If the client has gone, or the server has stopped, Send() and the
// destructor do nothing harmful: the response is dropped, on the loop thread or, once the
// loop is gone, on the calling thread. Responders may outlive the HttpServer.
class Responder {
 public:
  Responder() = default;  // empty: Send() and the destructor do nothing
  Responder(Responder&& other) noexcept;
  // An unsent Responder being overwritten is dropped first (its client gets the 500).
  Responder& operator=(Responder&& other) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  // Answers the request. Thread-safe with respect to the server (not to concurrent calls on
  // the same Responder). Afterwards the Responder is empty; calling Send() on an empty
  // Responder does nothing.
  void Send(HttpResponse response);
  // False once sent, moved from or default-constructed.
  bool pending() const { return mailbox_ != nullptr; }

 private:
  friend class Connection;
  Responder(std::shared_ptr<AsyncMailbox> mailbox, Connection* connection, uint64_t serial);

  std::shared_ptr<AsyncMailbox> mailbox_;  // outlives the loop: safe after shutdown
  Connection* connection_ = nullptr;       // compared by the loop, never dereferenced here
  uint64_t serial_ = 0;
};

using Handler = std::function<HttpResponse(HttpRequest&)>;
// Runs on the loop thread like a Handler, but answers through `responder`, at once or later
// from another thread (model serving hands requests to a batcher). `request` is valid only
// during the call: copy or move out what is needed (moving its body out is fine). Until the
// response is sent the connection reads no further requests (pipelined ones wait, so
// responses stay in order), its idle timeout is suspended, and a server drain waits for it up
// to the drain deadline. A per-request deadline is the handler's job.
using AsyncHandler = std::function<void(HttpRequest& request, Responder responder)>;
// Called once the headers are in: returns a sink for the body, or a response to send at once
// (the body is then read and discarded, or the connection closed if it is large).
using StreamHandler =
    std::function<std::variant<std::unique_ptr<BodySink>, HttpResponse>(HttpRequest&)>;

}  // namespace ferry::http
