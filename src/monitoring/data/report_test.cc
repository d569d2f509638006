#include "monitoring/data/report.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "monitoring/data/validate.h"

namespace ferry::monitoring {
namespace {

ValidationResult Sample() {
  ValidationResult r;
  r.rows = 1000;
  r.columns = 3;
  r.anomalies.push_back(MakeAnomaly("", "DATASET_LOW_NUM_EXAMPLES", "few rows", 1000));
  Anomaly a = MakeAnomaly("age", "INT_TYPE_BIG_INT", "too old", 3);
  a.examples = {"140"};
  r.anomalies.push_back(a);
  return r;
}

TEST(ReportTest, Text) {
  EXPECT_EQ(ValidationText(Sample(), "d.csv"),
            "ERROR   DATASET_LOW_NUM_EXAMPLES: few rows\n"
            "WARNING INT_TYPE_BIG_INT: too old\n"
            "FAILED: 1 error, 1 warning in d.csv (1,000 rows, 3 columns)\n");
  ValidationResult clean;
  clean.rows = 1;
  clean.columns = 1;
  EXPECT_EQ(ValidationText(clean, "d.csv"), "OK: no anomalies in d.csv (1 row, 1 column)\n");
  clean.anomalies.push_back(MakeAnomaly("x", "SCHEMA_NEW_COLUMN", "new"));
  EXPECT_EQ(ValidationText(clean, "d.csv"),
            "WARNING SCHEMA_NEW_COLUMN: new\nOK: 0 errors, 1 warning in d.csv (1 row, 1 column)\n");
}

TEST(ReportTest, JsonFieldNames) {
  std::string json = ValidationJson(Sample(), "d.csv");
  EXPECT_EQ(json,
            R"({"format":"ferry.monitoring.anomalies","version":1,"data":"d.csv","blocking":true,)"
            R"("rows":1000,"columns":3,"errors":1,"warnings":1,"anomalies":[)"
            R"({"column":null,"kind":"DATASET_LOW_NUM_EXAMPLES","severity":"ERROR",)"
            R"("description":"few rows","count":1000,"examples":[]},)"
            R"({"column":"age","kind":"INT_TYPE_BIG_INT","severity":"WARNING",)"
            R"("description":"too old","count":3,"examples":["140"]}]})"
            "\n");
  EXPECT_TRUE(ParseJson(json).ok());
}

}  // namespace
}  // namespace ferry::monitoring
