#include "http/handlers/auth/serve_guard.h"

#include <memory>
#include <optional>
#include <variant>

#include "auth/credentials.h"
#include "common/strings.h"
#include "http/handlers/auth/request_resources.h"
#include "http/handlers/auth/serve_rules.h"

namespace ferry::http {
namespace {

constexpr char kChallenge[] = "Bearer realm=\"ferry\"";

class ServeCheck {
 public:
  ServeCheck(const Router& router, const auth::ServeTokens& tokens,
             std::shared_ptr<const ResourceLookup> lookup, ServeRule rule)
      : router_(router), tokens_(tokens), lookup_(std::move(lookup)), rule_(rule) {}

  Router::Verdict operator()(HttpRequest& request) const {
    Router::Verdict verdict;
    if (rule_.need == ServeNeed::kOpen) return verdict;
    const std::string* header = request.Header("authorization");
    if (header == nullptr) {
      verdict.deny =
          Unauthenticated(request, "Authentication required: send Authorization: Bearer TOKEN", "");
      return verdict;
    }
    absl::StatusOr<auth::Credentials> credentials = auth::ParseAuthorization(*header);
    const auth::BearerCredentials* bearer =
        credentials.ok() ? std::get_if<auth::BearerCredentials>(&*credentials) : nullptr;
    if (bearer == nullptr) {
      verdict.deny = Unauthenticated(
          request, "Send Authorization: Bearer TOKEN (this server takes tokens only)",
          "invalid_request");
      return verdict;
    }
    const auth::ServeToken* token = tokens_.Find(bearer->token);
    if (token == nullptr) {
      verdict.deny = Unauthenticated(request, "Unknown token", "invalid_token");
      return verdict;
    }
    request.user = token->name;
    request.user_is_admin = token->admin;
    if (std::optional<std::string> denied = Denial(request, *token)) {
      verdict.deny = router_.ErrorFor(request.path, 403, "PERMISSION_DENIED", *denied);
    }
    return verdict;
  }

 private:
  HttpResponse Unauthenticated(const HttpRequest& request, std::string_view message,
                               std::string_view error) const {
    HttpResponse response = router_.ErrorFor(request.path, 401, "UNAUTHENTICATED", message);
    response.headers.emplace_back(
        "WWW-Authenticate",
        error.empty() ? std::string(kChallenge) : StrCat(kChallenge, ", error=\"", error, "\""));
    return response;
  }

  // Why `token` may not make this request, or nullopt when it may.
  std::optional<std::string> Denial(const HttpRequest& request,
                                    const auth::ServeToken& token) const {
    switch (rule_.need) {
      case ServeNeed::kOpen:
        return std::nullopt;
      case ServeNeed::kInferAny:
        if (token.MayInferAny()) return std::nullopt;
        return "Permission denied: the infer scope is required";
      case ServeNeed::kMetrics:
        if (token.MayReadMetrics()) return std::nullopt;
        return "Permission denied: the metrics scope is required";
      case ServeNeed::kAdmin:
        if (token.admin) return std::nullopt;
        return "Permission denied: the admin scope is required";
      case ServeNeed::kInfer:
        return InferDenial(request, token);
    }
    return "Permission denied";
  }

  std::optional<std::string> InferDenial(const HttpRequest& request,
                                         const auth::ServeToken& token) const {
    if (token.admin || token.infer_all) return std::nullopt;
    absl::StatusOr<std::optional<std::string>> model =
        RequestModel(rule_.locate, "", request, *lookup_);
    // A token scoped to some models passes only when the model is known (fail closed).
    if (!model.ok() || !model->has_value()) {
      return "Permission denied: name the model (this token may infer on named models only)";
    }
    if (token.MayInfer(**model)) return std::nullopt;
    return StrCat("Permission denied: infer on model '", **model, "' is required");
  }

  const Router& router_;
  const auth::ServeTokens& tokens_;
  std::shared_ptr<const ResourceLookup> lookup_;
  ServeRule rule_;
};

}  // namespace

Router::Policy ServeAuthPolicy(const Router& router, const auth::ServeTokens& tokens,
                               DeployedModels deployed_models) {
  auto lookup = std::make_shared<ResourceLookup>();
  lookup->deployed_models = std::move(deployed_models);
  return [&router, &tokens, lookup](std::string_view method,
                                    std::string_view pattern) -> absl::StatusOr<Router::Check> {
    const ServeRule* rule = FindServeRule(method, pattern);
    if (rule == nullptr) return absl::NotFoundError("no serve access rule (http/handlers/auth)");
    auto check = std::make_shared<ServeCheck>(router, tokens, lookup, *rule);
    return Router::Check([check](HttpRequest& request) { return (*check)(request); });
  };
}

}  // namespace ferry::http
