#pragma once
// A shared library opened on first use (dlopen) rather than linked, for libraries whose
// start-up cost every ferry process would otherwise pay (libxgboost, libcurl): their C
// functions are defined in Ferry and forward to the library's, resolved by name once.

#include <string>

namespace ferry {

class DynamicLibrary {
 public:
  // Opens `soname` (RTLD_NOW | RTLD_LOCAL). On failure error() says so and how to get it:
  // "cannot load SONAME (REASON); install it with `INSTALL_HINT`".
  DynamicLibrary(const char* soname, const char* install_hint);
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;

  // The symbol's address, or nullptr when the library or the symbol is missing.
  void* Symbol(const char* name) const;
  // Symbol cast to a function type: Resolve<decltype(f)>("f").
  template <typename Fn>
  Fn* Resolve(const char* name) const {
    return reinterpret_cast<Fn*>(Symbol(name));
  }
  bool loaded() const { return handle_ != nullptr; }
  const std::string& error() const { return error_; }

 private:
  void* handle_ = nullptr;
  std::string error_;
};

}  // namespace ferry
