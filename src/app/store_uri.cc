#include "app/store_uri.h"

#include "common/fs.h"
#include "common/strings.h"

namespace ferry::app {
namespace {

// `path` made absolute against `cwd`, without "./" segments at its start.
std::string Absolute(std::string_view path, std::string_view cwd) {
  if (!path.empty() && path[0] == '/') return std::string(path);
  while (StartsWith(path, "./")) path.remove_prefix(2);
  return path.empty() ? std::string(cwd) : JoinPath(cwd, path);
}

}  // namespace

absl::StatusOr<std::string> SqlitePathFromUri(std::string_view uri, std::string_view cwd) {
  const std::string_view kPrefix = "sqlite:///";
  auto invalid = [&](const std::string& why) {
    return absl::InvalidArgumentError("Invalid backend store URI '" + std::string(uri) +
                                      "': " + why +
                                      " (sqlite:///relative/path.db or "
                                      "sqlite:////absolute/path.db)");
  };
  if (!StartsWith(uri, "sqlite:")) return invalid("expected a sqlite URI");
  if (!StartsWith(uri, kPrefix)) return invalid("expected three slashes after sqlite:");
  std::string_view path = uri.substr(kPrefix.size());
  if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.empty() || path == "/") return invalid("no database file named");
  if (path == ":memory:") return invalid("an in-memory database cannot be shared");
  return Absolute(path, cwd);
}

absl::StatusOr<std::string> FilePathFromUri(std::string_view uri, std::string_view cwd) {
  std::string_view path = uri;
  if (StartsWith(uri, "file://")) {
    path = uri.substr(7);
    // file:///abs stays absolute; file:///./rel (Ferry's old default) is relative.
    if (StartsWith(path, "/./")) path.remove_prefix(1);
  } else if (uri.find("://") != std::string_view::npos) {
    return absl::InvalidArgumentError(
        "Unsupported artifact store URI '" + std::string(uri) +
        "': expected file:///PATH, a directory path or s3://BUCKET/PREFIX");
  }
  if (path.empty()) {
    return absl::InvalidArgumentError("Invalid artifact store URI '" + std::string(uri) +
                                      "': no directory named");
  }
  return Absolute(path, cwd);
}

bool IsS3Uri(std::string_view uri) { return StartsWith(uri, "s3://"); }

absl::StatusOr<S3Location> S3LocationFromUri(std::string_view uri) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("Invalid S3 artifact URI '", uri, "': ", why,
                                             " (expected s3://BUCKET or s3://BUCKET/PREFIX)"));
  };
  if (!IsS3Uri(uri)) return invalid("not an s3:// URI");
  std::string_view rest = uri.substr(5);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t slash = rest.find('/');
  S3Location loc;
  loc.bucket = std::string(rest.substr(0, slash));
  if (loc.bucket.empty()) return invalid("no bucket named");
  if (slash == std::string_view::npos) return loc;
  loc.prefix = std::string(rest.substr(slash + 1));
  for (std::string_view segment : SplitString(loc.prefix, '/')) {
    if (segment.empty() || segment == "." || segment == "..") {
      return invalid("empty, '.' or '..' segment in the prefix");
    }
  }
  return loc;
}

}  // namespace ferry::app
