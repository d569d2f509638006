#include "http/handlers/error_response.h"

#include "common/json_writer.h"

namespace ferry::http {

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
