// Fuzzes the ESE reader end to end: header, catalog, every table's B+-tree walk and
// every column value of every record (long values and decompression included).
// Any input opens or fails with a reason; nothing crashes, hangs or over-allocates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ese/ese.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto db = kk::ese::Database::open(kk::Bytes(data, size));
  if (!db.ok()) {
    if (db.error().message.empty()) std::abort();
    return 0;
  }
  std::size_t sink = 0;
  for (const auto& t : db->tables()) {
    db->for_each_record(t, [&](const kk::ese::Record& r) {
      for (const auto& c : t.columns) {
        auto v = r.get(c);
        sink += v.text().size() + v.integer().value_or(0) + v.filetime().value_or(0);
        sink += static_cast<std::size_t>(v.ole_date().value_or(0));
      }
    });
  }
  for (const auto& i : db->issues())
    if (i.message.empty()) std::abort();
  return sink == 1 ? 1 : 0;
}
