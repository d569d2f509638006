// Load generator for a running Ferry (or MLflow) tracking server. Starts nothing itself.
//
//   tracking_load ingest|search|history|get --url http://127.0.0.1:PORT [flags]
//
// Prints a report and one "RESULT <mode> key=value ..." line; exits 1 on any error, non-200
// answer or wrong result, 2 on a usage error.

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "load_modes.h"
#include "load_util.h"

namespace ferry::bench {
namespace {

constexpr char kUsage[] =
    "usage: tracking_load MODE --url http://HOST:PORT [flags]\n"
    "modes:\n"
    "  ingest   N clients send log-batch requests of 1000 metrics for D seconds\n"
    "  search   10,000 runs, then runs/search 'metrics.acc > 0.9' (100 results) R times\n"
    "  history  100,000 points of one metric, then metrics/get-history R times\n"
    "  get      N clients read one small run with runs/get for D seconds\n"
    "flags:\n"
    "  --clients N      ingest and get clients (default 4)\n"
    "  --duration S     ingest and get seconds (default 10)\n"
    "  --repeats R      timed requests (search 200, history 30)\n"
    "  --runs N         search: runs to create (default 10000)\n"
    "  --points N       history: points to log (default 100000)\n"
    "  --server-pid P   sample the server's CPU time (/proc/P/stat) around the timed phase\n"
    "  --seed S         random seed (default 42)\n"
    "  --authorization V  send 'Authorization: V' (e.g. 'Basic dTpw', 'Bearer TOKEN')\n";

bool SetPositive(std::optional<int64_t> n, int* out) {
  if (!n || *n <= 0 || *n > 1'000'000'000) return false;
  *out = static_cast<int>(*n);
  return true;
}

// Parses "--flag value" pairs into `o`; false on an unknown flag or a bad value.
bool ParseFlags(int argc, char** argv, LoadOptions* o, std::string* url) {
  for (int i = 2; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return false;
    std::string_view value = argv[i + 1];
    std::optional<int64_t> n = ParseInt64(value);
    bool ok = true;
    if (flag == "--url") {
      *url = std::string(value);
    } else if (flag == "--authorization") {
      o->endpoint.authorization = std::string(value);
    } else if (flag == "--clients") {
      ok = SetPositive(n, &o->clients);
    } else if (flag == "--duration") {
      std::optional<double> d = ParseDouble(value);
      ok = d && *d > 0;
      if (ok) o->duration_s = *d;
    } else if (flag == "--repeats") {
      ok = SetPositive(n, &o->repeats);
    } else if (flag == "--runs") {
      ok = SetPositive(n, &o->runs);
    } else if (flag == "--points") {
      ok = SetPositive(n, &o->points);
    } else if (flag == "--server-pid") {
      ok = SetPositive(n, &o->server_pid);
    } else if (flag == "--seed") {
      ok = n && *n >= 0;
      if (ok) o->seed = static_cast<uint64_t>(*n);
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "bad flag or value: %s %s\n", argv[i], argv[i + 1]);
      return false;
    }
  }
  return !url->empty();
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view mode = argv[1];
  LoadOptions options;
  std::string url;
  if (!ParseFlags(argc, argv, &options, &url)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  absl::StatusOr<Endpoint> endpoint = ParseUrl(url);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "%s\n", endpoint.status().ToString().c_str());
    return 2;
  }
  endpoint->authorization = options.endpoint.authorization;
  options.endpoint = *endpoint;
  absl::Status status;
  if (mode == "ingest") {
    status = RunIngest(options);
  } else if (mode == "search") {
    status = RunSearch(options);
  } else if (mode == "history") {
    status = RunHistory(options);
  } else if (mode == "get") {
    status = RunGet(options);
  } else {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "tracking_load %s failed: %s\n", argv[1], status.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace ferry::bench

int main(int argc, char** argv) { return ferry::bench::Main(argc, argv); }
