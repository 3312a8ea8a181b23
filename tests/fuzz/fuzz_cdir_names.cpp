// Archive entry names and folder names: decoding, path safety, classification.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cdir/bundle_layout.hpp"
#include "cdir/kind.hpp"
#include "cdir/safe_tree.hpp"
#include "core/text_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string raw(reinterpret_cast<const char*>(data), size);
  auto decoded = kk::decode_windows_text(raw);
  auto comps = kk::cdir::safe_components(decoded.text);
  if (comps) {
    std::string joined;
    for (const auto& c : *comps) {
      // Property: no accepted component can climb out of DIR.
      if (c == ".." || c.empty() || c.find('/') != std::string::npos ||
          c.find('\\') != std::string::npos)
        std::abort();
      joined += (joined.empty() ? "" : "/") + c;
    }
    (void)kk::cdir::classify(joined);
    (void)kk::cdir::hive_user(joined);
    (void)kk::cdir::find_bundle_roots({joined});
  }
  (void)kk::cdir::parse_folder_name(decoded.text, "Asia/Tokyo");
  return 0;
}
