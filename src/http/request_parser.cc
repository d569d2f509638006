#include "http/request_parser.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace ferry::http {
namespace {

// Character classes from RFC 9110/9112, as lookup tables.
struct CharTables {
  std::array<bool, 256> tchar{};        // token characters (method, header names)
  std::array<bool, 256> target{};       // request-target: visible ASCII
  std::array<bool, 256> field_value{};  // HTAB, SP, VCHAR, obs-text
};

constexpr CharTables MakeCharTables() {
  CharTables t;
  for (int c = 0; c < 256; ++c) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool special = false;
    for (char s : std::string_view("!#$%&'*+-.^_`|~")) special = special || c == s;
    t.tchar[c] = alnum || special;
    t.target[c] = c > 0x20 && c < 0x7F;
    t.field_value[c] = c == '\t' || (c >= 0x20 && c != 0x7F);
  }
  return t;
}

constexpr CharTables kChars = MakeCharTables();

bool AllOf(std::string_view s, const std::array<bool, 256>& table) {
  for (char c : s) {
    if (!table[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower[i]) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn(element) for each trimmed, non-empty element of a comma-separated list; stops
// and returns false as soon as fn does.
template <typename Fn>
bool ForEachListElement(std::string_view list, Fn fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view element = TrimOws(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (!element.empty() && !fn(element)) return false;
  }
  return true;
}

// Percent-decodes a path into *out. False for a malformed escape or a decoded NUL.
bool DecodePath(std::string_view raw, std::string* out) {
  out->clear();
  if (raw.find('%') == std::string_view::npos) {
    out->assign(raw);
    return true;
  }
  out->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out->push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size()) return false;
    int hi = HexValue(raw[i + 1]);
    int lo = HexValue(raw[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {}

bool RequestParser::idle() const {
  return state_ == State::kStart && scan_offset_ == 0 && skipped_bytes_ == 0;
}

bool RequestParser::in_body() const {
  switch (state_) {
    case State::kBodyLength:
    case State::kChunkSize:
    case State::kChunkData:
    case State::kChunkCr:
    case State::kChunkLf:
    case State::kTrailers:
      return true;
    default:
      return false;
  }
}

void RequestParser::Reset() {
  constexpr size_t kKeepCapacity = 64 * 1024;
  request_.method.clear();
  request_.target.clear();
  request_.path.clear();
  request_.query.clear();
  request_.headers.clear();
  if (request_.body.capacity() > kKeepCapacity) {
    std::string().swap(request_.body);
  } else {
    request_.body.clear();
  }
  request_.request_id.clear();
  request_.path_rest.clear();
  // What the access check of --auth set: a keep-alive connection's next request starts
  // anonymous and unscoped (it may be refused before the check sets them again).
  request_.user.clear();
  request_.user_is_admin = false;
  request_.audit_resource.clear();
  request_.experiment_scope = AccessScope();
  request_.model_scope = AccessScope();
  request_.workspace = "default";  // and what --enable-workspaces' check set
  request_.parsed.reset();
  state_ = State::kStart;
  scan_offset_ = skipped_bytes_ = section_bytes_ = section_fields_ = 0;
  version_minor_ = 1;
  keep_alive_ = true;
  expect_continue_ = chunked_ = false;
  content_length_ = body_left_ = body_bytes_ = 0;
  saw_content_length_ = saw_transfer_encoding_ = te_unsupported_ = false;
  te_chunked_count_ = 0;
  te_chunked_last_ = connection_close_ = connection_keep_alive_ = expect_100_ = false;
  error_status_ = 0;
  error_message_ = "";
}

bool RequestParser::Fail(int status, const char* message) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = message;
  return false;
}

ParseEvent RequestParser::Parse(std::string_view data, size_t* consumed, std::string_view* body) {
  size_t pos = 0;
  ParseEvent event = ParseEvent::kNeedMore;
  while (true) {
    switch (state_) {
      case State::kStart:
      case State::kHeaders:
      case State::kChunkSize:
      case State::kTrailers:
        event = ParseLine(data, &pos);
        break;
      case State::kBodyLength:
      case State::kChunkData:
        event = ParseBody(data, &pos, body);
        break;
      case State::kChunkCr:
      case State::kChunkLf:
        event = ParseChunkEnd(data, &pos);
        break;
      case State::kComplete:
        event = ParseEvent::kDone;
        break;
      case State::kError:
        event = ParseEvent::kError;
        break;
    }
    // kNeedMore with input left means "keep going in the new state".
    if (event != ParseEvent::kNeedMore || pos == data.size()) break;
    if (state_ == State::kComplete) continue;
    if (scan_offset_ != 0) break;  // a partial line is pending
  }
  *consumed = pos;
  return event;
}

RequestParser::LineResult RequestParser::NextLine(std::string_view data, size_t* pos, size_t limit,
                                                  std::string_view* line) {
  size_t start = *pos;
  size_t from = start + scan_offset_;
  if (from > data.size()) from = start;  // caller broke the contract; rescan
  const void* nl =
      from < data.size() ? std::memchr(data.data() + from, '\n', data.size() - from) : nullptr;
  if (nl == nullptr) {
    scan_offset_ = data.size() - start;
    return scan_offset_ > limit ? LineResult::kTooLong : LineResult::kPartial;
  }
  size_t end = static_cast<const char*>(nl) - data.data();
  if (end - start + 1 > limit) return LineResult::kTooLong;
  scan_offset_ = 0;
  *pos = end + 1;
  *line = data.substr(start, end - start);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return LineResult::kLine;
}

ParseEvent RequestParser::ParseLine(std::string_view data, size_t* pos) {
  size_t limit = limits_.max_request_line;
  int too_long_status = 414;
  if (state_ == State::kHeaders || state_ == State::kTrailers) {
    limit = limits_.max_header_bytes - std::min(section_bytes_, limits_.max_header_bytes);
    too_long_status = 431;
  } else if (state_ == State::kChunkSize) {
    limit = limits_.max_chunk_line;
    too_long_status = 400;
  }
  std::string_view line;
  switch (NextLine(data, pos, limit, &line)) {
    case LineResult::kPartial:
      return ParseEvent::kNeedMore;
    case LineResult::kTooLong:
      Fail(too_long_status, too_long_status == 414   ? "Request line too long"
                            : too_long_status == 431 ? "Request header fields too large"
                                                     : "Chunk size line too long");
      return ParseEvent::kError;
    case LineResult::kLine:
      break;
  }
  if (state_ == State::kHeaders || state_ == State::kTrailers) {
    section_bytes_ += line.size() + 2;
  }
  return OnLine(line);
}

ParseEvent RequestParser::OnLine(std::string_view line) {
  switch (state_) {
    case State::kStart:
      if (line.empty()) {  // RFC 9112 2.2: ignore empty lines before the request line
        skipped_bytes_ += 2;
        if (skipped_bytes_ > limits_.max_request_line) Fail(400, "Too many empty lines");
        return failed() ? ParseEvent::kError : ParseEvent::kNeedMore;
      }
      if (!ParseRequestLine(line)) return ParseEvent::kError;
      state_ = State::kHeaders;
      return ParseEvent::kNeedMore;
    case State::kHeaders:
      if (!line.empty()) {
        return ParseHeaderLine(line, false) ? ParseEvent::kNeedMore : ParseEvent::kError;
      }
      return FinishHeaders() ? ParseEvent::kHeaders : ParseEvent::kError;
    case State::kChunkSize:
      return ParseChunkSize(line) ? ParseEvent::kNeedMore : ParseEvent::kError;
    case State::kTrailers:
      if (!line.empty()) {
        return ParseHeaderLine(line, true) ? ParseEvent::kNeedMore : ParseEvent::kError;
      }
      state_ = State::kComplete;
      return ParseEvent::kDone;
    default:
      return ParseEvent::kError;
  }
}

ParseEvent RequestParser::ParseBody(std::string_view data, size_t* pos, std::string_view* body) {
  if (*pos == data.size()) return ParseEvent::kNeedMore;
  size_t n =
      static_cast<size_t>(std::min<int64_t>(body_left_, static_cast<int64_t>(data.size() - *pos)));
  *body = data.substr(*pos, n);
  *pos += n;
  body_left_ -= static_cast<int64_t>(n);
  body_bytes_ += static_cast<int64_t>(n);
  if (body_left_ == 0) {
    state_ = state_ == State::kBodyLength ? State::kComplete : State::kChunkCr;
  }
  return ParseEvent::kBody;
}

ParseEvent RequestParser::ParseChunkEnd(std::string_view data, size_t* pos) {
  while (*pos < data.size()) {
    char c = data[*pos];
    if (state_ == State::kChunkCr && c == '\r') {
      state_ = State::kChunkLf;
      ++*pos;
      continue;
    }
    if (c != '\n') {
      Fail(400, "Missing CRLF after chunk data");
      return ParseEvent::kError;
    }
    ++*pos;
    state_ = State::kChunkSize;
    return ParseEvent::kNeedMore;
  }
  return ParseEvent::kNeedMore;
}

bool RequestParser::ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return Fail(400, "Malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view rest = line.substr(sp1 + 1);
  size_t sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos || sp2 == 0) return Fail(400, "Malformed request line");
  std::string_view target = rest.substr(0, sp2);
  std::string_view version = rest.substr(sp2 + 1);
  if (!AllOf(method, kChars.tchar)) return Fail(400, "Malformed method");
  if (!AllOf(target, kChars.target)) return Fail(400, "Malformed request target");
  if (version == "HTTP/1.1") {
    version_minor_ = 1;
  } else if (version == "HTTP/1.0") {
    version_minor_ = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' &&
             version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return Fail(505, "HTTP version not supported");
  } else {
    return Fail(400, "Malformed HTTP version");
  }
  request_.method.assign(method);
  request_.target.assign(target);
  return ParseTarget(target);
}

bool RequestParser::ParseTarget(std::string_view target) {
  std::string_view origin = target;
  if (target.front() != '/') {
    if (target == "*") {
      origin = "*";
    } else {
      size_t scheme = EqualsNoCase(target.substr(0, 7), "http://")    ? 7
                      : EqualsNoCase(target.substr(0, 8), "https://") ? 8
                                                                      : 0;
      if (scheme == 0) return Fail(400, "Malformed request target");
      size_t path_start = target.find_first_of("/?", scheme);
      origin = path_start == std::string_view::npos ? "/" : target.substr(path_start);
    }
  }
  size_t question = origin.find('?');
  std::string_view raw_path = origin.substr(0, question);
  if (question != std::string_view::npos) request_.query.assign(origin.substr(question + 1));
  if (raw_path.empty()) raw_path = "/";
  if (!DecodePath(raw_path, &request_.path)) return Fail(400, "Malformed percent-encoding");
  return true;
}

bool RequestParser::ParseHeaderLine(std::string_view line, bool trailer) {
  if (line.front() == ' ' || line.front() == '\t') return Fail(400, "Obsolete line folding");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return Fail(400, "Malformed header field");
  std::string_view name = line.substr(0, colon);
  std::string_view value = TrimOws(line.substr(colon + 1));
  if (!AllOf(name, kChars.tchar)) return Fail(400, "Malformed header name");
  if (!AllOf(value, kChars.field_value)) return Fail(400, "Malformed header value");
  if (++section_fields_ > limits_.max_headers) return Fail(431, "Too many header fields");
  if (trailer) return true;
  auto& [key, stored] = request_.headers.emplace_back();
  key.resize(name.size());
  std::transform(name.begin(), name.end(), key.begin(), Lower);
  stored.assign(value);
  return ApplyFramingHeader(key, value);
}

bool RequestParser::ApplyFramingHeader(std::string_view name, std::string_view value) {
  if (name == "content-length") {
    int elements = 0;
    bool ok = ForEachListElement(value, [this, &elements](std::string_view element) {
      ++elements;
      if (element.size() > 18 || !std::all_of(element.begin(), element.end(),
                                              [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
      int64_t length = 0;
      for (char c : element) length = length * 10 + (c - '0');
      if (saw_content_length_ && length != content_length_) return false;
      saw_content_length_ = true;
      content_length_ = length;
      return true;
    });
    if (!ok || elements == 0) return Fail(400, "Malformed Content-Length");
  } else if (name == "transfer-encoding") {
    saw_transfer_encoding_ = true;
    ForEachListElement(value, [this](std::string_view coding) {
      te_chunked_last_ = EqualsNoCase(coding, "chunked");
      if (te_chunked_last_) {
        ++te_chunked_count_;
      } else {
        te_unsupported_ = true;
      }
      return true;
    });
  } else if (name == "connection") {
    ForEachListElement(value, [this](std::string_view option) {
      connection_close_ = connection_close_ || EqualsNoCase(option, "close");
      connection_keep_alive_ = connection_keep_alive_ || EqualsNoCase(option, "keep-alive");
      return true;
    });
  } else if (name == "expect") {
    expect_100_ = EqualsNoCase(value, "100-continue");
  }
  return true;
}

bool RequestParser::FinishHeaders() {
  if (saw_transfer_encoding_) {
    if (version_minor_ == 0) return Fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (saw_content_length_) return Fail(400, "Both Content-Length and Transfer-Encoding");
    if (te_unsupported_) return Fail(501, "Unsupported transfer coding");
    if (te_chunked_count_ != 1 || !te_chunked_last_)
      return Fail(400, "Malformed Transfer-Encoding");
    chunked_ = true;
  }
  keep_alive_ =
      version_minor_ == 1 ? !connection_close_ : connection_keep_alive_ && !connection_close_;
  expect_continue_ = expect_100_ && version_minor_ == 1;
  section_bytes_ = section_fields_ = 0;
  if (chunked_) {
    state_ = State::kChunkSize;
  } else if (content_length_ > 0) {
    body_left_ = content_length_;
    state_ = State::kBodyLength;
  } else {
    state_ = State::kComplete;
  }
  return true;
}

bool RequestParser::ParseChunkSize(std::string_view line) {
  size_t i = 0;
  int64_t size = 0;
  for (; i < line.size(); ++i) {
    int digit = HexValue(line[i]);
    if (digit < 0) break;
    if (i >= 15) return Fail(400, "Chunk size too large");
    size = size * 16 + digit;
  }
  if (i == 0) return Fail(400, "Malformed chunk size");
  std::string_view rest = TrimOws(line.substr(i));
  if (!rest.empty() && (rest.front() != ';' || !AllOf(rest, kChars.field_value))) {
    return Fail(400, "Malformed chunk extension");
  }
  if (size == 0) {
    state_ = State::kTrailers;
  } else {
    body_left_ = size;
    state_ = State::kChunkData;
  }
  return true;
}

}  // namespace ferry::http
