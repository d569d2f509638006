#pragma once
// The one progress report of long-running work (hashing and copying files, package builds,
// pushes and pulls, training) and the one callback type that carries it. The CLI renders it
// (cli/progress.h); services and libraries only call it.

#include <cstdint>
#include <functional>
#include <string_view>

namespace ferry {

enum class ProgressUnit {
  kBytes,  // done/total are byte counts
  kSteps,  // done/total count steps (iterations, trees, phases)
};

struct Progress {
  std::string_view label;  // the item: a file, a blob digest, "training"
  int64_t done = 0;
  int64_t total = 0;  // 0 or less: unknown
  ProgressUnit unit = ProgressUnit::kBytes;
  std::string_view detail;  // a short phrase ("tree 45/100"); may be empty

  static Progress Bytes(std::string_view label, int64_t done, int64_t total) {
    return Progress{label, done, total, ProgressUnit::kBytes, {}};
  }
  static Progress Steps(std::string_view label, int64_t done, int64_t total,
                        std::string_view detail) {
    return Progress{label, done, total, ProgressUnit::kSteps, detail};
  }
};

// Called as work advances; the strings in the report live only for the call. May be empty
// (no one listens).
using ProgressFn = std::function<void(const Progress&)>;

// `fn` with every report's label replaced by `label` (empty when `fn` is); `label` must
// outlive the returned function.
inline ProgressFn Relabel(ProgressFn fn, std::string_view label) {
  if (!fn) return nullptr;
  return [fn = std::move(fn), label](const Progress& p) {
    Progress relabelled = p;
    relabelled.label = label;
    fn(relabelled);
  };
}

}  // namespace ferry
