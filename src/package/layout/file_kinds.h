#pragma once
// Picks a ModelPack layer media type (weight, weight config, doc, code, dataset) and a
// model format from a file's relative path.

#include <string>
#include <string_view>

namespace ferry::package {

// One of the kModel*Raw media types. Unknown files are weights: model files come in many
// formats, and the weight type is the one serving reads.
const char* MediaTypeForFile(std::string_view rel_path);
// "onnx", "safetensors", "gguf", "pytorch", "pickle", "keras", "tensorflow", "xgboost",
// "tflite", or "" when the extension says nothing.
std::string FormatForFile(std::string_view rel_path);

}  // namespace ferry::package
