// `ferry users` and `ferry permissions`: MLflow's basic-auth user and permission API of a
// `ferry server --auth` (docs/AUTH.md), from the command line.

#include <string>
#include <vector>

#include "cli/auth/access_cli.h"
#include "cli/cli.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kApi[] = "/api/2.0/mlflow/";

constexpr char kUsersHelp[] =
    "Usage: ferry users <subcommand> [flags]\n"
    "\n"
    "Users of a `ferry server --auth` (MLflow's users API). Credentials come from\n"
    "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.\n"
    "\n"
    "Subcommands:\n"
    "  create NAME --password-stdin [--admin]   Create a user (admins only)\n"
    "  show NAME                               A user and its grants\n"
    "  me                                      Who the credentials name\n"
    "  password NAME --password-stdin          Set a password (yours, or anyone's as admin)\n"
    "  admin NAME true|false                   Make a user an admin or not (admins only)\n"
    "  delete NAME                             Delete a user, its grants and tokens\n";

std::string UserText(const JsonValue& answer) {
  const JsonValue* user = answer.Find("user");
  if (user == nullptr) return ToJsonString(answer) + "\n";
  auto text = [](const JsonValue* v) {
    return v != nullptr && v->is_string() ? v->as_string() : "";
  };
  const JsonValue* admin = user->Find("is_admin");
  std::string out =
      StrCat(text(user->Find("username")),
             admin != nullptr && admin->is_bool() && admin->as_bool() ? " (admin)" : "", "\n");
  for (const char* kind : {"experiment_permissions", "registered_model_permissions"}) {
    const JsonValue* grants = user->Find(kind);
    if (grants == nullptr || !grants->is_array()) continue;
    for (const JsonValue& g : grants->items()) {
      const bool experiment = std::string_view(kind) == "experiment_permissions";
      out += StrCat("  ", experiment ? "experiment " : "registered model ",
                    text(g.Find(experiment ? "experiment_id" : "name")), ": ",
                    text(g.Find("permission")), "\n");
    }
  }
  return out;
}

void PasswordFlag(FlagSet& flags) {
  flags.Bool("password-stdin", "read the password from the first line of stdin");
}

absl::StatusOr<std::string> Password(const FlagSet& flags) {
  if (!flags.GetBool("password-stdin")) {
    return absl::InvalidArgumentError("give the password on stdin with --password-stdin");
  }
  return PasswordFromStdin();
}

absl::StatusOr<std::string> Create(const FlagSet& f, const std::vector<std::string>& a) {
  ASSIGN_OR_RETURN(std::string password, Password(f));
  ASSIGN_OR_RETURN(
      JsonValue user,
      CallServer(f, "POST", StrCat(kApi, "users/create"),
                 JsonObject({{"username", JsonText(a[0])}, {"password", JsonText(password)}})));
  if (f.GetBool("admin")) {
    RETURN_IF_ERROR(CallServer(f, "PATCH", StrCat(kApi, "users/update-admin"),
                               JsonObject({{"username", JsonText(a[0])}, {"is_admin", "true"}}))
                        .status());
    return StrCat("created the admin '", a[0], "'\n");
  }
  return StrCat("created the user '", a[0], "'\n");
}

absl::StatusOr<std::string> Show(const FlagSet& f, const std::vector<std::string>& a) {
  ASSIGN_OR_RETURN(JsonValue user,
                   CallServer(f, "GET", StrCat(kApi, "users/get?username=", UrlEncode(a[0]))));
  return UserText(user);
}

const Subcommand kUsers[] = {
    {"create", "NAME --password-stdin [--admin]", "Creates a user (admins only).", 1,
     [](FlagSet& f) {
       PasswordFlag(f);
       f.Bool("admin", "make the new user an admin");
     },
     Create},
    {"show", "NAME", "Shows a user and its grants.", 1, nullptr, Show},
    {"me", "", "Shows who the credentials name.", 0, nullptr,
     [](const FlagSet& f, const std::vector<std::string>&) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(JsonValue user, CallServer(f, "GET", StrCat(kApi, "users/current")));
       return UserText(user);
     }},
    {"password", "NAME --password-stdin", "Sets a user's password.", 1, PasswordFlag,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(std::string password, Password(f));
       RETURN_IF_ERROR(
           CallServer(f, "PATCH", StrCat(kApi, "users/update-password"),
                      JsonObject({{"username", JsonText(a[0])}, {"password", JsonText(password)}}))
               .status());
       return StrCat("changed the password of '", a[0], "'\n");
     }},
    {"admin", "NAME true|false", "Makes a user an admin, or not.", 2, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       if (a[1] != "true" && a[1] != "false") {
         return absl::InvalidArgumentError("the second argument must be true or false");
       }
       RETURN_IF_ERROR(CallServer(f, "PATCH", StrCat(kApi, "users/update-admin"),
                                  JsonObject({{"username", JsonText(a[0])}, {"is_admin", a[1]}}))
                           .status());
       return StrCat("'", a[0], "' is ", a[1] == "true" ? "now" : "no longer", " an admin\n");
     }},
    {"delete", "NAME", "Deletes a user with its grants and tokens.", 1, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       RETURN_IF_ERROR(CallServer(f, "DELETE", StrCat(kApi, "users/delete"),
                                  JsonObject({{"username", JsonText(a[0])}}))
                           .status());
       return StrCat("deleted '", a[0], "'\n");
     }},
};

