// libFuzzer target for the S3 answers Ferry reads (net/s3_client.h XmlElementText): an S3
// endpoint is outside input. Properties checked, for the tags Ferry asks for:
//   * the text found is never longer than the input and never holds '<' unless the input
//     escaped one (a raw '<' in text is refused);
//   * text with no '&' in the input's element comes back byte for byte.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "net/s3_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  for (std::string_view tag : {"UploadId", "Code", "Message", "ETag", "Key"}) {
    std::optional<std::string> text = ferry::net::XmlElementText(xml, tag);
    if (!text) continue;
    Check(text->size() <= xml.size());
    if (text->find('<') != std::string::npos)
      Check(xml.find("&lt;") != std::string::npos || xml.find("&#") != std::string::npos);
    if (xml.find('&') == std::string_view::npos && !text->empty()) {
      Check(xml.find(*text) != std::string_view::npos);
    }
  }
  return 0;
}
