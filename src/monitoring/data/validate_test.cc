#include "monitoring/data/validate.h"

#include <gtest/gtest.h>

#include "monitoring/data/column_summary.h"
#include "monitoring/data/schema_infer.h"
#include "monitoring/data/schema_json.h"

namespace ferry::monitoring {
namespace {

TextTable Table(std::string_view csv) {
  absl::StatusOr<TextTable> t = ReadTextTableFromString(csv, DataFormat::kCsv, "t.csv");
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : TextTable{};
}

// The anomalies of validating `current` against the schema inferred from `reference`.
std::vector<Anomaly> Check(std::string_view reference, std::string_view current) {
  return Validate(InferSchema(Table(reference)), Table(current)).anomalies;
}

std::vector<std::string> Kinds(const std::vector<Anomaly>& anomalies) {
  std::vector<std::string> kinds;
  for (const Anomaly& a : anomalies) kinds.push_back(a.kind);
  return kinds;
}

using Kinds_ = std::vector<std::string>;

TEST(ValidateTest, SameDataHasNoAnomaly) {
  const char* csv = "i,f,s,b\n1,0.5,a,true\n2,,b,false\n3,1.5,a,true\n";
  EXPECT_TRUE(Check(csv, csv).empty());
  // A subset within the ranges and domains is fine too.
  EXPECT_TRUE(Check(csv, "i,f,s,b\n2,1,b,false\n").empty());
}

TEST(ValidateTest, MissingAndNewColumns) {
  std::vector<Anomaly> a = Check("x,y\n1,2\n", "x,z\n1,2\n");
  ASSERT_EQ(Kinds(a), (Kinds_{"SCHEMA_MISSING_COLUMN", "SCHEMA_NEW_COLUMN"}));
  EXPECT_EQ(a[0].column, "y");
  EXPECT_EQ(a[0].severity, Severity::kError);
  EXPECT_EQ(a[0].description, "column 'y' is in the schema (type INT) but not in the data");
  EXPECT_EQ(a[1].column, "z");
  EXPECT_EQ(a[1].severity, Severity::kWarning);
  EXPECT_EQ(a[1].description, "column 'z' is in the data but not in the schema");
}

TEST(ValidateTest, IntRange) {
  std::string reference = "age\n";
  for (int i = 18; i <= 99; ++i) reference += std::to_string(i) + "\n";
  std::string current = "age\n";
  for (int i = 0; i < 997; ++i) current += "50\n";
  current += "140\n120\n120\n";
  std::vector<Anomaly> a = Check(reference, current);
  ASSERT_EQ(Kinds(a), (Kinds_{"INT_TYPE_BIG_INT"}));
  EXPECT_EQ(a[0].description,
            "column 'age': 3 of 1,000 values (0.3%) are above the schema's maximum 99 (largest "
            "seen: 140)");
  EXPECT_EQ(a[0].severity, Severity::kWarning);
  EXPECT_EQ(a[0].count, 3);
  EXPECT_EQ(a[0].examples, (std::vector<std::string>{"120", "140"}));
  EXPECT_EQ(Kinds(Check(reference, "age\n17\n")), (Kinds_{"INT_TYPE_SMALL_INT"}));
  EXPECT_TRUE(Check(reference, "age\n18\n99\n").empty());
}

TEST(ValidateTest, FloatRangeNanAndInf) {
  const char* reference = "x\n0.5\n2.5\n";
  std::vector<Anomaly> a = Check(reference, "x\n3\n-1\nnan\ninf\n1\n");
  ASSERT_EQ(Kinds(a), (Kinds_{"FLOAT_TYPE_BIG_FLOAT", "FLOAT_TYPE_SMALL_FLOAT",
                              "FLOAT_TYPE_HAS_NAN", "FLOAT_TYPE_HAS_INF"}));
  EXPECT_EQ(a[1].description,
            "column 'x': 1 of 5 values (20%) are below the schema's minimum 0.5 (smallest seen: "
            "-1)");
  EXPECT_EQ(a[2].description,
            "column 'x': 1 of 5 values (20%) are NaN, which the schema disallows");
  EXPECT_EQ(a[2].severity, Severity::kError);
  // Data that had NaN and infinities allows them.
  EXPECT_TRUE(Check("x\n0.5\nnan\n-inf\n", "x\nNaN\ninf\n").empty());
}

TEST(ValidateTest, TypeChanges) {
  std::vector<Anomaly> a = Check("n\n1\n2\n", "n\n1\nabc\n2.5\n");
  ASSERT_EQ(Kinds(a), (Kinds_{"INT_TYPE_NOT_INT_STRING", "UNEXPECTED_DATA_TYPE"}));
  EXPECT_EQ(a[0].description,
            "column 'n': 1 of 3 values (33.3%) are not numbers; the schema's type is INT (e.g. "
            "'abc' (1))");
  EXPECT_EQ(a[0].examples, (std::vector<std::string>{"abc"}));
  EXPECT_EQ(Kinds(Check("f\n1.5\n", "f\n1.5\nn/a\n")), (Kinds_{"FLOAT_TYPE_STRING_NOT_FLOAT"}));
  // Integers are valid FLOAT values.
  EXPECT_TRUE(Check("f\n1.5\n2.5\n", "f\n2\n").empty());
  EXPECT_EQ(Kinds(Check("s\na\nb\n", "s\n1\n2\n")),
            (Kinds_{"STRING_TYPE_NOW_INT", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"}));
  std::vector<std::string> many;
  std::string ids = "s\n";
  for (int i = 0; i < 200; ++i) ids += "id" + std::to_string(i) + "\n";
  std::vector<Anomaly> now_float = Check(ids, "s\n1.5\n2\n");
  ASSERT_EQ(Kinds(now_float), (Kinds_{"STRING_TYPE_NOW_FLOAT"}));
  EXPECT_EQ(now_float[0].severity, Severity::kWarning);
}

TEST(ValidateTest, BoolValues) {
  const char* reference = "b\ntrue\nfalse\n";
  EXPECT_TRUE(Check(reference, "b\nTRUE\n0\n1\n").empty());
  EXPECT_EQ(Kinds(Check(reference, "b\nmaybe\n0.5\n2\n-1\n")),
            (Kinds_{"BOOL_TYPE_UNEXPECTED_STRING", "BOOL_TYPE_UNEXPECTED_FLOAT",
                    "BOOL_TYPE_BIG_INT", "BOOL_TYPE_SMALL_INT"}));
}

TEST(ValidateTest, UnexpectedCategories) {
  const char* reference = "color\nred\nblue\nred\n";
  std::string current = "color\n";
  for (int i = 0; i < 988; ++i) current += "red\n";
  for (int i = 0; i < 10; ++i) current += "purple\n";
  current += "teal\nteal\n";
  std::vector<Anomaly> a = Check(reference, current);
  ASSERT_EQ(Kinds(a), (Kinds_{"ENUM_TYPE_UNEXPECTED_STRING_VALUES"}));
  EXPECT_EQ(a[0].description,
            "column 'color': 12 of 1,000 values (1.2%) are not among the schema's 2 known values "
            "(most common: 'purple' (10), 'teal' (2))");
  EXPECT_EQ(a[0].count, 12);
  EXPECT_EQ(a[0].examples, (std::vector<std::string>{"purple", "teal"}));

  // min_domain_mass 0.98 tolerates up to 2% outside the domain.
  DataSchema schema = InferSchema(Table(reference));
  schema.columns[0].string_domain->min_domain_mass = 0.98;
  EXPECT_TRUE(Validate(schema, Table(current)).anomalies.empty());
  schema.columns[0].string_domain->min_domain_mass = 0.99;
  std::vector<Anomaly> b = Validate(schema, Table(current)).anomalies;
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(b[0].description.find("more than the 1% it allows"), std::string::npos)
      << b[0].description;
}

// A column of IDs: the distinct values counted stop at kMaxTrackedValues, the counts of a
// validation stay exact (cells past the bound are read again).
TEST(ValidateTest, DistinctValuesAreBoundedAndCountsStayExact) {
  const size_t n = kMaxTrackedValues + 20000;
  std::vector<std::string> cells;
  cells.reserve(n + 2);
  for (size_t i = 0; i < n; ++i) cells.push_back("id-" + std::to_string(i));
  cells.push_back("");
  cells.push_back("id-" + std::to_string(n - 1));  // an untracked value seen twice
  ColumnSummary s = Summarize(cells);
  EXPECT_EQ(s.values.size(), kMaxTrackedValues);
  EXPECT_EQ(s.untracked, 20001);
  EXPECT_EQ(s.present(), static_cast<int64_t>(n + 1));
  int64_t seen = 0;
  s.ForEachValue([&](std::string_view, int64_t count) { seen += count; });
  EXPECT_EQ(seen, s.present());

  std::string current = "id\n";
  for (size_t i = 0; i < n; ++i) current += "id-" + std::to_string(i) + "\n";
  std::vector<Anomaly> a = Check("id\nid-0\nid-1\n", current);
  ASSERT_EQ(Kinds(a), (Kinds_{"ENUM_TYPE_UNEXPECTED_STRING_VALUES"}));
  EXPECT_EQ(a[0].count, static_cast<int64_t>(n - 2));
  EXPECT_FALSE(InferSchema(Table(current)).columns[0].string_domain);
}

TEST(ValidateTest, Presence) {
  // Complete in the reference: any missing value is an error.
  std::vector<Anomaly> a = Check("x,y\n1,1\n2,2\n", "x,y\n1,\n2,2\n");
  ASSERT_EQ(Kinds(a), (Kinds_{"FEATURE_TYPE_LOW_FRACTION_PRESENT"}));
  EXPECT_EQ(a[0].column, "y");
  EXPECT_EQ(a[0].description,
            "column 'y': 1 of 2 rows (50%) have no value; the schema requires a value in at "
            "least 100% of rows; 0% were missing when the schema was inferred");
  // 10% missing in the reference tolerates 20% missing, not 30%.
  // (Two columns: CSV skips blank lines.)
  std::string reference = "k,x\n", ok = "k,x\n", jump = "k,x\n";
  for (int i = 0; i < 10; ++i) {
    reference += i < 1 ? "1,\n" : "1,1\n";
    ok += i < 2 ? "1,\n" : "1,1\n";
    jump += i < 3 ? "1,\n" : "1,1\n";
  }
  EXPECT_TRUE(Check(reference, ok).empty());
  EXPECT_EQ(Kinds(Check(reference, jump)), (Kinds_{"FEATURE_TYPE_LOW_FRACTION_PRESENT"}));
  // No value at all.
  std::vector<Anomaly> none = Check("x,y\n1,1\n", "x,y\n1,\n");
  ASSERT_EQ(Kinds(none), (Kinds_{"FEATURE_TYPE_NOT_PRESENT"}));
  EXPECT_EQ(none[0].description,
            "column 'y': none of the 1 rows has a value; 0% were missing when the schema was "
            "inferred");
  // A column with no value in the reference (UNKNOWN) accepts anything.
  EXPECT_TRUE(Check("x,y\n1,\n", "x,y\n1,abc\n1,\n").empty());
  // min_count above 1.
  DataSchema schema = InferSchema(Table("x\n1\n2\n3\n"));
  schema.columns[0].presence.min_count = 3;
  EXPECT_EQ(Kinds(Validate(schema, Table("x\n1\n2\n")).anomalies),
            (Kinds_{"FEATURE_TYPE_LOW_NUMBER_PRESENT"}));
}

TEST(ValidateTest, DatasetSize) {
  std::vector<Anomaly> a = Check("x\n1\n2\n", "x\n");
  ASSERT_EQ(Kinds(a), (Kinds_{"NO_DATA_IN_SPAN"}));
  EXPECT_EQ(a[0].column, "");
  EXPECT_EQ(a[0].description, "the data has no rows (the schema was inferred from 2)");
  DataSchema schema = InferSchema(Table("x\n1\n2\n"));
  schema.min_examples_count = 5;
  std::vector<Anomaly> low = Validate(schema, Table("x\n1\n")).anomalies;
  ASSERT_EQ(Kinds(low), (Kinds_{"DATASET_LOW_NUM_EXAMPLES"}));
  EXPECT_EQ(low[0].description, "the data has 1 rows; the schema requires at least 5");
}

TEST(ValidateTest, EveryKindHasItsDocumentedSeverity) {
  for (const AnomalyKind& k : AnomalyKinds()) {
    EXPECT_EQ(MakeAnomaly("c", k.name, "").severity, k.severity) << k.name;
  }
  EXPECT_EQ(SeverityOf("SCHEMA_NEW_COLUMN"), Severity::kWarning);
  EXPECT_EQ(SeverityOf("SCHEMA_MISSING_COLUMN"), Severity::kError);
  ValidationResult r;
  EXPECT_FALSE(r.blocking());
  r.anomalies.push_back(MakeAnomaly("c", "SCHEMA_NEW_COLUMN", ""));
  EXPECT_FALSE(r.blocking());
  r.anomalies.push_back(MakeAnomaly("c", "FLOAT_TYPE_HAS_NAN", ""));
  EXPECT_TRUE(r.blocking());
}

TEST(ValidateTest, HandWrittenSchema) {
  absl::StatusOr<DataSchema> schema = ParseSchemaJson(
      R"({"format":"ferry.monitoring.schema","version":1,
          "columns":[{"name":"t","type":"FLOAT","float_domain":{"min":-40,"max":60}}]})");
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_EQ(Kinds(Validate(*schema, Table("t\n-50\n20\n\nnan\n")).anomalies),
            (Kinds_{"FLOAT_TYPE_SMALL_FLOAT"}));
}

}  // namespace
}  // namespace ferry::monitoring
