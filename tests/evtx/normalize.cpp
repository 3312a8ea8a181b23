#include "normalize.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "core/diagnostics.hpp"

namespace kk_evtx_test {
namespace {

bool is_hex(std::string_view v) {
  if (v.size() < 3 || v[0] != '0' || v[1] != 'x') return false;
  return std::all_of(v.begin() + 2, v.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool digits(std::string_view v, std::size_t at, std::size_t n) {
  for (std::size_t i = at; i < at + n; ++i)
    if (i >= v.size() || !std::isdigit(static_cast<unsigned char>(v[i]))) return false;
  return true;
}

// YYYY-MM-DDTHH:MM:SS[.fraction]Z
bool is_iso(std::string_view v) {
  if (v.size() < 20 || v.size() > 32 || v.back() != 'Z') return false;
  if (!digits(v, 0, 4) || v[4] != '-' || !digits(v, 5, 2) || v[7] != '-' || !digits(v, 8, 2) ||
      v[10] != 'T' || !digits(v, 11, 2) || v[13] != ':' || !digits(v, 14, 2) || v[16] != ':' ||
      !digits(v, 17, 2))
    return false;
  if (v.size() == 20) return true;
  return v[19] == '.' && v.size() > 21 && digits(v, 20, v.size() - 21);
}

// {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}
bool is_guid(std::string_view v) {
  if (v.size() != 38 || v.front() != '{' || v.back() != '}') return false;
  for (std::size_t i = 1; i < 37; ++i) {
    bool dash = i == 9 || i == 14 || i == 19 || i == 24;
    if (dash ? v[i] != '-' : !std::isxdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return true;
}

std::string json_text(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return "";
    case simdjson::dom::element_type::STRING:
      return std::string(v.get_string().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return v.get_bool().value_unsafe() ? "true" : "false";
    default:
      return simdjson::minify(v);
  }
}

}  // namespace

std::string norm(std::string_view in) {
  std::string v;
  for (std::size_t i = 0; i < in.size(); ++i) {  // line ends as an XML parser reads them
    if (in[i] == '\r') {
      v.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else {
      v.push_back(in[i]);
    }
  }
  if (v.find_first_not_of(" \t\n") == std::string::npos) return "";
  if (is_hex(v)) {
    std::string h = v.substr(2);
    for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t nz = h.find_first_not_of('0');
    return "0x" + (nz == std::string::npos ? std::string("0") : h.substr(nz));
  }
  if (is_iso(v)) {
    std::size_t dot = v.find('.');
    std::string frac = dot == std::string::npos ? "" : v.substr(dot + 1, v.size() - dot - 2);
    frac = (frac + "000000").substr(0, 6);
    return v.substr(0, 19) + "." + frac + "Z";
  }
  if (is_guid(v)) {
    for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return v;
}

std::vector<std::string> normalized_lines(std::string_view jsonl) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  std::size_t pos = 0;
  while (pos < jsonl.size()) {
    std::size_t nl = jsonl.find('\n', pos);
    std::string_view line = jsonl.substr(pos, nl - pos);
    pos = nl == std::string_view::npos ? jsonl.size() : nl + 1;
    simdjson::dom::element r;
    if (parser.parse(line.data(), line.size()).get(r)) {
      out.push_back("<invalid JSON>");
      continue;
    }
    std::vector<std::string> data;
    simdjson::dom::object obj;
    if (r["data"].get(obj)) continue;
    for (auto [k, v] : obj) {
      std::string key(k);
      if (v.type() == simdjson::dom::element_type::OBJECT) continue;  // UserData: not compared
      if (key == "Data" && v.type() == simdjson::dom::element_type::ARRAY) {
        simdjson::dom::array arr;
        if (v.get(arr)) continue;
        for (auto x : arr) data.push_back("=" + norm(json_text(x)));
        continue;
      }
      std::size_t hash = key.rfind('#');
      if (hash != std::string::npos && hash + 1 < key.size() &&
          std::all_of(key.begin() + static_cast<long>(hash) + 1, key.end(), ::isdigit))
        key.resize(hash);
      data.push_back(key + "=" + norm(json_text(v)));
    }
    std::sort(data.begin(), data.end());
    std::string l = json_text(r["record_id"]) + "|" + json_text(r["event_id"]) + "|" +
                    norm(json_text(r["time"])) + "|" + json_text(r["channel"]) + "|" +
                    json_text(r["computer"]) + "|";
    for (std::size_t i = 0; i < data.size(); ++i) l += (i ? ";" : "") + data[i];
    out.push_back(std::move(l));
  }
  return out;
}

std::uint64_t fnv1a(const std::vector<std::string>& lines) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  bool first = true;
  for (const auto& l : lines) {
    if (!first) h = (h ^ '\n') * 0x100000001b3ULL;
    first = false;
    for (unsigned char c : l) h = (h ^ c) * 0x100000001b3ULL;
  }
  return h;
}

Parsed parse(const std::string& path, kk::evtx::Options opt) {
  Parsed p;
  kk::Diagnostics diag("parse-evtx");
  diag.set_stderr_limit(0);
  p.stats = kk::evtx::parse_file(path, opt, diag, [&](std::string_view s) { p.jsonl.append(s); });
  p.warnings = diag.warnings();
  p.errors = diag.errors();
  return p;
}

}  // namespace kk_evtx_test
