// SqliteStore's AuthStore, part one: users and access tokens (sqlite_auth_grants.cc has the
// grants). Deleting a user cascades to its grants and tokens through the foreign keys.

#include <string>
#include <vector>

#include "common/json.h"
#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status UserNotFound(const std::string& username) {
  return absl::NotFoundError("User with username=" + username + " not found");
}

absl::Status UserIdNotFound(int64_t id) {
  return absl::NotFoundError("User with id=" + std::to_string(id) + " not found");
}

absl::Status TokenNotFound(const std::string& id) {
  return absl::NotFoundError("Token with id=" + id + " not found");
}

constexpr char kUserColumns[] = "SELECT user_id, username, password_hash, is_admin FROM users ";

UserRecord UserFromRow(const Statement& st) {
  return UserRecord{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0};
}

// The one user WHERE `where` (binding `key`), or `missing`.
absl::StatusOr<UserRecord> ReadUser(Connection& conn, const char* where, const SqlArg& key,
                                    absl::Status missing) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kUserColumns) + where));
  BindArgs(st, {key});
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return missing;
  return UserFromRow(st);
}

// Runs `sql` (binding `value` then `username`) and reports a missing user.
absl::Status UpdateUser(Connection& conn, const char* sql, const SqlArg& value,
                        const std::string& username) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  BindArgs(st, {value, username});
  RETURN_IF_ERROR(st.Run());
  return conn.Changes() == 0 ? UserNotFound(username) : absl::OkStatus();
}

constexpr char kTokenColumns[] =
    "SELECT token_id, user_id, name, token_hash, created_ms, expires_ms, revoked_ms, "
    "last_used_ms, groups, admin_group FROM access_tokens ";

// The strings of a JSON array (as JsonStringArray writes it); none for anything else.
std::vector<std::string> StringsOf(const std::string& json) {
  std::vector<std::string> out;
  absl::StatusOr<JsonValue> doc = ParseJson(json);
  if (!doc.ok() || !doc->is_array()) return out;
  for (const JsonValue& item : doc->items()) {
    if (item.is_string()) out.push_back(item.as_string());
  }
  return out;
}

TokenRecord TokenFromRow(const Statement& st) {
  return TokenRecord{st.Text(0),        st.Int(1),         st.Text(2),
                     st.Text(3),        st.Int(4),         st.OptionalInt(5),
                     st.OptionalInt(6), st.OptionalInt(7), StringsOf(st.Text(8)),
                     st.Int(9) != 0};
}

// Runs `sql`, binding `now_ms` then the token id; kNotFound if no token has the id.
absl::Status UpdateToken(Connection& conn, const char* sql, const std::string& id, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  RETURN_IF_ERROR(st.BindInt(now_ms).BindText(id).Run());
  return conn.Changes() == 0 ? TokenNotFound(id) : absl::OkStatus();
}

}  // namespace

absl::StatusOr<UserRecord> SqliteStore::CreateAuthUser(const std::string& username,
                                                       const std::string& password_hash,
                                                       bool is_admin) {
  return InWriteTransaction([&](Connection& conn) -> absl::StatusOr<UserRecord> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("INSERT INTO users (username, password_hash, "
                                                "is_admin) VALUES (?, ?, ?)"));
    absl::Status inserted = st.BindText(username).BindText(password_hash).BindInt(is_admin).Run();
    if (absl::IsAlreadyExists(inserted)) {
      return absl::AlreadyExistsError("User (username=" + username + ") already exists.");
    }
    RETURN_IF_ERROR(inserted);
    return UserRecord{conn.LastInsertRowId(), username, password_hash, is_admin};
  });
}

absl::StatusOr<UserRecord> SqliteStore::GetAuthUser(const std::string& username) {
  return InReadTransaction([&](Connection& conn) {
    return ReadUser(conn, "WHERE username = ?", username, UserNotFound(username));
  });
}

absl::StatusOr<UserRecord> SqliteStore::GetAuthUserById(int64_t id) {
  return InReadTransaction([&](Connection& conn) {
    return ReadUser(conn, "WHERE user_id = ?", int64_t{id}, UserIdNotFound(id));
  });
}

