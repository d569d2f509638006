// libFuzzer target for the HTTP/1.1 request parser.
//
// The first input byte picks the limits and seeds the split pattern; the rest is a byte
// stream from a client. The stream is parsed twice, whole and in random pieces (down to one
// byte, honouring the parser's "pass unconsumed bytes again" contract), and both runs must
// produce the same requests, bodies and error status. Each run must make progress.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/request_parser.h"

namespace {

using ferry::http::ParseEvent;
using ferry::http::ParserLimits;
using ferry::http::RequestParser;

// Appends a description of everything the parser reported to *out.
void Describe(const RequestParser& parser, std::string* out) {
  const auto& r = parser.request();
  *out += r.method + ' ' + r.path + '?' + r.query + '|';
  for (const auto& [name, value] : r.headers) *out += name + ':' + value + '|';
  *out += parser.keep_alive() ? "ka" : "close";
  *out += parser.chunked() ? " chunked" : " cl=" + std::to_string(parser.content_length());
  *out += '\n';
}

std::string Parse(std::string_view input, const ParserLimits& limits, uint32_t seed, bool split) {
  RequestParser parser(limits);
  std::minstd_rand rng(seed);
  std::string pending, out;
  size_t fed = 0;
  size_t calls = 0;
  while (true) {
    size_t n = input.size() - fed;
    if (split) n = std::min<size_t>(n, rng() % 16 == 0 ? 1 + rng() % 512 : 1 + rng() % 4);
    pending.append(input.substr(fed, n));
    fed += n;
    while (true) {
      Check(++calls < 16 * input.size() + 64);
      size_t consumed = 0;
      std::string_view body;
      ParseEvent event = parser.Parse(pending, &consumed, &body);
      Check(consumed <= pending.size());
      if (event == ParseEvent::kHeaders) {
        Describe(parser, &out);
        Check(!parser.request().method.empty() && !parser.request().path.empty());
        Check(parser.request().path.find('\0') == std::string::npos);
      } else if (event == ParseEvent::kBody) {
        Check(!body.empty() && body.data() >= pending.data() &&
              body.data() + body.size() <= pending.data() + consumed);
        out.append(body);
      } else if (event == ParseEvent::kDone) {
        out += "<done>\n";
        parser.Reset();
      } else if (event == ParseEvent::kError) {
        Check(parser.error_status() >= 400 && parser.error_status() < 600);
        return out + "<error " + std::to_string(parser.error_status()) + ">";
      }
      pending.erase(0, consumed);
      if (event == ParseEvent::kNeedMore) break;
    }
    if (fed == input.size()) break;
  }
  return out + (parser.idle() ? "<idle>" : "<partial>");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ParserLimits limits;
  if (data[0] & 1) {
    limits.max_request_line = 64;
    limits.max_header_bytes = 256;
    limits.max_headers = 8;
    limits.max_chunk_line = 16;
  }
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string whole = Parse(input, limits, data[0], false);
  std::string pieces = Parse(input, limits, data[0], true);
  Check(whole == pieces);
  return 0;
}
