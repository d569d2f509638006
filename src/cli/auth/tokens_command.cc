// `ferry tokens`: access tokens of a `ferry server --auth` (/api/ferry/v1/tokens), used as
// MLFLOW_TRACKING_TOKEN by MLflow's clients and by ferry itself.

#include <string>
#include <vector>

#include "cli/auth/access_cli.h"
#include "cli/cli.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kTokens[] = "/api/ferry/v1/tokens";

constexpr char kTokensHelp[] =
    "Usage: ferry tokens <subcommand> [flags]\n"
    "\n"
    "Access tokens of a `ferry server --auth`: send one as MLFLOW_TRACKING_TOKEN. The\n"
    "server keeps only its SHA-256; the token is shown once, when it is created.\n"
    "\n"
    "Subcommands:\n"
    "  create NAME [--expires-in-days N] [--user U]   Create a token (prints it)\n"
    "  list [--user U]                                Your tokens (another user's as admin)\n"
    "  revoke ID                                      Revoke a token at once\n";

std::string Text(const JsonValue& obj, std::string_view field) {
  const JsonValue* v = obj.Find(field);
  if (v == nullptr) return "";
  return v->is_string() ? v->as_string() : ToJsonString(*v);
}

void UserFlag(FlagSet& f) { f.String("user", "", "another user's tokens (admins only)"); }

std::string UserQuery(const FlagSet& f) {
  return f.Get("user").empty() ? "" : "?username=" + UrlEncode(f.Get("user"));
}

absl::StatusOr<std::string> Create(const FlagSet& f, const std::vector<std::string>& a) {
  std::vector<std::pair<std::string, std::string>> body = {{"name", JsonText(a[0])}};
  if (!f.Get("expires-in-days").empty()) {
    ASSIGN_OR_RETURN(int64_t days, f.GetInt("expires-in-days", 1, 3660));
    body.emplace_back("expires_in_days", std::to_string(days));
  }
  if (!f.Get("user").empty()) body.emplace_back("username", JsonText(f.Get("user")));
  ASSIGN_OR_RETURN(JsonValue got, CallServer(f, "POST", kTokens, JsonObject(body)));
  const JsonValue* info = got.Find("token_info");
  return StrCat(Text(got, "token"), "\n", "(id ", info != nullptr ? Text(*info, "id") : "",
                "; shown once: keep it now)\n");
}

absl::StatusOr<std::string> List(const FlagSet& f, const std::vector<std::string>&) {
  ASSIGN_OR_RETURN(JsonValue got, CallServer(f, "GET", kTokens + UserQuery(f)));
  std::string out = "ID                NAME                 EXPIRES          REVOKED\n";
  const JsonValue* tokens = got.Find("tokens");
  if (tokens == nullptr || !tokens->is_array()) return out;
  for (const JsonValue& t : tokens->items()) {
    auto cell = [&](std::string_view field, size_t width) {
      std::string s = Text(t, field);
      if (s.empty()) s = "-";
      return s + std::string(s.size() < width ? width - s.size() : 1, ' ');
    };
    out += cell("id", 18) + cell("name", 21) + cell("expiration_timestamp", 17) +
           cell("revocation_timestamp", 1) + "\n";
  }
  return out;
}

const Subcommand kTable[] = {
    {"create", "NAME [--expires-in-days N] [--user U]", "Creates a token and prints it once.", 1,
     [](FlagSet& f) {
       f.String("expires-in-days", "", "days until the token stops working (1-3660; none: never)");
       UserFlag(f);
     },
     Create},
    {"list", "[--user U]", "Lists tokens without their secrets.", 0, UserFlag, List},
    {"revoke", "ID", "Revokes a token; the next request with it gets 401.", 1, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       RETURN_IF_ERROR(CallServer(f, "DELETE", StrCat(kTokens, "/", UrlEncode(a[0]))).status());
       return StrCat("revoked ", a[0], "\n");
     }},
};

}  // namespace

int TokensCommand(const std::vector<std::string>& args) {
  return RunSubcommand("ferry tokens", kTokensHelp, kTable, args);
}

}  // namespace ferry::cli
