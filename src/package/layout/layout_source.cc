#include "package/layout/layout_source.h"

#include <sys/stat.h>

#include <cerrno>

#include "common/fs.h"
#include "package/layout/layout_archive.h"

namespace ferry::package {

absl::Status LayoutSource::Open(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "stat", path);
  std::string dir = path;
  if (S_ISREG(st.st_mode)) {
    ASSIGN_OR_RETURN(TempDir temp, TempDir::Create("ferry-package"));
    temp_ = std::move(temp);
    dir = temp_->path() + "/layout";
    RETURN_IF_ERROR(Import(path, dir));
  }
  ASSIGN_OR_RETURN(layout_, OciLayout::Open(dir));
  return absl::OkStatus();
}

}  // namespace ferry::package
