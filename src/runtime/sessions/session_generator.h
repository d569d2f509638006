#pragma once
// A deterministic generator of e-commerce sessions with planted structure (seed 001's data
// stand-in), and the planted oracle: the true next-item probabilities. Pure computation, no
// I/O; `ferry data sessions` writes its output as CSV.
//
// The world: `items` items are on sale at a time. Each item has `successors` fixed successor
// items, chosen with weights 1, 1/2, 1/3, ... (normalised). A session starts at an item drawn
// from the popularity distribution (Zipf with exponent `zipf` over a random ranking of the
// items on sale); each next item follows the current item's transitions with probability
// 1 - `noise`, else it is drawn from the popularity distribution again. Session lengths are
// 2 + a geometric number with mean `mean_length` - 2, at most 50.
//
// Drift: after the fraction `drift_at` of the events, the catalogue changes: the
// `replaced` fraction of the items fades out (never seen again) and as many new items appear;
// popularity is re-ranked. Items on sale in both eras keep successors on sale in both eras,
// so transitions always stay inside the catalogue of the moment.
//
// Determinism: a splitmix64 stream and our own sampling (no std distributions, whose
// algorithms differ between standard libraries): one seed, one output, on every machine.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ferry::runtime::sessions {

struct GeneratorParams {
  uint64_t seed = 1;
  size_t events = 100000;
  int items = 1000;       // items on sale at any time
  double drift_at = 1.0;  // fraction of the events after which the catalogue changes (>= 1: never)
  double replaced = 0.5;  // fraction of the catalogue replaced at the drift
  double noise = 0.1;     // probability that a step ignores the transitions
  double zipf = 1.0;      // popularity exponent
  int successors = 3;
  double mean_length = 8;
};

struct GeneratedSession {
  int era = 0;                 // 0 before the drift, 1 after
  uint64_t start_time = 0;     // time of the first event; event e of the data set has time e
  std::vector<int32_t> items;  // generator item ids, in time order
};

class SessionGenerator {
 public:
  // Params must be valid (CheckParams); the world is drawn here from params.seed.
  explicit SessionGenerator(const GeneratorParams& params);

  // "" when valid, else the reason (the name of the bad parameter and its range).
  static std::string CheckParams(const GeneratorParams& p);

  // All sessions, in time order, with exactly params.events events in total.
  std::vector<GeneratedSession> Generate() const;

  // The item id as written out: "i<id>".
  static std::string ItemName(int32_t item);
  int32_t num_items() const { return static_cast<int32_t>(successors_.size()); }
  // Items on sale in `era`: [first, last).
  std::pair<int32_t, int32_t> OnSale(int era) const;
  // The true distribution of the item after `current` in `era`: (item, probability) for every
  // item with a positive probability, in item order.
  std::vector<std::pair<int32_t, double>> NextItemProbabilities(int era, int32_t current) const;

 private:
  const std::vector<double>& Popularity(int era) const { return popularity_[era]; }

  GeneratorParams params_;
  // successors_[a]: (item, probability), probabilities summing to 1.
  std::vector<std::vector<std::pair<int32_t, double>>> successors_;
  std::vector<double> popularity_[2];  // per era: probability of each item (0 when off sale)
  std::vector<double> cumulative_[2];  // per era: running sum of popularity_, for sampling
};

}  // namespace ferry::runtime::sessions
