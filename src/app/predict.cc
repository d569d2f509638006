// `ferry predict`: one request from stdin, one answer on stdout, then exit (the serverless
// channel of seed 002). Same decoding, checks and encoding as the server's endpoints.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>

#include "app/deploy/load_trust.h"
#include "app/deploy/version_resolver.h"
#include "app/families.h"
#include "app/serve.h"
#include "common/json.h"
#include "http/handlers/inference/invocations_codec.h"
#include "http/handlers/inference/oip_codec.h"
#include "loader/package_loader.h"
#include "runtime/family.h"
#include "serving/serving_service.h"

namespace ferry::app {
namespace {

// An OIP body has "inputs" as a list of objects with a "datatype".
bool LooksLikeOip(const std::string& body) {
  auto doc = ParseJson(body);
  if (!doc.ok() || !doc->is_object()) return false;
  const JsonValue* inputs = doc->Find("inputs");
  if (inputs == nullptr || !inputs->is_array() || inputs->items().empty()) return false;
  const JsonValue& first = inputs->items()[0];
  return first.is_object() && first.Find("datatype") != nullptr;
}

absl::StatusOr<std::vector<Tensor>> RunModel(const runtime::Predictor& predictor,
                                             std::vector<Tensor> inputs,
                                             const std::vector<std::string>& requested) {
  const ModelSchema& schema = predictor.schema();
  RETURN_IF_ERROR(CheckInputs(schema, inputs));
  ASSIGN_OR_RETURN(std::vector<size_t> wanted, serving::OutputIndices(schema, requested));
  std::vector<Tensor> outputs;
  RETURN_IF_ERROR(predictor.Predict(serving::InSchemaOrder(schema, std::move(inputs)), outputs));
  if (outputs.size() != schema.outputs.size()) {
    return absl::InternalError("the model returned " + std::to_string(outputs.size()) +
                               " outputs, its schema declares " +
                               std::to_string(schema.outputs.size()));
  }
  std::vector<Tensor> picked;
  for (size_t i : wanted) picked.push_back(outputs[i]);  // an output may be asked for twice
  return picked;
}

absl::StatusOr<std::string> Answer(const runtime::Predictor& predictor,
                                   const serving::VersionRef& ref, const std::string& body,
                                   bool csv) {
  if (!csv && LooksLikeOip(body)) {
    ASSIGN_OR_RETURN(http::OipRequest request, http::DecodeOipRequest(body, std::nullopt));
    ASSIGN_OR_RETURN(std::vector<Tensor> outputs,
                     RunModel(predictor, std::move(request.inputs), request.OutputNames()));
    request.binary_data_output = false;  // stdout gets JSON only
    for (auto& o : request.outputs) o.binary = false;
    return http::EncodeOipResponse(ref.name, ref.version, request.id, outputs, request).body;
  }
  http::ScoringParams params;  // "params": {"predict_method": ...}, as on /invocations
  ASSIGN_OR_RETURN(std::vector<Tensor> inputs,
                   csv ? http::DecodeInvocationsCsv(body, predictor.schema())
                       : http::DecodeInvocationsJson(body, predictor.schema(), &params));
  ASSIGN_OR_RETURN(std::vector<Tensor> outputs, RunModel(predictor, std::move(inputs), {}));
  ASSIGN_OR_RETURN(outputs, http::SelectScoringOutputs(std::move(outputs), params));
  return http::EncodePredictions(outputs);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "ferry predict: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int PredictCommand(const cli::PredictConfig& config) {
  auto ref = ResolveVersion(config.model, config.tracking_uri, config.cache_dir);
  if (!ref.ok()) return Fail(ref.status());
  runtime::FamilyRegistry families;
  RegisterFamilies(families);
  InstallPythonBackend(config.python);
  auto trust = LoadTrust::Create(config.trust_policy, config.allow_unsigned_pickle);
  if (!trust.ok()) return Fail(trust.status());
  auto predictor = PackageLoader(families, trust->options())(*ref);
  if (!predictor.ok()) return Fail(predictor.status());
  std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto answer = Answer(*predictor->predictor, *ref, body, config.csv);
  if (!answer.ok()) return Fail(answer.status());
  std::fwrite(answer->data(), 1, answer->size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

}  // namespace ferry::app
