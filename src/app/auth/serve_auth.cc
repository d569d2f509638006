#include "app/auth/serve_auth.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include "auth/secrets.h"
#include "auth/serve_tokens.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "http/handlers/auth/serve_guard.h"
#include "http/router.h"

namespace ferry::app {
namespace {

struct NewToken {
  auth::ServeToken token;
  std::string plaintext;
};

absl::StatusOr<NewToken> Generate(const char* name, bool admin) {
  NewToken made;
  ASSIGN_OR_RETURN(made.plaintext, auth::NewTokenPlaintext());
  made.token.name = name;
  made.token.admin = admin;
  made.token.infer_all = !admin;
  made.token.sha256_hex = Sha256Hex(made.plaintext);
  return made;
}

// Writes a new token file with an admin and an infer token (never over an existing file) and
// shows the tokens once.
absl::Status CreateTokenFile(const std::string& path) {
  ASSIGN_OR_RETURN(NewToken admin, Generate("admin", true));
  ASSIGN_OR_RETURN(NewToken infer, Generate("infer", false));
  const std::string text =
      "# ferry serve --auth tokens: NAME SCOPE[,SCOPE] SECRET (sha256:HEX or the token)\n" +
      auth::ServeTokenLine(admin.token) + "\n" + auth::ServeTokenLine(infer.token) + "\n";
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return ErrnoStatus(errno, "create the token file", path);
  RETURN_IF_ERROR(WriteAll(fd.get(), text, path));
  std::fprintf(stderr,
               "ferry serve: created the token file %s (only the tokens' SHA-256 is stored); "
               "the tokens, shown this once:\n  admin (scope admin): %s\n  infer (scope "
               "infer): %s\n",
               path.c_str(), admin.plaintext.c_str(), infer.plaintext.c_str());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<auth::ServeTokens>> LoadServeTokens(const std::string& path) {
  if (!PathExists(path)) {
    RETURN_IF_ERROR(CreateTokenFile(path));
  }
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    std::fprintf(stderr,
                 "ferry serve: warning: the token file %s can be read by other users "
                 "(chmod 600 it)\n",
                 path.c_str());
  }
  absl::StatusOr<std::vector<auth::ServeToken>> tokens = auth::ParseServeTokens(text);
  if (!tokens.ok()) {
    return absl::InvalidArgumentError(path + ": " + std::string(tokens.status().message()));
  }
  return std::make_unique<auth::ServeTokens>(*std::move(tokens));
}

absl::Status GuardServeRoutes(http::Router& router, const auth::ServeTokens& tokens,
                              std::function<std::vector<std::string>()> deployed_models) {
  return router.Guard(http::ServeAuthPolicy(router, tokens, std::move(deployed_models)));
}

}  // namespace ferry::app
