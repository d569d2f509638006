#pragma once
// Digests of step inputs and outputs, and copying them in and out of the cache. A file's
// digest is the SHA-256 of its bytes; a directory's is the SHA-256 over its sorted tree (each
// entry's relative path, type and content digest), so equal trees hash alike wherever they
// are. Symbolic links inside a directory are hashed by their target text and, when they reach a
// regular file, its bytes (a changed file behind a link changes the digest); they are copied
// as links.

#include <string>

#include "common/status.h"

namespace ferry::pipeline {

// "sha256:<hex>" of the file or directory at `path`; kNotFound when it does not exist.
absl::StatusOr<std::string> PathDigest(const std::string& path);

// Copies the file or directory `src` to `dst` (absent; its parent is created).
absl::Status CopyTree(const std::string& src, const std::string& dst);

}  // namespace ferry::pipeline
