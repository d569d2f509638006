#pragma once
// PostgreSQL connection URIs as MLflow users write them:
//   postgresql://USER:PASSWORD@HOST:PORT/DB?sslmode=require&connect_timeout=5
// with the schemes postgresql://, postgres:// and postgresql+psycopg2:// (SQLAlchemy's form).
// User, password and database are percent-decoded; every query option must be a libpq
// connection keyword (sslmode, sslrootcert, connect_timeout, application_name, options, host
// for a unix-socket directory, ...). The password never appears in a message or log line:
// Redacted() shows it as ***.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::store::postgres {

struct PgUri {
  std::string user;
  std::string password;
  std::string host;  // empty: libpq's default (a unix socket)
  std::string port;  // empty: 5432
  std::string dbname;
  std::vector<std::pair<std::string, std::string>> options;  // libpq keywords, in URI order

  // postgresql://user:***@host:port/db?options, for messages.
  std::string Redacted() const;
  // "host:port/db" (no user, no password), the context of driver errors.
  std::string Describe() const;
  // libpq's keyword/value pairs for PQconnectdbParams (client_encoding=UTF8 and
  // connect_timeout=10 unless the URI sets them).
  std::vector<std::pair<std::string, std::string>> ConnectParams() const;
};

// True when `uri` starts with one of the accepted schemes.
bool IsPostgresUri(std::string_view uri);

// kInvalidArgument naming the part at fault (scheme, port, percent escape, unknown option);
// the message quotes the URI redacted.
absl::StatusOr<PgUri> ParsePgUri(std::string_view uri);

}  // namespace ferry::store::postgres
