#include "http/request_parser.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

struct ParsedRequest {
  std::string method, target, path, query, body;
  HeaderList headers;
  bool keep_alive = false;
  bool expect_continue = false;
};

struct Outcome {
  std::vector<ParsedRequest> requests;
  int error = 0;      // error_status() if the parser failed
  bool idle = false;  // parser idle at the end of input
};

// Feeds `input` in pieces of `step` bytes (0: all at once; SIZE_MAX: random splits), keeping
// unconsumed bytes as the parser's contract requires.
Outcome Feed(std::string_view input, size_t step, ParserLimits limits = {}) {
  RequestParser parser(limits);
  std::mt19937 rng(42);
  std::string pending;
  Outcome out;
  ParsedRequest current;
  size_t fed = 0;
  while (true) {
    size_t n = input.size() - fed;
    if (step == SIZE_MAX) n = std::min<size_t>(n, rng() % 7 + 1);
    if (step != 0 && step != SIZE_MAX) n = std::min(n, step);
    pending.append(input.substr(fed, n));
    fed += n;
    bool need_more = false;
    while (!need_more) {
      size_t consumed = 0;
      std::string_view body;
      ParseEvent event = parser.Parse(pending, &consumed, &body);
      switch (event) {
        case ParseEvent::kHeaders: {
          const HttpRequest& r = parser.request();
          current = {r.method,
                     r.target,
                     r.path,
                     r.query,
                     "",
                     r.headers,
                     parser.keep_alive(),
                     parser.expect_continue()};
          break;
        }
        case ParseEvent::kBody:
          current.body.append(body);
          break;
        case ParseEvent::kDone:
          out.requests.push_back(current);
          parser.Reset();
          break;
        case ParseEvent::kError:
          out.error = parser.error_status();
          return out;
        case ParseEvent::kNeedMore:
          need_more = true;
          break;
      }
      pending.erase(0, consumed);
    }
    if (fed == input.size()) break;
  }
  out.idle = parser.idle();
  return out;
}

const size_t kSteps[] = {0, 1, 2, 3, SIZE_MAX};

TEST(RequestParserTest, SimpleGet) {
  for (size_t step : kSteps) {
    Outcome out =
        Feed("GET /a%20b/c?x=1&y=%41 HTTP/1.1\r\nHost: h\r\nX-Foo:  bar baz \t\r\n\r\n", step);
    ASSERT_EQ(out.error, 0) << step;
    ASSERT_EQ(out.requests.size(), 1u);
    const ParsedRequest& r = out.requests[0];
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/a%20b/c?x=1&y=%41");
    EXPECT_EQ(r.path, "/a b/c");
    EXPECT_EQ(r.query, "x=1&y=%41");
    EXPECT_EQ(r.headers, (HeaderList{{"host", "h"}, {"x-foo", "bar baz"}}));
    EXPECT_TRUE(r.keep_alive);
    EXPECT_TRUE(r.body.empty());
    EXPECT_TRUE(out.idle);
  }
}

