#pragma once
// What one cell of a data file holds, as schema inference and validation see it (TFDV types
// values, not columns; a column's type is the narrowest one that fits all of its values).
//
//   ""                                   missing (CSV empty field, JSON null or absent key)
//   true / false (any case)              BOOL
//   [+-]digits fitting int64             INT
//   nan, -nan (any case)                 NaN (a FLOAT value)
//   inf, infinity, with a sign (any case)  an infinity (a FLOAT value)
//   any other strtod number              FLOAT (finite)
//   anything else                        STRING (values are not trimmed: " 1" is a string)

#include <cstdint>
#include <string_view>

namespace ferry::monitoring {

enum class ValueKind { kMissing, kBool, kInt, kFloat, kNan, kInf, kString };

struct CellValue {
  ValueKind kind = ValueKind::kMissing;
  std::string_view text;  // the cell
  int64_t int_value = 0;  // kInt; kBool: 1 for true, 0 for false
  double number = 0;      // kInt, kFloat, kInf (signed); kBool as 0/1
};

CellValue ClassifyCell(std::string_view cell);

// True for kInt, kFloat, kNan and kInf.
inline bool IsNumber(ValueKind kind) {
  return kind == ValueKind::kInt || kind == ValueKind::kFloat || kind == ValueKind::kNan ||
         kind == ValueKind::kInf;
}

}  // namespace ferry::monitoring
