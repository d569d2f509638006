#pragma once
// The throwaway cluster of tests/scripts/with_postgres.sh, for tests of the PostgreSQL driver
// (registered with `WRAPPER .../with_postgres.sh`): its URI comes from FERRY_TEST_PG_URI.

#include <cstdlib>
#include <memory>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_uri.h"

namespace ferry::store::postgres::testing {

// The cluster's URI, parsed; a failed status when the test runs without the wrapper.
inline absl::StatusOr<PgUri> TestUri() {
  const char* uri = std::getenv("FERRY_TEST_PG_URI");
  if (uri == nullptr || *uri == '\0') {
    return absl::FailedPreconditionError(
        "FERRY_TEST_PG_URI is not set: run this test through tests/scripts/with_postgres.sh "
        "(ctest does)");
  }
  return ParsePgUri(uri);
}

inline absl::StatusOr<std::unique_ptr<Connection>> OpenTestConnection() {
  ASSIGN_OR_RETURN(PgUri uri, TestUri());
  return Connection::Open(uri);
}

}  // namespace ferry::store::postgres::testing
