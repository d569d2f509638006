#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ferry::cli {
namespace {

TEST(ProgressPrinter, ALinePerTenthInLogs) {
  std::string out;
  ProgressCallback print = ProgressPrinter({false, 0, true}, &out);
  for (int64_t done = 0; done <= 100 << 20; done += 1 << 20) print("model.bin", done, 100 << 20);
  // 0%, 10%, ..., 100%: eleven lines, not a hundred and one.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 11) << out;
  EXPECT_NE(out.find("  model.bin:  50% (50/100 MiB)\n"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(ProgressPrinter, RewritesInPlaceOnATerminalAndSkipsSmallItems) {
  std::string out;
  ProgressCallback print = ProgressPrinter({true, 1000, false}, &out);
  print("small", 1, 10);  // under min_total
  EXPECT_EQ(out, "");
  print("big", 500, 1000);
  print("big", 500, 1000);  // same percent: nothing new
  print("big", 1000, 1000);
  EXPECT_EQ(out, "\r  big:  50%\033[K\r  big: 100%\033[K\n");
}

TEST(FractionProgress, TrainersFractionsBecomePerMille) {
  std::string out;
  auto progress = FractionProgress(ProgressPrinter({false, 0, false}, &out), "training");
  progress(0.45, "tree 45/100");
  progress(1.0, "done");
  EXPECT_EQ(out, "  training:  45%\n  training: 100%\n");
}

}  // namespace
}  // namespace ferry::cli
