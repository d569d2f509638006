// `ferry workspaces members`: who holds which role in a workspace of a `ferry server --auth
// --enable-workspaces` (docs/AUTH.md, Workspaces), over /api/ferry/v1/workspaces/WS/members;
// `ferry workspaces trust-policy`: the workspace's package trust policy (docs/SIGNING.md), over
// /api/ferry/v1/trust-policy in that workspace.

#include <string>
#include <vector>

#include "cli/auth/access_cli.h"
#include "cli/cli.h"
#include "common/fs.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kApi[] = "/api/ferry/v1/workspaces/";

constexpr char kWorkspacesHelp[] =
    "Usage: ferry workspaces members|trust-policy <subcommand> [flags]\n"
    "\n"
    "Roles per workspace of a `ferry server --auth --enable-workspaces`. A user (a Ferry\n"
    "user name) or a group (a name in an OIDC token's groups claim) holds one role in a\n"
    "workspace: viewer (READ on all its experiments and models), editor (EDIT, may create),\n"
    "manager (MANAGE) or admin (manager, and manages the members). Credentials come from\n"
    "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.\n"
    "\n"
    "Subcommands:\n"
    "  members list WS                      The members and their roles (managers)\n"
    "  members set WS user|group NAME ROLE  Give a role, or change it (the workspace's admins)\n"
    "  members remove WS user|group NAME    Take the role away (the workspace's admins)\n"
    "  trust-policy get WS                  The package trust policy of WS: its keys\n"
    "  trust-policy set WS POLICY.json      Set it (keys inline as \"pem\"; admins)\n"
    "  trust-policy delete WS               Remove it: the server's --trust-policy applies\n";

std::string MemberLine(const JsonValue& m) {
  auto text = [&m](const char* key) {
    const JsonValue* v = m.Find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string("?");
  };
  return StrCat(text("kind"), " ", text("principal"), " ", text("role"), "\n");
}

std::string MembersPath(const std::string& workspace) {
  return StrCat(kApi, UrlEncode(workspace), "/members");
}

const Subcommand kMembers[] = {
    {"list", "WS", "Lists a workspace's members: kind, name, role.", 1, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(JsonValue got, CallServer(f, "GET", MembersPath(a[0])));
       const JsonValue* members = got.Find("members");
       std::string out;
       if (members != nullptr && members->is_array()) {
         for (const JsonValue& m : members->items()) out += MemberLine(m);
       }
       return out.empty() ? StrCat("no members in '", a[0], "'\n") : out;
     }},
    {"set", "WS user|group NAME ROLE", "Gives a user or group a role in a workspace.", 4, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       RETURN_IF_ERROR(CallServer(f, "PUT", MembersPath(a[0]),
                                  JsonObject({{"principal", JsonText(a[2])},
                                              {"kind", JsonText(a[1])},
                                              {"role", JsonText(a[3])}}))
                           .status());
       return StrCat(a[1], " ", a[2], " is ", a[3], " in '", a[0], "'\n");
     }},
    {"remove", "WS user|group NAME", "Takes a user's or group's role away.", 3, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       RETURN_IF_ERROR(CallServer(f, "DELETE",
                                  StrCat(MembersPath(a[0]), "?principal=", UrlEncode(a[2]),
                                         "&kind=", UrlEncode(a[1])))
                           .status());
       return StrCat(a[1], " ", a[2], " has no role in '", a[0], "' now\n");
     }},
};

constexpr char kTrustPolicy[] = "/api/ferry/v1/trust-policy";

const Subcommand kTrust[] = {
    {"get", "WS", "Shows a workspace's trust policy: its keys, who set it.", 1, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(JsonValue got, CallServer(f, "GET", kTrustPolicy, "", a[0]));
       const JsonValue* policy = got.Find("trust_policy");
       const JsonValue* keys = policy != nullptr ? policy->Find("keys") : nullptr;
       std::string out;
       if (keys != nullptr && keys->is_array()) {
         for (const JsonValue& k : keys->items()) {
           const JsonValue* name = k.Find("name");
           const JsonValue* id = k.Find("key_id");
           if (name && id && name->is_string() && id->is_string()) {
             out += StrCat("key ", name->as_string(), " ", id->as_string(), "\n");
           }
         }
       }
       const JsonValue* by = policy != nullptr ? policy->Find("updated_by") : nullptr;
       if (by != nullptr && by->is_string()) out += StrCat("set by ", by->as_string(), "\n");
       return out;
     }},
    {"set", "WS POLICY.json", "Sets a workspace's trust policy from a policy file.", 2, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       ASSIGN_OR_RETURN(std::string text, ReadFile(a[1]));
       RETURN_IF_ERROR(CallServer(f, "PUT", kTrustPolicy, text, a[0]).status());
       return StrCat("'", a[0], "' trusts the keys of ", a[1], " now\n");
     }},
    {"delete", "WS", "Removes a workspace's trust policy.", 1, nullptr,
     [](const FlagSet& f, const std::vector<std::string>& a) -> absl::StatusOr<std::string> {
       RETURN_IF_ERROR(CallServer(f, "DELETE", kTrustPolicy, "", a[0]).status());
       return StrCat("'", a[0], "' has no trust policy of its own now\n");
     }},
};

}  // namespace

int WorkspacesCommand(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "members") {
    return RunSubcommand("ferry workspaces members", kWorkspacesHelp, kMembers,
                         std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!args.empty() && args[0] == "trust-policy") {
    return RunSubcommand("ferry workspaces trust-policy", kWorkspacesHelp, kTrust,
                         std::vector<std::string>(args.begin() + 1, args.end()));
  }
  return RunSubcommand("ferry workspaces", kWorkspacesHelp, {}, args);
}

}  // namespace ferry::cli
