#include "http/response_writer.h"

#include <array>
#include <charconv>

#include "common/json_writer.h"
#include "http/status_mapping.h"

namespace ferry::http {
namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    default:
      return "Unknown";
  }
}

struct StatusLines {
  std::array<std::string, 600> lines;
  StatusLines() {
    for (int status = 100; status < 600; ++status) {
      lines[status] = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) + "\r\n";
    }
  }
};

bool IsServerOwnedHeader(std::string_view name) {
  auto equals = [name](std::string_view lower) {
    if (name.size() != lower.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != lower[i]) return false;
    }
    return true;
  };
  return equals("content-length") || equals("transfer-encoding") || equals("connection");
}

// Header names must be non-empty tokens and values free of CR, LF and NUL, or the response
// could be split.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= ' ' || c == ':' || c == 0x7F) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void AppendHeader(std::string_view name, std::string_view value, std::string* out) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

}  // namespace

std::string_view StatusLine(int status) {
  static const StatusLines* table = new StatusLines();
  if (status < 100 || status > 599) status = 500;
  return table->lines[status];
}

bool StatusAllowsBody(int status) { return status >= 200 && status != 204 && status != 304; }

void AppendResponseHead(const HttpResponse& response, const ResponseHead& head, std::string* out) {
  out->append(StatusLine(response.status));
  out->append("Server: ferry\r\n");
  if (!response.content_type.empty() && IsSafeHeader("Content-Type", response.content_type)) {
    AppendHeader("Content-Type", response.content_type, out);
  }
  if (head.content_length >= 0 && response.status >= 200 && response.status != 204) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), head.content_length);
    AppendHeader("Content-Length", std::string_view(digits, end - digits), out);
  }
  if (!head.request_id.empty()) AppendHeader("X-Request-Id", head.request_id, out);
  if (head.close) {
    out->append("Connection: close\r\n");
  } else if (head.keep_alive_http10) {
    out->append("Connection: keep-alive\r\n");
  }
  for (const auto& [name, value] : response.headers) {
    if (IsSafeHeader(name, value) && !IsServerOwnedHeader(name)) AppendHeader(name, value, out);
  }
  out->append("\r\n");
}

HttpResponse JsonErrorResponse(int status, std::string_view error_code, std::string_view message) {
  std::string body;
  JsonWriter(&body)
      .BeginObject()
      .Field("error_code", error_code)
      .Field("message", PublicMessage(message))
      .EndObject();
  return JsonError(status, std::move(body));
}

HttpResponse ProtocolErrorResponse(int status, std::string_view reason) {
  std::string body(reason);
  body.push_back('\n');
  return HttpResponse::Text(status, std::move(body));
}

HttpResponse SinkErrorResponse(const absl::Status& status) {
  auto message = status.message();  // absl::string_view may differ from std::string_view
  return JsonErrorResponse(HttpStatusFor(status.code()), MlflowErrorCode(status.code()),
                           std::string_view(message.data(), message.size()));
}

}  // namespace ferry::http
