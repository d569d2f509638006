#include "package/intake/package_intake.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "package/build/contents.h"
#include "package/intake/artifact_layout_reader.h"
#include "package/layout/layout_archive.h"
#include "package/layout/oci_layout.h"
#include "package/trust/verify.h"

namespace ferry::package {
namespace {

// Narrows the staging index to the verified package and its own .sig/.att, so that no
// other manifest (and none of its blobs) rides along into the store unverified.
absl::Status KeepOnlyPackage(OciLayout& layout, const std::string& digest) {
  ASSIGN_OR_RETURN(ImageIndex index, layout.ReadIndex());
  const std::string sig = CosignTag(digest, ".sig");
  const std::string att = CosignTag(digest, ".att");
  std::erase_if(index.manifests, [&](const Descriptor& d) {
    std::string ref = d.Annotation(kAnnotationRefName);
    return d.digest != digest && ref != sig && ref != att;
  });
  return WriteFileAtomic(JoinPath(layout.dir(), "index.json"), SerializeIndex(index));
}

}  // namespace

absl::StatusOr<std::string> PackageIntake::NewUploadPath() {
  RETURN_IF_ERROR(MakeDirs(work_dir_));
  return JoinPath(work_dir_, "upload-" + NewUuidHex(SystemRandom()) + ".tar");
}

namespace {

// `message` with the server's work directory taken out: "<work_dir>/<staging or import
// dir>/index.json" becomes "index.json", the upload's own path "the upload".
std::string WithoutWorkDir(std::string message, const std::string& work_dir) {
  for (size_t at = message.find(work_dir); at != std::string::npos;
       at = message.find(work_dir, at)) {
    size_t end = at + work_dir.size();
    size_t component_end = message.find_first_of("/ ':\"", end + 1);
    if (end < message.size() && message[end] == '/' && component_end != std::string::npos &&
        message[component_end] == '/') {
      message.erase(at, component_end + 1 - at);
    } else {
      if (component_end == std::string::npos) component_end = message.size();
      message.replace(at, component_end - at, "the upload");
    }
  }
  return message;
}

// The package's files, when they are an MLflow model directory (a layer whose filepath is
// MLmodel), are stored unpacked beside the layout under mlflow-model/, so that MLflow clients
// can load the registered version (get-download-uri names that directory) while the package
// stays the signed unit. Other packages are not unpacked: the manifest says which they are.
absl::Status StoreMlflowModel(OciLayout& layout, const std::string& staging, const std::string& dir,
                              const PackageIntake::StoreFile& store) {
  ASSIGN_OR_RETURN(PackageContents contents, ReadPackage(layout, ""));
  const auto& layers = contents.manifest.layers;
  if (std::none_of(layers.begin(), layers.end(), [](const Descriptor& d) {
        auto it = d.annotations.find(kAnnotationFilepath);
        return it != d.annotations.end() && it->second == "MLmodel";
      })) {
    return absl::OkStatus();
  }
  const std::string files = JoinPath(staging, "files");
  RETURN_IF_ERROR(Unpack(layout, "", files).status());
  ASSIGN_OR_RETURN(std::vector<std::string> rels, ListTree(files));
  for (const std::string& rel : rels) {
    RETURN_IF_ERROR(
        store(dir + "/" + std::string(kMlflowModelDir) + "/" + rel, JoinPath(files, rel)));
  }
  return absl::OkStatus();
}

// What the client is told: files by their names inside the package, never a server path. A
// digest that does not match in an uploaded archive is bad input from the client, not a
// server store that lost data.
absl::Status ClientFault(const absl::Status& s, const std::string& work_dir) {
  return absl::Status(absl::IsDataLoss(s) ? absl::StatusCode::kInvalidArgument : s.code(),
                      WithoutWorkDir(std::string(StatusMessage(s)), work_dir));
}

}  // namespace

absl::StatusOr<AcceptedPackage> PackageIntake::Accept(const std::string& tar_path,
                                                      const TrustPolicy* override_policy) {
  const TrustPolicy* policy = override_policy ? override_policy : (policy_ ? &*policy_ : nullptr);
  RETURN_IF_ERROR(MakeDirs(work_dir_));
  std::string staging = JoinPath(work_dir_, "staging-" + NewUuidHex(SystemRandom()));
  auto cleanup = [&staging] { (void)RemoveTree(staging); };
  absl::Status imported = Import(tar_path, staging);
  if (!imported.ok()) {
    cleanup();
    return ClientFault(imported, work_dir_);
  }
  auto accepted = [&]() -> absl::StatusOr<AcceptedPackage> {
    ASSIGN_OR_RETURN(auto layout, OciLayout::Open(staging));
    ASSIGN_OR_RETURN(VerifyReport report, VerifyPackage(*layout, "", policy));
    AcceptedPackage out;
    out.manifest_digest = report.manifest_digest;
    out.name = report.model_name;
    out.version = report.model_version;
    out.signer = report.signer;
    out.provenance_verified = report.provenance_verified;
    out.checks = report.checks;
    if (!report.signer_checked) {
      out.checks.push_back("signer: not checked (the server has no trust policy)");
    }
    std::string dir = PackageArtifactDir(out.manifest_digest);
    out.source_uri = "mlflow-artifacts:/" + dir;
    RETURN_IF_ERROR(KeepOnlyPackage(*layout, out.manifest_digest));
    ASSIGN_OR_RETURN(std::vector<std::string> blobs, ReachableBlobDigests(*layout));
    for (const std::string& digest : blobs) {
      std::string rel = "blobs/sha256/" + DigestHex(digest);
      RETURN_IF_ERROR(store_(dir + "/" + rel, JoinPath(staging, rel)));
    }
    RETURN_IF_ERROR(StoreMlflowModel(*layout, staging, dir, store_));
    RETURN_IF_ERROR(store_(dir + "/oci-layout", JoinPath(staging, "oci-layout")));
    RETURN_IF_ERROR(store_(dir + "/index.json", JoinPath(staging, "index.json")));
    return out;
  }();
  cleanup();
  if (!accepted.ok()) return ClientFault(accepted.status(), work_dir_);
  return accepted;
}

}  // namespace ferry::package
