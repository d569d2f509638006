// Times DecodeOipRequest + EncodeOipResponse for a 30-feature request in-process (built only
// on request: ninja oip_codec_timing). Prints nanoseconds per request, best of 5 rounds.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "http/handlers/inference/oip_codec.h"

int main() {
  std::string data;
  for (int i = 0; i < 30; ++i) data += (i ? "," : "") + std::to_string(0.137 * (i + 1) - 1.9);
  std::string body =
      "{\"id\":\"42\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,30],"
      "\"datatype\":\"FP32\",\"data\":[" +
      data + "]}]}";
  ferry::Tensor y = ferry::MakeFp64Tensor("y", {1}, {0.8731});
  std::vector<ferry::Tensor> outputs = {y};
  const int n = 200000;
  double best = 1e9;
  size_t sink = 0;
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      auto r = ferry::http::DecodeOipRequest(body, std::nullopt);
      if (!r.ok()) return 1;
      sink += r->inputs[0].data.size();
      ferry::http::OipEncoded enc =
          ferry::http::EncodeOipResponse("model", "1", r->id, outputs, *r);
      sink += enc.body.size();
    }
    std::chrono::duration<double, std::nano> d = std::chrono::steady_clock::now() - start;
    best = std::min(best, d.count() / n);
  }
  std::printf("body %zu bytes: decode+encode %.0f ns/request (sink %zu)\n", body.size(), best,
              sink);
  return 0;
}