TEST(RequestParserTest, ValidRequests) {
  static const struct {
    const char* input;
    const char* path;
    const char* body;
    bool keep_alive;
    bool expect_continue;
  } cases[] = {
      {"GET / HTTP/1.0\r\n\r\n", "/", "", false, false},
      {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "/", "", true, false},
      {"GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", "/", "", false, false},
      {"GET /x HTTP/1.1\nHost: a\n\n", "/x", "", true, false},     // bare LF
      {"\r\n\r\nGET /x HTTP/1.1\r\n\r\n", "/x", "", true, false},  // leading empty lines
      {"GET http://example.com/p/q?z HTTP/1.1\r\n\r\n", "/p/q", "", true, false},
      {"GET https://example.com HTTP/1.1\r\n\r\n", "/", "", true, false},
      {"OPTIONS * HTTP/1.1\r\n\r\n", "*", "", true, false},
      {"POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "/p", "hello", true, false},
      {"POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "/p", "", true, false},
      {"POST /p HTTP/1.1\r\nContent-Length: 3, 3\r\ncontent-length: 3\r\n\r\nabc", "/p", "abc",
       true, false},
      {"POST /p HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nab", "/p", "ab", true,
       true},
      {"POST /p HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab", "/p", "ab", false,
       false},
      {"POST /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
       "5\r\nhello\r\n6;name=val\r\n world\r\nA \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
       "/u", "hello world0123456789", true, false},
      {"POST /u HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n3\nabc\n0\n\n", "/u", "abc", true,
       false},
      {"GET /%2Fencoded%2fslash%C3%A9 HTTP/1.1\r\n\r\n", "//encoded/slash\xC3\xA9", "", true,
       false},
      {"GET /a+b HTTP/1.1\r\nX-Empty:\r\nX-Obs: caf\xC3\xA9\r\n\r\n", "/a+b", "", true, false},
  };
  for (const auto& c : cases) {
    for (size_t step : kSteps) {
      Outcome out = Feed(c.input, step);
      ASSERT_EQ(out.error, 0) << c.input << " step " << step;
      ASSERT_EQ(out.requests.size(), 1u) << c.input;
      EXPECT_EQ(out.requests[0].path, c.path) << c.input;
      EXPECT_EQ(out.requests[0].body, c.body) << c.input;
      EXPECT_EQ(out.requests[0].keep_alive, c.keep_alive) << c.input;
      EXPECT_EQ(out.requests[0].expect_continue, c.expect_continue) << c.input;
      EXPECT_TRUE(out.idle) << c.input;
    }
  }
}

TEST(RequestParserTest, Pipelined) {
  std::string input =
      "GET /1 HTTP/1.1\r\n\r\n"
      "POST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
      "POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
      "GET /4 HTTP/1.1\r\nConnection: close\r\n\r\n";
  for (size_t step : kSteps) {
    Outcome out = Feed(input, step);
    ASSERT_EQ(out.error, 0);
    ASSERT_EQ(out.requests.size(), 4u) << step;
    EXPECT_EQ(out.requests[0].path, "/1");
    EXPECT_EQ(out.requests[1].body, "abc");
    EXPECT_EQ(out.requests[2].body, "xy");
    EXPECT_EQ(out.requests[3].path, "/4");
    EXPECT_FALSE(out.requests[3].keep_alive);
  }
}

TEST(RequestParserTest, PartialInputIsNotIdle) {
  Outcome out = Feed("GET / HT", 0);
  EXPECT_EQ(out.error, 0);
  EXPECT_TRUE(out.requests.empty());
  EXPECT_FALSE(out.idle);
  out = Feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 1);
  EXPECT_TRUE(out.requests.empty());
  EXPECT_FALSE(out.idle);
}

TEST(RequestParserTest, LargeBodyByteAtATimeAndFraming) {
  std::string body(100000, 'x');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  std::string input =
      "PUT /big HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t step : {size_t{1}, size_t{4096}, SIZE_MAX}) {
    Outcome out = Feed(input, step);
    ASSERT_EQ(out.requests.size(), 1u);
    EXPECT_EQ(out.requests[0].body, body);
  }
  RequestParser parser;
  size_t consumed = 0;
  std::string_view piece;
  std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(parser.Parse(head, &consumed, &piece), ParseEvent::kHeaders);
  EXPECT_EQ(consumed, head.size());
  EXPECT_TRUE(parser.chunked());
  EXPECT_EQ(parser.content_length(), -1);
  EXPECT_TRUE(parser.has_body());
  EXPECT_TRUE(parser.in_body());
}

