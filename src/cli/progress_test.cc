#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ferry::cli {
namespace {

TEST(ProgressPrinter, ALinePerTenthInLogs) {
  std::string out;
  ProgressFn print = ProgressPrinter({false, 0}, &out);
  for (int64_t done = 0; done <= 100 << 20; done += 1 << 20) {
    print(Progress::Bytes("model.bin", done, 100 << 20));
  }
  // 0%, 10%, ..., 100%: eleven lines, not a hundred and one.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 11) << out;
  EXPECT_NE(out.find("  model.bin:  50% (50/100 MiB)\n"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(ProgressPrinter, RewritesInPlaceOnATerminalAndSkipsSmallItems) {
  std::string out;
  ProgressFn print = ProgressPrinter({true, 1000}, &out);
  print(Progress::Steps("small", 1, 10, ""));  // under min_total
  EXPECT_EQ(out, "");
  print(Progress::Steps("big", 500, 1000, ""));
  print(Progress::Steps("big", 500, 1000, "again"));  // same percent: nothing new
  print(Progress::Steps("big", 1000, 1000, ""));
  EXPECT_EQ(out, "\r  big:  50%\033[K\r  big: 100%\033[K\n");
}

TEST(ProgressPrinter, StepsShowAPercentageWithoutTheDetail) {
  std::string out;
  ProgressFn print = ProgressPrinter({false, 0}, &out);
  print(Progress::Steps("training", 45, 100, "tree 45/100"));
  print(Progress::Steps("training", 100, 100, "done"));
  print(Progress::Steps("unknown total", 3, 0, ""));  // nothing to show
  EXPECT_EQ(out, "  training:  45%\n  training: 100%\n");
}

TEST(ProgressPrinter, RelabelledReportsPrintUnderTheNewLabel) {
  std::string out;
  std::string label = "sub/model.bin";
  ProgressFn print = Relabel(ProgressPrinter({false, 0}, &out), label);
  print(Progress::Bytes("/tmp/.tmp-abc123", 2 << 20, 2 << 20));
  EXPECT_EQ(out, "  sub/model.bin: 100% (2/2 MiB)\n");
  EXPECT_EQ(Relabel(nullptr, "x"), nullptr);
}

}  // namespace
}  // namespace ferry::cli
