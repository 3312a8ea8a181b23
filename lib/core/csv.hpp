// The one CSV cell writer every --format csv uses (parse-mft, parse-usnjrnl, parse-evtx,
// parse-prefetch, build-timeline).
//
// CSV output is opened in Excel, and cell text comes from evidence an attacker chose (file
// names, USN names, computer names, executable names). A cell starting with = + - @ (or a
// tab or CR, which Excel skips before looking) would run as a formula ("CSV injection"):
// such a cell is quoted and gets a leading apostrophe, which spreadsheets show as text.
// RFC 4180 otherwise: quoted when it holds a comma, quote or line break, quotes doubled.
#pragma once

#include <string>
#include <string_view>

namespace kk {

// Whether V would be taken as a formula by a spreadsheet.
inline bool csv_formula_like(std::string_view v) {
  return !v.empty() &&
         (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

// Appends V as one CSV field to OUT: a std::string, or any buffer with append(string_view)
// and push_back(char).
template <typename Out>
void append_csv_field(Out& out, std::string_view v) {
  const bool formula = csv_formula_like(v);
  if (!formula && v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  if (formula) out.push_back('\'');
  std::size_t start = 0;
  for (std::size_t q = v.find('"'); q != std::string_view::npos; q = v.find('"', q + 1)) {
    out.append(v.substr(start, q + 1 - start));
    out.push_back('"');
    start = q + 1;
  }
  out.append(v.substr(start));
  out.push_back('"');
}

}  // namespace kk
