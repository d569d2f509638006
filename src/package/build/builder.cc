#include "package/build/builder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <utility>

#include "common/fs.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "package/build/model_metadata.h"
#include "package/layout/file_kinds.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {

namespace {

struct SourceFile {
  std::string rel_path;
  std::string abs_path;
  int64_t size = 0;
  bool executable = false;
};

// ModelPack file metadata with everything that would break reproducibility fixed: mode
// 0644 or 0755, owner 0, mtime the epoch.
std::string FileMetadata(const SourceFile& f) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("name", f.rel_path).Field("mode", int64_t{f.executable ? 0755 : 0644});
  w.Field("uid", int64_t{0}).Field("gid", int64_t{0}).Field("size", f.size);
  w.Field("mtime", "1970-01-01T00:00:00Z").Field("typeflag", int64_t{'0'}).EndObject();
  return out;
}

absl::StatusOr<std::string> RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return ErrnoStatus(errno, "realpath", path);
  return std::string(buf);
}

// Follows a symlink and accepts it only if it lands on a regular file inside `root`.
absl::Status CheckSymlink(const std::string& path, const std::string& rel,
                          const std::string& root) {
  auto target = RealPath(path);
  if (!target.ok()) return absl::InvalidArgumentError("symlink '" + rel + "' is dangling");
  if (!StartsWith(*target, root + "/")) {
    return absl::InvalidArgumentError("symlink '" + rel + "' points outside the model directory (" +
                                      *target + ")");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError("symlink '" + rel + "' does not point to a regular file");
  }
  return absl::OkStatus();
}

absl::Status AddEntry(const std::string& root, const std::string& abs, const std::string& rel,
                      std::vector<SourceFile>& out);

absl::Status Walk(const std::string& root, const std::string& abs, const std::string& rel,
                  std::vector<SourceFile>& out) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(abs));
  for (const std::string& name : names) {
    std::string child_rel = rel.empty() ? name : rel + "/" + name;
    RETURN_IF_ERROR(AddEntry(root, JoinPath(abs, name), child_rel, out));
  }
  return absl::OkStatus();
}

