#include "tracking/runs_csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/fs.h"
#include "tracking/testing/tracking_fixture.h"

namespace ferry::tracking {
namespace {

TEST(CsvField, QuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  // Spreadsheet formulas are neutralised; numbers are not.
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvField("+cmd"), "\"'+cmd\"");
  EXPECT_EQ(CsvField("-0.5"), "-0.5");
  EXPECT_EQ(CsvField("1e-3"), "1e-3");
  EXPECT_EQ(CsvField(""), "");
}

class RunsCsvTest : public testing::TrackingFixture {
 protected:
  std::string Export(SearchRunsRequest q) {
    std::string path;
    auto fd = MakeTempFile(tmp_.path(), &path);
    EXPECT_TRUE(fd.ok());
    auto size = ExportRunsCsv(*service_, q, fd->get());
    EXPECT_TRUE(size.ok()) << size.status();
    auto text = ReadFile(path);
    EXPECT_TRUE(text.ok());
    EXPECT_EQ(static_cast<int64_t>(text->size()), size.value_or(-1));
    return *text;
  }
};

TEST_F(RunsCsvTest, EveryMatchingRunOnEveryPageWithAllKeys) {
  for (int i = 0; i < 2500; ++i) {
    CreateRunRequest r;
    r.run_name = "run-" + std::to_string(10000 + i);
    auto run = service_->CreateRun(r);
    ASSERT_TRUE(run.ok());
    std::vector<Param> params = {{"alpha", i % 2 ? "0.5" : "a,b"}};
    if (i == 7) params.push_back({"only_one", "x"});
    ASSERT_TRUE(service_->LogBatch(run->info.run_id, {{"loss", i / 4.0, 1, 0}}, params, {}).ok());
  }
  SearchRunsRequest q;
  q.experiment_ids = {"0"};
  q.order_by = {"attributes.run_name ASC"};
  const std::string csv = Export(q);
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = csv.find("\r\n", at)) != std::string::npos; at = end + 2) {
    lines.push_back(csv.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 2501u);
  EXPECT_EQ(lines[0],
            "run_id,run_name,experiment_id,status,user_id,start_time,end_time,params.alpha,"
            "params.only_one,metrics.loss,tags.mlflow.runName");
  EXPECT_NE(lines[1].find(",run-10000,0,RUNNING,"), std::string::npos);
  EXPECT_NE(lines[1].find(",\"a,b\",,0,run-10000"), std::string::npos) << lines[1];
  EXPECT_NE(lines[8].find(",0.5,x,1.75,run-10007"), std::string::npos) << lines[8];
  EXPECT_NE(lines[2500].find(",run-12499,"), std::string::npos);

  q.filter = "metrics.loss < 1";
  const std::string few = Export(q);  // loss 0, 0.25, 0.5, 0.75
  EXPECT_EQ(std::count(few.begin(), few.end(), '\n'), 1 + 4);
  q.filter = "metrics.loss <<< 1";
  std::string path;
  auto fd = MakeTempFile(tmp_.path(), &path);
  ASSERT_TRUE(fd.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(ExportRunsCsv(*service_, q, fd->get()).status()));
}

}  // namespace
}  // namespace ferry::tracking
