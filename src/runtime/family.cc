#include "runtime/family.h"

namespace ferry::runtime {

void FamilyRegistry::Add(FamilyPtr family) {
  std::string name(family->name());
  families_[name] = std::move(family);
}

const Family* FamilyRegistry::Find(std::string_view name) const {
  auto it = families_.find(name);
  return it == families_.end() ? nullptr : it->second.get();
}

absl::Status Family::ExportC(const ModelFiles& files, const std::string& out_dir,
                             std::string_view symbol_prefix) const {
  return absl::UnimplementedError("family \"" + std::string(name()) + "\" has no C export");
}

FamilyRegistry& ProcessFamilies() {
  static FamilyRegistry* families = new FamilyRegistry();  // never destroyed: used until exit
  return *families;
}

std::string FamilyRegistry::Names() const {
  std::string out;
  for (const auto& [name, family] : families_) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace ferry::runtime
