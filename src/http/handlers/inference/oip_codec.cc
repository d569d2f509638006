#include "http/handlers/inference/oip_codec.h"

#include <charconv>
#include <string>

#include "common/json.h"
#include "common/json_writer.h"
#include "http/handlers/inference/tensor_data.h"

namespace ferry::http {
namespace {

constexpr size_t kMaxDims = 32;

absl::Status Invalid(std::string message) { return absl::InvalidArgumentError(message); }

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// Reads an optional integer parameter >= 0; -1 when absent.
absl::StatusOr<int64_t> NonNegativeParam(const JsonValue* params, std::string_view key,
                                         std::string_view where) {
  const JsonValue* v = params ? params->Find(key) : nullptr;
  if (v == nullptr) return -1;
  if (!v->is_integer() || v->as_int() < 0 ||
      (v->type() == JsonValue::Type::kUint && v->as_uint() > INT64_MAX)) {
    return Invalid(std::string(where) + ": parameter \"" + std::string(key) +
                   "\" must be a non-negative integer");
  }
  return v->as_int();
}

absl::StatusOr<std::optional<bool>> BoolParam(const JsonValue* params, std::string_view key,
                                              std::string_view where) {
  const JsonValue* v = params ? params->Find(key) : nullptr;
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) {
    return Invalid(std::string(where) + ": parameter \"" + std::string(key) +
                   "\" must be true or false");
  }
  return std::optional<bool>(v->as_bool());
}

absl::StatusOr<const JsonValue*> Parameters(const JsonValue& obj, std::string_view where) {
  const JsonValue* p = obj.Find("parameters");
  if (p == nullptr || p->is_null()) return nullptr;
  if (!p->is_object()) return Invalid(std::string(where) + ": \"parameters\" must be an object");
  return p;
}

absl::StatusOr<std::string> RequiredString(const JsonValue& obj, std::string_view key,
                                           std::string_view where) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return Invalid(std::string(where) + ": missing \"" + std::string(key) + "\"");
  if (!v->is_string()) {
    return Invalid(std::string(where) + ": \"" + std::string(key) + "\" must be a string");
  }
  return v->as_string();
}

absl::StatusOr<std::vector<int64_t>> ReadShape(const JsonValue& input, std::string_view where) {
  const JsonValue* v = input.Find("shape");
  if (v == nullptr) return Invalid(std::string(where) + ": missing \"shape\"");
  if (!v->is_array() || v->items().size() > kMaxDims) {
    return Invalid(std::string(where) + ": \"shape\" must be a list of at most " +
                   std::to_string(kMaxDims) + " integers");
  }
  std::vector<int64_t> shape;
  shape.reserve(v->items().size());
  for (const JsonValue& d : v->items()) {
    if (d.type() != JsonValue::Type::kInt || d.as_int() < 0) {
      return Invalid(std::string(where) + ": \"shape\" must hold non-negative integers");
    }
    shape.push_back(d.as_int());
  }
  return shape;
}

// Decodes one element of `inputs`. Binary data is taken from the front of `*binary`.
absl::StatusOr<Tensor> DecodeInput(const JsonValue& input, size_t index, std::string_view* binary,
                                   bool has_binary) {
  std::string where = "inputs[" + std::to_string(index) + "]";
  if (!input.is_object()) return Invalid(where + " must be an object");
  Tensor t;
  ASSIGN_OR_RETURN(t.name, RequiredString(input, "name", where));
  where = "input " + Quoted(t.name);
  ASSIGN_OR_RETURN(std::string datatype, RequiredString(input, "datatype", where));
  std::optional<DataType> dt = ParseDataType(datatype);
  if (!dt) return Invalid(where + ": unknown datatype " + Quoted(datatype));
  t.datatype = *dt;
  ASSIGN_OR_RETURN(t.shape, ReadShape(input, where));
  RETURN_IF_ERROR(ShapeElementCount(t.shape).status());
  ASSIGN_OR_RETURN(const JsonValue* params, Parameters(input, where));
  ASSIGN_OR_RETURN(int64_t binary_size, NonNegativeParam(params, "binary_data_size", where));
  const JsonValue* data = input.Find("data");
  if (binary_size < 0) {
    if (data == nullptr) return Invalid(where + ": missing \"data\"");
    RETURN_IF_ERROR(TensorFromJson(*data, t));
    return t;
  }
  if (data != nullptr) {
    return Invalid(where + ": has both \"data\" and parameters.binary_data_size");
  }
  if (!has_binary) {
    return Invalid(where +
                   ": binary_data_size given without an Inference-Header-Content-Length "
                   "header");
  }
  if (static_cast<uint64_t>(binary_size) > binary->size()) {
    return Invalid(where + ": binary_data_size " + std::to_string(binary_size) + " exceeds the " +
                   std::to_string(binary->size()) + " bytes of binary data left in the body");
  }
  RETURN_IF_ERROR(TensorFromBinary(binary->substr(0, binary_size), t));
  binary->remove_prefix(binary_size);
  return t;
}

