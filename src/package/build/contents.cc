#include "package/build/contents.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "package/layout/layout_source.h"
#include "package/layout/paths.h"

namespace ferry::package {

namespace {

// Prefixes an error with the part of the package it concerns, keeping its code.
absl::Status Annotate(const absl::Status& s, const std::string& what) {
  if (s.ok()) return s;
  return absl::Status(s.code(), what + ": " + std::string(StatusMessage(s)));
}

bool IsPackageEntry(const Descriptor& d) {
  const std::string tag = d.Annotation(kAnnotationRefName);
  return !(StartsWith(tag, "sha256-") && (EndsWith(tag, ".sig") || EndsWith(tag, ".att")));
}

absl::StatusOr<std::string> ReadSizedBlob(LayoutReader& layout, const Descriptor& d,
                                          const std::string& what) {
  auto bytes = layout.ReadBlob(d.digest, kMaxMetadataBlob);
  if (!bytes.ok()) return Annotate(bytes.status(), what);
  if (static_cast<int64_t>(bytes->size()) != d.size) {
    return absl::DataLossError(what + ": blob " + d.digest + " is " +
                               std::to_string(bytes->size()) + " bytes, the descriptor says " +
                               std::to_string(d.size));
  }
  return bytes;
}

std::string LayerName(const Manifest& m, size_t i) {
  return "layers[" + std::to_string(i) + "] (" + m.layers[i].Annotation(kAnnotationFilepath) + ")";
}

absl::Status CheckLayers(const Manifest& m, const PackageConfig& c) {
  std::set<std::string> paths;
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const std::string what = "layers[" + std::to_string(i) + "]";
    const std::string path = m.layers[i].Annotation(kAnnotationFilepath);
    RETURN_IF_ERROR(ValidateRelativePath(path, what + " " + kAnnotationFilepath));
    if (!paths.insert(path).second) {
      return absl::InvalidArgumentError(what + ": filepath \"" + path + "\" appears twice");
    }
  }
  if (c.diff_ids.size() != m.layers.size()) {
    return absl::InvalidArgumentError("config modelfs.diffIds has " +
                                      std::to_string(c.diff_ids.size()) + " entries for " +
                                      std::to_string(m.layers.size()) + " layers");
  }
  for (size_t i = 0; i < m.layers.size(); ++i) {
    if (c.diff_ids[i] != m.layers[i].digest) {
      return absl::InvalidArgumentError("config modelfs.diffIds[" + std::to_string(i) +
                                        "] does not match " + LayerName(m, i));
    }
  }
  if (c.ferry.reference_profile && std::find(c.diff_ids.begin(), c.diff_ids.end(),
                                             *c.ferry.reference_profile) == c.diff_ids.end()) {
    return absl::InvalidArgumentError("config ferry.referenceProfile " +
                                      *c.ferry.reference_profile + " is not one of the layers");
  }
  return absl::OkStatus();
}

absl::StatusOr<Manifest> ReadPackageManifest(LayoutReader& layout, const Descriptor& d) {
  const std::string what = "manifest " + d.digest;
  if (d.media_type != kOciManifest) {
    return absl::InvalidArgumentError(what + ": index entry has media type \"" + d.media_type +
                                      "\", expected \"" + kOciManifest + "\"");
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadSizedBlob(layout, d, what));
  auto m = ParseManifest(bytes);
  if (!m.ok()) return Annotate(m.status(), what);
  if (m->artifact_type != kModelArtifact) {
    return absl::InvalidArgumentError(what + ": artifactType is \"" + m->artifact_type +
                                      "\", expected \"" + kModelArtifact + "\"");
  }
  if (m->config.media_type != kModelConfig) {
    return absl::InvalidArgumentError(what + ": config.mediaType is \"" + m->config.media_type +
                                      "\", expected \"" + kModelConfig + "\"");
  }
  return m;
}

// The file mode recorded in the layer's ModelPack file metadata: 0755 when it has any
// execute bit, else 0644 (also when absent or unreadable; nothing else is honoured).
mode_t LayerMode(const Descriptor& d) {
  auto doc = ParseJson(d.Annotation(kAnnotationFileMetadata));
  const JsonValue* mode = doc.ok() ? doc->Find("mode") : nullptr;
  bool exec = mode != nullptr && mode->is_integer() && (mode->as_int() & 0111) != 0;
  return exec ? 0755 : 0644;
}

// Copies one layer blob to `dest`, checking the bytes written against the descriptor.
absl::Status CopyLayer(OciLayout& layout, const Descriptor& d, const std::string& dest) {
  ASSIGN_OR_RETURN(Fd src, OpenRegularFile(layout.BlobPath(d.digest), nullptr));
  size_t slash = dest.rfind('/');
  RETURN_IF_ERROR(MakeDirs(dest.substr(0, slash)));
  Fd dst(::open(dest.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, LayerMode(d)));
  if (!dst.valid()) return ErrnoStatus(errno, "open", dest);
  ASSIGN_OR_RETURN(HashResult h,
                   CopyAndHash(src.get(), layout.BlobPath(d.digest), dst.get(), dest, nullptr));
  if (int err = dst.Close(); err != 0) return ErrnoStatus(err, "close", dest);
  if (h.size != d.size || "sha256:" + h.hex != d.digest) {
    return absl::DataLossError("blob " + d.digest + ": content does not match the digest");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Descriptor> ResolveRef(LayoutReader& layout, const std::string& ref) {
  ASSIGN_OR_RETURN(ImageIndex index, layout.ReadIndex());
  const bool by_digest = StartsWith(ref, "sha256:");
  if (by_digest) RETURN_IF_ERROR(ValidateDigest(ref, "ref"));
  std::vector<const Descriptor*> packages;
  for (const Descriptor& d : index.manifests) {
    if (!ref.empty() && (by_digest ? d.digest == ref : d.Annotation(kAnnotationRefName) == ref)) {
      return d;
    }
    if (IsPackageEntry(d)) packages.push_back(&d);
  }
  if (!ref.empty()) return absl::NotFoundError("no manifest \"" + ref + "\" in the index");
  if (packages.size() == 1) return *packages[0];
  return absl::InvalidArgumentError(std::to_string(packages.size()) +
                                    " package manifests in the index: name one by tag or digest");
}

absl::StatusOr<PackageContents> ReadPackage(LayoutReader& layout, const std::string& ref) {
  PackageContents p;
  ASSIGN_OR_RETURN(p.manifest_descriptor, ResolveRef(layout, ref));
  ASSIGN_OR_RETURN(p.manifest, ReadPackageManifest(layout, p.manifest_descriptor));
  const std::string what = "config " + p.manifest.config.digest;
  ASSIGN_OR_RETURN(std::string bytes, ReadSizedBlob(layout, p.manifest.config, what));
  auto config = ParseConfig(bytes);
  if (!config.ok()) return Annotate(config.status(), what);
  p.config = std::move(*config);
  RETURN_IF_ERROR(CheckLayers(p.manifest, p.config));
  return p;
}

absl::StatusOr<PackageContents> VerifyContents(LayoutReader& layout, const std::string& ref) {
  ASSIGN_OR_RETURN(PackageContents p, ReadPackage(layout, ref));
  for (size_t i = 0; i < p.manifest.layers.size(); ++i) {
    RETURN_IF_ERROR(Annotate(layout.CheckBlob(p.manifest.layers[i]), LayerName(p.manifest, i)));
  }
  return p;
}

absl::StatusOr<PackageContents> Unpack(OciLayout& layout, const std::string& ref,
                                       const std::string& out) {
  std::string out_dir = out;
  while (out_dir.size() > 1 && out_dir.back() == '/') out_dir.pop_back();
  ASSIGN_OR_RETURN(PackageContents p, ReadPackage(layout, ref));
  RETURN_IF_ERROR(ClearRenameTarget(out_dir));
  ASSIGN_OR_RETURN(TempDir staging, TempDir::CreateBeside(out_dir, "unpack"));
  for (size_t i = 0; i < p.manifest.layers.size(); ++i) {
    const Descriptor& layer = p.manifest.layers[i];
    std::string dest = JoinPath(staging.path(), layer.Annotation(kAnnotationFilepath));
    RETURN_IF_ERROR(Annotate(CopyLayer(layout, layer, dest), LayerName(p.manifest, i)));
  }
  RETURN_IF_ERROR(staging.MoveTo(out_dir));
  return p;
}

absl::StatusOr<std::optional<std::string>> ReadReferenceProfileBytes(const std::string& path) {
  constexpr int64_t kMaxProfileBytes = int64_t{256} << 20;
  LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(PackageContents contents, ReadPackage(source.layout(), ""));
  const std::optional<std::string>& digest = contents.config.ferry.reference_profile;
  if (!digest) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string bytes, source.layout().ReadBlob(*digest, kMaxProfileBytes));
  return std::optional<std::string>(std::move(bytes));
}

}  // namespace ferry::package
