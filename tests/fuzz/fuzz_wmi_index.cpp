// Fuzzes the INDEX.BTR reader of parse-wmi: the input is read as an INDEX.BTR without its
// map (every page: page headers, key lists, string tables, instance keys), its instance
// keys are named as namespaces (the walk from ROOT, with Names made from the keys
// themselves) and looked up; the input is also read as a MAPPING file's index map.
// Nothing crashes, hangs or over-allocates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "wmi/index_btr.hpp"
#include "wmi/mapping.hpp"
#include "wmi/namespaces.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  std::string why;
  auto map = kk::wmi::read_index_map(bytes, &why);
  if (!map && why.empty()) std::abort();
  auto keys = kk::wmi::read_index(bytes, map ? &*map : nullptr);
  if (keys.pages_read > keys.pages) std::abort();
  if (map) keys = kk::wmi::read_index(bytes, nullptr);
  std::vector<kk::wmi::InstanceKey> copy = keys.instances;
  kk::wmi::NamespaceNames names(std::move(keys.instances), size % 2 == 0);
  names.resolve([](const kk::wmi::InstanceKey& k) { return k.key_hash.substr(0, k.size % 8); });
  for (const auto& k : copy) {
    // Null only when keys of the same object disagree on the namespace.
    if (const auto* found = names.key_of(k.page, k.record_id, k.size))
      (void)names.name(found->ns_hash);
    (void)names.key_of(kk::wmi::kNoPage, k.record_id, k.size);
  }
  return 0;
}
