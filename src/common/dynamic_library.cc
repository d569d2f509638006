#include "common/dynamic_library.h"

#include <dlfcn.h>

namespace ferry {

DynamicLibrary::DynamicLibrary(const char* soname, const char* install_hint) {
  handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = ::dlerror();
    error_ = std::string("cannot load ") + soname + " (" + (why ? why : "unknown error") +
             "); install it with `" + install_hint + "`";
  }
}

void* DynamicLibrary::Symbol(const char* name) const {
  return handle_ == nullptr ? nullptr : ::dlsym(handle_, name);
}

}  // namespace ferry
