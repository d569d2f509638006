// libFuzzer target for the tar reader that `ferry package import` runs on untrusted files
// (package/layout/tar.h). Properties checked:
//   * every error is kInvalidArgument and names where it happened ("entry ..." / "header at
//     offset ..." / "end-of-archive marker");
//   * the data handed out never exceeds the input, and entry sizes are non-negative.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "package/layout/tar.h"

namespace {

void CheckError(const absl::Status& status) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  std::string_view m(status.message().data(), status.message().size());
  Check(m.rfind("entry \"", 0) == 0 || m.rfind("header at offset ", 0) == 0 ||
        m.rfind("end-of-archive marker", 0) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ferry::package::MemorySource src(input);
  ferry::package::TarReader reader(src);
  size_t handed_out = 0;
  char buf[4096];
  for (int entries = 0; entries < 10000; ++entries) {
    auto entry = reader.Next();
    if (!entry.ok()) return CheckError(entry.status()), 0;
    if (!entry->has_value()) return 0;
    Check((*entry)->size >= 0);
    while (true) {
      auto n = reader.ReadData(buf, sizeof(buf));
      if (!n.ok()) return CheckError(n.status()), 0;
      if (*n == 0) break;
      handed_out += *n;
      Check(handed_out <= size);
    }
  }
  return 0;
}
