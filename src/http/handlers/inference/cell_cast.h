#pragma once
// One request value (a JSON scalar, or a CSV cell) stored as an element of a typed tensor,
// under the conversions MLflow's scoring server applies (pandas `astype` for JSON, pandas
// `read_csv` with the signature's dtypes for CSV), with Python's and pandas' own error texts.
// Internal to the /invocations decoder.
//
// JSON values for a          accepted                          refused
//   double / float column    numbers, booleans (1/0), null      other strings: "could not
//                            (NaN), numeric strings ("2.5")     convert string to float: 'x'"
//   long / integer column    integers, integral doubles (2.0),  null, non-numeric strings,
//                            booleans, integer strings ("3")    non-integral doubles (unsafe)
//   boolean column           booleans, numbers (non-zero is     other strings
//                            true), null (false), "true"/"false"
//                            in any case, "1"/"0"
//   string column            strings; numbers and booleans as   null, lists, objects
//                            their Python text ("5", "True")
// CSV cells follow pandas.read_csv: "" and pandas' NA spellings are NaN in float columns and
// errors in integer and boolean columns; a boolean cell must be True/False (any case).
// Ferry is stricter than MLflow 2.12.2 in three places, each reported as unsafe rather than
// silently changing the value: a non-integral double for an integer column (MLflow
// truncates 1.5 to 1), an integer out of an int32 column's range (MLflow wraps it), and a
// string other than true/false/1/0 for a boolean column (MLflow makes "false" true).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "core/tensor.h"

namespace ferry::http {

struct CellError {
  enum class Kind {
    kConvert,  // the value cannot be read as the type: `reason` is Python's or pandas' text
    kUnsafe,   // it can, but only by changing it: `reason` is the value's numpy dtype
  };
  Kind kind;
  std::string reason;
};

// Stores `v` (nullptr: the cell is absent, read as null) as element `i` of `t`, whose
// datatype is FP64, FP32, INT64, INT32, BOOL or BYTES and whose storage is sized.
std::optional<CellError> CastJsonCell(const JsonValue* v, Tensor& t, int64_t i);
// Stores CSV text `cell` as element `i` of `t`; `csv_column` is the cell's column position in
// the CSV header, which pandas' messages name.
std::optional<CellError> CastCsvCell(std::string_view cell, size_t csv_column, Tensor& t,
                                     int64_t i);

// A tensor of `type` and shape `shape`, its storage sized and zeroed.
Tensor SizedTensor(std::string name, DataType type, std::vector<int64_t> shape);

}  // namespace ferry::http
