#pragma once
// Store URIs as MLflow (and SQLAlchemy) read them:
//   sqlite:///relative/path.db   relative to the working directory
//   sqlite:////absolute/path.db  absolute
//   file:///absolute/dir, file:///./relative/dir, or a plain path (relative or absolute)
//   s3://bucket/optional/prefix

#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::app {

// The absolute database path a sqlite:// URI names, relative paths resolved against `cwd`.
// kInvalidArgument naming the URI when it is not of the forms above (a host such as
// sqlite://host/x, an empty path, :memory:).
absl::StatusOr<std::string> SqlitePathFromUri(std::string_view uri, std::string_view cwd);

// The absolute directory a file:// URI or plain path names, relative paths resolved against
// `cwd`. kInvalidArgument for other schemes.
absl::StatusOr<std::string> FilePathFromUri(std::string_view uri, std::string_view cwd);

struct S3Location {
  std::string bucket;
  std::string prefix;  // "" or "a/b", without slashes at the ends
};
// True for an s3:// URI.
bool IsS3Uri(std::string_view uri);
// The bucket and key prefix of s3://BUCKET[/PREFIX]. kInvalidArgument naming the URI when the
// bucket is missing or the prefix has empty, "." or ".." segments.
absl::StatusOr<S3Location> S3LocationFromUri(std::string_view uri);

}  // namespace ferry::app
