#include "store/postgres/pg_uri.h"

#include <gtest/gtest.h>

namespace ferry::store::postgres {
namespace {

TEST(PgUri, ParsesMlflowsForms) {
  for (const char* scheme : {"postgresql", "postgres", "postgresql+psycopg2"}) {
    absl::StatusOr<PgUri> uri =
        ParsePgUri(std::string(scheme) + "://alice:s3cret@db.example:6543/mlflow?sslmode=require");
    ASSERT_TRUE(uri.ok()) << scheme << ": " << uri.status();
    EXPECT_EQ(uri->user, "alice");
    EXPECT_EQ(uri->password, "s3cret");
    EXPECT_EQ(uri->host, "db.example");
    EXPECT_EQ(uri->port, "6543");
    EXPECT_EQ(uri->dbname, "mlflow");
    ASSERT_EQ(uri->options.size(), 1u);
    EXPECT_EQ(uri->options[0].first, "sslmode");
    EXPECT_EQ(uri->options[0].second, "require");
  }
}

TEST(PgUri, PercentDecodesUserPasswordAndDatabase) {
  absl::StatusOr<PgUri> uri =
      ParsePgUri("postgresql://b%C3%B6b:p%40ss%3Aw%2Frd%25%20x@127.0.0.1/my%20db");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_EQ(uri->user,
            "b\xC3\xB6"
            "b");
  EXPECT_EQ(uri->password, "p@ss:w/rd% x");
  EXPECT_EQ(uri->dbname, "my db");
  EXPECT_EQ(uri->port, "");
}

TEST(PgUri, IPv6HostAndNoCredentials) {
  absl::StatusOr<PgUri> uri = ParsePgUri("postgresql://[::1]:5433/db");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_EQ(uri->host, "::1");
  EXPECT_EQ(uri->port, "5433");
  EXPECT_EQ(uri->user, "");
  EXPECT_EQ(uri->Redacted(), "postgresql://[::1]:5433/db");
}

TEST(PgUri, RedactedNeverShowsThePassword) {
  absl::StatusOr<PgUri> uri = ParsePgUri("postgresql://u:topsecret@h:1/d?connect_timeout=3");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->Redacted(), "postgresql://u:***@h:1/d?connect_timeout=3");
  EXPECT_EQ(uri->Describe(), "h:1/d");
}

TEST(PgUri, ErrorsNameThePartAndHideThePassword) {
  struct Case {
    const char* uri;
    const char* reason;
  } cases[] = {
      {"mysql://u:topsecret@h/d", "scheme"},
      {"postgresql://u:topsecret@h:port/d", "port must be a number"},
      {"postgresql://u:topsecret@h:99999/d", "at most 65535"},
      {"postgresql://u:top%zzsecret@h/d", "percent escape"},
      {"postgresql://u:topsecret@h/d?sslmod=require", "unknown option 'sslmod'"},
      {"postgresql://u:topsecret@h/d?sslmode", "without '='"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PgUri> uri = ParsePgUri(c.uri);
    ASSERT_FALSE(uri.ok()) << c.uri;
    EXPECT_EQ(uri.status().code(), absl::StatusCode::kInvalidArgument) << c.uri;
    EXPECT_NE(uri.status().message().find(c.reason), std::string_view::npos) << uri.status();
    EXPECT_EQ(uri.status().message().find("topsecret"), std::string_view::npos) << uri.status();
  }
}

TEST(PgUri, ConnectParamsAddDefaults) {
  absl::StatusOr<PgUri> uri = ParsePgUri("postgresql://u:p@h:1/d");
  ASSERT_TRUE(uri.ok());
  auto params = uri->ConnectParams();
  auto value = [&](const std::string& key) {
    for (const auto& [k, v] : params) {
      if (k == key) return v;
    }
    return std::string("<unset>");
  };
  EXPECT_EQ(value("password"), "p");
  EXPECT_EQ(value("connect_timeout"), "10");
  EXPECT_EQ(value("client_encoding"), "UTF8");
}

}  // namespace
}  // namespace ferry::store::postgres
