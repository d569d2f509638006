// libcurl is opened on first use (dlopen) instead of at process start. Linked normally, it and
// the libraries it pulls in (GnuTLS, Kerberos, LDAP, SSH, ...) cost every ferry command about
// 3 ms of start-up, most of `ferry predict`'s cold-start budget, though most commands never
// make an HTTP call. The libcurl functions Ferry calls are defined here and forward to the
// library; a missing library makes them fail, with curl_easy_strerror saying what to install.
//
// The executable does not export these definitions (no -rdynamic), so the library's own
// calls still bind to its own functions.

#define CURL_DISABLE_TYPECHECK  // the typecheck macros would rename curl_easy_setopt
#include <curl/curl.h>

#include <cstdarg>

#include "common/dynamic_library.h"

namespace {

const ferry::DynamicLibrary& Lib() {
  static const ferry::DynamicLibrary lib("libcurl.so.4", "apt-get install libcurl4");
  return lib;
}

template <typename Fn>
Fn* Resolve(const char* name) {
  return Lib().Resolve<Fn>(name);
}

}  // namespace

// Each forwarder resolves its symbol once (thread-safe static initialisation) and returns
// `fail` when the library or the symbol is missing.
#define FERRY_CURL_FORWARD(ret, name, params, args, fail)   \
  extern "C" ret name params {                              \
    static auto* const fn = Resolve<decltype(name)>(#name); \
    if (fn == nullptr) return fail;                         \
    return fn args;                                         \
  }
#define FERRY_CURL_FORWARD_VOID(name, params, args)         \
  extern "C" void name params {                             \
    static auto* const fn = Resolve<decltype(name)>(#name); \
    if (fn != nullptr) fn args;                             \
  }

FERRY_CURL_FORWARD(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)
FERRY_CURL_FORWARD(CURL*, curl_easy_init, (void), (), nullptr)
FERRY_CURL_FORWARD(CURLcode, curl_easy_perform, (CURL * curl), (curl), CURLE_FAILED_INIT)
FERRY_CURL_FORWARD_VOID(curl_easy_cleanup, (CURL * curl), (curl))
FERRY_CURL_FORWARD_VOID(curl_free, (void* p), (p))
FERRY_CURL_FORWARD(curl_slist*, curl_slist_append, (curl_slist * list, const char* s), (list, s),
                   nullptr)
FERRY_CURL_FORWARD_VOID(curl_slist_free_all, (curl_slist * list), (list))
FERRY_CURL_FORWARD(CURLU*, curl_url, (void), (), nullptr)
FERRY_CURL_FORWARD_VOID(curl_url_cleanup, (CURLU * handle), (handle))
FERRY_CURL_FORWARD(CURLUcode, curl_url_get,
                   (CURLU * handle, CURLUPart what, char** part, unsigned int flags),
                   (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)
FERRY_CURL_FORWARD(CURLUcode, curl_url_set,
                   (CURLU * handle, CURLUPart what, const char* part, unsigned int flags),
                   (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)

extern "C" const char* curl_easy_strerror(CURLcode code) {
  static auto* const fn = Resolve<decltype(curl_easy_strerror)>("curl_easy_strerror");
  return fn == nullptr ? Lib().error().c_str() : fn(code);
}

extern "C" const char* curl_url_strerror(CURLUcode code) {
  static auto* const fn = Resolve<decltype(curl_url_strerror)>("curl_url_strerror");
  return fn == nullptr ? Lib().error().c_str() : fn(code);
}

// curl_easy_setopt's and curl_easy_getinfo's last named parameters are enums, which clang
// warns may be promoted before va_start; both are int-sized enums (libcurl's own definitions
// take them the same way), so the warning does not apply.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wvarargs"
#endif

// The variadic argument's type follows from the option's number range, as libcurl reads it.
extern "C" CURLcode curl_easy_setopt(CURL* curl, CURLoption option, ...) {
  static auto* const fn = Resolve<decltype(curl_easy_setopt)>("curl_easy_setopt");
  if (fn == nullptr) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, option);
  CURLcode rc;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    rc = fn(curl, option, va_arg(ap, long));
  } else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
    rc = fn(curl, option, va_arg(ap, curl_off_t));
  } else {  // object, function and blob pointers are all passed as pointers
    rc = fn(curl, option, va_arg(ap, void*));
  }
  va_end(ap);
  return rc;
}

// Every CURLINFO takes a pointer to where the answer goes.
extern "C" CURLcode curl_easy_getinfo(CURL* curl, CURLINFO info, ...) {
  static auto* const fn = Resolve<decltype(curl_easy_getinfo)>("curl_easy_getinfo");
  if (fn == nullptr) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, info);
  void* out = va_arg(ap, void*);
  va_end(ap);
  return fn(curl, info, out);
}
