#include "auth/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <optional>

#include "auth/secrets.h"
#include "common/json.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;
constexpr size_t kP256CoordinateBytes = 32;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

EVP_PKEY* Pkey(const std::shared_ptr<void>& p) { return static_cast<EVP_PKEY*>(p.get()); }

// A base64url member of a key, decoded; `what` names the key in errors.
absl::StatusOr<std::string> Member(const JsonValue& jwk, std::string_view name,
                                   const std::string& what) {
  const JsonValue* v = jwk.Find(name);
  std::optional<std::string> bytes;
  if (v != nullptr && v->is_string()) bytes = Base64UrlDecode(v->as_string());
  if (!bytes || bytes->empty()) {
    return absl::InvalidArgumentError(StrCat(what, ": '", name, "' is not base64url"));
  }
  return *bytes;
}

BnPtr ToBn(const std::string& bytes) {
  return BnPtr(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr));
}

// A public key from OpenSSL parameters (EVP_PKEY_fromdata), null if OpenSSL refuses them.
std::shared_ptr<void> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

absl::StatusOr<std::shared_ptr<void>> RsaKey(const JsonValue& jwk, const std::string& what) {
  ASSIGN_OR_RETURN(std::string n, Member(jwk, "n", what));
  ASSIGN_OR_RETURN(std::string e, Member(jwk, "e", what));
  const int bits = static_cast<int>(n.size()) * 8;
  if (n[0] == 0 || bits < kMinRsaBits || bits > kMaxRsaBits || e.size() > 8) {
    return absl::InvalidArgumentError(StrCat(what, ": an RSA modulus of ", kMinRsaBits, " to ",
                                             kMaxRsaBits, " bits and a short exponent are needed"));
  }
  BnPtr bn_n = ToBn(n), bn_e = ToBn(e);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return absl::InternalError("OpenSSL could not build an RSA key");
  }
  std::shared_ptr<void> key = FromParams("RSA", bld.get());
  if (!key) return absl::InvalidArgumentError(StrCat(what, ": OpenSSL refused the RSA key"));
  return key;
}

absl::StatusOr<std::shared_ptr<void>> P256Key(const JsonValue& jwk, const std::string& what) {
  ASSIGN_OR_RETURN(std::string x, Member(jwk, "x", what));
  ASSIGN_OR_RETURN(std::string y, Member(jwk, "y", what));
  if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
    return absl::InvalidArgumentError(StrCat(what, ": P-256 coordinates are 32 bytes each"));
  }
  const std::string point = "\x04" + x + y;  // SEC 1 uncompressed form
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return absl::InternalError("OpenSSL could not build an EC key");
  }
  std::shared_ptr<void> key = FromParams("EC", bld.get());
  if (!key) return absl::InvalidArgumentError(StrCat(what, ": the point is not on P-256"));
  return key;
}

std::string StringMember(const JsonValue& v, std::string_view name) {
  const JsonValue* m = v.Find(name);
  return m != nullptr && m->is_string() ? m->as_string() : "";
}

// The key, or nullopt for one Ferry does not use (another type, curve, algorithm or use).
absl::StatusOr<std::optional<JsonWebKey>> ParseKey(const JsonValue& jwk, const std::string& what) {
  if (!jwk.is_object()) return absl::InvalidArgumentError(what + " is not an object");
  const std::string kty = StringMember(jwk, "kty"), alg = StringMember(jwk, "alg");
  const std::string use = StringMember(jwk, "use");
  if (!use.empty() && use != "sig") return std::nullopt;
  if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
    ASSIGN_OR_RETURN(std::shared_ptr<void> key, RsaKey(jwk, what));
    return JsonWebKey(JwsAlgorithm::kRs256, std::move(key));
  }
  if (kty == "EC" && StringMember(jwk, "crv") == "P-256" && (alg.empty() || alg == "ES256")) {
    ASSIGN_OR_RETURN(std::shared_ptr<void> key, P256Key(jwk, what));
    return JsonWebKey(JwsAlgorithm::kEs256, std::move(key));
  }
  return std::nullopt;
}

// The DER form EVP wants of a JWS ES256 signature (R || S, 32 bytes each); "" if malformed.
std::string EcdsaDer(std::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return "";
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(p, kP256CoordinateBytes, nullptr);
  BIGNUM* s = BN_bin2bn(p + kP256CoordinateBytes, kP256CoordinateBytes, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  return out;
}

}  // namespace

absl::StatusOr<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name) {
  if (name == "RS256") return JwsAlgorithm::kRs256;
  if (name == "ES256") return JwsAlgorithm::kEs256;
  return absl::UnauthenticatedError(StrCat("Unsupported algorithm ", name.substr(0, 32)));
}

bool JsonWebKey::Verify(JwsAlgorithm algorithm, std::string_view signing_input,
                        std::string_view signature) const {
  if (algorithm != algorithm_) return false;
  std::string der;
  if (algorithm == JwsAlgorithm::kEs256) {
    der = EcdsaDer(signature);
    if (der.empty()) return false;
    signature = der;
  } else if (static_cast<int>(signature.size()) != EVP_PKEY_get_size(Pkey(pkey_))) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, Pkey(pkey_)) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

absl::StatusOr<JsonWebKeySet> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError(StrCat("JWKS: more than ", kMaxJwksBytes, " bytes"));
  }
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(json));
  const JsonValue* keys = doc.Find("keys");
  if (keys == nullptr || !keys->is_array()) {
    return absl::InvalidArgumentError("JWKS: no \"keys\" array");
  }
  if (keys->items().size() > kMaxJwksKeys) {
    return absl::InvalidArgumentError(StrCat("JWKS: more than ", kMaxJwksKeys, " keys"));
  }
  JsonWebKeySet out;
  for (size_t i = 0; i < keys->items().size(); ++i) {
    const JsonValue& jwk = keys->items()[i];
    const std::string kid = StringMember(jwk, "kid");
    const std::string what = StrCat("JWKS key ", i, " (kid '", kid.substr(0, 64), "')");
    ASSIGN_OR_RETURN(std::optional<JsonWebKey> key, ParseKey(jwk, what));
    if (!key) continue;
    if (!out.emplace(kid, std::move(*key)).second) {
      return absl::InvalidArgumentError(what + ": another key has this kid");
    }
  }
  return out;
}

}  // namespace ferry::auth