constexpr char kPermissionsHelp[] =
    "Usage: ferry permissions <subcommand> experiment|model ID_OR_NAME USER [LEVEL]\n"
    "\n"
    "A user's grant on an experiment (by id) or a registered model (by name), MLflow's\n"
    "levels: READ, USE, EDIT, MANAGE, NO_PERMISSIONS. Needs MANAGE on the resource.\n"
    "\n"
    "Subcommands:\n"
    "  grant KIND RESOURCE USER LEVEL   Set the user's level (creating or changing the grant)\n"
    "  show KIND RESOURCE USER          The user's grant\n"
    "  revoke KIND RESOURCE USER        Remove the grant (the server's default applies)\n";

struct Resource {
  std::string path;   // "experiments/permissions/" or "registered-models/permissions/"
  std::string field;  // "experiment_id" or "name"
  std::string grant;  // the answer's object
};

absl::StatusOr<Resource> ResourceOf(const std::string& kind) {
  if (kind == "experiment") {
    return Resource{"experiments/permissions/", "experiment_id", "experiment_permission"};
  }
  if (kind == "model") {
    return Resource{"registered-models/permissions/", "name", "registered_model_permission"};
  }
  return absl::InvalidArgumentError("the kind must be experiment or model, got '" + kind + "'");
}

std::string GrantBody(const Resource& r, const std::vector<std::string>& a) {
  std::vector<std::pair<std::string, std::string>> fields = {{r.field, JsonText(a[1])},
                                                             {"username", JsonText(a[2])}};
  if (a.size() > 3) fields.emplace_back("permission", JsonText(a[3]));
  return JsonObject(fields);
}

absl::StatusOr<std::string> Grant(const FlagSet& f, const std::vector<std::string>& a) {
  ASSIGN_OR_RETURN(Resource r, ResourceOf(a[0]));
  absl::StatusOr<JsonValue> created =
      CallServer(f, "POST", StrCat(kApi, r.path, "create"), GrantBody(r, a));
  if (absl::IsAlreadyExists(created.status())) {
    RETURN_IF_ERROR(
        CallServer(f, "PATCH", StrCat(kApi, r.path, "update"), GrantBody(r, a)).status());
  } else if (!created.ok()) {
    return created.status();
  }
  return StrCat(a[2], " has ", a[3], " on ", a[0], " ", a[1], "\n");
}

const Subcommand kPermissions[] = {
    {"grant", "KIND RESOURCE USER LEVEL", "Sets a user's level on an experiment or model.", 4,
     nullptr, Grant},
    {"show", "KIND RESOURCE USER", "Shows a user's grant.", 3, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(Resource r, ResourceOf(a[0]));
       ASSIGN_OR_RETURN(JsonValue got,
                        CallServer(f, "GET",
                                   StrCat(kApi, r.path, "get?", r.field, "=", UrlEncode(a[1]),
                                          "&username=", UrlEncode(a[2]))));
       const JsonValue* grant = got.Find(r.grant);
       const JsonValue* level = grant != nullptr ? grant->Find("permission") : nullptr;
       return StrCat(a[2], " has ",
                     level != nullptr && level->is_string() ? level->as_string() : "?", " on ",
                     a[0], " ", a[1], "\n");
     }},
    {"revoke", "KIND RESOURCE USER", "Removes a user's grant.", 3, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(Resource r, ResourceOf(a[0]));
       RETURN_IF_ERROR(
           CallServer(f, "DELETE", StrCat(kApi, r.path, "delete"), GrantBody(r, a)).status());
       return StrCat("revoked ", a[2], "'s grant on ", a[0], " ", a[1], "\n");
     }},
};

}  // namespace

int UsersCommand(const std::vector<std::string>& args) {
  return RunSubcommand("ferry users", kUsersHelp, kUsers, args);
}

int PermissionsCommand(const std::vector<std::string>& args) {
  return RunSubcommand("ferry permissions", kPermissionsHelp, kPermissions, args);
}

}  // namespace ferry::cli
