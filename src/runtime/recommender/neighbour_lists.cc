#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "runtime/recommender/scores.h"

namespace ferry::runtime::recommender {
namespace {

bool ParseNumber(std::string_view& text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end == text.data()) return false;
  text.remove_prefix(end - text.data());
  return true;
}

bool ParseFloat(std::string_view& text, double& out) {
  float f = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), f);
  if (ec != std::errc() || end == text.data()) return false;
  out = f;
  text.remove_prefix(end - text.data());
  return true;
}

void SkipSpaces(std::string_view& text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
}

}  // namespace

void NeighbourLists::Score(std::span<const int32_t> session, int depth, ScoreList& out) const {
  out.clear();
  const int m = static_cast<int>(session.size());
  if (m == 0) return;
  const std::vector<Scored>& last = lists[session[m - 1]];
  out.assign(last.begin(), last.end());
  if (depth <= 1 || m == 1) return;
  std::unordered_map<int32_t, double> sum;
  for (const Scored& s : out) sum[s.item] += s.score;
  for (int d = 2; d <= std::min(depth, m); ++d) {
    for (const Scored& s : lists[session[m - d]]) sum[s.item] += s.score / d;
  }
  out.clear();
  for (const auto& [item, score] : sum) out.push_back({item, score});
}

void NeighbourLists::Keep(int32_t item, const std::vector<double>& weights,
                          const std::vector<int32_t>& touched, int limit) {
  std::vector<Scored>& list = lists[item];
  list.clear();
  for (int32_t b : touched) {
    // Kept at float precision: the model file writes the shortest float (half the bytes of
    // a double's digits) and reads back exactly the weight that was trained.
    if (weights[b] > 0) list.push_back({b, static_cast<float>(weights[b])});
  }
  auto stronger = [](const Scored& x, const Scored& y) {
    return x.score != y.score ? x.score > y.score : x.item < y.item;
  };
  if (list.size() > static_cast<size_t>(limit)) {
    std::nth_element(list.begin(), list.begin() + limit, list.end(), stronger);
    list.resize(limit);
  }
  std::sort(list.begin(), list.end(), stronger);
}

std::string NeighbourLists::Encode(int32_t item) const {
  std::string out;
  char buf[64];
  for (const Scored& s : lists[item]) {
    if (!out.empty()) out += ' ';
    auto r = std::to_chars(buf, buf + sizeof buf, s.item);
    *r.ptr++ = ':';
    r = std::to_chars(r.ptr, buf + sizeof buf, static_cast<float>(s.score));
    out.append(buf, r.ptr);
  }
  return out;
}

absl::Status NeighbourLists::Decode(int32_t item, std::string_view text, size_t num_items) {
  std::vector<Scored>& list = lists[item];
  list.clear();
  SkipSpaces(text);
  while (!text.empty()) {
    int64_t b = -1;
    double w = 0;
    const bool index_ok = ParseNumber(text, b) && b >= 0 && static_cast<size_t>(b) < num_items &&
                          !text.empty() && text.front() == ':';
    if (index_ok) text.remove_prefix(1);
    if (!index_ok || !ParseFloat(text, w)) {
      return absl::DataLossError("model.json: bad neighbour list of item " + std::to_string(item));
    }
    list.push_back({static_cast<int32_t>(b), w});
    SkipSpaces(text);
  }
  return absl::OkStatus();
}

Postings BuildPostings(const std::vector<Sequence>& sessions, size_t num_items) {
  Postings p;
  p.offsets.assign(num_items + 1, 0);
  for (const Sequence& s : sessions) {
    for (int32_t item : s) ++p.offsets[item + 1];
  }
  for (size_t i = 0; i < num_items; ++i) p.offsets[i + 1] += p.offsets[i];
  p.at.resize(p.offsets[num_items]);
  std::vector<size_t> next(p.offsets.begin(), p.offsets.end() - 1);
  for (size_t s = 0; s < sessions.size(); ++s) {
    for (size_t j = 0; j < sessions[s].size(); ++j) {
      p.at[next[sessions[s][j]]++] = {static_cast<int32_t>(s), static_cast<int32_t>(j)};
    }
  }
  return p;
}

bool ParseIndices(std::string_view text, size_t num_items, Sequence& out) {
  out.clear();
  SkipSpaces(text);
  while (!text.empty()) {
    int64_t v = -1;
    if (!ParseNumber(text, v) || v < 0 || static_cast<size_t>(v) >= num_items) return false;
    out.push_back(static_cast<int32_t>(v));
    if (!text.empty() && text.front() != ' ') return false;
    SkipSpaces(text);
  }
  return true;
}

}  // namespace ferry::runtime::recommender
