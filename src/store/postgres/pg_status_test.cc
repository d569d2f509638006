#include "store/postgres/pg_status.h"

#include <gtest/gtest.h>

namespace ferry::store::postgres {
namespace {

TEST(PgStatus, MapsSqlStatesAsSqliteStatusDoes) {
  EXPECT_EQ(CodeForSqlState("23505"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeForSqlState("23502"), absl::StatusCode::kInvalidArgument);  // not null
  EXPECT_EQ(CodeForSqlState("23503"), absl::StatusCode::kInvalidArgument);  // foreign key
  EXPECT_EQ(CodeForSqlState("23514"), absl::StatusCode::kInvalidArgument);  // check
  EXPECT_EQ(CodeForSqlState("40001"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("40P01"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("55P03"), absl::StatusCode::kUnavailable);  // lock timeout
  EXPECT_EQ(CodeForSqlState("08006"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("57P01"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("53300"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("53100"), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(CodeForSqlState("42501"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeForSqlState("28P01"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeForSqlState("22P02"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("42601"), absl::StatusCode::kInternal);
  EXPECT_EQ(CodeForSqlState(""), absl::StatusCode::kInternal);
}

TEST(PgStatus, NoResultIsAConnectionFailure) {
  absl::Status s = PgStatus(nullptr, nullptr, "execute");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("execute"), std::string_view::npos);
}

}  // namespace
}  // namespace ferry::store::postgres
