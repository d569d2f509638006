#include "loader/package_loader.h"

#include "common/fs.h"
#include "package/layout/layout_source.h"

namespace ferry::loader {
namespace {

absl::StatusOr<std::vector<TensorSpec>> FromPackage(const std::vector<package::TensorSpec>& specs,
                                                    std::string_view side) {
  std::vector<TensorSpec> out;
  for (const package::TensorSpec& p : specs) {
    std::optional<DataType> type = ParsePackageDataType(p.type);
    if (!type) {
      return absl::InvalidArgumentError("ferry.schema." + std::string(side) + " \"" + p.name +
                                        "\": type \"" + p.type + "\" cannot be served");
    }
    out.push_back({p.name, *type, p.shape, p.columns, p.allow_nan});
  }
  return out;
}

std::vector<package::TensorSpec> ToPackage(const std::vector<TensorSpec>& specs) {
  std::vector<package::TensorSpec> out;
  for (const TensorSpec& s : specs) {
    out.push_back(
        {s.name, std::string(DataTypePackageName(s.datatype)), s.shape, s.columns, s.allow_nan});
  }
  return out;
}

}  // namespace

absl::StatusOr<ModelSchema> SchemaFromPackage(const package::FerryFields& fields) {
  ModelSchema schema;
  ASSIGN_OR_RETURN(schema.inputs, FromPackage(fields.inputs, "inputs"));
  ASSIGN_OR_RETURN(schema.outputs, FromPackage(fields.outputs, "outputs"));
  return schema;
}

void SchemaToPackage(const ModelSchema& schema, package::FerryFields& fields) {
  fields.inputs = ToPackage(schema.inputs);
  fields.outputs = ToPackage(schema.outputs);
}

absl::StatusOr<LoadedPackage> LoadPackage(const runtime::FamilyRegistry& families,
                                          const std::string& path, const std::string& ref) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("ferry-model"));
  const std::string files_dir = dir.path() + "/files";
  LoadedPackage loaded;
  ASSIGN_OR_RETURN(loaded.contents, package::Unpack(source.layout(), ref, files_dir));
  const auto& predictor = loaded.contents.config.ferry.predictor;
  if (!predictor || predictor->kind != "builtin") {
    return absl::FailedPreconditionError(
        "package " + loaded.contents.config.descriptor.name +
        " has no builtin predictor (ferry.predictor.kind \"builtin\" with a family); Ferry "
        "serves the families " +
        families.Names());
  }
  const runtime::Family* family = families.Find(predictor->family);
  if (family == nullptr) {
    return absl::FailedPreconditionError("package names predictor family \"" + predictor->family +
                                         "\"; this ferry knows " + families.Names());
  }
  runtime::ModelFiles files{files_dir, {}};
  ASSIGN_OR_RETURN(files.schema, SchemaFromPackage(loaded.contents.config.ferry));
  ASSIGN_OR_RETURN(loaded.predictor, family->Load(files));
  loaded.family = predictor->family;
  return loaded;
}

}  // namespace ferry::loader
