// The session recommender's figures (docs/BENCHMARKS.md; bench/run_recommender_bench.sh runs
// it beside `ferry train` and `ferry serve`):
//   recommender_bench quality [events=200000 items=2000 seed=12 test=0.1 max_events=20000
//                              window=3 neighbours=100 sample=500 similarity=vec]
//     HR@1/5/10/20, MRR@20, coverage@20 of sr, vsknn, iknn, pop and the planted oracle on
//     generated sessions, time split.
//   recommender_bench scale [events=1000000 items=100000 seed=1 length=50 requests=20000]
//     per method: training seconds on `events` events, and the latency of one recommendation
//     (wall p50, p99, max; thread CPU p50, p99) for sessions of `length` events; beside it the
//     floor: one hash lookup
//     of each of the session's ids in the catalogue (what interning a request costs anyway).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/recommender/recommender_model.h"
#include "runtime/recommender/testing/planted.h"

namespace rec = ferry::runtime::recommender;
namespace ses = ferry::runtime::sessions;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> Args(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    const size_t eq = s.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "expected key=value, got %s\n", s.c_str());
      std::exit(2);
    }
    a[s.substr(0, eq)] = s.substr(eq + 1);
  }
  return a;
}

double Num(const std::map<std::string, std::string>& a, const char* key, double def) {
  auto it = a.find(key);
  return it == a.end() ? def : std::strtod(it->second.c_str(), nullptr);
}

rec::Params BaseParams(const std::map<std::string, std::string>& a) {
  rec::Params p;
  p.window = static_cast<int>(Num(a, "window", p.window));
  p.knn.neighbours = static_cast<int>(Num(a, "neighbours", p.knn.neighbours));
  p.knn.sample = static_cast<int>(Num(a, "sample", p.knn.sample));
  if (auto it = a.find("similarity"); it != a.end()) {
    p.knn.similarity = *rec::ParseSimilarity(it->second);
  }
  return p;
}

ses::GeneratorParams GenParams(const std::map<std::string, std::string>& a, double events,
                               double items, double seed) {
  ses::GeneratorParams g;
  g.events = static_cast<size_t>(Num(a, "events", events));
  g.items = static_cast<int>(Num(a, "items", items));
  g.seed = static_cast<uint64_t>(Num(a, "seed", seed));
  g.noise = Num(a, "noise", g.noise);
  g.mean_length = Num(a, "mean_length", g.mean_length);
  return g;
}

int Quality(const std::map<std::string, std::string>& a) {
  ses::SessionGenerator g(GenParams(a, 200000, 2000, 12));
  const auto data = rec::testing::MakePlanted(g, Num(a, "test", 0.1));
  const auto results = rec::testing::CompareMethods(
      g, data, static_cast<size_t>(Num(a, "max_events", 20000)), BaseParams(a));
  std::printf("%s", rec::testing::FormatResults(results).c_str());
  return 0;
}

// This thread's CPU time: what a request costs without the time the scheduler gave others (the
// machine is shared; wall-clock tails there are preemptions).
double ThreadCpuMicros() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

int Scale(const std::map<std::string, std::string>& a) {
  ses::SessionGenerator g(GenParams(a, 1000000, 100000, 1));
  const auto data = rec::testing::MakePlanted(g, 0.0);
  const auto length = static_cast<size_t>(Num(a, "length", 50));
  const auto requests = static_cast<size_t>(Num(a, "requests", 20000));
  // Request sessions: consecutive events of the data, `length` at a time.
  std::vector<std::vector<std::string_view>> queries;
  std::vector<std::string_view> flat;
  for (const auto& s : data.train) flat.insert(flat.end(), s.begin(), s.end());
  for (size_t i = 0; queries.size() < requests; i = (i + 7919) % (flat.size() - length)) {
    queries.emplace_back(flat.begin() + static_cast<long>(i),
                         flat.begin() + static_cast<long>(i + length));
  }
  std::printf("%zu events, %d items on sale, sessions of %zu events, %zu requests\n", flat.size(),
              g.OnSale(0).second, length, requests);
  std::printf("method  train_s  p50_us  p99_us  max_us cpu_p50_us cpu_p99_us\n");
  std::unordered_map<std::string_view, int32_t> catalogue;
  for (std::string_view id : flat) catalogue.emplace(id, static_cast<int32_t>(catalogue.size()));
  std::vector<double> floor_us;
  int64_t sink = 0;
  for (const auto& q : queries) {
    const auto t0 = Clock::now();
    for (std::string_view id : q) sink += catalogue.find(id)->second;
    floor_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  for (rec::Method method :
       {rec::Method::kSr, rec::Method::kVsknn, rec::Method::kIknn, rec::Method::kPop}) {
    rec::Params p = BaseParams(a);
    p.method = method;
    const auto t0 = Clock::now();
    const rec::Model m = rec::Model::Train(data.train, p);
    const double train_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<double> us, cpu_us;
    for (const auto& q : queries) {
      const double c0 = ThreadCpuMicros();
      const auto t1 = Clock::now();
      const rec::Recommendation r = m.Recommend(q, p.k);
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t1).count());
      cpu_us.push_back(ThreadCpuMicros() - c0);
      sink += static_cast<int64_t>(r.items[0].size());
    }
    std::printf("%-7s %7.2f %7.1f %7.1f %7.1f %10.1f %10.1f\n",
                std::string(rec::MethodName(method)).c_str(), train_s, Percentile(us, 0.5),
                Percentile(us, 0.99), Percentile(us, 1.0), Percentile(cpu_us, 0.5),
                Percentile(cpu_us, 0.99));
  }
  std::printf("floor   %7s %7.2f %7.2f %7.2f  (%zu hash lookups per request)\n", "-",
              Percentile(floor_us, 0.5), Percentile(floor_us, 0.99), Percentile(floor_us, 1.0),
              length);
  return sink == 42 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "quality") return Quality(Args(argc, argv));
  if (mode == "scale") return Scale(Args(argc, argv));
  std::fprintf(stderr, "usage: recommender_bench quality|scale [key=value ...]\n");
  return 2;
}
