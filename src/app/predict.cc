// `ferry predict`: one request from stdin, one answer on stdout, then exit (the serverless
// channel of seed 002). Same decoding, checks and encoding as the server's endpoints.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "app/serve.h"
#include "app/version_resolver.h"
#include "cli/flags.h"
#include "common/json.h"
#include "http/handlers/inference/invocations_codec.h"
#include "http/handlers/inference/oip_codec.h"
#include "runtime/family.h"
#include "runtime/package_model.h"
#include "serving/serving_service.h"

namespace ferry::app {
namespace {

constexpr char kUsage[] = "ferry predict (PACKAGE | models:/NAME@ALIAS | models:/NAME/V) [flags]";
constexpr char kDescription[] =
    "Loads the model, reads one request from stdin and writes the answer to stdout.\n"
    "The request is an Open Inference Protocol v2 body ({\"inputs\": [{\"name\", \"shape\",\n"
    "\"datatype\", \"data\"}]}: the answer is an OIP response) or an MLflow /invocations\n"
    "body (dataframe_split, dataframe_records, instances or inputs; with --csv, CSV with a\n"
    "header: the answer is {\"predictions\": ...}). Exits 1 with the error on stderr.";

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
  ASSIGN_OR_RETURN(std::vector<Tensor> inputs,
                   csv ? http::DecodeInvocationsCsv(body, predictor.schema())
                       : http::DecodeInvocationsJson(body, predictor.schema()));
  ASSIGN_OR_RETURN(std::vector<Tensor> outputs, RunModel(predictor, std::move(inputs), {}));
  return http::EncodePredictions(outputs);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "ferry predict: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int PredictCommand(const std::vector<std::string>& args) {
  cli::FlagSet flags(kUsage, kDescription);
  flags.Bool("csv", "stdin is CSV with a header row (MLflow's text/csv)");
  const char* env_uri = std::getenv("MLFLOW_TRACKING_URI");
  flags.String("tracking-uri", env_uri && *env_uri ? env_uri : "http://127.0.0.1:5000",
               "registry for models:/ references (or MLFLOW_TRACKING_URI)");
  flags.String("cache-dir", DefaultPackageCache(), "where fetched packages are kept");
  if (absl::Status s = flags.Parse(args); !s.ok() || flags.positional().size() != 1) {
    if (flags.help_requested()) {
      std::printf("%s", flags.Help().c_str());
      return 0;
    }
    std::fprintf(stderr, "ferry predict: %s\n\n%s",
                 s.ok() ? "give one package or model reference" : std::string(s.message()).c_str(),
                 flags.Help().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::printf("%s", flags.Help().c_str());
    return 0;
  }
  auto ref =
      ResolveVersion(flags.positional()[0], flags.Get("tracking-uri"), flags.Get("cache-dir"));
  if (!ref.ok()) return Fail(ref.status());
  runtime::FamilyRegistry families;
  runtime::AddBuiltinFamilies(families);
  auto predictor = PackageLoader(families)(*ref);
  if (!predictor.ok()) return Fail(predictor.status());
  std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto answer = Answer(*predictor->predictor, *ref, body, flags.GetBool("csv"));
  if (!answer.ok()) return Fail(answer.status());
  std::fwrite(answer->data(), 1, answer->size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

}  // namespace ferry::app
