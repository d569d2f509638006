// `ferry data sessions`: generated e-commerce sessions with planted structure (transitions,
// Zipf popularity, noise, a catalogue that changes at --drift-at), deterministic by --seed,
// as CSV for `ferry train recommender`, pipelines and the demo; optionally the planted
// oracle's next-item probabilities (runtime/sessions/session_generator.h).

#include <algorithm>
#include <cstdio>

#include "cli/cli.h"
#include "cli/flags.h"
#include "common/fs.h"
#include "common/strings.h"
#include "runtime/sessions/session_generator.h"

namespace ferry::cli {
namespace {

using runtime::sessions::GeneratedSession;
using runtime::sessions::GeneratorParams;
using runtime::sessions::SessionGenerator;

constexpr int kOracleTop = 20;

std::string SessionsCsv(const std::vector<GeneratedSession>& sessions) {
  std::string out = "session,item,time\n";
  for (size_t s = 0; s < sessions.size(); ++s) {
    uint64_t time = sessions[s].start_time;
    for (int32_t item : sessions[s].items) {
      out += std::to_string(s) + ',' + SessionGenerator::ItemName(item) + ',' +
             std::to_string(time++) + '\n';
    }
  }
  return out;
}

// era,item,next,probability: the kOracleTop likeliest next items of every item on sale.
std::string OracleCsv(const SessionGenerator& g, int eras) {
  std::string out = "era,item,next,probability\n";
  char p[32];
  for (int era = 0; era < eras; ++era) {
    const auto [lo, hi] = g.OnSale(era);
    for (int32_t a = lo; a < hi; ++a) {
      auto next = g.NextItemProbabilities(era, a);
      const size_t top = std::min(next.size(), static_cast<size_t>(kOracleTop));
      std::partial_sort(next.begin(), next.begin() + top, next.end(),
                        [](const auto& x, const auto& y) {
                          return x.second != y.second ? x.second > y.second : x.first < y.first;
                        });
      for (size_t i = 0; i < top; ++i) {
        std::snprintf(p, sizeof p, "%.6g", next[i].second);
        out += std::to_string(era) + ',' + SessionGenerator::ItemName(a) + ',' +
               SessionGenerator::ItemName(next[i].first) + ',' + p + '\n';
      }
    }
  }
  return out;
}

// Reads the numeric flags into `p`; "" or the flag and what it expects.
std::string ReadParams(const FlagSet& flags, GeneratorParams& p) {
  struct Int {
    const char* flag;
    int64_t* out;
  };
  int64_t events = 0, items = 0, seed = 0, successors = 0;
  for (Int f : {Int{"events", &events}, Int{"items", &items}, Int{"seed", &seed},
                Int{"successors", &successors}}) {
    auto v = ParseInt64(flags.Get(f.flag));
    if (!v || *v < 0) return std::string("--") + f.flag + ": expected a non-negative integer";
    *f.out = *v;
  }
  p.events = static_cast<size_t>(events);
  p.items = static_cast<int>(std::min<int64_t>(items, 1 << 30));
  p.seed = static_cast<uint64_t>(seed);
  p.successors = static_cast<int>(std::min<int64_t>(successors, 1 << 30));
  struct Real {
    const char* flag;
    double* out;
  };
  for (Real f :
       {Real{"drift-at", &p.drift_at}, Real{"replaced", &p.replaced}, Real{"noise", &p.noise},
        Real{"zipf", &p.zipf}, Real{"mean-length", &p.mean_length}}) {
    auto v = ParseDouble(flags.Get(f.flag));
    if (!v) return std::string("--") + f.flag + ": expected a number";
    *f.out = *v;
  }
  if (std::string bad = SessionGenerator::CheckParams(p); !bad.empty()) {
    std::replace(bad.begin(), bad.end(), '_', '-');
    return "--" + bad;
  }
  return "";
}

int SessionsCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry data sessions -o FILE [flags]",
                "Writes generated e-commerce sessions as CSV (columns session, item, time; one\n"
                "row per event, sessions in time order), the same for the same flags on every\n"
                "machine. Items follow planted transitions (each item has --successors likely\n"
                "next items), with --noise jumps to popular items (Zipf, exponent --zipf).\n"
                "After --drift-at (a fraction of the events) the catalogue changes: --replaced\n"
                "of the items fade out, as many new ones appear, popularity is re-ranked.\n"
                "Train on it with `ferry train recommender --data FILE`.");
  flags.String("output", "", "CSV file to write (- for stdout)");
  flags.Alias("o", "output");
  flags.String("events", "100000", "number of events (rows)");
  flags.String("items", "1000", "items on sale at any time");
  flags.String("seed", "1", "random seed");
  flags.String("drift-at", "1",
               "fraction of the events after which the catalogue changes (1: never)");
  flags.String("replaced", "0.5", "fraction of the catalogue replaced at the drift");
  flags.String("noise", "0.1", "probability that a step ignores the transitions");
  flags.String("zipf", "1", "popularity exponent");
  flags.String("successors", "3", "planted next items per item");
  flags.String("mean-length", "8", "mean session length (2-50)");
  flags.String("oracle", "",
               "also write the planted oracle here: CSV era,item,next,probability with the 20 "
               "likeliest next items of every item on sale");
  if (auto exit = flags.ParseCommand("ferry data sessions", args, 0)) return *exit;
  if (flags.Get("output").empty()) return flags.UsageError("ferry data sessions", "give -o FILE");
  GeneratorParams p;
  if (std::string bad = ReadParams(flags, p); !bad.empty()) {
    return flags.UsageError("ferry data sessions", bad);
  }
  const SessionGenerator g(p);
  const auto sessions = g.Generate();
  const std::string csv = SessionsCsv(sessions);
  const std::string& out = flags.Get("output");
  if (out == "-") {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
  } else if (absl::Status s = WriteFileAtomic(out, csv); !s.ok()) {
    std::fprintf(stderr, "ferry data sessions: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  const int eras = p.drift_at < 1 ? 2 : 1;
  if (const std::string& oracle = flags.Get("oracle"); !oracle.empty()) {
    if (absl::Status s = WriteFileAtomic(oracle, OracleCsv(g, eras)); !s.ok()) {
      std::fprintf(stderr, "ferry data sessions: %s\n", std::string(s.message()).c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "ferry data sessions: %zu events in %zu sessions, %d items on sale%s\n",
               p.events, sessions.size(), p.items,
               eras == 2 ? ", catalogue changed at the drift" : "");
  return 0;
}

}  // namespace

int DataCommand(const std::vector<std::string>& args) {
  static constexpr char kHelp[] =
      "Usage: ferry data <generator> [flags]\n"
      "\n"
      "Generators:\n"
      "  sessions   e-commerce sessions with planted structure and drift (recommender)\n"
      "\n"
      "Run `ferry data sessions --help` for its flags.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "sessions") return SessionsCommand({args.begin() + 1, args.end()});
  std::fprintf(stderr, "ferry data: unknown generator '%s'\n\n%s", args[0].c_str(), kHelp);
  return 2;
}

}  // namespace ferry::cli
