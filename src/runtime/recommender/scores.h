#pragma once
// What every recommender method produces: a sparse score vector over item indices (items not
// listed score 0), and the helpers the methods share. Pure computation.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::runtime::recommender {

struct Scored {
  int32_t item;
  double score;
};
// Each item at most once, in no particular order.
using ScoreList = std::vector<Scored>;

// Item sequences as indices into the model's catalogue, in time order.
using Sequence = std::vector<int32_t>;

// Per-item lists of (item, weight), strongest first: SR's rules and IKNN's similar items.
struct NeighbourLists {
  std::vector<std::vector<Scored>> lists;

  // score(b) = sum over the last `depth` items of `session`, d = 1 for the last item, of
  // weight(session[m - d] -> b) / d. depth 1 is the paper's SR and IKNN (the last item only).
  void Score(std::span<const int32_t> session, int depth, ScoreList& out) const;

  // Keeps the `limit` heaviest entries of `weights` (dense, indexed by item; `touched` lists
  // the non-zero ones) in list `item`, ties by item index, rounded to float precision.
  void Keep(int32_t item, const std::vector<double>& weights, const std::vector<int32_t>& touched,
            int limit);

  // One string per item: "b:w b:w ..." (compact; the model file holds one per item), the
  // weights as the shortest text that reads back as the same float.
  std::string Encode(int32_t item) const;
  // kDataLoss naming the item for a malformed string or an index >= num_items.
  absl::Status Decode(int32_t item, std::string_view text, size_t num_items);
};

// Where each item occurs: for item a, entries [offsets[a], offsets[a + 1]) of `at`, each
// (session index, position in it), sessions ascending.
struct Postings {
  std::vector<size_t> offsets;
  std::vector<std::pair<int32_t, int32_t>> at;
};
Postings BuildPostings(const std::vector<Sequence>& sessions, size_t num_items);

// Parses "a b c" into indices < num_items; false when malformed.
bool ParseIndices(std::string_view text, size_t num_items, Sequence& out);

}  // namespace ferry::runtime::recommender
