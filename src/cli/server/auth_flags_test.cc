#include "cli/server/auth_flags.h"

#include "cli/flags.h"
#include "gtest/gtest.h"

namespace ferry::cli {
namespace {

absl::StatusOr<AuthFlags> Parse(const std::vector<std::string>& args) {
  FlagSet f("ferry x", "test");
  DeclareAuthFlags(f);
  if (absl::Status s = f.Parse(args); !s.ok()) return s;
  return AuthFlagsFrom(f);
}

std::string ErrorOf(const std::vector<std::string>& args) {
  auto flags = Parse(args);
  return flags.ok() ? "ok" : std::string(flags.status().message());
}

TEST(AuthFlagsTest, OidcDefaultsAndEveryFlag) {
  auto off = Parse({"--auth"});
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->oidc_issuer, "");
  EXPECT_EQ(off->oidc_username_claim, "preferred_username");
  EXPECT_EQ(off->oidc_groups_claim, "groups");
  auto on = Parse({"--auth", "--oidc-issuer", "https://idp.example", "--oidc-audience", "ferry",
                   "--oidc-jwks-url", "http://127.0.0.1:9/jwks.json", "--oidc-username-claim",
                   "email", "--oidc-groups-claim", "roles", "--oidc-admin-group", "ops"});
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_EQ(on->oidc_issuer, "https://idp.example");
  EXPECT_EQ(on->oidc_audience, "ferry");
  EXPECT_EQ(on->oidc_jwks_url, "http://127.0.0.1:9/jwks.json");
  EXPECT_EQ(on->oidc_username_claim, "email");
  EXPECT_EQ(on->oidc_groups_claim, "roles");
  EXPECT_EQ(on->oidc_admin_group, "ops");
}

TEST(AuthFlagsTest, OidcMistakes) {
  EXPECT_EQ(ErrorOf({"--oidc-issuer", "https://i", "--oidc-audience", "a"}),
            "the --oidc-* flags need --auth");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "https://i"}),
            "OIDC needs both --oidc-issuer and --oidc-audience");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-audience", "a", "--oidc-jwks-url", "https://i/j"}),
            "OIDC needs both --oidc-issuer and --oidc-audience");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "idp.example", "--oidc-audience", "a"}),
            "--oidc-issuer, --oidc-jwks-url and --oidc-redirect-uri must be http(s) URLs");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a",
                     "--oidc-jwks-url", "file:///etc/jwks"}),
            "--oidc-issuer, --oidc-jwks-url and --oidc-redirect-uri must be http(s) URLs");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a",
                     "--oidc-username-claim", ""}),
            "--oidc-username-claim and --oidc-groups-claim need a name");
}

TEST(AuthFlagsTest, OidcSignInFlags) {
  auto defaults = Parse({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a"});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->oidc_client_id, "");  // the audience, in app/
  EXPECT_EQ(defaults->oidc_scopes, "openid profile email groups");
  auto given = Parse({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a",
                      "--oidc-client-id", "ui", "--oidc-client-secret-file", "/s",
                      "--oidc-redirect-uri", "https://f/cb", "--oidc-scopes", "openid email"});
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->oidc_client_id, "ui");
  EXPECT_EQ(given->oidc_client_secret_file, "/s");
  EXPECT_EQ(given->oidc_redirect_uri, "https://f/cb");
  EXPECT_EQ(given->oidc_scopes, "openid email");
  EXPECT_EQ(ErrorOf({"--oidc-client-id", "ui"}), "the --oidc-* flags need --auth");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a",
                     "--oidc-redirect-uri", "/cb"}),
            "--oidc-issuer, --oidc-jwks-url and --oidc-redirect-uri must be http(s) URLs");
  EXPECT_EQ(ErrorOf({"--auth", "--oidc-issuer", "https://i", "--oidc-audience", "a",
                     "--oidc-scopes", "profile"}),
            "--oidc-scopes must include openid");
}

}  // namespace
}  // namespace ferry::cli
