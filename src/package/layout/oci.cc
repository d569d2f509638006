#include "package/layout/oci.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/sha256.h"
#include "package/layout/json_fields.h"

namespace ferry::package {

namespace {

constexpr std::string_view kSha256Prefix = "sha256:";

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

void WriteStringMap(JsonWriter& w, std::string_view key,
                    const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  w.Key(key).BeginObject();
  for (const auto& [k, v] : m) w.Field(k, v);
  w.EndObject();
}

void WriteDescriptor(JsonWriter& w, const Descriptor& d) {
  w.BeginObject();
  w.Field("mediaType", d.media_type);
  w.Field("digest", d.digest);
  w.Field("size", d.size);
  if (!d.artifact_type.empty()) w.Field("artifactType", d.artifact_type);
  WriteStringMap(w, "annotations", d.annotations);
  w.EndObject();
}

absl::StatusOr<Descriptor> ParseDescriptor(const JsonValue& v, const std::string& path) {
  RETURN_IF_ERROR(internal::CheckObject(v, path));
  Descriptor d;
  ASSIGN_OR_RETURN(d.media_type, internal::RequiredString(v, "mediaType", path));
  if (d.media_type.empty())
    return internal::FieldError(internal::FieldPath(path, "mediaType"), "must not be empty");
  ASSIGN_OR_RETURN(d.digest, internal::RequiredString(v, "digest", path));
  RETURN_IF_ERROR(ValidateDigest(d.digest, internal::FieldPath(path, "digest")));
  ASSIGN_OR_RETURN(d.size, internal::RequiredNonNegativeInt(v, "size", path));
  ASSIGN_OR_RETURN(auto artifact_type, internal::OptionalString(v, "artifactType", path));
  d.artifact_type = artifact_type.value_or("");
  ASSIGN_OR_RETURN(d.annotations, internal::OptionalStringMap(v, "annotations", path));
  return d;
}

absl::StatusOr<std::vector<Descriptor>> ParseDescriptorArray(const JsonValue& obj,
                                                             std::string_view key) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return internal::FieldError(key, "required field is missing");
  if (!v->is_array())
    return internal::FieldError(key, std::string("expected an array, got ") + v->TypeName());
  std::vector<Descriptor> out;
  out.reserve(v->items().size());
  for (size_t i = 0; i < v->items().size(); ++i) {
    ASSIGN_OR_RETURN(Descriptor d, ParseDescriptor(v->items()[i], internal::IndexPath(key, i)));
    out.push_back(std::move(d));
  }
  return out;
}

// Parses the document and checks schemaVersion and mediaType, common to manifests and
// indexes.
absl::StatusOr<JsonValue> ParseTopLevel(std::string_view bytes, std::string_view what,
                                        std::string_view media_type) {
  auto doc = ParseJson(bytes);
  if (!doc.ok()) return internal::FieldError(what, StatusMessage(doc.status()));
  RETURN_IF_ERROR(internal::CheckObject(*doc, what));
  const JsonValue* version = doc->Find("schemaVersion");
  if (version == nullptr) return internal::FieldError("schemaVersion", "required field is missing");
  if (!version->is_integer() || version->as_int() != 2) {
    return internal::FieldError("schemaVersion", "expected 2");
  }
  ASSIGN_OR_RETURN(std::string mt, internal::RequiredString(*doc, "mediaType", ""));
  if (mt != media_type) {
    return internal::FieldError("mediaType",
                                "expected \"" + std::string(media_type) + "\", got \"" + mt + "\"");
  }
  return doc;
}

}  // namespace

absl::Status ValidateDigest(std::string_view digest, std::string_view what) {
  bool ok = digest.size() == kSha256Prefix.size() + 64 &&
            digest.substr(0, kSha256Prefix.size()) == kSha256Prefix;
  for (size_t i = kSha256Prefix.size(); ok && i < digest.size(); ++i) ok = IsLowerHex(digest[i]);
  if (ok) return absl::OkStatus();
  std::string shown(digest.substr(0, 80));
  if (digest.size() > 80) shown += "...";
  return internal::FieldError(
      what, "expected \"sha256:\" followed by 64 lowercase hex digits, got \"" + shown + "\"");
}

std::string DigestHex(std::string_view digest) {
  return std::string(digest.substr(kSha256Prefix.size()));
}

std::string CosignTag(std::string_view digest, std::string_view suffix) {
  std::string tag(digest);
  size_t colon = tag.find(':');
  if (colon != std::string::npos) tag[colon] = '-';
  return tag + std::string(suffix);
}

std::string Descriptor::Annotation(const std::string& key) const {
  auto it = annotations.find(key);
  return it == annotations.end() ? std::string() : it->second;
}

Descriptor SerializeManifest(Manifest& m) {
  m.raw.clear();
  JsonWriter w(&m.raw);
  w.BeginObject();
  w.Field("schemaVersion", int64_t{2});
  w.Field("mediaType", m.media_type);
  if (!m.artifact_type.empty()) w.Field("artifactType", m.artifact_type);
  w.Key("config");
  WriteDescriptor(w, m.config);
  w.Key("layers").BeginArray();
  for (const Descriptor& layer : m.layers) WriteDescriptor(w, layer);
  w.EndArray();
  if (m.subject.has_value()) {
    w.Key("subject");
    WriteDescriptor(w, *m.subject);
  }
  WriteStringMap(w, "annotations", m.annotations);
  w.EndObject();
  Descriptor d;
  d.media_type = m.media_type;
  d.digest = "sha256:" + Sha256Hex(m.raw);
  d.size = static_cast<int64_t>(m.raw.size());
  d.artifact_type = m.artifact_type;
  return d;
}

absl::StatusOr<Manifest> ParseManifest(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseTopLevel(bytes, "manifest", kOciManifest));
  Manifest m;
  ASSIGN_OR_RETURN(auto artifact_type, internal::OptionalString(doc, "artifactType", ""));
  m.artifact_type = artifact_type.value_or("");
  const JsonValue* config = doc.Find("config");
  if (config == nullptr) return internal::FieldError("config", "required field is missing");
  ASSIGN_OR_RETURN(m.config, ParseDescriptor(*config, "config"));
  ASSIGN_OR_RETURN(m.layers, ParseDescriptorArray(doc, "layers"));
  if (const JsonValue* subject = doc.Find("subject"); subject != nullptr) {
    ASSIGN_OR_RETURN(m.subject, ParseDescriptor(*subject, "subject"));
  }
  ASSIGN_OR_RETURN(m.annotations, internal::OptionalStringMap(doc, "annotations", ""));
  m.raw = std::string(bytes);
  return m;
}

std::string SerializeIndex(const ImageIndex& index) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("schemaVersion", int64_t{2});
  w.Field("mediaType", kOciIndex);
  w.Key("manifests").BeginArray();
  for (const Descriptor& d : index.manifests) WriteDescriptor(w, d);
  w.EndArray();
  w.EndObject();
  return out;
}

absl::StatusOr<ImageIndex> ParseIndex(std::string_view bytes) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseTopLevel(bytes, "index", kOciIndex));
  ImageIndex index;
  ASSIGN_OR_RETURN(index.manifests, ParseDescriptorArray(doc, "manifests"));
  return index;
}

}  // namespace ferry::package
