#include "package/trust/keys.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>

#include "common/fs.h"
#include "common/sha256.h"

namespace ferry::package {
namespace {

EVP_PKEY* Raw(const std::shared_ptr<void>& p) { return static_cast<EVP_PKEY*>(p.get()); }

std::shared_ptr<void> Own(EVP_PKEY* p) {
  return std::shared_ptr<void>(p, [](void* q) { EVP_PKEY_free(static_cast<EVP_PKEY*>(q)); });
}

// The most recent OpenSSL error as text (and clears the queue), for messages.
std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), &BIO_free);
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// Only P-256 keys are accepted: it is the scheme cosign requires for key-based signing.
absl::Status CheckP256(EVP_PKEY* pkey, std::string_view what) {
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
      !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                      &len)) {
    return absl::InvalidArgumentError(std::string(what) + ": not an ECDSA key (want P-256)");
  }
  std::string_view g(group, len);
  if (g != "prime256v1" && g != "P-256") {
    return absl::InvalidArgumentError(std::string(what) + ": ECDSA curve " + std::string(g) +
                                      " is not supported (want P-256)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PublicDer(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  if (len <= 0) return absl::InternalError("encoding public key: " + OpenSslError());
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

absl::Status WriteNewFile(const std::string& path, std::string_view data, mode_t mode) {
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(path + " already exists; refusing to overwrite a key");
    }
    return ErrnoStatus(errno, "create", path);
  }
  RETURN_IF_ERROR(WriteAll(fd.get(), data, path));
  if (fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync", path);
  if (int err = fd.Close(); err != 0) return ErrnoStatus(err, "close", path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem, std::string_view what) {
  BioPtr bio = MemBio(pem);
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(std::string(what) +
                                      ": not a PEM public key (want \"BEGIN PUBLIC KEY\")");
  }
  std::shared_ptr<void> owned = Own(pkey);
  RETURN_IF_ERROR(CheckP256(pkey, what));
  ASSIGN_OR_RETURN(std::string der, PublicDer(pkey));
  return PublicKey(std::move(owned), Sha256Hex(der));
}

absl::StatusOr<PublicKey> PublicKey::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, ReadFile(path));
  return FromPem(pem, path);
}

std::string PublicKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), Raw(pkey_));
  return BioContents(bio.get());
}

absl::Status PublicKey::Verify(std::string_view data, std::string_view der_signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  int rc = EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, Raw(pkey_));
  if (rc == 1) {
    rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()),
                          der_signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size());
  }
  ERR_clear_error();
  if (rc != 1) {
    return absl::UnauthenticatedError("signature does not verify with key " + key_id_);
  }
  return absl::OkStatus();
}

namespace {

std::string PublicPem(EVP_PKEY* pkey) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), pkey);
  return BioContents(bio.get());
}

// Wraps a private key, deriving its public half through the SubjectPublicKeyInfo PEM.
absl::StatusOr<PrivateKey> FromOwned(EVP_PKEY* pkey, std::string_view what,
                                     PrivateKey (*make)(std::shared_ptr<void>, PublicKey)) {
  std::shared_ptr<void> owned = Own(pkey);
  RETURN_IF_ERROR(CheckP256(pkey, what));
  ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromPem(PublicPem(pkey), what));
  return make(std::move(owned), std::move(pub));
}

}  // namespace

PrivateKey PrivateKey::Make(std::shared_ptr<void> pkey, PublicKey pub) {
  return PrivateKey(std::move(pkey), std::move(pub));
}

absl::StatusOr<PrivateKey> PrivateKey::Generate() {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  if (pkey == nullptr) return absl::InternalError("generating a P-256 key: " + OpenSslError());
  return FromOwned(pkey, "generated key", &PrivateKey::Make);
}

absl::StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem, std::string_view what) {
  BioPtr bio = MemBio(pem);
  // An empty passphrase callback result makes encrypted keys fail instead of prompting.
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
  if (pkey == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        std::string(what) + ": not an unencrypted PEM private key (want \"BEGIN PRIVATE KEY\")");
  }
  return FromOwned(pkey, what, &PrivateKey::Make);
}

absl::StatusOr<PrivateKey> PrivateKey::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, ReadFile(path));
  return FromPem(pem, path);
}

std::string PrivateKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  // OpenSSL 3 writes PKCS#8 PrivateKeyInfo here.
  PEM_write_bio_PrivateKey(bio.get(), Raw(pkey_), nullptr, nullptr, 0, nullptr, nullptr);
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKey::Sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, Raw(pkey_)) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    return absl::InternalError("signing: " + OpenSslError());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    return absl::InternalError("signing: " + OpenSslError());
  }
  sig.resize(len);
  return sig;
}

absl::Status PrivateKey::WritePair(const std::string& prefix) const {
  RETURN_IF_ERROR(WriteNewFile(prefix + ".key", Pem(), 0600));
  return WriteFileAtomic(prefix + ".pub", public_.Pem());
}

}  // namespace ferry::package
