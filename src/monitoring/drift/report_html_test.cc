#include "monitoring/drift/report_html.h"

#include <gtest/gtest.h>

#include "monitoring/drift/histogram.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::Lcg;
using testing::MakeFrame;
using testing::NumColumn;
using testing::TextColumn;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

TEST(HtmlEscapeTest, EscapesMarkupAndBadBytes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(HtmlEscape("a\xFF"
                       "b\x01"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(HistogramTest, NumericProportionsSumToOne) {
  ColumnHistogram h =
      MakeHistogram(DriftColumnType::kNum, CleanColumn(NumColumn("x", Lcg(1, 1000))),
                    CleanColumn(NumColumn("x", Lcg(2, 500))));
  ASSERT_EQ(h.labels.size(), 12u);  // Sturges: ceil(log2 1500 + 1)
  double r = 0, c = 0;
  for (size_t i = 0; i < h.labels.size(); ++i) r += h.reference[i], c += h.current[i];
  EXPECT_NEAR(r, 1, 1e-12);
  EXPECT_NEAR(c, 1, 1e-12);
}

TEST(HistogramTest, ManyCategoriesFoldIntoOther) {
  std::vector<std::string> values;
  for (int i = 0; i < 30; ++i) values.push_back("v" + std::to_string(i));
  values.push_back("v0");
  ColumnHistogram h = MakeHistogram(DriftColumnType::kCat, CleanColumn(TextColumn("x", values)),
                                    CleanColumn(TextColumn("x", {"v0"})), 5);
  ASSERT_EQ(h.labels.size(), 5u);
  EXPECT_EQ(h.labels[0], "v0");
  EXPECT_EQ(h.labels[4], "(other)");
  EXPECT_NEAR(h.reference[4], 26.0 / 31, 1e-12);  // 31 values less v0 (2) and three others
}

TEST(RenderDriftReportTest, RowsVerdictsAndEscaping) {
  std::string hostile = "<img src=x onerror=alert(1)>";
  Frame ref = MakeFrame({NumColumn("same", Lcg(1, 500)), NumColumn(hostile, Lcg(2, 500))});
  Frame cur = MakeFrame({NumColumn("same", Lcg(3, 400)), NumColumn(hostile, Lcg(4, 400, 0.5))});
  absl::StatusOr<DatasetDrift> drift = ComputeDrift(ref, cur, {});
  ASSERT_TRUE(drift.ok());
  std::string html = RenderDriftReport(*drift, ref, cur, {"ref<1>.csv", "cur.csv", "", ""});
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("ref&lt;1&gt;.csv"), std::string::npos);
  EXPECT_NE(html.find("Dataset drift detected"), std::string::npos);  // 1 of 2 >= 0.5
  EXPECT_EQ(Count(html, "<svg class=\"hist\""), 2u);
  EXPECT_EQ(Count(html, "<tr class=\"column-row\""), 2u);
  // The drifted (hostile) column comes first.
  EXPECT_LT(html.find("data-drift=\"1\""), html.find("data-column=\"same\""));
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
}

}  // namespace
}  // namespace ferry::monitoring
