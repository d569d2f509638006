#pragma once
// Shared pieces of the load generator's modes: options, latency statistics, server CPU
// accounting through /proc/PID/stat, and the tracking calls used during setup.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bench_http_client.h"
#include "common/status.h"

namespace ferry::bench {

struct LoadOptions {
  Endpoint endpoint;
  int clients = 4;         // ingest: concurrent clients (one run and connection each)
  double duration_s = 10;  // ingest: measured seconds
  int repeats = 0;         // search/history: timed requests (0: the mode's default)
  int runs = 10000;        // search: runs to create
  int points = 100000;     // history: metric points to log
  int server_pid = 0;      // when set, the server's CPU time is sampled around timing
  uint64_t seed = 42;
};

// Milliseconds from a steady clock.
double NowMs();
// Wall-clock epoch milliseconds, for MLflow timestamps.
int64_t EpochMs();

// Latency samples in milliseconds.
class Latencies {
 public:
  void Add(double ms) { samples_.push_back(ms); }
  void Merge(const Latencies& other);
  size_t count() const { return samples_.size(); }
  // Nearest-rank percentile, p in [0, 100]; 0 when empty.
  double Percentile(double p) const;
  double Mean() const;

 private:
  mutable std::vector<double> samples_;
  mutable bool sorted_ = false;
};

// utime+stime of a process, sampled before and after the timed phase.
class ServerCpu {
 public:
  explicit ServerCpu(int pid) : pid_(pid) {}
  void Start() { start_ms_ = ReadMs(); }
  // CPU milliseconds used since Start(); -1 when no pid was given or /proc is unreadable.
  double ElapsedMs() const;

 private:
  double ReadMs() const;
  int pid_;
  double start_ms_ = -1;
};

// The tracking calls the setup phases need. Each fails on a non-200 answer.
absl::StatusOr<std::string> CreateExperiment(HttpClient& c, std::string_view name);
absl::StatusOr<std::string> CreateRun(HttpClient& c, std::string_view experiment_id,
                                      std::string_view run_name);
absl::Status PostOk(HttpClient& c, std::string_view path, std::string_view body);

// Runs fn(worker, client) on `workers` threads, each with its own connection, and returns the
// first error.
absl::Status RunParallel(const Endpoint& endpoint, int workers,
                         const std::function<absl::Status(int, HttpClient&)>& fn);

// CPU milliseconds (user + system) this process has used so far.
double SelfCpuMs();

// Counts non-overlapping occurrences of `needle` in `haystack`.
size_t CountOccurrences(std::string_view haystack, std::string_view needle);

inline constexpr char kApi[] = "/api/2.0/mlflow/";

}  // namespace ferry::bench
