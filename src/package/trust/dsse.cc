#include "package/trust/dsse.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::package {
namespace {

absl::Status EnvelopeError(const std::string& field, const std::string& msg) {
  return absl::InvalidArgumentError("DSSE envelope: " + field + ": " + msg);
}

absl::StatusOr<std::string> Base64Field(const JsonValue& obj, const std::string& key,
                                        const std::string& field) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return EnvelopeError(field, "missing");
  if (!v->is_string()) return EnvelopeError(field, "want a string");
  auto decoded = Base64Decode(v->as_string());
  if (!decoded) return EnvelopeError(field, "not base64");
  return *decoded;
}

}  // namespace

std::string Pae(std::string_view payload_type, std::string_view body) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(body.size());
  out += ' ';
  out += body;
  return out;
}

absl::StatusOr<std::string> SignEnvelope(std::string_view payload_type, std::string_view body,
                                         const PrivateKey& key) {
  ASSIGN_OR_RETURN(std::string sig, key.Sign(Pae(payload_type, body)));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("payloadType", payload_type).Field("payload", Base64Encode(body));
  w.Key("signatures").BeginArray().BeginObject();
  w.Field("keyid", key.Public().KeyId()).Field("sig", Base64Encode(sig));
  w.EndObject().EndArray().EndObject();
  return out;
}

absl::StatusOr<DsseEnvelope> ParseEnvelope(std::string_view json) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return EnvelopeError("(document)", "not JSON");
  if (!doc->is_object()) return EnvelopeError("(document)", "want an object");
  DsseEnvelope env;
  const JsonValue* type = doc->Find("payloadType");
  if (type == nullptr || !type->is_string()) return EnvelopeError("payloadType", "want a string");
  env.payload_type = type->as_string();
  ASSIGN_OR_RETURN(env.payload, Base64Field(*doc, "payload", "payload"));
  const JsonValue* sigs = doc->Find("signatures");
  if (sigs == nullptr || !sigs->is_array() || sigs->items().empty()) {
    return EnvelopeError("signatures", "want a non-empty array");
  }
  for (size_t i = 0; i < sigs->items().size(); ++i) {
    const JsonValue& s = sigs->items()[i];
    std::string field = "signatures[" + std::to_string(i) + "]";
    if (!s.is_object()) return EnvelopeError(field, "want an object");
    DsseSignature sig;
    if (const JsonValue* keyid = s.Find("keyid"); keyid != nullptr && keyid->is_string()) {
      sig.keyid = keyid->as_string();
    }
    ASSIGN_OR_RETURN(sig.sig, Base64Field(s, "sig", field + ".sig"));
    env.signatures.push_back(std::move(sig));
  }
  return env;
}

absl::Status VerifyEnvelope(const DsseEnvelope& envelope, const PublicKey& key) {
  std::string pae = Pae(envelope.payload_type, envelope.payload);
  for (const DsseSignature& s : envelope.signatures) {
    if (key.Verify(pae, s.sig).ok()) return absl::OkStatus();
  }
  return absl::UnauthenticatedError("attestation signature does not verify with key " +
                                    key.KeyId());
}

}  // namespace ferry::package
