#include "package/layout/layout_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <set>

#include "common/async_writer.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "package/layout/oci_layout.h"
#include "package/layout/tar.h"

namespace ferry::package {

namespace {

constexpr size_t kChunk = size_t{1} << 20;
constexpr char kBlobPrefix[] = "blobs/sha256/";

// Blobs reachable from the index: hex -> the size the descriptors say, and the first
// reference to it (for error messages).
struct Reached {
  int64_t size;
  std::string what;
};
using BlobSet = std::map<std::string, Reached>;

absl::Status EntryError(const std::string& name, std::string_view why) {
  return absl::InvalidArgumentError("tar entry \"" + name + "\": " + std::string(why));
}

// Adds a descriptor's blob, refusing conflicting sizes for the same digest.
absl::Status Reach(BlobSet& blobs, const Descriptor& d, const std::string& what) {
  auto [it, inserted] = blobs.emplace(DigestHex(d.digest), Reached{d.size, what});
  if (!inserted && it->second.size != d.size) {
    return absl::InvalidArgumentError(what + ": blob " + d.digest +
                                      " is referenced with two different sizes");
  }
  return absl::OkStatus();
}

// The blobs reachable from the index (manifests, their configs and layers).
absl::StatusOr<BlobSet> ReachableBlobs(const ImageIndex& index, OciLayout& layout) {
  BlobSet blobs;
  for (size_t i = 0; i < index.manifests.size(); ++i) {
    const Descriptor& d = index.manifests[i];
    const std::string what = "index.json manifests[" + std::to_string(i) + "] (" +
                             d.Annotation(kAnnotationRefName) + ")";
    if (d.media_type != kOciManifest) {
      return absl::InvalidArgumentError(what + ": media type \"" + d.media_type +
                                        "\" is not supported (only image manifests)");
    }
    RETURN_IF_ERROR(Reach(blobs, d, what));
    int64_t size = 0;
    auto fd = OpenRegularFile(layout.BlobPath(d.digest), &size);
    if (!fd.ok()) return absl::DataLossError(what + ": blob " + d.digest + " is missing");
    if (size != d.size) {
      return absl::DataLossError(what + ": blob " + d.digest + " is " + std::to_string(size) +
                                 " bytes, the descriptor says " + std::to_string(d.size));
    }
    auto m = layout.ReadManifest(d.digest);
    if (!m.ok())
      return absl::Status(m.status().code(), what + ": " + std::string(StatusMessage(m.status())));
    RETURN_IF_ERROR(Reach(blobs, m->config, what + " config"));
    for (size_t j = 0; j < m->layers.size(); ++j) {
      RETURN_IF_ERROR(Reach(blobs, m->layers[j], what + " layers[" + std::to_string(j) + "]"));
    }
  }
  return blobs;
}

// Every reachable blob exists with the size its descriptors say.
absl::Status CheckSizes(const BlobSet& blobs, OciLayout& layout) {
  for (const auto& [hex, want] : blobs) {
    struct stat st;
    const std::string path = layout.BlobPath("sha256:" + hex);
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return absl::DataLossError(want.what + ": blob sha256:" + hex + " is missing");
    }
    if (st.st_size != want.size) {
      return absl::DataLossError(want.what + ": blob sha256:" + hex + " is " +
                                 std::to_string(st.st_size) + " bytes, the descriptor says " +
                                 std::to_string(want.size));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteArchive(OciLayout& layout, const BlobSet& blobs, int fd,
                          const std::string& path) {
  TarWriter w(fd, path);
  RETURN_IF_ERROR(w.AddDirectory("blobs/"));
  RETURN_IF_ERROR(w.AddDirectory(kBlobPrefix));
  for (const auto& [hex, blob] : blobs) {
    const std::string blob_path = layout.BlobPath("sha256:" + hex);
    ASSIGN_OR_RETURN(Fd src, OpenRegularFile(blob_path, nullptr));
    ASSIGN_OR_RETURN(std::string got,
                     w.AddFile(kBlobPrefix + hex, src.get(), blob_path, blob.size));
    // Never ship a blob that does not match its name (an empty config included).
    if (got != hex) {
      return absl::DataLossError(blob.what + ": blob sha256:" + hex +
                                 " does not match its digest (content hashes to sha256:" + got +
                                 ")");
    }
  }
  for (const char* name : {"index.json", "oci-layout"}) {
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(JoinPath(layout.dir(), name)));
    RETURN_IF_ERROR(w.AddBytes(name, bytes));
  }
  return w.Finish();
}

// ---- import ----

struct Staging {
  std::string dir;
  std::map<std::string, int64_t> blobs;  // hex -> size extracted
  std::set<std::string> seen;
};

bool IsBlobName(std::string_view name) {
  if (!StartsWith(name, kBlobPrefix) || name.size() != sizeof(kBlobPrefix) - 1 + 64) return false;
  return ValidateDigest("sha256:" + std::string(name.substr(sizeof(kBlobPrefix) - 1)), "").ok();
}

const char* TypeProblem(const TarEntry& e) {
  switch (e.type) {
    case TarEntry::Type::kHardLink:
      return "hard links are not allowed";
    case TarEntry::Type::kSymlink:
      return "symbolic links are not allowed";
    case TarEntry::Type::kDevice:
      return "device files are not allowed";
    case TarEntry::Type::kFifo:
      return "FIFOs are not allowed";
    case TarEntry::Type::kOther:
      return "unsupported entry type";
    default:
      return nullptr;
  }
}

// Checks the entry's name and type; returns the normalised name ("" for the root "./").
absl::StatusOr<std::string> CheckEntry(const TarEntry& e) {
  if (StartsWith(e.name, "/")) return EntryError(e.name, "absolute paths are not allowed");
  for (std::string_view part : SplitString(e.name, '/')) {
    if (part == "..") return EntryError(e.name, "path escapes the archive root (\"..\")");
  }
  if (const char* problem = TypeProblem(e)) return EntryError(e.name, problem);
  std::string name = StartsWith(e.name, "./") ? e.name.substr(2) : e.name;
  if (e.type == TarEntry::Type::kDirectory) {
    if (EndsWith(name, "/")) name.pop_back();
    if (name.empty() || name == "." || name == "blobs" || name == "blobs/sha256") return name;
  } else if (name == "oci-layout" || name == "index.json" || IsBlobName(name)) {
    return name;
  }
  return EntryError(e.name,
                    "unexpected entry: an OCI layout archive holds only oci-layout, index.json "
                    "and blobs/sha256/<64 hex digits>");
}

// Streams the entry's data into `fd`: hashing here, writing on a second thread.
absl::StatusOr<std::string> WriteAndHash(TarReader& r, int fd, const std::string& path) {
  Sha256 hasher;
  // Both threads only read a submitted buffer, and it returns to the free list (for
  // Acquire() here) only after its write.
  AsyncWriter writer(fd, path, 4, kChunk);
  while (true) {
    char* buf = writer.Acquire();
    auto n = r.ReadData(buf, kChunk);
    writer.Submit(buf, n.ok() ? *n : 0);
    if (!n.ok() || *n == 0) {
      RETURN_IF_ERROR(writer.Finish());
      RETURN_IF_ERROR(n.status());
      return hasher.FinishHex();
    }
    hasher.Update(buf, *n);
  }
}

// The entry's data into `fd`, returning its SHA-256: copied in the kernel when the archive
// is a file on a file system that can, else read here and written on a second thread.
absl::StatusOr<std::string> ExtractData(TarReader& r, int fd, const std::string& path) {
  if (auto copied = r.CopyDataTo(fd, path)) {
    if (!copied->ok()) return copied->status();
    return (*copied)->hex;
  }
  return WriteAndHash(r, fd, path);
}

absl::Status ExtractFile(TarReader& r, const TarEntry& e, const std::string& name, Staging& s) {
  const bool blob = StartsWith(name, kBlobPrefix);
  if (!blob && e.size > kMaxMetadataBlob) return EntryError(e.name, "file is too large");
  const std::string path = JoinPath(s.dir, name);
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus(errno, "open", path);
  ASSIGN_OR_RETURN(std::string got, ExtractData(r, fd.get(), path));
  if (int err = fd.Close(); err != 0) return ErrnoStatus(err, "close", path);
  if (!blob) return absl::OkStatus();
  const std::string hex = name.substr(sizeof(kBlobPrefix) - 1);
  if (got != hex) {
    return absl::DataLossError("tar entry \"" + e.name + "\": content hashes to sha256:" + got +
                               ", not to its name");
  }
  s.blobs[hex] = e.size;
  return absl::OkStatus();
}

absl::Status ExtractAll(ByteSource& src, Staging& s) {
  TarReader r(src);
  while (true) {
    ASSIGN_OR_RETURN(std::optional<TarEntry> e, r.Next());
    if (!e) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::string name, CheckEntry(*e));
    if (!s.seen.insert(name.empty() ? "." : name).second) {
      return EntryError(e->name, "duplicate entry");
    }
    if (e->type == TarEntry::Type::kFile) RETURN_IF_ERROR(ExtractFile(r, *e, name, s));
  }
}

// The extracted tree is a complete layout whose blobs are exactly those referenced.
absl::Status CheckExtracted(const Staging& s) {
  for (const char* name : {"oci-layout", "index.json"}) {
    if (!s.seen.count(name)) return absl::InvalidArgumentError(std::string(name) + " is missing");
  }
  ASSIGN_OR_RETURN(auto layout, OciLayout::Open(s.dir));
  ASSIGN_OR_RETURN(ImageIndex index, layout->ReadIndex());
  ASSIGN_OR_RETURN(BlobSet reachable, ReachableBlobs(index, *layout));
  RETURN_IF_ERROR(CheckSizes(reachable, *layout));
  for (const auto& [hex, size] : s.blobs) {
    if (!reachable.count(hex)) {
      return absl::InvalidArgumentError("blob sha256:" + hex +
                                        " is not referenced by any manifest (extra blob)");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReachableBlobDigests(OciLayout& layout) {
  ASSIGN_OR_RETURN(ImageIndex index, layout.ReadIndex());
  ASSIGN_OR_RETURN(BlobSet blobs, ReachableBlobs(index, layout));
  std::vector<std::string> out;
  for (const auto& [hex, reached] : blobs) out.push_back("sha256:" + hex);
  return out;
}

absl::Status Export(const std::string& layout_dir, const std::string& tar_path) {
  ASSIGN_OR_RETURN(auto layout, OciLayout::Open(layout_dir));
  ASSIGN_OR_RETURN(ImageIndex index, layout->ReadIndex());
  ASSIGN_OR_RETURN(BlobSet blobs, ReachableBlobs(index, *layout));
  RETURN_IF_ERROR(CheckSizes(blobs, *layout));
  size_t slash = tar_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : tar_path.substr(0, slash);
  std::string tmp;
  ASSIGN_OR_RETURN(Fd fd, MakeTempFile(dir.empty() ? "/" : dir, &tmp));
  absl::Status st = WriteArchive(*layout, blobs, fd.get(), tmp);
  if (int err = fd.Close(); st.ok() && err != 0) st = ErrnoStatus(err, "close", tmp);
  if (st.ok()) ::chmod(tmp.c_str(), 0644);
  if (st.ok() && ::rename(tmp.c_str(), tar_path.c_str()) != 0) {
    st = ErrnoStatus(errno, "rename", tar_path);
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

absl::Status ImportFrom(ByteSource& src, const std::string& dest) {
  std::string dest_dir = dest;
  while (dest_dir.size() > 1 && dest_dir.back() == '/') dest_dir.pop_back();
  RETURN_IF_ERROR(ClearRenameTarget(dest_dir));
  ASSIGN_OR_RETURN(TempDir dir, TempDir::CreateBeside(dest_dir, "import"));
  Staging s;
  s.dir = dir.path();
  RETURN_IF_ERROR(MakeDirs(JoinPath(s.dir, kBlobPrefix)));
  RETURN_IF_ERROR(ExtractAll(src, s));
  RETURN_IF_ERROR(CheckExtracted(s));
  ::chmod(s.dir.c_str(), 0755);
  return dir.MoveTo(dest_dir);
}

absl::Status Import(const std::string& tar_path, const std::string& dest_dir) {
  ASSIGN_OR_RETURN(Fd fd, OpenRegularFile(tar_path, nullptr));
  FdSource src(fd.get(), tar_path);
  return ImportFrom(src, dest_dir);
}

}  // namespace ferry::package
