#pragma once
// The access tokens of `ferry serve --auth` (docs/AUTH.md, "Inference servers"): no users, only
// tokens the operator lists in a token file, each with scopes, as TorchServe's key file
// separates inference and management keys. One line per token:
//
//   NAME SCOPE[,SCOPE...] SECRET
//
// NAME is [A-Za-z0-9._-]{1,64}, unique. A SCOPE is `infer` (inference and model metadata on
// every model), `infer:MODEL` (on that deployment only), `metrics` (/metrics and the
// deployment and monitoring status) or `admin` (everything: model control and every other
// change, and all of the above). SECRET is `sha256:` (in any case) and the 64 hex digits of the
// token's SHA-256, or the token itself (16 to 256 printable characters). Blank lines and lines
// starting with '#' are skipped. Only the hashes are kept in memory.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::auth {

struct ServeToken {
  std::string name;
  std::string sha256_hex;  // of the token's plaintext, lowercase
  bool admin = false;
  bool metrics = false;
  bool infer_all = false;
  std::vector<std::string> infer_models;  // `infer:MODEL` scopes

  // Inference and metadata on `model` (its name on the wire).
  bool MayInfer(std::string_view model) const;
  // Some inference scope (server metadata: GET /v2).
  bool MayInferAny() const { return admin || infer_all || !infer_models.empty(); }
  bool MayReadMetrics() const { return admin || metrics; }
  // The scopes as the token file writes them ("admin", "infer:a,metrics").
  std::string ScopesText() const;
};

// The tokens of a token file's text; kInvalidArgument naming the line and the field that is
// wrong ("token file line 3: scope 'inferr': expected infer, infer:MODEL, metrics or admin").
// Two lines with the same name or the same secret are refused. Never echoes a secret.
absl::StatusOr<std::vector<ServeToken>> ParseServeTokens(std::string_view text);

// A token file line for a token whose SHA-256 is `sha256_hex`.
std::string ServeTokenLine(const ServeToken& token);

// The tokens a server accepts. Thread-safe (immutable).
class ServeTokens {
 public:
  explicit ServeTokens(std::vector<ServeToken> tokens) : tokens_(std::move(tokens)) {}

  // The token whose secret is `presented`, or nullptr. The presented value is hashed and
  // compared with every token's hash in constant time, so the time taken does not depend on
  // which token (if any) matched nor on how much of a hash was right.
  const ServeToken* Find(std::string_view presented) const;

  size_t size() const { return tokens_.size(); }

 private:
  std::vector<ServeToken> tokens_;
};

}  // namespace ferry::auth