absl::StatusOr<std::vector<OipRequestedOutput>> DecodeOutputs(const JsonValue* outputs) {
  std::vector<OipRequestedOutput> result;
  if (outputs == nullptr || outputs->is_null()) return result;
  if (!outputs->is_array()) return Invalid("\"outputs\" must be a list");
  for (size_t i = 0; i < outputs->items().size(); ++i) {
    const JsonValue& o = outputs->items()[i];
    std::string where = "outputs[" + std::to_string(i) + "]";
    if (!o.is_object()) return Invalid(where + " must be an object");
    OipRequestedOutput out;
    ASSIGN_OR_RETURN(out.name, RequiredString(o, "name", where));
    ASSIGN_OR_RETURN(const JsonValue* params, Parameters(o, where));
    ASSIGN_OR_RETURN(out.binary, BoolParam(params, "binary_data", where));
    result.push_back(std::move(out));
  }
  return result;
}

absl::Status DecodeTop(const JsonValue& root, OipRequest& r) {
  if (!root.is_object()) return Invalid("the request body must be a JSON object");
  if (const JsonValue* id = root.Find("id"); id != nullptr && !id->is_null()) {
    if (!id->is_string()) return Invalid("\"id\" must be a string");
    r.id = id->as_string();
  }
  ASSIGN_OR_RETURN(const JsonValue* params, Parameters(root, "request"));
  ASSIGN_OR_RETURN(std::optional<bool> bdo, BoolParam(params, "binary_data_output", "request"));
  r.binary_data_output = bdo.value_or(false);
  ASSIGN_OR_RETURN(int64_t timeout, NonNegativeParam(params, "timeout", "request"));
  r.timeout_us = timeout < 0 ? 0 : timeout;
  ASSIGN_OR_RETURN(r.outputs, DecodeOutputs(root.Find("outputs")));
  return absl::OkStatus();
}

}  // namespace

bool OipRequest::WantsBinary(std::string_view name) const {
  for (const OipRequestedOutput& o : outputs) {
    if (o.name == name && o.binary) return *o.binary;
  }
  return binary_data_output;
}

std::vector<std::string> OipRequest::OutputNames() const {
  std::vector<std::string> names;
  names.reserve(outputs.size());
  for (const OipRequestedOutput& o : outputs) names.push_back(o.name);
  return names;
}

absl::StatusOr<uint64_t> ParseJsonLength(std::string_view header) {
  uint64_t n = 0;
  auto r = std::from_chars(header.data(), header.data() + header.size(), n);
  if (header.empty() || r.ec != std::errc() || r.ptr != header.data() + header.size()) {
    return Invalid("Inference-Header-Content-Length must be a decimal byte count");
  }
  return n;
}

