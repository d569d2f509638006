#pragma once
// Incremental HTTP/1.1 request parser. It accepts input in pieces of any size (down to one
// byte), frames Content-Length and chunked bodies, and reports malformed input with the
// status code to answer. It performs no I/O and never buffers a body: body bytes are handed
// back as views into the caller's input.
//
// Not thread-safe; one parser per connection, reused across keep-alive requests.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/http_types.h"

namespace ferry::http {

struct ParserLimits {
  size_t max_request_line = 64 * 1024;  // longer request line: 414
  size_t max_header_bytes = 64 * 1024;  // header (or trailer) section: 431
  size_t max_headers = 100;             // more header (or trailer) fields: 431
  size_t max_chunk_line = 4096;         // chunk-size line with extensions: 400
};

enum class ParseEvent {
  kNeedMore,  // Everything usable was consumed; call again with more input.
  kHeaders,   // Request line and headers are complete: request() and framing are valid.
  kBody,      // `*body` holds the next piece of the (de-chunked) body.
  kDone,      // The message, including any trailers, is complete. Call Reset() next.
  kError,     // Malformed input: answer error_status() and close the connection.
};

class RequestParser {
 public:
  explicit RequestParser(const ParserLimits& limits = ParserLimits());

  // Consumes a prefix of `data` and returns the next event. `*consumed` is set to the number
  // of bytes used, which the caller drops; the rest must be passed again, at the start of the
  // next call's `data`, followed by any newer bytes (a partial line is kept that way rather
  // than copied). For kBody, `*body` points into `data`. After kDone every call returns
  // kDone until Reset(); after kError every call returns kError.
  ParseEvent Parse(std::string_view data, size_t* consumed, std::string_view* body);

  // Prepares for the next request on the same connection. Keeps buffer capacity unless it
  // grew large.
  void Reset();

  // The request being parsed. Valid from kHeaders on: method, target, path (percent-decoded),
  // query (raw) and headers (names lowercased). Trailers are validated and dropped.
  HttpRequest& request() { return request_; }
  const HttpRequest& request() const { return request_; }

  // Framing of the current request, valid from kHeaders on.
  int version_minor() const { return version_minor_; }  // HTTP/1.<minor>
  bool keep_alive() const { return keep_alive_; }
  bool expect_continue() const { return expect_continue_; }  // HTTP/1.1 only
  bool chunked() const { return chunked_; }
  int64_t content_length() const { return chunked_ ? -1 : content_length_; }
  bool has_body() const { return chunked_ || content_length_ > 0; }
  // Body bytes returned so far for the current request.
  int64_t body_bytes() const { return body_bytes_; }

  // True before the first byte of a request has been consumed (or kept as partial input).
  bool idle() const;
  // True from kHeaders until the message is complete.
  bool in_body() const;
  bool failed() const { return state_ == State::kError; }

  // For kError: 400, 413, 414, 431, 501 or 505, and a short reason.
  int error_status() const { return error_status_; }
  std::string_view error_message() const { return error_message_; }

 private:
  enum class State {
    kStart,
    kHeaders,
    kBodyLength,
    kChunkSize,
    kChunkData,
    kChunkCr,
    kChunkLf,
    kTrailers,
    kComplete,
    kError,
  };
  enum class LineResult { kLine, kPartial, kTooLong };

  // Finds the next line from data[*pos]. kPartial and kTooLong leave *pos unchanged.
  LineResult NextLine(std::string_view data, size_t* pos, size_t limit, std::string_view* line);
  ParseEvent ParseLine(std::string_view data, size_t* pos);
  ParseEvent OnLine(std::string_view line);
  ParseEvent ParseBody(std::string_view data, size_t* pos, std::string_view* body);
  ParseEvent ParseChunkEnd(std::string_view data, size_t* pos);

  bool ParseRequestLine(std::string_view line);
  bool ParseTarget(std::string_view target);
  bool ParseHeaderLine(std::string_view line, bool trailer);
  bool ApplyFramingHeader(std::string_view name, std::string_view value);
  bool FinishHeaders();
  bool ParseChunkSize(std::string_view line);
  // Records an error and returns false.
  bool Fail(int status, const char* message);

  ParserLimits limits_;
  HttpRequest request_;
  State state_ = State::kStart;
  // Bytes of the current partial line already searched for '\n'.
  size_t scan_offset_ = 0;
  size_t skipped_bytes_ = 0;  // empty lines before the request line
  size_t section_bytes_ = 0;  // header or trailer section so far
  size_t section_fields_ = 0;

  int version_minor_ = 1;
  bool keep_alive_ = true;
  bool expect_continue_ = false;
  bool chunked_ = false;
  int64_t content_length_ = 0;
  int64_t body_left_ = 0;  // of the whole body, or of the current chunk
  int64_t body_bytes_ = 0;

  // Header facts collected until FinishHeaders().
  bool saw_content_length_ = false;
  bool saw_transfer_encoding_ = false;
  bool te_unsupported_ = false;
  int te_chunked_count_ = 0;
  bool te_chunked_last_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  bool expect_100_ = false;

  int error_status_ = 0;
  const char* error_message_ = "";
};

}  // namespace ferry::http
