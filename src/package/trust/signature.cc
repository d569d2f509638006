#include "package/trust/signature.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "package/trust/attached.h"

namespace ferry::package {
namespace {

absl::Status PayloadError(std::string_view field, std::string_view msg) {
  return absl::InvalidArgumentError("signature payload: " + std::string(field) + ": " +
                                    std::string(msg));
}

// The string at a dotted path of objects, or an error naming the path.
absl::StatusOr<std::string> StringAt(const JsonValue& root,
                                     std::initializer_list<std::string_view> path) {
  const JsonValue* v = &root;
  std::string field;
  for (std::string_view key : path) {
    field += (field.empty() ? "" : ".") + std::string(key);
    v = v->Find(key);
    if (v == nullptr) return PayloadError(field, "missing");
  }
  if (!v->is_string()) return PayloadError(field, "want a string");
  return v->as_string();
}

}  // namespace

std::string SimpleSigningPayload(std::string_view docker_reference,
                                 std::string_view manifest_digest) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("critical").BeginObject();
  w.Key("identity").BeginObject().Field("docker-reference", docker_reference).EndObject();
  w.Key("image").BeginObject().Field("docker-manifest-digest", manifest_digest).EndObject();
  w.Field("type", kCosignSignatureType);
  w.EndObject().Key("optional").Null().EndObject();
  return out;
}

absl::StatusOr<SimpleSigning> ParseSimpleSigning(std::string_view payload) {
  auto doc = ParseJson(payload);
  if (!doc.ok()) return PayloadError("(document)", "not JSON");
  if (!doc->is_object()) return PayloadError("(document)", "want an object");
  ASSIGN_OR_RETURN(std::string type, StringAt(*doc, {"critical", "type"}));
  if (type != kCosignSignatureType) {
    return PayloadError("critical.type", "want \"" + std::string(kCosignSignatureType) + "\"");
  }
  SimpleSigning s;
  ASSIGN_OR_RETURN(s.docker_reference,
                   StringAt(*doc, {"critical", "identity", "docker-reference"}));
  ASSIGN_OR_RETURN(s.manifest_digest,
                   StringAt(*doc, {"critical", "image", "docker-manifest-digest"}));
  RETURN_IF_ERROR(ValidateDigest(s.manifest_digest, "signature payload manifest digest"));
  return s;
}

absl::StatusOr<Descriptor> SignManifest(OciLayout& layout, const Descriptor& target,
                                        std::string_view docker_reference, const PrivateKey& key) {
  RETURN_IF_ERROR(ValidateDigest(target.digest, "manifest digest"));
  std::string payload = SimpleSigningPayload(docker_reference, target.digest);
  ASSIGN_OR_RETURN(std::string sig, key.Sign(payload));
  return AddSingleLayerManifest(layout, payload, kCosignSimpleSigning,
                                {{kAnnotationCosignSignature, Base64Encode(sig)}},
                                CosignTag(target.digest, ".sig"));
}

absl::StatusOr<std::vector<SignatureLayer>> ReadSignatures(LayoutReader& reader,
                                                           std::string_view target_digest) {
  std::string tag = CosignTag(target_digest, ".sig");
  auto d = FindTagged(reader, tag);
  if (absl::IsNotFound(d.status())) {
    return absl::NotFoundError("no signature: the package has no " + tag + " manifest");
  }
  if (!d.ok()) return d.status();
  ASSIGN_OR_RETURN(Manifest m, ReadManifestOf(reader, *d, "signature"));
  std::vector<SignatureLayer> out;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const Descriptor& layer = m.layers[i];
    std::string what = "signature layer " + std::to_string(i);
    if (layer.media_type != kCosignSimpleSigning) {
      return absl::InvalidArgumentError(what + ": media type " + layer.media_type + ", want " +
                                        kCosignSimpleSigning);
    }
    std::string b64 = layer.Annotation(kAnnotationCosignSignature);
    if (b64.empty()) {
      return absl::InvalidArgumentError(what + ": no " + std::string(kAnnotationCosignSignature) +
                                        " annotation");
    }
    auto der = Base64Decode(b64);
    if (!der) return absl::InvalidArgumentError(what + ": signature annotation is not base64");
    RETURN_IF_ERROR(reader.CheckBlob(layer));
    ASSIGN_OR_RETURN(std::string payload, reader.ReadBlob(layer.digest, kMaxMetadataBlob));
    ASSIGN_OR_RETURN(SimpleSigning parsed, ParseSimpleSigning(payload));
    out.push_back(SignatureLayer{std::move(payload), std::move(*der), std::move(parsed)});
  }
  if (out.empty()) return absl::InvalidArgumentError("signature manifest has no layers");
  return out;
}

absl::Status VerifySignatureLayer(const SignatureLayer& layer, std::string_view target_digest,
                                  const PublicKey& key) {
  RETURN_IF_ERROR(key.Verify(layer.payload, layer.signature));
  if (layer.parsed.manifest_digest != target_digest) {
    return absl::FailedPreconditionError("signature is for manifest " +
                                         layer.parsed.manifest_digest + ", not " +
                                         std::string(target_digest));
  }
  return absl::OkStatus();
}

}  // namespace ferry::package
