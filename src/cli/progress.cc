#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

namespace ferry::cli {

ProgressStyle StderrStyle(int64_t min_total) {
  return ProgressStyle{::isatty(STDERR_FILENO) != 0, min_total};
}

ProgressFn ProgressPrinter(ProgressStyle style, std::string* out) {
  auto last = std::make_shared<std::map<std::string, int, std::less<>>>();  // label -> step
  return [style, out, last](const Progress& p) {
    if (p.total <= 0 || p.total < style.min_total) return;
    const int pct = static_cast<int>(std::clamp<int64_t>(p.done * 100 / p.total, 0, 100));
    const int step = style.tty ? pct : pct / 10;
    auto it = last->find(p.label);
    if (it == last->end()) {
      it = last->emplace(std::string(p.label), step).first;
    } else if (it->second == step) {
      return;
    }
    it->second = step;
    // The trainers' detail ("tree 45/100") is not shown: one item, one line.
    char line[512];
    int n =
        std::snprintf(line, sizeof line, "%s  %.*s: %3d%%", style.tty ? "\r" : "",
                      static_cast<int>(std::min<size_t>(p.label.size(), 400)), p.label.data(), pct);
    if (p.unit == ProgressUnit::kBytes && n > 0 && n < static_cast<int>(sizeof line)) {
      n += std::snprintf(line + n, sizeof line - n, " (%lld/%lld MiB)",
                         static_cast<long long>(p.done >> 20),
                         static_cast<long long>(p.total >> 20));
    }
    std::string text(line, static_cast<size_t>(std::max(0, std::min<int>(n, sizeof line - 1))));
    text += style.tty ? (pct >= 100 ? "\033[K\n" : "\033[K") : "\n";
    if (pct >= 100) last->erase(it);
    if (out != nullptr) {
      *out += text;
    } else {
      std::fputs(text.c_str(), stderr);
    }
  };
}

}  // namespace ferry::cli
