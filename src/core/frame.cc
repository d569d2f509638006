#include "core/frame.h"

namespace ferry {

const Column* Frame::Find(std::string_view name) const {
  for (const Column& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Frame Frame::Take(const std::vector<size_t>& indices) const {
  Frame out;
  out.columns.reserve(columns.size());
  for (const Column& c : columns) {
    Column taken{c.name, c.numeric, {}, {}};
    if (c.numeric) {
      taken.numbers.reserve(indices.size());
      for (size_t i : indices) taken.numbers.push_back(c.numbers[i]);
    } else {
      taken.strings.reserve(indices.size());
      for (size_t i : indices) taken.strings.push_back(c.strings[i]);
    }
    out.columns.push_back(std::move(taken));
  }
  return out;
}

}  // namespace ferry
