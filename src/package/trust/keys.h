#pragma once
// ECDSA P-256 key pairs for package signatures, the scheme cosign uses for key-based
// signing: ECDSA over SHA-256 with ASN.1 DER signatures. Private keys are PKCS#8 PEM
// (written with mode 0600); public keys are SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC
// KEY-----"), the format of cosign.pub and of `openssl ec -pubout`, so openssl can verify
// what Ferry signs. The key id is the SHA-256 (hex) of the DER SubjectPublicKeyInfo.
//
// Keys are immutable after construction and safe to share between threads. OpenSSL types
// stay inside keys.cc.

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::package {

class PublicKey {
 public:
  // Parses a SubjectPublicKeyInfo PEM. kInvalidArgument if it is not PEM, not an EC key or
  // not on P-256; `what` names the source in messages (a path, "inline key 'lnu'").
  static absl::StatusOr<PublicKey> FromPem(std::string_view pem, std::string_view what);
  // Reads and parses a public key file. kNotFound if the file does not exist.
  static absl::StatusOr<PublicKey> Load(const std::string& path);

  // The SubjectPublicKeyInfo PEM.
  std::string Pem() const;
  // SHA-256 hex of the DER SubjectPublicKeyInfo (64 characters).
  const std::string& KeyId() const { return key_id_; }
  // OK if `der_signature` is a valid ECDSA-SHA256 signature of `data` by this key;
  // kUnauthenticated otherwise (also for a malformed signature).
  absl::Status Verify(std::string_view data, std::string_view der_signature) const;

 private:
  PublicKey(std::shared_ptr<void> pkey, std::string key_id)
      : pkey_(std::move(pkey)), key_id_(std::move(key_id)) {}
  std::shared_ptr<void> pkey_;  // EVP_PKEY*
  std::string key_id_;
};

class PrivateKey {
 public:
  // A fresh P-256 key pair from OpenSSL's default random source.
  static absl::StatusOr<PrivateKey> Generate();
  // Parses an unencrypted PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM. kInvalidArgument for
  // anything else, including encrypted keys.
  static absl::StatusOr<PrivateKey> FromPem(std::string_view pem, std::string_view what);
  static absl::StatusOr<PrivateKey> Load(const std::string& path);

  // The PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  std::string Pem() const;
  const PublicKey& Public() const { return public_; }
  // ECDSA-SHA256 signature of `data`, ASN.1 DER encoded.
  absl::StatusOr<std::string> Sign(std::string_view data) const;

  // Writes PREFIX.key (mode 0600, refusing to overwrite an existing file) and PREFIX.pub.
  absl::Status WritePair(const std::string& prefix) const;

 private:
  PrivateKey(std::shared_ptr<void> pkey, PublicKey pub)
      : pkey_(std::move(pkey)), public_(std::move(pub)) {}
  static PrivateKey Make(std::shared_ptr<void> pkey, PublicKey pub);
  std::shared_ptr<void> pkey_;  // EVP_PKEY*
  PublicKey public_;
};

}  // namespace ferry::package
