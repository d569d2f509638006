#include "http/handlers/error_response.h"

#include "common/json_writer.h"

namespace ferry::http {

const char* MlflowErrorCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return "INVALID_PARAMETER_VALUE";
    case absl::StatusCode::kNotFound:
      return "RESOURCE_DOES_NOT_EXIST";
    case absl::StatusCode::kAlreadyExists:
      return "RESOURCE_ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kAborted:
      return "ABORTED";
    case absl::StatusCode::kUnimplemented:
      return "NOT_IMPLEMENTED";
    case absl::StatusCode::kUnavailable:
      return "TEMPORARILY_UNAVAILABLE";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kCancelled:
      return "CANCELLED";
    case absl::StatusCode::kFailedPrecondition:
      return "INVALID_STATE";
    case absl::StatusCode::kDataLoss:
      return "DATA_LOSS";
    default:
      return "INTERNAL_ERROR";
  }
}

HttpResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject()
      .Field("error_code", error_code)
      .Field("message", PublicMessage(message))
      .EndObject();
  return JsonError(http_status, std::move(body));
}

HttpResponse ErrorResponse(const absl::Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), MlflowErrorCode(status.code()),
                       StatusMessage(status));
}

}  // namespace ferry::http
