#include "monitoring/data/schema_json.h"

#include <gtest/gtest.h>

#include "monitoring/data/schema_infer.h"

namespace ferry::monitoring {
namespace {

DataSchema Sample() {
  absl::StatusOr<TextTable> t = ReadTextTableFromString(
      "age,score,color,flag,none,note\n"
      "30,0.5,red,true,,\"a \"\"quoted\"\" \xC3\xA9\"\n"
      "41,,blue,false,,x\n",
      DataFormat::kCsv, "t.csv");
  EXPECT_TRUE(t.ok()) << t.status();
  return InferSchema(*t);
}

void ExpectSame(const DataSchema& a, const DataSchema& b) {
  EXPECT_EQ(WriteSchemaJson(a), WriteSchemaJson(b));
  ASSERT_EQ(a.columns.size(), b.columns.size());
  EXPECT_EQ(a.num_examples, b.num_examples);
  for (size_t i = 0; i < a.columns.size(); ++i) {
    EXPECT_EQ(a.columns[i].name, b.columns[i].name);
    EXPECT_EQ(a.columns[i].type, b.columns[i].type);
    EXPECT_EQ(a.columns[i].presence.min_fraction, b.columns[i].presence.min_fraction);
  }
}

TEST(SchemaJsonTest, RoundTrip) {
  DataSchema schema = Sample();
  std::string json = WriteSchemaJson(schema);
  absl::StatusOr<DataSchema> back = ParseSchemaJson(json, "s.json");
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSame(schema, *back);
  EXPECT_EQ(back->columns[0].int_domain->max, 41);
  EXPECT_EQ(back->columns[2].string_domain->values, (std::vector<std::string>{"blue", "red"}));
  EXPECT_EQ(back->columns[5].string_domain->values[0], "a \"quoted\" \xC3\xA9");
  EXPECT_EQ(back->columns[4].type, ColumnType::kUnknown);
}

TEST(SchemaJsonTest, DocumentedShape) {
  std::string json = WriteSchemaJson(Sample());
  const std::string head =
      "{\n  \"format\": \"ferry.monitoring.schema\",\n  \"version\": 1,\n  \"dataset\": {";
  EXPECT_EQ(json.substr(0, head.size()), head);
  EXPECT_NE(json.find("\"int_domain\": {\n        \"min\": 30,\n        \"max\": 41\n      }"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"min_fraction\": 0.4"), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

TEST(SchemaJsonTest, MinimalHandWrittenSchema) {
  absl::StatusOr<DataSchema> s = ParseSchemaJson(
      R"({"format":"ferry.monitoring.schema","version":1,
          "columns":[{"name":"a","type":"FLOAT","float_domain":{"max":10}}]})");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->min_examples_count, 1);
  EXPECT_FALSE(s->columns[0].float_domain->min);
  EXPECT_EQ(*s->columns[0].float_domain->max, 10.0);
  EXPECT_FALSE(s->columns[0].float_domain->disallow_nan);
  EXPECT_EQ(s->columns[0].presence.min_count, 0);
}

std::string ErrorOf(std::string_view columns_or_doc, bool whole = false) {
  std::string doc = whole ? std::string(columns_or_doc)
                          : R"({"format":"ferry.monitoring.schema","version":1,"columns":[)" +
                                std::string(columns_or_doc) + "]}";
  absl::StatusOr<DataSchema> s = ParseSchemaJson(doc, "s.json");
  EXPECT_FALSE(s.ok()) << doc;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

TEST(SchemaJsonTest, ErrorsNameFieldAndReason) {
  EXPECT_EQ(ErrorOf("", true).substr(0, 22), "s.json: invalid JSON: ");
  EXPECT_EQ(ErrorOf("[]", true), "s.json: expected a JSON object, got array");
  EXPECT_EQ(ErrorOf(R"({"version":1,"columns":[]})", true), "s.json: format: missing");
  EXPECT_EQ(ErrorOf(R"({"format":"x","version":1,"columns":[]})", true),
            "s.json: format: expected \"ferry.monitoring.schema\", got \"x\"");
  EXPECT_EQ(ErrorOf(R"({"format":"ferry.monitoring.schema","version":2,"columns":[]})", true),
            "s.json: version: unsupported version 2 (this ferry reads version 1)");
  EXPECT_EQ(ErrorOf(R"({"format":"ferry.monitoring.schema","version":1,"columns":{}})", true),
            "s.json: columns: expected an array, got object");
  EXPECT_EQ(ErrorOf(R"({"format":"ferry.monitoring.schema","version":1,"columns":[],"x":1})", true),
            "s.json: x: unknown field");
  EXPECT_EQ(ErrorOf(R"({"format":"ferry.monitoring.schema","version":1,"columns":[],
                        "dataset":{"min_examples_count":-1}})",
                    true),
            "s.json: dataset.min_examples_count: must not be negative");
  EXPECT_EQ(ErrorOf("1"), "s.json: columns[0]: expected an object, got number");
  EXPECT_EQ(ErrorOf(R"({"type":"INT"})"), "s.json: columns[0].name: missing");
  EXPECT_EQ(ErrorOf(R"({"name":"","type":"INT"})"), "s.json: columns[0].name: empty");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"DOUBLE"})"),
            "s.json: columns[0].type: unknown type \"DOUBLE\" (expected INT, FLOAT, STRING, "
            "BOOL or UNKNOWN)");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT"},{"name":"a","type":"INT"})"),
            "s.json: columns[1].name: duplicate column \"a\"");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","int_domain":{"min":"1","max":2}})"),
            "s.json: columns[0].int_domain.min: expected an integer, got string");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","int_domain":{"min":3,"max":2}})"),
            "s.json: columns[0].int_domain: min is greater than max");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","int_domain":{"min":1,"max":1e30}})"),
            "s.json: columns[0].int_domain.max: expected an integer, got number");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"FLOAT","int_domain":{"min":1,"max":2}})"),
            "s.json: columns[0].int_domain: not allowed for type FLOAT");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"FLOAT","float_domain":{"disallow_nan":1}})"),
            "s.json: columns[0].float_domain.disallow_nan: expected true or false, got number");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","presence":{"min_fraction":1.5}})"),
            "s.json: columns[0].presence.min_fraction: must be between 0 and 1");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","presence":{"min_fraction":1,"min_fraction":1}})"),
            "s.json: columns[0].presence.min_fraction: duplicate field");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"STRING","string_domain":{"values":["x",1]}})"),
            "s.json: columns[0].string_domain.values[1]: expected a string, got number");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"STRING","string_domain":{"values":["x","x"]}})"),
            "s.json: columns[0].string_domain.values[1]: duplicate value \"x\"");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"STRING","string_domain":{"valuez":[]}})"),
            "s.json: columns[0].string_domain.values: missing");
  EXPECT_EQ(ErrorOf(R"({"name":"a","type":"INT","observed":{"count":1,"typo":2}})"),
            "s.json: columns[0].observed.typo: unknown field");
}

}  // namespace
}  // namespace ferry::monitoring
