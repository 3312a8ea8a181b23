// Fuzzes the text and time pieces every parser relies on: whatever the bytes,
// UTF-16/UTF-8 conversion and JSON escaping must yield valid UTF-8 JSON, and
// user-time/duration parsing must return a value or an error, never crash. The escaper
// for JSON text must write exactly what the general one writes. The head reader of an
// object's string members (core/json_head) must read what a full parse reads, or give up.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json_head.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "core/utf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string u8 = kk::utf16le_to_utf8(bytes);
  std::string json;
  kk::JsonWriter w(json);
  w.begin_array().string(u8).string(text).end_array();
  static simdjson::dom::parser parser;  // its buffers are kept between inputs
  if (parser.parse(json).error() != simdjson::SUCCESS) std::abort();
  std::string general, as_text;  // the JSON-text escaper writes what the general one does
  kk::append_json_string(general, text);
  kk::append_json_text_string(as_text, text);
  if (general != as_text) std::abort();
  static constexpr std::string_view kKeys[] = {"artifact", "source"};
  std::string_view head[2];
  simdjson::dom::element e;
  if (kk::json_head_strings(text, kKeys, head) &&
      parser.parse(text.data(), text.size()).get(e) == simdjson::SUCCESS && e.is_object())
    for (std::size_t i = 0; i < 2; ++i) {
      std::string_view full;
      if (e[kKeys[i]].get_string().get(full) != simdjson::SUCCESS) full = {};
      if (head[i] != full) std::abort();
    }
  (void)kk::parse_user_time(text, "Asia/Tokyo");
  (void)kk::parse_duration(text);
  return 0;
}
