#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace ferry::cli {

ProgressStyle StderrStyle(int64_t min_total, bool bytes) {
  return ProgressStyle{::isatty(STDERR_FILENO) != 0, min_total, bytes};
}

ProgressCallback ProgressPrinter(ProgressStyle style, std::string* out) {
  auto last = std::make_shared<std::map<std::string, int>>();  // item -> last step printed
  return [style, out, last](const std::string& what, int64_t done, int64_t total) {
    if (total <= 0 || total < style.min_total) return;
    const int pct = static_cast<int>(std::min<int64_t>(100, done * 100 / total));
    const int step = style.tty ? pct : pct / 10;
    auto [it, fresh] = last->emplace(what, step);
    if (!fresh && it->second == step) return;
    it->second = step;
    char line[512];
    int n =
        std::snprintf(line, sizeof line, "%s  %s: %3d%%", style.tty ? "\r" : "", what.c_str(), pct);
    if (style.bytes && n > 0 && n < static_cast<int>(sizeof line)) {
      n += std::snprintf(line + n, sizeof line - n, " (%lld/%lld MiB)",
                         static_cast<long long>(done >> 20), static_cast<long long>(total >> 20));
    }
    std::string text(line, static_cast<size_t>(std::max(0, std::min<int>(n, sizeof line - 1))));
    text += style.tty ? (pct >= 100 ? "\033[K\n" : "\033[K") : "\n";
    if (pct >= 100) last->erase(what);
    if (out != nullptr) {
      *out += text;
    } else {
      std::fputs(text.c_str(), stderr);
    }
  };
}

std::function<void(double, std::string_view)> FractionProgress(ProgressCallback callback,
                                                               std::string what) {
  // The trainers' detail ("tree 45/100") is not shown: one item, one line.
  return
      [callback = std::move(callback), what = std::move(what)](double fraction, std::string_view) {
        const int64_t per_mille = std::llround(std::clamp(fraction, 0.0, 1.0) * 1000);
        callback(what, per_mille, 1000);
      };
}

}  // namespace ferry::cli
