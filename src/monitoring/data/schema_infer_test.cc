#include "monitoring/data/schema_infer.h"

#include <gtest/gtest.h>

namespace ferry::monitoring {
namespace {

TextTable Table(std::string_view csv) {
  absl::StatusOr<TextTable> t = ReadTextTableFromString(csv, DataFormat::kCsv, "t.csv");
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : TextTable{};
}

TEST(SchemaInferTest, TypesRangesAndPresence) {
  DataSchema s =
      InferSchema(Table("i,f,s,b,mixed,nan\n"
                        "1,0.5,a,true,1,nan\n"
                        "-3,2,b,false,x,1\n"
                        "7,,a,TRUE,true,2\n"
                        "2,1e2,c,false,2.5,3\n"));
  EXPECT_EQ(s.num_examples, 4);
  EXPECT_EQ(s.min_examples_count, 1);
  ASSERT_EQ(s.columns.size(), 6u);
  const ColumnSchema& i = s.columns[0];
  EXPECT_EQ(i.type, ColumnType::kInt);
  ASSERT_TRUE(i.int_domain);
  EXPECT_EQ(i.int_domain->min, -3);
  EXPECT_EQ(i.int_domain->max, 7);
  EXPECT_EQ(i.presence.min_fraction, 1.0);
  EXPECT_EQ(i.presence.min_count, 1);
  EXPECT_EQ(i.observed.count, 4);
  EXPECT_EQ(i.observed.distinct, 4);

  const ColumnSchema& f = s.columns[1];
  EXPECT_EQ(f.type, ColumnType::kFloat);
  ASSERT_TRUE(f.float_domain);
  EXPECT_EQ(*f.float_domain->min, 0.5);
  EXPECT_EQ(*f.float_domain->max, 100.0);
  EXPECT_TRUE(f.float_domain->disallow_nan);
  EXPECT_TRUE(f.float_domain->disallow_inf);
  // One of four missing: 0.75 present, minus the slack 0.1.
  EXPECT_DOUBLE_EQ(f.presence.min_fraction, 0.65);
  EXPECT_EQ(f.observed.missing, 1);

  const ColumnSchema& str = s.columns[2];
  EXPECT_EQ(str.type, ColumnType::kString);
  ASSERT_TRUE(str.string_domain);
  EXPECT_EQ(str.string_domain->values, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(str.string_domain->min_domain_mass, 1.0);

  EXPECT_EQ(s.columns[3].type, ColumnType::kBool);
  EXPECT_EQ(s.columns[4].type, ColumnType::kString);  // numbers, bools and text mixed
  const ColumnSchema& nan = s.columns[5];
  EXPECT_EQ(nan.type, ColumnType::kFloat);
  EXPECT_FALSE(nan.float_domain->disallow_nan);
  EXPECT_EQ(*nan.float_domain->min, 1.0);
}

TEST(SchemaInferTest, StringDomainOnlyUpToTheLimit) {
  std::string csv = "s\n";
  for (int i = 0; i < 101; ++i) csv += "v" + std::to_string(i) + "\n";
  DataSchema big = InferSchema(Table(csv));
  EXPECT_FALSE(big.columns[0].string_domain);
  EXPECT_EQ(big.columns[0].observed.distinct, 101);
  DataSchema small = InferSchema(Table(csv), InferOptions{.max_string_domain_size = 101});
  ASSERT_TRUE(small.columns[0].string_domain);
  EXPECT_EQ(small.columns[0].string_domain->values.size(), 101u);
  // Invalid UTF-8: no domain (as TFDV).
  DataSchema bytes = InferSchema(Table("s\n\xff\xfe\nok\n"));
  EXPECT_EQ(bytes.columns[0].type, ColumnType::kString);
  EXPECT_FALSE(bytes.columns[0].string_domain);
}

TEST(SchemaInferTest, DegenerateTables) {
  DataSchema header_only = InferSchema(Table("a,b\n"));
  EXPECT_EQ(header_only.num_examples, 0);
  ASSERT_EQ(header_only.columns.size(), 2u);
  EXPECT_EQ(header_only.columns[0].type, ColumnType::kUnknown);
  EXPECT_EQ(header_only.columns[0].presence.min_count, 0);
  EXPECT_EQ(header_only.columns[0].presence.min_fraction, 0.0);

  DataSchema s = InferSchema(Table("empty,constant,inf\n,5,inf\n,5,1\n,5,-inf\n"));
  EXPECT_EQ(s.columns[0].type, ColumnType::kUnknown);
  EXPECT_EQ(s.columns[0].presence.min_count, 0);
  EXPECT_EQ(s.columns[0].presence.min_fraction, 0.0);
  EXPECT_EQ(s.columns[0].observed.missing, 3);
  EXPECT_EQ(s.columns[1].type, ColumnType::kInt);
  EXPECT_EQ(s.columns[1].int_domain->min, 5);
  EXPECT_EQ(s.columns[1].int_domain->max, 5);
  EXPECT_EQ(s.columns[2].type, ColumnType::kFloat);
  EXPECT_FALSE(s.columns[2].float_domain->disallow_inf);
  EXPECT_EQ(*s.columns[2].float_domain->max, 1.0);  // finite values only

  DataSchema only_inf = InferSchema(Table("x\ninf\n"));
  EXPECT_FALSE(only_inf.columns[0].float_domain->min);
  EXPECT_FALSE(only_inf.columns[0].float_domain->max);
}

TEST(SchemaInferTest, ColumnNamesMustBeUtf8) {
  EXPECT_TRUE(CheckColumnNames(Table("a,\xC3\xA9\n1,2\n")).ok());
  EXPECT_EQ(CheckColumnNames(Table("a,\xff\n1,2\n")).message(),
            "column 2's name is not valid UTF-8");
}

TEST(SchemaInferTest, JsonLinesTypes) {
  absl::StatusOr<TextTable> t = ReadTextTableFromString(
      "{\"n\":1,\"x\":1.5,\"b\":true}\n{\"n\":2,\"x\":null,\"b\":false}\n{\"n\":3}\n",
      DataFormat::kJsonLines, "t.jsonl");
  ASSERT_TRUE(t.ok()) << t.status();
  DataSchema s = InferSchema(*t);
  EXPECT_EQ(s.columns[0].type, ColumnType::kInt);
  EXPECT_EQ(s.columns[1].type, ColumnType::kFloat);
  EXPECT_EQ(s.columns[1].observed.missing, 2);
  EXPECT_EQ(s.columns[2].type, ColumnType::kBool);
}

}  // namespace
}  // namespace ferry::monitoring