absl::StatusOr<OipRequest> DecodeOipRequest(std::string_view body,
                                            std::optional<uint64_t> json_length) {
  std::string_view json = body;
  std::string_view binary;
  if (json_length) {
    if (*json_length > body.size()) {
      return Invalid("Inference-Header-Content-Length " + std::to_string(*json_length) +
                     " exceeds the body length " + std::to_string(body.size()));
    }
    json = body.substr(0, *json_length);
    binary = body.substr(*json_length);
  }
  ASSIGN_OR_RETURN(JsonValue root, ParseJson(json));
  OipRequest r;
  RETURN_IF_ERROR(DecodeTop(root, r));
  const JsonValue* inputs = root.Find("inputs");
  if (inputs == nullptr) return Invalid("missing \"inputs\"");
  if (!inputs->is_array()) return Invalid("\"inputs\" must be a list");
  r.inputs.reserve(inputs->items().size());
  for (size_t i = 0; i < inputs->items().size(); ++i) {
    ASSIGN_OR_RETURN(Tensor t,
                     DecodeInput(inputs->items()[i], i, &binary, json_length.has_value()));
    r.inputs.push_back(std::move(t));
  }
  if (!binary.empty()) {
    return Invalid(std::to_string(binary.size()) +
                   " bytes of binary data follow the JSON but no input claims them");
  }
  return r;
}

namespace {

void AppendShape(const std::vector<int64_t>& shape, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out->push_back(',');
    out->append(std::to_string(shape[i]));
  }
  out->push_back(']');
}

}  // namespace

OipEncoded EncodeOipResponse(std::string_view model_name, std::string_view model_version,
                             std::string_view id, const std::vector<Tensor>& outputs,
                             const OipRequest& request) {
  OipEncoded enc;
  std::string& out = enc.body;
  out.reserve(128 + outputs.size() * 64);
  std::string binary;
  out.append("{\"model_name\":");
  AppendJsonString(&out, model_name);
  if (!model_version.empty()) {
    out.append(",\"model_version\":");
    AppendJsonString(&out, model_version);
  }
  if (!id.empty()) {
    out.append(",\"id\":");
    AppendJsonString(&out, id);
  }
  out.append(",\"outputs\":[");
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& t = outputs[i];
    if (i) out.push_back(',');
    out.append("{\"name\":");
    AppendJsonString(&out, t.name);
    out.append(",\"datatype\":\"").append(DataTypeName(t.datatype)).append("\",\"shape\":");
    AppendShape(t.shape, &out);
    if (request.WantsBinary(t.name)) {
      size_t n = AppendBinaryData(t, &binary);
      out.append(",\"parameters\":{\"binary_data_size\":").append(std::to_string(n)).append("}}");
    } else {
      out.append(",\"data\":");
      AppendJsonData(t, &out);
      out.push_back('}');
    }
  }
  out.append("]}");
  bool any_binary = false;
  for (const Tensor& t : outputs) any_binary = any_binary || request.WantsBinary(t.name);
  if (any_binary) {
    enc.json_length = out.size();
    out.append(binary);
  }
  return enc;
}

std::string OipErrorBody(std::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(&out, message);
  out.push_back('}');
  return out;
}

namespace {
void WriteSpec(JsonWriter& w, const TensorSpec& spec) {
  w.BeginObject().Field("name", spec.name).Field("datatype", DataTypeName(spec.datatype));
  w.Key("shape").BeginArray();
  for (int64_t d : spec.shape) w.Int(d < 0 ? -1 : d);
  w.EndArray().EndObject();
}
}  // namespace

std::string EncodeModelMetadata(std::string_view name, const std::vector<std::string>& versions,
                                std::string_view platform, const ModelSchema& schema,
                                std::string_view backend_reason) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("name", name).Key("versions").BeginArray();
  for (const std::string& v : versions) w.String(v);
  w.EndArray().Field("platform", platform).Key("inputs").BeginArray();
  for (const TensorSpec& s : schema.inputs) WriteSpec(w, s);
  w.EndArray().Key("outputs").BeginArray();
  for (const TensorSpec& s : schema.outputs) WriteSpec(w, s);
  w.EndArray();
  if (!backend_reason.empty()) w.Field("ferry_backend_reason", backend_reason);
  w.EndObject();
  return out;
}

}  // namespace ferry::http
