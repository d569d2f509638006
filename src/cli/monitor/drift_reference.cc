#include "cli/monitor/drift_reference.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/fs.h"
#include "core/frame_reader.h"
#include "monitoring/profile/profile_codec.h"
#include "package/build/contents.h"

namespace ferry::cli {
namespace {

constexpr size_t kHeadBytes = 512;

enum class FileKind { kText, kProfile, kTar, kOtherBinary };

// Sniffs the first bytes: the profile magic, a POSIX tar header ("ustar" at 257), other
// binary content (a NUL byte), else text.
absl::StatusOr<FileKind> Sniff(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoStatus(errno, "open", path);
  char head[kHeadBytes] = {};
  in.read(head, sizeof(head));
  const size_t n = static_cast<size_t>(in.gcount());
  const std::string_view bytes(head, n);
  if (bytes.substr(0, monitoring::kProfileMagic.size()) == monitoring::kProfileMagic) {
    return FileKind::kProfile;
  }
  if (n >= 262 && bytes.substr(257, 5) == "ustar") return FileKind::kTar;
  if (bytes.find('\0') != std::string_view::npos) return FileKind::kOtherBinary;
  return FileKind::kText;
}

absl::StatusOr<monitoring::DatasetProfile> Decode(const std::string& what, std::string_view bytes) {
  absl::StatusOr<monitoring::DatasetProfile> profile = monitoring::DecodeProfile(bytes);
  if (!profile.ok()) {
    return absl::InvalidArgumentError(what + ": " + std::string(StatusMessage(profile.status())));
  }
  return profile;
}

absl::StatusOr<monitoring::DatasetProfile> PackageProfile(const std::string& path) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, package::ReadReferenceProfileBytes(path));
  if (!bytes) {
    return absl::InvalidArgumentError(
        path +
        ": the package has no reference profile (ferry.referenceProfile is null); build it "
        "with 'ferry package build --reference-data DATA'");
  }
  return Decode(path + ": reference profile", *bytes);
}

}  // namespace

const char* ReferenceKindName(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::kData:
      return "data";
    case ReferenceKind::kProfile:
      return "profile";
    case ReferenceKind::kPackage:
      return "package";
  }
  return "data";
}

absl::StatusOr<DriftReference> ReadReference(const std::string& path) {
  DriftReference out;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", path);
  if (S_ISDIR(st.st_mode)) {
    out.kind = ReferenceKind::kPackage;
    ASSIGN_OR_RETURN(out.profile, PackageProfile(path));
    return out;
  }
  ASSIGN_OR_RETURN(FileKind kind, Sniff(path));
  if (kind == FileKind::kProfile) {
    out.kind = ReferenceKind::kProfile;
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    ASSIGN_OR_RETURN(out.profile, Decode(path, bytes));
    return out;
  }
  if (kind == FileKind::kTar) {
    out.kind = ReferenceKind::kPackage;
    ASSIGN_OR_RETURN(out.profile, PackageProfile(path));
    return out;
  }
  if (kind == FileKind::kOtherBinary) {
    return absl::InvalidArgumentError(
        path +
        ": not a CSV, TSV or JSON-lines file, a profile ('ferry monitor profile') or a "
        "package (an OCI layout directory or its .tar)");
  }
  ASSIGN_OR_RETURN(out.frame, ReadFrame(path));
  return out;
}

}  // namespace ferry::cli
