#include "core/frame_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace ferry {
namespace {

Frame MustRead(std::string_view text, DataFormat format) {
  auto frame = ReadFrameFromString(text, format, "data.csv");
  EXPECT_TRUE(frame.ok()) << frame.status();
  return frame.ok() ? *std::move(frame) : Frame{};
}

std::string ErrorOf(std::string_view text, DataFormat format, std::string_view source) {
  auto frame = ReadFrameFromString(text, format, source);
  EXPECT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(StatusMessage(frame.status()));
}

TEST(FrameReaderTest, CsvQuotingAndLineEndings) {
  Frame f = MustRead(
      "id,name,score\r\n"
      "1,\"Smith, J\",2.5\r\n"
      "2,\"say \"\"hi\"\"\",\r\n"
      "3,\"two\nlines\",-1e3\n",
      DataFormat::kCsv);
  ASSERT_EQ(f.columns.size(), 3u);
  ASSERT_EQ(f.rows(), 3u);
  EXPECT_TRUE(f.columns[0].numeric);
  EXPECT_FALSE(f.columns[1].numeric);
  EXPECT_EQ(f.columns[1].strings,
            (std::vector<std::string>{"Smith, J", "say \"hi\"", "two\nlines"}));
  EXPECT_TRUE(f.columns[2].numeric);
  EXPECT_EQ(f.columns[2].numbers[0], 2.5);
  EXPECT_TRUE(std::isnan(f.columns[2].numbers[1]));
  EXPECT_EQ(f.columns[2].numbers[2], -1000);
}

TEST(FrameReaderTest, ColumnIsTextWhenAnyValueIsNotANumber) {
  Frame f = MustRead("a,b,c\n1,x,\n2,3,\n,4 ,\n", DataFormat::kCsv);
  EXPECT_TRUE(f.columns[0].numeric);
  EXPECT_TRUE(std::isnan(f.columns[0].numbers[2]));
  EXPECT_FALSE(f.columns[1].numeric);  // "x" and "4 " (trailing space) are not numbers
  EXPECT_EQ(f.columns[1].strings, (std::vector<std::string>{"x", "3", "4 "}));
  EXPECT_TRUE(f.columns[2].numeric);  // all missing: numeric, all NaN
  EXPECT_EQ(f.columns[2].numbers.size(), 3u);
}

TEST(FrameReaderTest, HeaderOnlyAndBlankLines) {
  Frame f = MustRead("\xEF\xBB\xBFx,y\n\n1,2\n\n", DataFormat::kCsv);
  ASSERT_EQ(f.columns.size(), 2u);
  EXPECT_EQ(f.columns[0].name, "x");  // byte order mark dropped
  EXPECT_EQ(f.rows(), 1u);
  Frame empty = MustRead("x,y\n", DataFormat::kCsv);
  EXPECT_EQ(empty.columns.size(), 2u);
  EXPECT_EQ(empty.rows(), 0u);
}

TEST(FrameReaderTest, CsvErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("a,b,c\n1,2,3\n\n4,5\n", DataFormat::kCsv, "data.csv"),
            "data.csv:4: expected 3 fields, got 2");
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\n2,3\n", DataFormat::kCsv, "d.csv"),
            "d.csv:2:3: unterminated quoted field");
  EXPECT_EQ(ErrorOf("a,b\n1,x\"y\n", DataFormat::kCsv, "d.csv"),
            "d.csv:2:4: quote inside an unquoted field");
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\"y\n", DataFormat::kCsv, "d.csv"),
            "d.csv:2:6: unexpected character after a closing quote");
  EXPECT_EQ(ErrorOf("a,b,a\n", DataFormat::kCsv, "d.csv"), "d.csv:1: duplicate column name \"a\"");
  EXPECT_EQ(ErrorOf("a,,c\n", DataFormat::kCsv, "d.csv"), "d.csv:1: column 2 has an empty name");
  EXPECT_EQ(ErrorOf("", DataFormat::kCsv, "d.csv"), "d.csv: no header row");
  // Line numbers count physical lines, including those inside quoted fields.
  EXPECT_EQ(ErrorOf("a,b\n\"x\ny\",1\n1\n", DataFormat::kCsv, "d.csv"),
            "d.csv:4: expected 2 fields, got 1");
}

TEST(FrameReaderTest, JsonLines) {
  Frame f = MustRead(
      "{\"x\": 1, \"label\": \"cat\"}\n"
      "\n"
      "{\"x\": 2.5, \"extra\": true}\r\n"
      "{\"label\": null, \"x\": \"3\"}\n",
      DataFormat::kJsonLines);
  ASSERT_EQ(f.columns.size(), 3u);
  ASSERT_EQ(f.rows(), 3u);
  EXPECT_EQ(f.columns[0].name, "x");
  EXPECT_TRUE(f.columns[0].numeric);
  EXPECT_EQ(f.columns[0].numbers, (std::vector<double>{1, 2.5, 3}));
  EXPECT_EQ(f.columns[1].strings, (std::vector<std::string>{"cat", "", ""}));
  EXPECT_EQ(f.columns[2].name, "extra");
  EXPECT_EQ(f.columns[2].strings, (std::vector<std::string>{"", "true", ""}));
}

