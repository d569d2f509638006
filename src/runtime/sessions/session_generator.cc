#include "runtime/sessions/session_generator.h"

#include <algorithm>
#include <cmath>

namespace ferry::runtime::sessions {
namespace {

constexpr int kMaxLength = 50;

// splitmix64: a fixed sequence for a seed on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) {
    return std::min(n - 1, static_cast<uint64_t>(Unit() * static_cast<double>(n)));
  }

 private:
  uint64_t state_;
};

// Index i with cumulative[i - 1] <= u * total < cumulative[i].
int32_t Sample(const std::vector<double>& cumulative, Random& rng) {
  const double u = rng.Unit() * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  if (it == cumulative.end()) --it;
  return static_cast<int32_t>(it - cumulative.begin());
}

}  // namespace

std::string SessionGenerator::CheckParams(const GeneratorParams& p) {
  if (p.events < 1 || p.events > (size_t{1} << 32)) return "events: must be in [1, 2^32]";
  if (p.items < 2 || p.items > 10000000) return "items: must be in [2, 10000000]";
  if (!(p.drift_at > 0)) return "drift_at: must be > 0 (>= 1: no drift)";
  if (!(p.replaced >= 0 && p.replaced <= 1)) return "replaced: must be in [0, 1]";
  if (!(p.noise >= 0 && p.noise <= 1)) return "noise: must be in [0, 1]";
  if (!(p.zipf >= 0 && p.zipf <= 5)) return "zipf: must be in [0, 5]";
  if (p.successors < 1 || p.successors > 100) return "successors: must be in [1, 100]";
  if (!(p.mean_length >= 2 && p.mean_length <= kMaxLength)) {
    return "mean_length: must be in [2, 50]";
  }
  return "";
}

std::pair<int32_t, int32_t> SessionGenerator::OnSale(int era) const {
  const auto shift = static_cast<int32_t>(std::lround(params_.replaced * params_.items));
  return era == 0 ? std::pair{0, params_.items} : std::pair{shift, shift + params_.items};
}

SessionGenerator::SessionGenerator(const GeneratorParams& params) : params_(params) {
  Random rng(params.seed);
  const auto [first1, last1] = OnSale(1);
  const int32_t n = last1;
  const int32_t items0 = params.items;
  successors_.resize(n);
  for (int32_t a = 0; a < n; ++a) {
    // Successors on sale whenever `a` is: old-only items pick from era 0, new-only items from
    // era 1, items of both eras from the overlap (falling back to their own era if empty).
    int32_t lo = a < first1 ? 0 : first1, hi = a < items0 ? items0 : n;
    if (a >= first1 && a < items0) lo = first1, hi = items0;
    std::vector<std::pair<int32_t, double>> next;
    double total = 0;
    const int want = std::min(params.successors, hi - lo - 1);
    while (static_cast<int>(next.size()) < want) {
      const int32_t b = lo + static_cast<int32_t>(rng.Below(hi - lo));
      if (b == a || std::any_of(next.begin(), next.end(), [&](auto& e) { return e.first == b; })) {
        continue;
      }
      const double w = 1.0 / static_cast<double>(next.size() + 1);
      next.emplace_back(b, w);
      total += w;
    }
    for (auto& [b, w] : next) w /= total;
    std::sort(next.begin(), next.end());
    successors_[a] = std::move(next);
  }
  for (int era = 0; era < 2; ++era) {
    const auto [lo, hi] = OnSale(era);
    std::vector<int32_t> ranking;
    for (int32_t i = lo; i < hi; ++i) ranking.push_back(i);
    for (size_t i = ranking.size(); i > 1; --i) std::swap(ranking[i - 1], ranking[rng.Below(i)]);
    popularity_[era].assign(n, 0);
    double total = 0;
    for (size_t r = 0; r < ranking.size(); ++r) {
      const double w = 1.0 / std::pow(static_cast<double>(r + 1), params.zipf);
      popularity_[era][ranking[r]] = w;
      total += w;
    }
    cumulative_[era].resize(n);
    double sum = 0;
    for (int32_t i = 0; i < n; ++i) {
      popularity_[era][i] /= total;
      sum += popularity_[era][i];
      cumulative_[era][i] = sum;
    }
  }
}

std::vector<GeneratedSession> SessionGenerator::Generate() const {
  Random rng(params_.seed ^ 0x5e55105e55105e55ULL);
  const double p_stop = 1.0 / (params_.mean_length - 1);  // geometric tail with mean m - 2
  const auto drift_event =
      static_cast<size_t>(std::min(1.0, params_.drift_at) * static_cast<double>(params_.events));
  std::vector<GeneratedSession> out;
  size_t event = 0;
  while (event < params_.events) {
    GeneratedSession s;
    s.era = params_.drift_at < 1 && event >= drift_event ? 1 : 0;
    s.start_time = event;
    int length = 2;
    while (length < kMaxLength && rng.Unit() >= p_stop) ++length;
    length = static_cast<int>(std::min<size_t>(length, params_.events - event));
    int32_t current = Sample(cumulative_[s.era], rng);
    s.items.push_back(current);
    while (static_cast<int>(s.items.size()) < length) {
      const auto& next = successors_[current];
      if (next.empty() || rng.Unit() < params_.noise) {
        current = Sample(cumulative_[s.era], rng);
      } else {
        double u = rng.Unit();
        current = next.back().first;
        for (const auto& [b, p] : next) {
          if (u < p) {
            current = b;
            break;
          }
          u -= p;
        }
      }
      s.items.push_back(current);
    }
    event += s.items.size();
    out.push_back(std::move(s));
  }
  return out;
}

std::string SessionGenerator::ItemName(int32_t item) { return "i" + std::to_string(item); }

std::vector<std::pair<int32_t, double>> SessionGenerator::NextItemProbabilities(
    int era, int32_t current) const {
  std::vector<std::pair<int32_t, double>> out;
  const std::vector<double>& pop = Popularity(era);
  const auto& next = successors_[current];
  const double follow = next.empty() ? 0 : 1 - params_.noise;
  const double jump = next.empty() ? 1 : params_.noise;
  size_t j = 0;
  for (int32_t b = 0; b < num_items(); ++b) {
    double p = jump * pop[b];
    if (j < next.size() && next[j].first == b) p += follow * next[j++].second;
    if (p > 0) out.emplace_back(b, p);
  }
  return out;
}

}  // namespace ferry::runtime::sessions
