// libxgboost is opened on first use (dlopen) instead of at process start. Linked normally it
// costs every ferry command ~7 ms of start-up (relocating its C++ symbols, running its static
// registries), which `ferry predict`'s cold start cannot afford for models that are not
// trees. The C API functions Ferry calls are defined here and forward to the library; a
// missing library makes them fail with an XGBGetLastError() that says what to install.
//
// The executable does not export these definitions (no -rdynamic), so the library's own
// calls still bind to its own functions.

#include <xgboost/c_api.h>

#include "common/dynamic_library.h"

namespace {

const ferry::DynamicLibrary& Lib() {
  static const ferry::DynamicLibrary lib("libxgboost.so.0",
                                         "apt-get install libxgboost0 (or libxgboost-dev)");
  return lib;
}

}  // namespace

// Each forwarder resolves its symbol once (thread-safe static initialisation).
#define FERRY_XGB_FORWARD(name, params, args)                     \
  extern "C" int name params {                                    \
    static auto* const fn = Lib().Resolve<decltype(name)>(#name); \
    return fn == nullptr ? -1 : fn args;                          \
  }

extern "C" const char* XGBGetLastError() {
  static auto* const fn = Lib().Resolve<decltype(XGBGetLastError)>("XGBGetLastError");
  return fn == nullptr ? Lib().error().c_str() : fn();
}

FERRY_XGB_FORWARD(XGBoosterCreate, (const DMatrixHandle dmats[], bst_ulong len, BoosterHandle* out),
                  (dmats, len, out))
FERRY_XGB_FORWARD(XGBoosterFree, (BoosterHandle handle), (handle))
FERRY_XGB_FORWARD(XGBoosterSetParam, (BoosterHandle handle, const char* name, const char* value),
                  (handle, name, value))
FERRY_XGB_FORWARD(XGBoosterUpdateOneIter, (BoosterHandle handle, int iter, DMatrixHandle dtrain),
                  (handle, iter, dtrain))
FERRY_XGB_FORWARD(XGBoosterSaveModel, (BoosterHandle handle, const char* fname), (handle, fname))
FERRY_XGB_FORWARD(XGBoosterLoadModel, (BoosterHandle handle, const char* fname), (handle, fname))
FERRY_XGB_FORWARD(XGBoosterSaveJsonConfig,
                  (BoosterHandle handle, bst_ulong* out_len, char const** out_str),
                  (handle, out_len, out_str))
FERRY_XGB_FORWARD(XGBoosterPredictFromDense,
                  (BoosterHandle handle, char const* values, char const* config, DMatrixHandle m,
                   bst_ulong const** out_shape, bst_ulong* out_dim, const float** out_result),
                  (handle, values, config, m, out_shape, out_dim, out_result))
FERRY_XGB_FORWARD(XGBoosterGetStrFeatureInfo,
                  (BoosterHandle handle, const char* field, bst_ulong* len,
                   const char*** out_features),
                  (handle, field, len, out_features))
FERRY_XGB_FORWARD(XGBoosterGetNumFeature, (BoosterHandle handle, bst_ulong* out), (handle, out))
FERRY_XGB_FORWARD(XGBoosterDumpModelEx,
                  (BoosterHandle handle, const char* fmap, int with_stats, const char* format,
                   bst_ulong* out_len, const char*** out_dump_array),
                  (handle, fmap, with_stats, format, out_len, out_dump_array))
FERRY_XGB_FORWARD(XGDMatrixCreateFromMat,
                  (const float* data, bst_ulong nrow, bst_ulong ncol, float missing,
                   DMatrixHandle* out),
                  (data, nrow, ncol, missing, out))
FERRY_XGB_FORWARD(XGDMatrixSetFloatInfo,
                  (DMatrixHandle handle, const char* field, const float* array, bst_ulong len),
                  (handle, field, array, len))
FERRY_XGB_FORWARD(XGDMatrixFree, (DMatrixHandle handle), (handle))
