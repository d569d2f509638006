#include "common/csv.h"

#include <gtest/gtest.h>

#include <random>

namespace ferry {
namespace {

using Records = std::vector<std::vector<std::string>>;

absl::StatusOr<Records> ReadAll(std::string_view text, char delimiter = ',') {
  CsvReader reader(text, "t.csv", delimiter);
  Records records;
  std::vector<std::string> fields;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(fields));
    if (!more) return records;
    records.push_back(fields);
  }
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<Records> r = ReadAll(text);
  EXPECT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(StatusMessage(r.status()));
}

TEST(CsvReaderTest, QuotingCrlfAndEmbeddedNewlines) {
  absl::StatusOr<Records> r = ReadAll(
      "id,name,note\r\n"
      "1,\"Smith, J\",\"say \"\"hi\"\"\"\r\n"
      "2,\"two\r\nlines\",\n"
      "3,,\"\"");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (Records{{"id", "name", "note"},
                         {"1", "Smith, J", "say \"hi\""},
                         {"2", "two\r\nlines", ""},
                         {"3", "", ""}}));
}

TEST(CsvReaderTest, TabDelimiterKeepsCommasAndQuotesTabs) {
  absl::StatusOr<Records> r = ReadAll("a\tb,c\n1,5\t\"x\ty\"\n\t\n", '\t');
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (Records{{"a", "b,c"}, {"1,5", "x\ty"}, {"", ""}}));
  absl::StatusOr<Records> bad = ReadAll("a\tb\n\"x\"y\t1\n", '\t');
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(StatusMessage(bad.status()), "t.csv:2:4: unexpected character after a closing quote");
}

TEST(CsvReaderTest, BlankLinesByteOrderMarkAndFinalCr) {
  absl::StatusOr<Records> r = ReadAll(
      "\xEF\xBB\xBF"
      "a,b\n\n\r\n1,2\r");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (Records{{"a", "b"}, {"1", "2"}}));
  // A CR that does not end a line is data.
  r = ReadAll("a\rb,c\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (Records{{"a\rb", "c"}}));
  EXPECT_EQ(*ReadAll(""), Records{});
}

TEST(CsvReaderTest, RecordLinesCountEmbeddedNewlines) {
  CsvReader reader("h\n\"a\nb\"\n\nc\n", "t.csv");
  std::vector<std::string> fields;
  ASSERT_TRUE(*reader.Next(fields));
  EXPECT_EQ(reader.record_line(), 1u);
  ASSERT_TRUE(*reader.Next(fields));
  EXPECT_EQ(reader.record_line(), 2u);
  ASSERT_TRUE(*reader.Next(fields));
  EXPECT_EQ(reader.record_line(), 5u);
  EXPECT_EQ(fields, std::vector<std::string>{"c"});
  EXPECT_FALSE(*reader.Next(fields));
}

TEST(CsvReaderTest, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\n2,3\n"), "t.csv:2:3: unterminated quoted field");
  EXPECT_EQ(ErrorOf("a,b\n1,x\"y\n"), "t.csv:2:4: quote inside an unquoted field");
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\"y\n"), "t.csv:2:6: unexpected character after a closing quote");
  EXPECT_EQ(ErrorOf("a,\"b\nc\"d\n"), "t.csv:2:3: unexpected character after a closing quote");
}

TEST(CsvReaderTest, HeaderAndRowWidth) {
  CsvReader reader("a,b,c\n1,2,3\n\n4,5\n", "d.csv");
  absl::StatusOr<std::vector<std::string>> header = reader.Header();
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->size(), 3u);
  std::vector<std::string> fields;
  EXPECT_TRUE(*reader.NextRow(fields, 3));
  absl::StatusOr<bool> bad = reader.NextRow(fields, 3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(StatusMessage(bad.status()), "d.csv:4: expected 3 fields, got 2");

  CsvReader empty("\n\r\n", "e.csv");
  EXPECT_EQ(StatusMessage(empty.Header().status()), "e.csv: no header row");
}

TEST(CsvWriterTest, QuotesOnlyWhatNeedsIt) {
  std::string out;
  AppendCsvRecord(out, {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""});
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n");
  out.clear();
  AppendCsvRecord(out, {""});
  EXPECT_EQ(out, "\"\"\n");
  out.clear();
  AppendCsvRecord(out, {"\xEF\xBB\xBFx"});  // not to be taken for the file's byte order mark
  EXPECT_EQ(out, "\"\xEF\xBB\xBFx\"\n");
}

// Arbitrary bytes never crash the reader, and whatever the writer writes reads back the same.
TEST(CsvReaderTest, ArbitraryBytesAndRoundTrip) {
  std::mt19937 gen(42);
  const std::string alphabet = "a,\"\r\n \xEF";
  for (int i = 0; i < 20000; ++i) {
    std::string text(gen() % 24, ' ');
    for (char& c : text) c = alphabet[gen() % alphabet.size()];
    absl::StatusOr<Records> read = ReadAll(text);
    if (!read.ok()) {
      EXPECT_EQ(StatusMessage(read.status()).rfind("t.csv:", 0), 0u) << read.status();
      continue;
    }
    std::string written;
    for (const auto& record : *read) AppendCsvRecord(written, record);
    absl::StatusOr<Records> again = ReadAll(written);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *read) << "input: " << text;
  }
}

}  // namespace
}  // namespace ferry
