// Fuzzes parse-browser's WebCache reader: the input is read as a WebCacheV01.dat (an ESE
// database: Containers, History/iedownload/Content containers → visits, downloads, cache
// entries), then as a cache entry's response headers, a URL (is it a program's?) and a
// history Url column (seeds: the start of the corpus WebCache, where its catalog and
// Containers table are). Nothing crashes or hangs; the output is valid JSONL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "browser/browser.hpp"
#include "browser/webcache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kk::Diagnostics diag("fuzz");
  diag.set_stderr_limit(0);
  std::string out;
  kk::browser::parse_image(std::vector<std::uint8_t>(data, data + size),
                           "Web/IE10_Edge/u_WebCacheV01.dat", {}, out, diag);
  if (!out.empty() && out.back() != '\n') std::abort();
  auto head = kk::browser::response_head({data, size});
  if (head.status != 0 && (head.status < 100 || head.status > 999)) std::abort();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)kk::browser::executable_name(text);
  auto url = kk::browser::split_history_url(text);
  if (url.user.size() + url.url.size() > size) std::abort();
  return 0;
}
