#include "package/layout_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>

#include "common/fs.h"
#include "package/file_io.h"
#include "package/layout_archive.h"

namespace ferry::package {

LayoutSource::~LayoutSource() {
  if (!temp_.empty()) (void)RemoveTree(temp_);
}

absl::Status LayoutSource::Open(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", path);
  std::string dir = path;
  if (S_ISREG(st.st_mode)) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/ferry-package-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return ErrnoStatus(errno, "mkdtemp", tmpl);
    temp_ = tmpl;
    dir = temp_ + "/layout";
    RETURN_IF_ERROR(Import(path, dir));
  }
  ASSIGN_OR_RETURN(layout_, OciLayout::Open(dir));
  return absl::OkStatus();
}

}  // namespace ferry::package
