// Issue 10 item 15: no error body contains a server file path. Each case breaks the data
// directory underneath a running server (a missing blob, the store's temp dir or the package
// intake's work dir replaced by a file, a corrupt upload) and checks that the answer is an
// error whose body does not name the data directory.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/fs.h"
#include "gtest/gtest.h"
#include "integration/test_server.h"

namespace ferry {
namespace {

namespace fs = std::filesystem;

class ErrorPathsTest : public ::testing::Test {
 protected:
  // Sends the request and checks it failed without naming the data dir.
  void ExpectErrorWithoutPath(const std::string& method, const std::string& target,
                              const std::string& body, const std::string& content_type,
                              int expected_status, const std::string& names = "") {
    SCOPED_TRACE(method + " " + target);
    auto response = server_.client().Send(method, target, body, content_type);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, expected_status) << response->body;
    EXPECT_EQ(response->body.find(server_.data_dir()), std::string::npos) << response->body;
    EXPECT_EQ(response->body.find("/tmp/"), std::string::npos) << response->body;
    EXPECT_NE(response->body.find(names), std::string::npos) << response->body;
  }
  std::string Artifacts() const { return server_.data_dir() + "/artifacts"; }
  // Replaces the directory `dir` by a regular file.
  static void ReplaceByFile(const std::string& dir) {
    (void)RemoveTree(dir);
    std::ofstream(dir) << "not a directory";
  }

  testing::TestServer server_;
};

constexpr char kProxy[] = "/api/2.0/mlflow-artifacts/artifacts/";

TEST_F(ErrorPathsTest, MissingBlob) {
  auto put = server_.client().Send("PUT", std::string(kProxy) + "0/r/artifacts/a.txt", "hello",
                                   "text/plain");
  ASSERT_TRUE(put.ok());
  ASSERT_EQ(put->status, 200) << put->body;
  for (const auto& e : fs::recursive_directory_iterator(Artifacts() + "/blobs")) {
    if (e.is_regular_file()) fs::remove(e.path());
  }
  ExpectErrorWithoutPath("GET", std::string(kProxy) + "0/r/artifacts/a.txt", "", "", 404);
}

TEST_F(ErrorPathsTest, StoreTempDirIsAFile) {
  ReplaceByFile(Artifacts() + "/tmp");
  ExpectErrorWithoutPath("PUT", std::string(kProxy) + "0/r/artifacts/b.txt", "hello", "text/plain",
                         500);
}

TEST_F(ErrorPathsTest, PackageIntake) {
  ExpectErrorWithoutPath("POST", "/api/ferry/v1/packages", "not a tar archive at all",
                         "application/x-tar", 400);
  ExpectErrorWithoutPath("POST", "/api/ferry/v1/packages", std::string(2048, '\0'),
                         "application/x-tar", 400);
  // A well-formed tar that is not a layout: the errors name files inside the package.
  std::string dir = server_.data_dir() + "/not-a-layout";
  fs::create_directories(dir);
  std::ofstream(dir + "/oci-layout") << "{\"imageLayoutVersion\": \"9\"}";
  std::ofstream(dir + "/index.json") << "[]";
  ASSERT_EQ(std::system(("tar -cf " + dir + ".tar -C " + dir + " oci-layout index.json").c_str()),
            0);
  std::ifstream in(dir + ".tar", std::ios::binary);
  std::string tar((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ExpectErrorWithoutPath("POST", "/api/ferry/v1/packages", tar, "application/x-tar", 400,
                         "\"oci-layout: expected");

  ReplaceByFile(Artifacts() + "/intake");  // MakeDirs: kFailedPrecondition
  ExpectErrorWithoutPath("POST", "/api/ferry/v1/packages", "not a tar archive at all",
                         "application/x-tar", 400);
}

}  // namespace
}  // namespace ferry
