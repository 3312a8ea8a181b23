#include "core/text_encoding.hpp"

#include <iconv.h>

#include <cerrno>

#include "core/utf.hpp"

namespace kk {

std::string_view encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::kAscii:
      return "ascii";
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kCp932:
      return "cp932";
  }
  return "ascii";
}

namespace {

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = valid_utf8_prefix(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// iconv handle per thread: iconv_open is slow and a handle is not thread-safe.
class Cp932Decoder {
 public:
  Cp932Decoder() : cd_(iconv_open("UTF-8", "CP932")) {}
  ~Cp932Decoder() {
    if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
  }
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  std::size_t decode(std::string_view in, std::string& out) {
    std::size_t replaced = 0;
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    char* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    char buf[4096];
    while (left > 0) {
      char* dst = buf;
      std::size_t room = sizeof buf;
      std::size_t r = iconv(cd_, &src, &left, &dst, &room);
      out.append(buf, static_cast<std::size_t>(dst - buf));
      if (r == static_cast<std::size_t>(-1)) {
        if (errno == E2BIG) continue;
        // EILSEQ or EINVAL (truncated lead byte): replace one byte and go on.
        append_code_point(out, 0xFFFD);
        ++replaced;
        ++src;
        --left;
        iconv(cd_, nullptr, nullptr, nullptr, nullptr);
      }
    }
    return replaced;
  }

 private:
  iconv_t cd_;
};

}  // namespace

std::size_t append_cp932(std::string& out, std::string_view bytes) {
  thread_local Cp932Decoder decoder;
  if (!decoder.ok()) return append_sanitized_utf8(out, bytes);
  return decoder.decode(bytes, out);
}

DecodedText decode_windows_text(std::string_view bytes) {
  DecodedText d;
  if (is_ascii(bytes)) {
    d.text.assign(bytes);
    return d;
  }
  if (is_valid_utf8(bytes)) {
    d.text.assign(bytes);
    d.encoding = TextEncoding::kUtf8;
    return d;
  }
  d.encoding = TextEncoding::kCp932;
  d.replaced = append_cp932(d.text, bytes);
  return d;
}

}  // namespace kk
