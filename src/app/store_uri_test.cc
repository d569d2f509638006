#include "app/store_uri.h"

#include <gtest/gtest.h>

namespace ferry::app {
namespace {

TEST(SqlitePathFromUri, ThreeSlashesAreRelativeToTheWorkingDirectoryAsInMlflow) {
  EXPECT_EQ(*SqlitePathFromUri("sqlite:///mlflow.db", "/home/u/proj"), "/home/u/proj/mlflow.db");
  EXPECT_EQ(*SqlitePathFromUri("sqlite:///data/m.db", "/w"), "/w/data/m.db");
  EXPECT_EQ(*SqlitePathFromUri("sqlite:///./ferry-data/ferry.db", "/w"), "/w/ferry-data/ferry.db");
}

TEST(SqlitePathFromUri, FourSlashesAreAbsolute) {
  EXPECT_EQ(*SqlitePathFromUri("sqlite:////var/lib/ferry.db", "/w"), "/var/lib/ferry.db");
  EXPECT_EQ(*SqlitePathFromUri("sqlite:////tmp/x.db?mode=rwc", "/w"), "/tmp/x.db");
}

TEST(SqlitePathFromUri, RejectsWhatSqlalchemyWouldNotOpenAsAFile) {
  for (const char* uri : {"sqlite://host/x.db", "sqlite:x.db", "postgresql://h/db", "sqlite:///",
                          "sqlite:////", "sqlite:///:memory:", "mlflow.db"}) {
    auto path = SqlitePathFromUri(uri, "/w");
    ASSERT_FALSE(path.ok()) << uri;
    EXPECT_EQ(path.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(path.status().message().find(uri), std::string_view::npos) << uri;
  }
}

TEST(FilePathFromUri, AbsoluteRelativeAndPlainPaths) {
  EXPECT_EQ(*FilePathFromUri("file:///srv/artifacts", "/w"), "/srv/artifacts");
  EXPECT_EQ(*FilePathFromUri("file:///./ferry-data/artifacts", "/w"), "/w/ferry-data/artifacts");
  EXPECT_EQ(*FilePathFromUri("./mlartifacts", "/w"), "/w/mlartifacts");
  EXPECT_EQ(*FilePathFromUri("mlartifacts", "/w"), "/w/mlartifacts");
  EXPECT_EQ(*FilePathFromUri("/abs/a", "/w"), "/abs/a");
  EXPECT_FALSE(FilePathFromUri("s3://bucket/x", "/w").ok());
  EXPECT_FALSE(FilePathFromUri("", "/w").ok());
}

TEST(S3LocationFromUri, BucketAndPrefix) {
  auto loc = S3LocationFromUri("s3://ml-artifacts/team/a/");
  ASSERT_TRUE(loc.ok()) << loc.status();
  EXPECT_EQ(loc->bucket, "ml-artifacts");
  EXPECT_EQ(loc->prefix, "team/a");
  loc = S3LocationFromUri("s3://ml-artifacts");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->prefix, "");
  for (const char* bad :
       {"s3://", "s3:///x", "s3://b/a//c", "s3://b/../c", "s3://b/./c", "file:///x"}) {
    EXPECT_EQ(S3LocationFromUri(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace ferry::app
