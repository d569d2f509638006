#pragma once
// Shared pieces of the C exporters (runtime/c_export.h), one exporter per family file:
// c_export_linear.cc for "linear" and "logistic". The "xgboost" exporter lives in its own
// library (runtime/xgboost/c_export_trees.h), reached through Family::ExportC.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "runtime/family.h"

namespace ferry::runtime::internal {

// The generated source of one model.
struct CSource {
  std::string header;  // <prefix>.h
  std::string source;  // <prefix>.c
};

// `v` as a C double literal that reads back exactly ("%.17g"). kFailedPrecondition for NaN
// and infinities, which have no C99 literal without <math.h> macros.
absl::StatusOr<std::string> CDouble(double v);
// `s` as a C string literal, escaping quotes, backslashes and non-printable bytes.
std::string CString(std::string_view s);
// "my_model" -> "MY_MODEL", for macro names.
std::string UpperName(std::string_view prefix);
// `{a, b, ...}` of CDouble values, wrapped every 4 values.
absl::StatusOr<std::string> CDoubleArray(const double* v, size_t n);
// `{"a", "b"}` of CString values.
std::string CStringArray(const std::vector<std::string>& v);

// The opening of <prefix>.h: comment, include guard, <stddef.h>, N_FEATURES / N_OUTPUTS and
// the feature name table declaration. Close it with HeaderEnd.
std::string HeaderStart(std::string_view prefix, std::string_view family, size_t n_features,
                        size_t n_outputs);
std::string HeaderEnd(std::string_view prefix);

// Writes `code` to `out_dir`/`prefix`.h and .c (creating `out_dir`).
absl::Status WriteCSource(const CSource& code, const std::string& out_dir, std::string_view prefix);

absl::StatusOr<CSource> ExportLinearC(const ModelFiles& files, std::string_view family,
                                      std::string_view prefix);

}  // namespace ferry::runtime::internal
