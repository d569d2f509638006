#include "monitoring/drift/drift_format.h"

#include <gtest/gtest.h>

#include <cfloat>

namespace ferry::monitoring {
namespace {

DatasetDrift Sample() {
  DatasetDrift d;
  d.number_of_columns = 2;
  d.number_of_drifted_columns = 1;
  d.drift_share = 0.5;
  d.dataset_drift = true;
  ColumnDrift ks;
  ks.name = "age";
  ks.type = DriftColumnType::kNum;
  ks.stattest = StatTest::kKs;
  ks.statistic = 0.25;
  ks.p_value = 0.5;
  ks.threshold = 0.05;
  ColumnDrift js;
  js.name = "city \"x\"";
  js.type = DriftColumnType::kCat;
  js.stattest = StatTest::kJensenShannon;
  js.statistic = 0.125;
  js.threshold = 0.1;
  js.drift_detected = true;
  d.columns = {ks, js};
  d.skipped.push_back({"notes", "text column"});
  return d;
}

TEST(DriftFormatTest, JsonHasExactlyTheDocumentedShape) {
  EXPECT_EQ(DriftToJson(Sample()),
            "{\"dataset_drift\":true,\"drift_share\":0.5,\"number_of_columns\":2,"
            "\"number_of_drifted_columns\":1,\"columns\":{"
            "\"age\":{\"column_type\":\"num\",\"stattest\":\"ks\",\"statistic\":0.25,"
            "\"p_value\":0.5,\"threshold\":0.05,\"drift_detected\":false},"
            "\"city \\\"x\\\"\":{\"column_type\":\"cat\",\"stattest\":\"jensenshannon\","
            "\"statistic\":0.125,\"p_value\":null,\"threshold\":0.1,\"drift_detected\":true}}}\n");
}

TEST(DriftFormatTest, JsonNeverHoldsNonFiniteNumbers) {
  DatasetDrift d = Sample();
  d.columns[0].statistic = DBL_MAX;
  std::string json = DriftToJson(d);
  EXPECT_EQ(json.find("Infinity"), std::string::npos);
  EXPECT_EQ(json.find("NaN"), std::string::npos);
}

TEST(DriftFormatTest, TextListsDriftedFirstAndSkipped) {
  std::string text = DriftToText(Sample());
  EXPECT_EQ(
      text.rfind("Dataset drift detected: Drift is detected for 50% of columns (1 out of 2)", 0),
      0u)
      << text;
  size_t city = text.find("city"), age = text.find("age");
  EXPECT_LT(city, age);
  EXPECT_NE(text.find("jensenshannon distance=0.125"), std::string::npos);
  EXPECT_NE(text.find("ks p=0.5 statistic=0.25"), std::string::npos);
  EXPECT_NE(text.find("notes: not tested, text column"), std::string::npos);
}

TEST(DriftFormatTest, TextNeutralisesControlCharacters) {
  DatasetDrift d = Sample();
  d.columns[0].name = "a\x1b[31mred\n";
  std::string text = DriftToText(d);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("a?[31mred? (num)"), std::string::npos) << text;
}

TEST(DriftFormatTest, TitleRoundsThePercentage) {
  DatasetDrift d;
  d.number_of_columns = 3;
  d.number_of_drifted_columns = 1;
  d.drift_share = 1.0 / 3;
  EXPECT_EQ(DriftTitle(d), "Drift is detected for 33.3% of columns (1 out of 3)");
}

}  // namespace
}  // namespace ferry::monitoring
