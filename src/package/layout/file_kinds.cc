#include "package/layout/file_kinds.h"

#include <set>
#include <utility>

#include "common/strings.h"
#include "package/layout/oci.h"

namespace ferry::package {

namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string Extension(std::string_view path) {
  std::string_view base = BaseName(path);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return ToLower(base.substr(dot + 1));
}

bool IsDocName(const std::string& lower_base) {
  static const char* kPrefixes[] = {"readme",    "license",    "licence",   "notice",
                                    "changelog", "model_card", "modelcard", "copying"};
  for (const char* p : kPrefixes) {
    if (StartsWith(lower_base, p)) return true;
  }
  return false;
}

bool IsCodeName(const std::string& lower_base) {
  static const std::set<std::string_view> kNames = {
      "requirements.txt", "constraints.txt", "conda.yaml", "python_env.yaml", "python-env.yaml",
      "dockerfile",       "makefile",        "mlproject",  "pyproject.toml",  "setup.py"};
  return kNames.count(lower_base) > 0;
}

}  // namespace

const char* MediaTypeForFile(std::string_view rel_path) {
  static const std::set<std::string_view> kDoc = {"md", "rst", "txt", "pdf", "html", "adoc"};
  static const std::set<std::string_view> kCode = {"py", "sh",  "ipynb", "r",     "jl",  "c",
                                                   "cc", "cpp", "h",     "hpp",   "js",  "ts",
                                                   "go", "rs",  "java",  "scala", "lua", "sql"};
  static const std::set<std::string_view> kConfig = {"json", "yaml", "yml", "toml",  "cfg",
                                                     "ini",  "conf", "xml", "vocab", "tiktoken"};
  static const std::set<std::string_view> kData = {"csv",   "tsv",     "parquet", "jsonl",
                                                   "arrow", "feather", "avro",    "orc"};
  const std::string base = ToLower(BaseName(rel_path));
  const std::string ext = Extension(rel_path);
  if (IsCodeName(base) || kCode.count(ext)) return kModelCodeRaw;
  if (IsDocName(base) || kDoc.count(ext)) return kModelDocRaw;
  if (kData.count(ext)) return kModelDatasetRaw;
  if (kConfig.count(ext) || base == "mlmodel") return kModelWeightConfigRaw;
  return kModelWeightRaw;
}

std::string FormatForFile(std::string_view rel_path) {
  static const std::pair<const char*, const char*> kFormats[] = {
      {"onnx", "onnx"},      {"safetensors", "safetensors"},
      {"gguf", "gguf"},      {"pt", "pytorch"},
      {"pth", "pytorch"},    {"bin", "pytorch"},
      {"pkl", "pickle"},     {"pickle", "pickle"},
      {"joblib", "joblib"},  {"h5", "keras"},
      {"keras", "keras"},    {"pb", "tensorflow"},
      {"ubj", "xgboost"},    {"xgb", "xgboost"},
      {"tflite", "tflite"},  {"npz", "numpy"},
      {"npy", "numpy"},      {"ckpt", "checkpoint"},
      {"mlmodel", "coreml"}, {"params", "mxnet"},
      {"cbm", "catboost"}};
  const std::string ext = Extension(rel_path);
  for (const auto& [e, format] : kFormats) {
    if (ext == e) return format;
  }
  return "";
}

}  // namespace ferry::package
