#pragma once
// The Content-Type MLflow gives an artifact it sends.

#include <string>
#include <string_view>

namespace ferry::http {

// MLflow 2.12.2's _guess_mime_type on the last path component: "text/plain" for its text
// extensions (txt, log, json, yaml, py, csv, md, ..., and the files MLmodel and MLproject),
// else Python's built-in mimetypes table (without /etc/mime.types; .tgz and .gz handled as
// Python does), else "application/octet-stream".
std::string GuessMimeType(std::string_view path);

}  // namespace ferry::http