absl::StatusOr<std::vector<UserRecord>> SqliteStore::ListAuthUsers() {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<std::vector<UserRecord>> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kUserColumns) + "ORDER BY user_id"));
    std::vector<UserRecord> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(UserFromRow(st));
    }
  });
}

absl::Status SqliteStore::SetAuthUserPasswordHash(const std::string& username,
                                                  const std::string& password_hash) {
  return InWriteTransaction([&](Connection& conn) {
    return UpdateUser(conn, "UPDATE users SET password_hash = ? WHERE username = ?", password_hash,
                      username);
  });
}

absl::Status SqliteStore::SetAuthUserAdmin(const std::string& username, bool is_admin) {
  return InWriteTransaction([&](Connection& conn) {
    return UpdateUser(conn, "UPDATE users SET is_admin = ? WHERE username = ?", int64_t{is_admin},
                      username);
  });
}

absl::Status SqliteStore::DeleteAuthUser(const std::string& username) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    // Grants and tokens go with the user (ON DELETE CASCADE), in this transaction; so do
    // workspace memberships, which name the user rather than refer to the row.
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("DELETE FROM users WHERE username = ?"));
    RETURN_IF_ERROR(st.BindText(username).Run());
    if (conn.Changes() == 0) return UserNotFound(username);
    ASSIGN_OR_RETURN(Statement members, conn.Prepare("DELETE FROM workspace_members WHERE "
                                                     "kind = 'user' AND principal = ?"));
    return members.BindText(username).Run();
  });
}

absl::StatusOr<bool> SqliteStore::HasAuthAdmin() {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT 1 FROM users WHERE is_admin = 1 LIMIT 1"));
    return st.Step();
  });
}

absl::Status SqliteStore::CreateAccessToken(const TokenRecord& t) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(
        ReadUser(conn, "WHERE user_id = ?", t.user_id, UserIdNotFound(t.user_id)).status());
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("INSERT INTO access_tokens (token_id, user_id, name, token_hash, "
                                  "created_ms, expires_ms, revoked_ms, last_used_ms, groups, "
                                  "admin_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    return st.BindText(t.id)
        .BindInt(t.user_id)
        .BindText(t.name)
        .BindText(t.token_hash)
        .BindInt(t.created_ms)
        .BindOptionalInt(t.expires_ms)
        .BindOptionalInt(t.revoked_ms)
        .BindOptionalInt(t.last_used_ms)
        .BindText(JsonStringArray(t.groups))
        .BindInt(t.admin_group ? 1 : 0)
        .Run();
  });
}

absl::StatusOr<TokenRecord> SqliteStore::GetAccessTokenByHash(const std::string& token_hash) {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<TokenRecord> {
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare(std::string(kTokenColumns) + "WHERE token_hash = ?"));
    st.BindText(token_hash);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::NotFoundError("Unknown token");
    return TokenFromRow(st);
  });
}

absl::StatusOr<std::vector<TokenRecord>> SqliteStore::ListAccessTokens(int64_t user_id) {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<std::vector<TokenRecord>> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kTokenColumns) +
                                                "WHERE user_id = ? ORDER BY created_ms, rowid"));
    st.BindInt(user_id);
    std::vector<TokenRecord> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(TokenFromRow(st));
    }
  });
}

absl::Status SqliteStore::RevokeAccessToken(const std::string& id, int64_t now_ms) {
  return InWriteTransaction([&](Connection& conn) {
    return UpdateToken(conn,
                       "UPDATE access_tokens SET revoked_ms = COALESCE(revoked_ms, ?) "
                       "WHERE token_id = ?",
                       id, now_ms);
  });
}

absl::Status SqliteStore::TouchAccessToken(const std::string& id, int64_t now_ms) {
  return InWriteTransaction([&](Connection& conn) {
    return UpdateToken(conn, "UPDATE access_tokens SET last_used_ms = ? WHERE token_id = ?", id,
                       now_ms);
  });
}

}  // namespace ferry::store::sqlite