TEST(RequestParserTest, MalformedRequests) {
  static const struct {
    const char* input;
    int status;
  } cases[] = {
      {"GET /\r\n\r\n", 400},                         // HTTP/0.9
      {"GET / HTTP/1.1 x\r\n\r\n", 400},              // trailing garbage
      {"GET  / HTTP/1.1\r\n\r\n", 400},               // double space
      {" GET / HTTP/1.1\r\n\r\n", 400},               // leading space
      {"G(T / HTTP/1.1\r\n\r\n", 400},                // bad method
      {"GET foo HTTP/1.1\r\n\r\n", 400},              // not origin-form
      {"GET ftp://x/ HTTP/1.1\r\n\r\n", 400},         // unknown scheme
      {"GET / FOO/1.1\r\n\r\n", 400},                 // bad version
      {"GET / HTTP/1.1\r\r\n\r\n", 400},              // bare CR
      {"GET / HTTP/2.0\r\n\r\n", 505},                // unsupported version
      {"GET /a\x01 HTTP/1.1\r\n\r\n", 400},           // control char in target
      {"GET /a%zz HTTP/1.1\r\n\r\n", 400},            // bad escape
      {"GET /a%4 HTTP/1.1\r\n\r\n", 400},             // truncated escape
      {"GET /a%00b HTTP/1.1\r\n\r\n", 400},           // decoded NUL
      {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},    // space before colon
      {"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400},  // obs-fold
      {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\rz\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX\x7f: a\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n", 400},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x01\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\rX", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    for (size_t step : kSteps) {
      Outcome out = Feed(c.input, step);
      EXPECT_EQ(out.error, c.status) << "input: " << c.input << " step " << step;
      EXPECT_TRUE(out.requests.empty()) << c.input;
    }
  }
}

TEST(RequestParserTest, Limits) {
  ParserLimits limits;
  limits.max_request_line = 100;
  limits.max_header_bytes = 200;
  limits.max_headers = 3;
  limits.max_chunk_line = 20;
  std::string long_target = "GET /" + std::string(200, 'a') + " HTTP/1.1\r\n\r\n";
  std::string many_headers = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
  std::string big_header = "GET / HTTP/1.1\r\nA: " + std::string(300, 'v') + "\r\n\r\n";
  std::string big_section = "GET / HTTP/1.1\r\nA: " + std::string(90, 'v') +
                            "\r\nB: " + std::string(90, 'v') + "\r\nC: " + std::string(90, 'v') +
                            "\r\n\r\n";
  std::string long_chunk_line =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(50, 'e') + "\r\n";
  std::string many_trailers =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: "
      "4\r\n\r\n";
  std::string endless_line = "GET /" + std::string(1000, 'a');  // no newline ever
  static const struct {
    const std::string* input;
    int status;
  } cases[] = {{&long_target, 414}, {&many_headers, 431},    {&big_header, 431},
               {&big_section, 431}, {&long_chunk_line, 400}, {&many_trailers, 431},
               {&endless_line, 414}};
  for (const auto& c : cases) {
    for (size_t step : kSteps) {
      EXPECT_EQ(Feed(*c.input, step, limits).error, c.status) << *c.input << " step " << step;
    }
  }
  std::string ok = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
  EXPECT_EQ(Feed(ok, 1, limits).requests.size(), 1u);
}

TEST(RequestParserTest, ErrorIsSticky) {
  RequestParser parser;
  size_t consumed = 0;
  std::string_view body;
  EXPECT_EQ(parser.Parse("BAD\r\n", &consumed, &body), ParseEvent::kError);
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.error_status(), 400);
  EXPECT_FALSE(parser.error_message().empty());
  EXPECT_EQ(parser.Parse("GET / HTTP/1.1\r\n\r\n", &consumed, &body), ParseEvent::kError);
  parser.Reset();
  EXPECT_EQ(parser.Parse("GET / HTTP/1.1\r\n\r\n", &consumed, &body), ParseEvent::kHeaders);
}

TEST(RequestParserTest, ResetClearsRequest) {
  RequestParser parser;
  size_t consumed = 0;
  std::string_view body;
  std::string first = "GET /a?q HTTP/1.1\r\nX: 1\r\n\r\n";
  ASSERT_EQ(parser.Parse(first, &consumed, &body), ParseEvent::kHeaders);
  ASSERT_EQ(parser.Parse("", &consumed, &body), ParseEvent::kDone);
  parser.Reset();
  ASSERT_EQ(parser.Parse("GET /b HTTP/1.0\r\n\r\n", &consumed, &body), ParseEvent::kHeaders);
  EXPECT_EQ(parser.request().path, "/b");
  EXPECT_TRUE(parser.request().query.empty());
  EXPECT_TRUE(parser.request().headers.empty());
  EXPECT_EQ(parser.version_minor(), 0);
}

}  // namespace
}  // namespace ferry::http
