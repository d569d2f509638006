#include "package/trust/provenance.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "package/trust/attached.h"
#include "package/trust/dsse.h"

namespace ferry::package {
namespace {

void StringMap(JsonWriter& w, const std::map<std::string, std::string>& m) {
  w.BeginObject();
  for (const auto& [k, v] : m) w.Field(k, v);
  w.EndObject();
}

void Dependencies(JsonWriter& w, const ProvenanceSource& src) {
  w.Key("resolvedDependencies").BeginArray();
  for (const auto& d : src.datasets) {
    w.BeginObject().Field("uri", d.uri).Key("digest").BeginObject();
    if (d.digest.rfind("sha256:", 0) == 0) {
      w.Field("sha256", d.digest.substr(7));
    } else {
      w.Field("sha256", d.digest);
    }
    w.EndObject().EndObject();
  }
  if (!src.code_commit.empty()) {
    std::string uri = src.code_uri.empty() ? "git" : src.code_uri;
    w.BeginObject().Field("uri", uri + "@" + src.code_commit);
    w.Key("digest").BeginObject().Field("gitCommit", src.code_commit).EndObject();
    w.EndObject();
  }
  w.EndArray();
}

absl::Status StatementError(const std::string& field, const std::string& msg) {
  return absl::InvalidArgumentError("provenance statement: " + field + ": " + msg);
}

}  // namespace

ProvenanceSource ProvenanceFromConfig(const PackageConfig& c) {
  ProvenanceSource src;
  src.name = c.descriptor.name;
  src.version = c.descriptor.version;
  src.run_id = c.ferry.source_run_id;
  src.code_commit = c.ferry.code_commit.empty() ? c.descriptor.revision : c.ferry.code_commit;
  if (!c.descriptor.source_url.empty()) src.code_uri = "git+" + c.descriptor.source_url;
  if (c.ferry.trainer) {
    src.hyperparameters = c.ferry.trainer->parameters;
    for (const DataInput& d : c.ferry.trainer->data) {
      src.datasets.push_back({d.uri.empty() ? d.name : d.uri, d.digest});
    }
  }
  if (!c.ferry.ferry_version.empty()) src.internal["ferryVersion"] = c.ferry.ferry_version;
  if (c.ferry.predictor) {
    src.internal["predictor"] = c.ferry.predictor->kind + ":" + c.ferry.predictor->family;
  }
  if (!c.config.format.empty()) src.internal["format"] = c.config.format;
  src.finished_on = c.descriptor.created_at;
  return src;
}

std::string BuildStatement(const ProvenanceSource& src, std::string_view subject_name,
                           std::string_view manifest_digest) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("_type", kInTotoStatementV1);
  w.Key("subject").BeginArray().BeginObject().Field("name", subject_name);
  std::string_view hex = manifest_digest.substr(manifest_digest.find(':') + 1);
  w.Key("digest").BeginObject().Field("sha256", hex).EndObject();
  w.EndObject().EndArray();
  w.Field("predicateType", kSlsaProvenanceV1);
  w.Key("predicate").BeginObject();
  w.Key("buildDefinition").BeginObject().Field("buildType", kFerryBuildType);
  w.Key("externalParameters").BeginObject().Field("name", src.name).Field("version", src.version);
  w.Key("hyperparameters");
  StringMap(w, src.hyperparameters);
  w.EndObject();
  w.Key("internalParameters");
  StringMap(w, src.internal);
  Dependencies(w, src);
  w.EndObject();
  w.Key("runDetails").BeginObject();
  w.Key("builder").BeginObject().Field("id", src.builder_id).EndObject();
  w.Key("metadata").BeginObject().Field("invocationId", src.run_id);
  if (!src.started_on.empty()) w.Field("startedOn", src.started_on);
  if (!src.finished_on.empty()) w.Field("finishedOn", src.finished_on);
  w.EndObject().EndObject();
  w.EndObject().EndObject();
  return out;
}

absl::StatusOr<ParsedStatement> ParseStatement(std::string_view json) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return StatementError("(document)", "not JSON");
  if (!doc->is_object()) return StatementError("(document)", "want an object");
  const JsonValue* type = doc->Find("_type");
  if (type == nullptr || !type->is_string() || type->as_string() != kInTotoStatementV1) {
    return StatementError("_type", std::string("want \"") + kInTotoStatementV1 + "\"");
  }
  ParsedStatement st;
  const JsonValue* pt = doc->Find("predicateType");
  if (pt == nullptr || !pt->is_string()) return StatementError("predicateType", "want a string");
  st.predicate_type = pt->as_string();
  const JsonValue* subjects = doc->Find("subject");
  if (subjects == nullptr || !subjects->is_array() || subjects->items().empty()) {
    return StatementError("subject", "want a non-empty array");
  }
  for (size_t i = 0; i < subjects->items().size(); ++i) {
    const JsonValue& s = subjects->items()[i];
    std::string field = "subject[" + std::to_string(i) + "]";
    const JsonValue* name = s.Find("name");
    const JsonValue* digest = s.Find("digest");
    const JsonValue* sha = digest == nullptr ? nullptr : digest->Find("sha256");
    if (name == nullptr || !name->is_string()) return StatementError(field + ".name", "missing");
    if (sha == nullptr || !sha->is_string()) {
      return StatementError(field + ".digest.sha256", "missing");
    }
    st.subjects.push_back(StatementSubject{name->as_string(), sha->as_string()});
  }
  if (const JsonValue* pred = doc->Find("predicate")) {
    const JsonValue* rd = pred->Find("runDetails");
    const JsonValue* md = rd == nullptr ? nullptr : rd->Find("metadata");
    const JsonValue* inv = md == nullptr ? nullptr : md->Find("invocationId");
    if (inv != nullptr && inv->is_string()) st.invocation_id = inv->as_string();
  }
  return st;
}

absl::StatusOr<Descriptor> AttestManifest(OciLayout& layout, const Descriptor& target,
                                          std::string_view statement, const PrivateKey& key) {
  RETURN_IF_ERROR(ValidateDigest(target.digest, "manifest digest"));
  ASSIGN_OR_RETURN(auto parsed, ParseStatement(statement));
  ASSIGN_OR_RETURN(std::string envelope, SignEnvelope(kInTotoPayloadType, statement, key));
  return AddSingleLayerManifest(layout, envelope, kDsseEnvelope,
                                {{kAnnotationPredicateType, parsed.predicate_type}},
                                CosignTag(target.digest, ".att"));
}

}  // namespace ferry::package
