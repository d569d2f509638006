#include "auth/testing/jwt_signer.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "auth/secrets.h"
#include "common/strings.h"

namespace ferry::auth::testing {
namespace {

EVP_PKEY* Pkey(const std::shared_ptr<void>& p) { return static_cast<EVP_PKEY*>(p.get()); }

std::shared_ptr<void> Own(EVP_PKEY* pkey) {
  if (pkey == nullptr) std::abort();
  return std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

// A BIGNUM parameter of the key, big-endian, left-padded to `width` bytes (0: as it is).
std::string BnParam(EVP_PKEY* pkey, const char* name, int width) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) std::abort();
  std::string out(width > 0 ? width : BN_num_bytes(bn), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

// DER ECDSA-Sig-Value to the JWS form R || S.
std::string RawEcdsa(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) std::abort();
  std::string out(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return out;
}

}  // namespace

TestKey TestKey::Rsa() {
  return TestKey(Own(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", 2048)), true);
}

TestKey TestKey::P256() {
  return TestKey(Own(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")), false);
}

std::string TestKey::Jwk(std::string_view kid) const {
  std::string kid_member = kid.empty() ? "" : StrCat("\"kid\":\"", kid, "\",");
  if (rsa_) {
    return StrCat("{", kid_member, "\"kty\":\"RSA\",\"use\":\"sig\",\"n\":\"",
                  Base64UrlNoPad(BnParam(Pkey(pkey_), OSSL_PKEY_PARAM_RSA_N, 0)), "\",\"e\":\"",
                  Base64UrlNoPad(BnParam(Pkey(pkey_), OSSL_PKEY_PARAM_RSA_E, 0)), "\"}");
  }
  return StrCat("{", kid_member, "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"",
                Base64UrlNoPad(BnParam(Pkey(pkey_), OSSL_PKEY_PARAM_EC_PUB_X, 32)), "\",\"y\":\"",
                Base64UrlNoPad(BnParam(Pkey(pkey_), OSSL_PKEY_PARAM_EC_PUB_Y, 32)), "\"}");
}

std::string TestKey::Sign(std::string_view signing_input) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, Pkey(pkey_)) != 1 ||
      EVP_DigestSign(ctx, nullptr, &len, in, signing_input.size()) != 1) {
    std::abort();
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     signing_input.size()) != 1) {
    std::abort();
  }
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  return rsa_ ? sig : RawEcdsa(sig);
}

std::string Jwks(const std::vector<std::string>& jwks) {
  std::string out = "{\"keys\":[";
  for (size_t i = 0; i < jwks.size(); ++i) out += (i ? "," : "") + jwks[i];
  return out + "]}";
}

std::string SignJwt(const TestKey& key, std::string_view header_json,
                    std::string_view claims_json) {
  std::string input = Base64UrlNoPad(header_json) + "." + Base64UrlNoPad(claims_json);
  return input + "." + Base64UrlNoPad(key.Sign(input));
}

std::string MakeJwt(const TestKey& key, std::string_view kid, std::string_view iss,
                    std::string_view aud, int64_t exp_s, std::string_view extra) {
  std::string header = StrCat("{\"alg\":\"", key.alg(), "\",\"kid\":\"", kid, "\"}");
  std::string claims = StrCat("{\"iss\":\"", iss, "\",\"aud\":\"", aud, "\",\"exp\":", exp_s,
                              extra.empty() ? "" : ",", extra, "}");
  return SignJwt(key, header, claims);
}

}  // namespace ferry::auth::testing
