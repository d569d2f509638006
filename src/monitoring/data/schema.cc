#include "monitoring/data/schema.h"

namespace ferry::monitoring {
namespace {

struct TypeName {
  ColumnType type;
  std::string_view name;
};

constexpr TypeName kTypeNames[] = {
    {ColumnType::kUnknown, "UNKNOWN"}, {ColumnType::kInt, "INT"},   {ColumnType::kFloat, "FLOAT"},
    {ColumnType::kString, "STRING"},   {ColumnType::kBool, "BOOL"},
};

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "UNKNOWN";
}

std::optional<ColumnType> ParseColumnType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

const ColumnSchema* DataSchema::Find(std::string_view name) const {
  for (const ColumnSchema& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace ferry::monitoring
