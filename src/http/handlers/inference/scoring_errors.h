#pragma once
// Errors of the MLflow scoring protocol, decided while decoding a request. MLflow answers
// every decoding error with HTTP 400 and one of two error codes: BAD_REQUEST when the body
// cannot be parsed or a value cannot be converted to its column's type, and
// INVALID_PARAMETER_VALUE when the parsed data does not fit the model's signature (a missing
// column, a tensor of the wrong shape). Both are kInvalidArgument here; the MLflow code
// travels with the Status as a payload. Also MLflow's spellings of types and shapes, for
// messages that read like MLflow's.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::http {

// kInvalidArgument; ScoringErrorCode() gives "BAD_REQUEST".
absl::Status BadRequest(std::string_view message);
// kInvalidArgument; ScoringErrorCode() gives "INVALID_PARAMETER_VALUE".
absl::Status InvalidParameter(std::string_view message);
// "INVALID_PARAMETER_VALUE" for a status made by InvalidParameter, "BAD_REQUEST" otherwise.
std::string_view ScoringErrorCode(const absl::Status& status);

// MLflow's name of a column type: "double", "float", "long", "integer", "boolean", "string".
std::string_view MlflowTypeName(DataType t);
// The numpy dtype pandas uses for it: "float64", "float32", "int64", "int32", "bool", "object".
std::string_view NumpyTypeName(DataType t);
// A shape as Python prints a tuple: "(1, 2)", "(3,)", "(-1, 3)".
std::string PythonShape(const std::vector<int64_t>& shape);
// A list of names as Python prints it: "['a', 'b']".
std::string PythonList(const std::vector<std::string>& names);
// The schema as MLflow prints it: "['a': double (required), 'b': string (optional)]" for
// columns, "[Tensor('float64', (-1, 3))]" or "['x': Tensor('float32', (-1, 2))]" for tensors.
std::string SchemaRepr(const ModelSchema& schema, bool columns);

// INVALID_PARAMETER_VALUE: "Failed to enforce schema of data with schema '<repr>'. Error:
// <reason>", MLflow's wording without its dump of the data.
absl::Status EnforceError(const ModelSchema& schema, bool columns, std::string_view reason);

}  // namespace ferry::http
