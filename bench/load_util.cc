#include "load_util.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench_payloads.h"
#include "common/json.h"

namespace ferry::bench {

double NowMs() {
  using Ms = std::chrono::duration<double, std::milli>;
  return Ms(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int64_t EpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Latencies::Merge(const Latencies& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  sorted_ = false;
}

double Latencies::Percentile(double p) const {
  if (samples_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  double rank = std::ceil(p / 100.0 * static_cast<double>(samples_.size()));
  size_t index = static_cast<size_t>(std::max(rank, 1.0)) - 1;
  return samples_[std::min(index, samples_.size() - 1)];
}

double Latencies::Mean() const {
  if (samples_.empty()) return 0;
  return std::accumulate(samples_.begin(), samples_.end(), 0.0) /
         static_cast<double>(samples_.size());
}

double ServerCpu::ReadMs() const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return 1000.0 * static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ServerCpu::ElapsedMs() const {
  if (pid_ <= 0 || start_ms_ < 0) return -1;
  double now = ReadMs();
  return now < 0 ? -1 : now - start_ms_;
}

absl::Status PostOk(HttpClient& c, std::string_view path, std::string_view body) {
  HttpResponse r;
  RETURN_IF_ERROR(c.Post(std::string(kApi).append(path), body, &r));
  if (r.status != 200) {
    return absl::InternalError(
        absl::StrCat("POST ", std::string(path), " -> ", r.status, ": ", r.body));
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<JsonValue> PostJson(HttpClient& c, std::string_view path, std::string_view body) {
  HttpResponse r;
  RETURN_IF_ERROR(c.Post(std::string(kApi).append(path), body, &r));
  if (r.status != 200) {
    return absl::InternalError(
        absl::StrCat("POST ", std::string(path), " -> ", r.status, ": ", r.body));
  }
  return ParseJson(r.body);
}

}  // namespace

absl::StatusOr<std::string> CreateExperiment(HttpClient& c, std::string_view name) {
  ASSIGN_OR_RETURN(JsonValue v, PostJson(c, "experiments/create", CreateExperimentBody(name)));
  const JsonValue* id = v.Find("experiment_id");
  if (id == nullptr || !id->is_string()) return absl::InternalError("no experiment_id");
  return id->as_string();
}

absl::StatusOr<std::string> CreateRun(HttpClient& c, std::string_view experiment_id,
                                      std::string_view run_name) {
  ASSIGN_OR_RETURN(JsonValue v,
                   PostJson(c, "runs/create", CreateRunBody(experiment_id, run_name, EpochMs())));
  const JsonValue* run = v.Find("run");
  const JsonValue* info = run ? run->Find("info") : nullptr;
  const JsonValue* id = info ? info->Find("run_id") : nullptr;
  if (id == nullptr || !id->is_string()) return absl::InternalError("no run.info.run_id");
  return id->as_string();
}

absl::Status RunParallel(const Endpoint& endpoint, int workers,
                         const std::function<absl::Status(int, HttpClient&)>& fn) {
  std::vector<absl::Status> results(static_cast<size_t>(workers));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      HttpClient client(endpoint);
      results[static_cast<size_t>(w)] = fn(w, client);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : results) RETURN_IF_ERROR(s);
  return absl::OkStatus();
}

double SelfCpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return 1000.0 * t.tv_sec + t.tv_usec / 1000.0; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

size_t CountOccurrences(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  const char* p = haystack.data();
  const char* end = haystack.data() + haystack.size();
  while (true) {
    p = static_cast<const char*>(
        memmem(p, static_cast<size_t>(end - p), needle.data(), needle.size()));
    if (p == nullptr) return count;
    ++count;
    p += needle.size();
  }
}

}  // namespace ferry::bench
