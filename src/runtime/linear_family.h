#pragma once
// The "linear" (ridge regression) and "logistic" (binary / multinomial logistic regression)
// families. Model file: model.json (runtime/linear_model.h); trainer parameters and metrics:
// runtime/linear_trainer.h.
//
// Schema: one input "input", FP64 [-1, F], whose columns name the features (any numeric
// datatype or BOOL is accepted and converted to double; NaN is refused). Outputs:
//   linear:   "predictions" FP64 [-1]
//   logistic: "predictions" INT64 [-1] when the class labels are integers, BYTES [-1]
//             otherwise; "probabilities" FP64 [-1, C], columns named by the class labels.

#include "runtime/family.h"

namespace ferry::runtime {

FamilyPtr NewLinearFamily();
FamilyPtr NewLogisticFamily();

}  // namespace ferry::runtime
