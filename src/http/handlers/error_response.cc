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

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kAlreadyExists:
      return 400;  // MLflow keeps RESOURCE_ALREADY_EXISTS at 400
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

HttpResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Field("error_code", error_code).Field("message", message).EndObject();
  return HttpResponse::Json(http_status, std::move(body));
}

HttpResponse ErrorResponse(const absl::Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), MlflowErrorCode(status.code()),
                       StatusMessage(status));
}

}  // namespace ferry::http
