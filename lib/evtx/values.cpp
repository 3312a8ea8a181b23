#include "evtx/values.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "core/byte_reader.hpp"
#include "core/time.hpp"
#include "evtx/binxml.hpp"

namespace kk::evtx {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr char kLowerHex[] = "0123456789abcdef";

template <typename T>
T load(const std::uint8_t* p) {
  return ByteReader::load<T>(p);
}

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
void civil(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

char* put_digits(char* w, std::uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    w[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return w + width;
}

// "YYYY-MM-DDTHH:MM:SS" + "." + FRACTION (DIGITS digits) + "Z" for SECONDS since 1970.
void append_iso(TextBuffer& out, std::int64_t seconds, std::uint64_t fraction, int digits) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t sod = seconds - days * 86400;
  std::int64_t y;
  unsigned m, d;
  civil(days, y, m, d);
  char* w = out.reserve_tail(48);
  if (y < 0 || y > 9999) {
    TextBuffer tmp;
    tmp.append_int(y);
    std::memcpy(w, tmp.data(), tmp.size());
    w += tmp.size();
  } else {
    w = put_digits(w, static_cast<std::uint64_t>(y), 4);
  }
  *w++ = '-';
  w = put_digits(w, m, 2);
  *w++ = '-';
  w = put_digits(w, d, 2);
  *w++ = 'T';
  w = put_digits(w, static_cast<std::uint64_t>(sod / 3600), 2);
  *w++ = ':';
  w = put_digits(w, static_cast<std::uint64_t>(sod / 60 % 60), 2);
  *w++ = ':';
  w = put_digits(w, static_cast<std::uint64_t>(sod % 60), 2);
  *w++ = '.';
  w = put_digits(w, fraction, digits);
  *w++ = 'Z';
  out.set_end(w);
}

void append_hex_minimal(TextBuffer& out, std::uint64_t v) {
  int n = (64 - __builtin_clzll(v | 1) + 3) / 4;  // digits, at least one
  char* w = out.reserve_tail(20);
  *w++ = '0';
  *w++ = 'x';
  for (int i = n - 1; i >= 0; --i) {
    w[i] = kLowerHex[v & 15];
    v >>= 4;
  }
  out.set_end(w + n);
}

void append_guid(TextBuffer& out, const std::uint8_t* p) {
  char* w = out.reserve_tail(40);
  auto hexb = [&](std::uint8_t b) {
    *w++ = kUpperHex[b >> 4];
    *w++ = kUpperHex[b & 15];
  };
  *w++ = '{';
  for (int i = 3; i >= 0; --i) hexb(p[i]);
  *w++ = '-';
  hexb(p[5]);
  hexb(p[4]);
  *w++ = '-';
  hexb(p[7]);
  hexb(p[6]);
  *w++ = '-';
  hexb(p[8]);
  hexb(p[9]);
  *w++ = '-';
  for (int i = 10; i < 16; ++i) hexb(p[i]);
  *w++ = '}';
  out.set_end(w);
}

// SID: revision, sub-authority count, 48-bit big-endian authority, sub-authorities.
bool append_sid(TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  if (n < 8) return false;
  std::size_t count = p[1];
  if (n < 8 + 4 * count) return false;
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | p[i];
  out.append("S-");
  out.append_uint(p[0]);
  out.push('-');
  if (authority >> 32) {
    append_hex_minimal(out, authority);
  } else {
    out.append_uint(authority);
  }
  for (std::size_t i = 0; i < count; ++i) {
    out.push('-');
    out.append_uint(load<std::uint32_t>(p + 8 + 4 * i));
  }
  return true;
}

void append_binary_hex(TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  char* w = out.reserve_tail(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    *w++ = kUpperHex[p[i] >> 4];
    *w++ = kUpperHex[p[i] & 15];
  }
  out.set_end(w);
}

template <typename T>
void append_float(TextBuffer& out, T v) {
  char* w = out.reserve_tail(40);
  auto r = std::to_chars(w, w + 40, v);
  out.set_end(r.ptr);
}

bool is_quoted_type(std::uint8_t t) {
  switch (t) {
    case kInt8:
    case kUInt8:
    case kInt16:
    case kUInt16:
    case kInt32:
    case kUInt32:
    case kInt64:
    case kUInt64:
    case kReal32:
    case kReal64:
    case kBool:
    case kSizeT:
      return false;
    default:
      return true;
  }
}

bool append_systemtime(TextBuffer& out, const std::uint8_t* p, std::size_t n, TimeStyle ts) {
  if (n < 16) return false;
  auto f = [&](int i) { return static_cast<int>(load<std::uint16_t>(p + 2 * i)); };
  auto t = from_systemtime(f(0), f(1), f(3), f(4), f(5), f(6), f(7));
  if (!t) return false;
  std::int64_t s = *t >= 0 ? *t / 1000000 : (*t - 999999) / 1000000;
  std::uint64_t us = static_cast<std::uint64_t>(*t - s * 1000000);
  if (ts == TimeStyle::kTicks)
    append_iso(out, s, us * 10, 7);
  else
    append_iso(out, s, us, 6);
  return true;
}

}  // namespace

std::size_t fixed_item_size(std::uint8_t t, std::size_t total) {
  switch (t) {
    case kInt8:
    case kUInt8:
      return 1;
    case kInt16:
    case kUInt16:
      return 2;
    case kInt32:
    case kUInt32:
    case kReal32:
    case kBool:
    case kHexInt32:
      return 4;
    case kInt64:
    case kUInt64:
    case kReal64:
    case kFileTime:
    case kHexInt64:
      return 8;
    case kGuid:
    case kSysTime:
      return 16;
    case kSizeT:
      return total % 8 == 0 ? 8 : 4;
    case kEvtHandle:
      return total % 8 == 0 ? 8 : 4;
    default:
      return 0;
  }
}

void append_filetime(TextBuffer& out, std::uint64_t ft, TimeStyle ts) {
  std::int64_t ticks = static_cast<std::int64_t>(ft - kFiletimeUnixEpoch);
  if (ft < kFiletimeUnixEpoch) ticks = -static_cast<std::int64_t>(kFiletimeUnixEpoch - ft);
  std::int64_t s = ticks >= 0 ? ticks / 10000000 : (ticks - 9999999) / 10000000;
  std::uint64_t frac = static_cast<std::uint64_t>(ticks - s * 10000000);
  if (ts == TimeStyle::kTicks)
    append_iso(out, s, frac, 7);
  else
    append_iso(out, s, frac / 10, 6);
}

void append_micros_iso(TextBuffer& out, std::int64_t t) {
  std::int64_t s = t >= 0 ? t / 1000000 : (t - 999999) / 1000000;
  append_iso(out, s, static_cast<std::uint64_t>(t - s * 1000000), 6);
}

std::optional<std::uint64_t> value_number(std::uint8_t type, const std::uint8_t* p, std::size_t n) {
  switch (type) {
    case kInt8:
      if (n >= 1)
        return static_cast<std::uint64_t>(
            static_cast<std::int64_t>(static_cast<std::int8_t>(p[0])));
      break;
    case kUInt8:
      if (n >= 1) return p[0];
      break;
    case kInt16:
      if (n >= 2)
        return static_cast<std::uint64_t>(static_cast<std::int64_t>(load<std::int16_t>(p)));
      break;
    case kUInt16:
      if (n >= 2) return load<std::uint16_t>(p);
      break;
    case kInt32:
      if (n >= 4)
        return static_cast<std::uint64_t>(static_cast<std::int64_t>(load<std::int32_t>(p)));
      break;
    case kUInt32:
    case kHexInt32:
      if (n >= 4) return load<std::uint32_t>(p);
      break;
    case kInt64:
    case kUInt64:
    case kHexInt64:
      if (n >= 8) return load<std::uint64_t>(p);
      break;
    case kSizeT:
    case kEvtHandle:
    case kBool:
      if (n >= 8) return load<std::uint64_t>(p);
      if (n >= 4) return load<std::uint32_t>(p);
      if (n >= 2) return load<std::uint16_t>(p);
      if (n >= 1) return p[0];
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::optional<std::int64_t> value_time(std::uint8_t type, const std::uint8_t* p, std::size_t n) {
  if (type == kFileTime && n >= 8) return from_filetime(load<std::uint64_t>(p));
  if (type == kSysTime && n >= 16) {
    auto f = [&](int i) { return static_cast<int>(load<std::uint16_t>(p + 2 * i)); };
    return from_systemtime(f(0), f(1), f(3), f(4), f(5), f(6), f(7));
  }
  return std::nullopt;
}

void value_text(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n, Escape e,
                TimeStyle ts) {
  switch (type) {
    case kNull:
      return;
    case kString:
      append_utf16(out, p, n / 2, e);
      return;
    case kAnsiString:
      append_ansi(out, p, n, e);
      return;
    case kInt8:
    case kInt16:
    case kInt32:
    case kInt64: {
      auto v = value_number(type, p, n);
      if (v) out.append_int(static_cast<std::int64_t>(*v));
      return;
    }
    case kUInt8:
    case kUInt16:
    case kUInt32:
    case kUInt64: {
      auto v = value_number(type, p, n);
      if (v) out.append_uint(*v);
      return;
    }
    case kReal32:
      if (n >= 4) append_float(out, load<float>(p));
      return;
    case kReal64:
      if (n >= 8) append_float(out, load<double>(p));
      return;
    case kBool: {
      auto v = value_number(type, p, n);
      if (v) out.append(*v ? "true" : "false");
      return;
    }
    case kGuid:
      if (n >= 16)
        append_guid(out, p);
      else
        append_binary_hex(out, p, n);
      return;
    case kSizeT: {  // decimal, as libevtx and python-evtx render it
      auto v = value_number(type, p, n);
      if (v) out.append_uint(*v);
      return;
    }
    case kHexInt32:
    case kHexInt64:
    case kEvtHandle: {
      auto v = value_number(type == kEvtHandle ? std::uint8_t{kSizeT} : type, p, n);
      if (v) append_hex_minimal(out, *v);
      return;
    }
    case kFileTime:
      if (n >= 8) append_filetime(out, load<std::uint64_t>(p), ts);
      return;
    case kSysTime:
      if (!append_systemtime(out, p, n, ts)) append_binary_hex(out, p, n);
      return;
    case kSid:
      if (!append_sid(out, p, n)) append_binary_hex(out, p, n);
      return;
    default:  // binary, EvtXml, unknown types, unparsable BinXML: upper-case hex as Windows shows
              // binary
      append_binary_hex(out, p, n);
      return;
  }
}

void value_json(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n) {
  switch (type) {
    case kNull:
      out.append("null");
      return;
    case kReal32:
    case kReal64: {
      double v =
          type == kReal32 ? (n >= 4 ? load<float>(p) : NAN) : (n >= 8 ? load<double>(p) : NAN);
      if (!std::isfinite(v)) {
        out.append("null");
        return;
      }
      break;
    }
    case kFileTime: {  // 0 is rendered as 1601-01-01, as Windows does
      if (n < 8) {
        out.append("null");
        return;
      }
      out.push('"');
      append_filetime(out, load<std::uint64_t>(p), TimeStyle::kMicros);
      out.push('"');
      return;
    }
    case kSysTime: {
      auto t = value_time(type, p, n);
      if (!t) break;  // invalid: hex of its bytes below
      out.push('"');
      append_micros_iso(out, *t);
      out.push('"');
      return;
    }
    default:
      break;
  }
  if (is_quoted_type(type)) {
    out.push('"');
    value_text(out, type, p, n, Escape::kJson, TimeStyle::kMicros);
    out.push('"');
  } else {
    std::size_t before = out.size();
    value_text(out, type, p, n, Escape::kJson, TimeStyle::kMicros);
    if (out.size() == before) out.append("null");  // too short for its type
  }
}

void any_value_json(TextBuffer& out, std::uint8_t type, const std::uint8_t* p, std::size_t n) {
  if (!(type & kArray)) {
    value_json(out, type, p, n);
    return;
  }
  std::uint8_t t = type & 0x7f;
  std::size_t mark = out.size();
  out.push('[');
  bool first = true;
  bool ok = for_each_array_item(type, p, n, [&](const std::uint8_t* q, std::size_t m) {
    if (!first) out.push(',');
    first = false;
    value_json(out, t, q, m);
  });
  if (!ok) {
    out.resize_down(mark);
    out.push('"');
    append_binary_hex(out, p, n);
    out.push('"');
    return;
  }
  out.push(']');
}

}  // namespace kk::evtx
