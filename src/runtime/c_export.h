#pragma once
// Exports a trained model as dependency-free C99 source (only <math.h> and <stddef.h>), for
// embedding a model in firmware or a program without Ferry.
//
// ExportC writes `<out_dir>/<prefix>.h` and `<out_dir>/<prefix>.c`. The header declares
//
//   #define <PREFIX>_N_FEATURES F        // values per input row, in the model's feature order
//   #define <PREFIX>_N_OUTPUTS  K        // doubles written to `out`
//   extern const char* const <prefix>_feature_names[F];
//   extern const char* const <prefix>_class_names[C];   // classifiers only
//   int <prefix>_predict(const double* features, size_t n_features, double* out);
//
// <prefix>_predict takes one row of raw feature values. A regressor writes its prediction to
// out[0] and returns 0; a classifier writes the C class probabilities to out[0..C-1] and
// returns the predicted class index. It returns -1 (writing nothing) when n_features != F
// or a pointer is NULL. Every parameter is printed with %.17g, so the C code computes the
// same numbers as Ferry's predictor (to rounding of the platform's exp()).

#include <string>
#include <string_view>

#include "common/status.h"
#include "runtime/family.h"

namespace ferry::runtime {

// `family` is the model's family name, looked up in `families` (each family writes its own C:
// Family::ExportC); `symbol_prefix` must be a C identifier ([A-Za-z_][A-Za-z0-9_]*, at most
// 64 characters). Creates `out_dir` if needed. kInvalidArgument for a bad prefix or an
// unknown family, kUnimplemented for a family without a C exporter, and the family's load
// errors for unreadable model files.
absl::Status ExportC(const FamilyRegistry& families, const ModelFiles& files,
                     std::string_view family, const std::string& out_dir,
                     std::string_view symbol_prefix);

}  // namespace ferry::runtime
