#pragma once
// The demo's clients: a few threads that send Open Inference Protocol requests to the
// server at a steady pace, session prefixes to the recommender (from the catalogue of the
// current phase: before the change, then after it) and rows of the tabular data set to the
// tabular model, counting what was served and what failed, per answering version.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace ferry::cli::demo {

enum class Phase : int { kBefore = 0, kAfter = 1 };

// Session prefixes (item ids separated by spaces), the inputs a recommender sees: every
// proper prefix of every session, per phase.
struct SessionPool {
  std::vector<std::string> before;
  std::vector<std::string> after;
};
// `sessions[i]` = (phase, items); phase 0 before the change.
SessionPool MakeSessionPool(const std::vector<std::pair<int, std::vector<std::string>>>& sessions);

// {"inputs":[{"name":"session","shape":[N],"datatype":"BYTES","data":[...]}]}
std::string SessionsRequest(const std::vector<std::string>& sessions);
// {"inputs":[{"name":"input","shape":[N,F],"datatype":"FP64","data":[...]}]}
std::string RowsRequest(const std::vector<std::vector<double>>& rows);
// The feature rows of a CSV whose last column is the label ("" when not a number table).
std::vector<std::vector<double>> FeatureRows(std::string_view csv);
// "model_version" of an OIP answer, "" when absent.
std::string AnswerVersion(std::string_view body);

struct TrafficCounts {
  uint64_t served = 0;
  uint64_t failed = 0;
  std::map<std::string, uint64_t> by_version;  // recommender answers per version
  std::vector<std::string> errors;             // the first few failures
};

struct TrafficOptions {
  std::string url;                  // the server
  std::string model;                // the recommender's deployment
  std::string tabular_model;        // "" for none
  int session_clients = 3;          // threads sending sessions
  int batch = 40;                   // sessions per request
  double requests_per_second = 40;  // per thread
  uint64_t seed = 1;
};

class Traffic {
 public:
  Traffic(TrafficOptions options, SessionPool pool, std::vector<std::vector<double>> rows);
  ~Traffic();
  Traffic(const Traffic&) = delete;
  Traffic& operator=(const Traffic&) = delete;

  void Start();
  void Stop();  // joins the threads
  void SetPhase(Phase p) { phase_.store(static_cast<int>(p)); }
  TrafficCounts Counts() const;

 private:
  void SessionClient(int index);
  void TabularClient();
  void Record(int status, const std::string& body, const std::string& error, bool sessions);

  TrafficOptions options_;
  SessionPool pool_;
  std::vector<std::vector<double>> rows_;
  std::atomic<int> phase_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  TrafficCounts counts_;
};

}  // namespace ferry::cli::demo
