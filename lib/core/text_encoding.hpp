// Text from Japanese Windows and Japanese customers' network devices: zip entry names without the UTF-8 flag and collector-log.txt
// are in the ANSI code page, CP932 (Shift_JIS with Microsoft extensions).
#pragma once

#include <string>
#include <string_view>

namespace kk {

enum class TextEncoding { kAscii, kUtf8, kCp932 };
std::string_view encoding_name(TextEncoding e);  // "ascii", "utf-8", "cp932"

struct DecodedText {
  std::string text;  // valid UTF-8
  TextEncoding encoding = TextEncoding::kAscii;
  std::size_t replaced = 0;  // bytes that were neither UTF-8 nor CP932 (became U+FFFD)
};

// Bytes that are valid UTF-8 stay as they are (ASCII is both); anything else is read as
// CP932 through iconv (glibc's "CP932" maps 0x5C to '\', as Windows does).
DecodedText decode_windows_text(std::string_view bytes);

// Appends CP932 BYTES to OUT as UTF-8 (bytes that are not CP932 become U+FFFD, counted in
// the result). Without a CP932 converter installed it keeps what is valid UTF-8.
std::size_t append_cp932(std::string& out, std::string_view bytes);

}  // namespace kk