TEST(FrameReaderTest, JsonLinesErrors) {
  EXPECT_EQ(ErrorOf("{\"a\":1}\n[1,2]\n", DataFormat::kJsonLines, "d.jsonl"),
            "d.jsonl:2: expected a JSON object, got array");
  EXPECT_EQ(ErrorOf("{\"a\":1}\n{\"a\":{\"b\":2}}\n", DataFormat::kJsonLines, "d.jsonl"),
            "d.jsonl:2: key \"a\": expected a number, string, boolean or null, got object");
  EXPECT_EQ(ErrorOf("{\"a\":1,\"a\":2}\n", DataFormat::kJsonLines, "d.jsonl"),
            "d.jsonl:1: duplicate key \"a\"");
  std::string bad = ErrorOf("{\"a\":1}\n{\"a\":\n", DataFormat::kJsonLines, "d.jsonl");
  EXPECT_EQ(bad.rfind("d.jsonl:2: invalid JSON", 0), 0u) << bad;
}

TEST(FrameReaderTest, Tsv) {
  Frame f = MustRead("a\tb c\n1\tx,y\n2.5\t\n", DataFormat::kTsv);
  ASSERT_EQ(f.columns.size(), 2u);
  EXPECT_EQ(f.columns[1].name, "b c");
  EXPECT_TRUE(f.columns[0].numeric);
  EXPECT_EQ(f.columns[0].numbers[1], 2.5);
  EXPECT_EQ(f.columns[1].strings[0], "x,y");
  EXPECT_EQ(ErrorOf("a\tb\n1\t2\t3\n", DataFormat::kTsv, "d.tsv"),
            "d.tsv:2: expected 2 fields, got 3");
}

TEST(FrameReaderTest, TextTableKeepsCellsAsWritten) {
  auto t = ReadTextTableFromString("a,b\n,nan\n3.0,x\n", DataFormat::kCsv, "d.csv");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->cells[0], (std::vector<std::string>{"", "3.0"}));
  EXPECT_EQ(t->cells[1], (std::vector<std::string>{"nan", "x"}));
  auto j = ReadTextTableFromString("{\"a\":null,\"b\":true}\n{\"a\":2.5}\n", DataFormat::kJsonLines,
                                   "d.jsonl");
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->cells[0], (std::vector<std::string>{"", "2.5"}));
  EXPECT_EQ(j->cells[1], (std::vector<std::string>{"true", ""}));
  Frame f = FrameFromText(*std::move(t));
  EXPECT_TRUE(f.columns[0].numeric);
  EXPECT_TRUE(std::isnan(f.columns[0].numbers[0]));
  EXPECT_EQ(ErrorOf("a,b\n1\n", DataFormat::kCsv, "d.csv"), "d.csv:2: expected 2 fields, got 1");
  EXPECT_EQ(ReadTextTableFromString("", DataFormat::kJsonLines, "e.jsonl").status().message(),
            "e.jsonl: no rows with any keys");
}

TEST(FrameReaderTest, DetectFormat) {
  EXPECT_EQ(DetectFormat("x.JSONL", "a,b"), DataFormat::kJsonLines);
  EXPECT_EQ(DetectFormat("x.ndjson", ""), DataFormat::kJsonLines);
  EXPECT_EQ(DetectFormat("x.csv", "{\"a\":1}"), DataFormat::kCsv);
  EXPECT_EQ(DetectFormat("x.TSV", "a,b"), DataFormat::kTsv);
  EXPECT_EQ(DetectFormat("x.tab", ""), DataFormat::kTsv);
  EXPECT_EQ(DetectFormat("data", "  \n{\"a\":1}"), DataFormat::kJsonLines);
  EXPECT_EQ(DetectFormat("data", "a,b\n"), DataFormat::kCsv);
}

TEST(FrameReaderTest, ReadsFilesAndReportsMissingOnes) {
  std::string path = ::testing::TempDir() + "/reader_test_rows";
  {
    std::ofstream out(path);
    out << "{\"a\": 1}\n{\"a\": 2}\n";
  }
  auto f = ReadFrame(path);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->rows(), 2u);
  std::remove(path.c_str());
  EXPECT_EQ(ReadFrame(path).status().code(), absl::StatusCode::kNotFound);
}

TEST(FrameReaderTest, ReadsBreastCancer) {
  auto f = ReadFrame(std::string(FERRY_TEST_DATA_DIR) + "/breast_cancer.csv");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->columns.size(), 31u);
  EXPECT_EQ(f->rows(), 569u);
  EXPECT_EQ(f->columns[0].name, "mean_radius");
  EXPECT_EQ(f->columns[0].numbers[0], 17.99);
  EXPECT_EQ(f->columns.back().name, "target");
}

}  // namespace
}  // namespace ferry