absl::Status AddEntry(const std::string& root, const std::string& abs, const std::string& rel,
                      std::vector<SourceFile>& out) {
  struct stat st;
  if (::lstat(abs.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", abs);
  if (S_ISDIR(st.st_mode)) return Walk(root, abs, rel, out);
  if (S_ISLNK(st.st_mode)) {
    RETURN_IF_ERROR(CheckSymlink(abs, rel, root));
    if (::stat(abs.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", abs);
  } else if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError("'" + rel + "' is not a regular file, directory or symlink");
  }
  if (::access(abs.c_str(), R_OK) != 0) {
    return absl::PermissionDeniedError("'" + rel + "' is not readable");
  }
  out.push_back({rel, abs, static_cast<int64_t>(st.st_size), (st.st_mode & 0111) != 0});
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SourceFile>> ListFiles(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", dir);
  if (!S_ISDIR(st.st_mode)) return absl::InvalidArgumentError("'" + dir + "' is not a directory");
  ASSIGN_OR_RETURN(std::string root, RealPath(dir));
  std::vector<SourceFile> files;
  RETURN_IF_ERROR(Walk(root, root, "", files));
  if (files.empty()) return absl::InvalidArgumentError("'" + dir + "' contains no files");
  std::sort(files.begin(), files.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.rel_path < b.rel_path; });
  return files;
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm;
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void ApplyOptions(const BuildOptions& o, PackageConfig& c) {
  if (!o.name.empty()) c.descriptor.name = o.name;
  if (!o.version.empty()) c.descriptor.version = o.version;
  if (c.descriptor.version.empty()) c.descriptor.version = "latest";
  c.descriptor.created_at = o.created_at.empty() ? NowRfc3339() : o.created_at;
  if (!o.source_run_id.empty()) c.ferry.source_run_id = o.source_run_id;
  if (!o.code_commit.empty()) c.ferry.code_commit = o.code_commit;
  if (c.descriptor.revision.empty()) c.descriptor.revision = c.ferry.code_commit;
  for (const auto& [k, v] : o.metrics) c.ferry.metrics[k] = v;
  for (const auto& [k, v] : o.params) c.ferry.params[k] = v;
  c.ferry.ferry_version = FERRY_VERSION;
  std::vector<Dependency> deps = {{"ferry", FERRY_VERSION}};
  for (const std::vector<Dependency>* list :
       {&o.dependencies, &std::as_const(c.ferry.dependencies)}) {
    for (const Dependency& d : *list) {
      bool dup = std::any_of(deps.begin(), deps.end(), [&](auto& e) { return e.name == d.name; });
      if (!dup) deps.push_back(d);
    }
  }
  c.ferry.dependencies = std::move(deps);
}

// The format of the largest weight file, when the metadata did not name one.
std::string InferFormat(const std::vector<SourceFile>& files) {
  std::string format;
  int64_t best = -1;
  for (const SourceFile& f : files) {
    std::string fmt = FormatForFile(f.rel_path);
    if (!fmt.empty() && MediaTypeForFile(f.rel_path) == std::string(kModelWeightRaw) &&
        f.size > best) {
      format = fmt;
      best = f.size;
    }
  }
  return format;
}

absl::StatusOr<std::vector<Descriptor>> AddLayers(OciLayout& layout,
                                                  const std::vector<SourceFile>& files,
                                                  const BuildOptions& o) {
  std::vector<Descriptor> layers;
  for (const SourceFile& f : files) {
    auto d = layout.PutBlobFromFile(f.abs_path, MediaTypeForFile(f.rel_path),
                                    Relabel(o.progress, f.rel_path));
    if (!d.ok()) {
      return absl::Status(d.status().code(),
                          "'" + f.rel_path + "': " + std::string(StatusMessage(d.status())));
    }
    d->annotations[kAnnotationFilepath] = f.rel_path;
    d->annotations[kAnnotationTitle] = f.rel_path;
    d->annotations[kAnnotationFileMetadata] = FileMetadata(f);
    layers.push_back(std::move(*d));
  }
  return layers;
}

// Appends the reference profile layer and points ferry.referenceProfile at it.
absl::Status AddReferenceProfile(OciLayout& layout, const BuildOptions& o,
                                 std::vector<Descriptor>& layers, PackageConfig& c) {
  for (const Descriptor& d : layers) {
    if (d.Annotation(kAnnotationFilepath) == kReferenceProfilePath) {
      return absl::InvalidArgumentError(std::string("the model directory has a file '") +
                                        kReferenceProfilePath +
                                        "', the path of the reference profile layer");
    }
  }
  ASSIGN_OR_RETURN(Descriptor d, layout.PutBlob(o.reference_profile, kReferenceProfileMediaType));
  const SourceFile f{kReferenceProfilePath, "", static_cast<int64_t>(o.reference_profile.size()),
                     false};
  d.annotations[kAnnotationFilepath] = f.rel_path;
  d.annotations[kAnnotationTitle] = f.rel_path;
  d.annotations[kAnnotationFileMetadata] = FileMetadata(f);
  c.ferry.reference_profile = d.digest;
  layers.push_back(std::move(d));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTag(const std::string& tag) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  bool ok = !tag.empty() && tag.size() <= 128 && word(tag[0]);
  for (char c : tag) ok = ok && (word(c) || c == '.' || c == '-');
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError("version \"" + tag +
                                    "\" is not a valid tag: use letters, digits, '_', '.' and "
                                    "'-' (at most 128, not starting with '.' or '-')");
}

absl::StatusOr<BuildResult> Build(const BuildOptions& o) {
  ASSIGN_OR_RETURN(std::vector<SourceFile> files, ListFiles(o.model_dir));
  BuildResult result;
  PackageConfig& c = result.config;
  RETURN_IF_ERROR(ReadModelMetadata(o.model_dir, c, &result.warnings));
  ApplyOptions(o, c);
  if (c.descriptor.name.empty()) return absl::InvalidArgumentError("a package name is required");
  if (o.describe) RETURN_IF_ERROR(o.describe(o.model_dir, c));
  RETURN_IF_ERROR(ValidateTag(c.descriptor.version));
  if (c.config.format.empty()) c.config.format = InferFormat(files);
  if (c.ferry.reference_profile) {
    return absl::InvalidArgumentError(
        "ferry.referenceProfile: set by 'ferry package build --reference-data', not by "
        "ferry-package.json");
  }
  RETURN_IF_ERROR(ValidateConfig(c));

  ASSIGN_OR_RETURN(auto layout, OciLayout::Create(o.out_dir));
  Manifest& m = result.manifest_value;
  ASSIGN_OR_RETURN(m.layers, AddLayers(*layout, files, o));
  if (!o.reference_profile.empty()) {
    RETURN_IF_ERROR(AddReferenceProfile(*layout, o, m.layers, c));
  }
  for (const Descriptor& layer : m.layers) c.diff_ids.push_back(layer.digest);
  ASSIGN_OR_RETURN(m.config, layout->PutBlob(SerializeConfig(c), kModelConfig));
  m.artifact_type = kModelArtifact;
  m.annotations[kAnnotationCreated] = c.descriptor.created_at;
  result.tag = c.descriptor.version;
  ASSIGN_OR_RETURN(result.manifest, layout->AddManifest(m, result.tag));
  return result;
}

}  // namespace ferry::package
