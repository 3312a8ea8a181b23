// NTUSER.DAT: per-user autostart points, UserAssist, RecentDocs, RunMRU, TypedPaths.
#include <algorithm>

#include "core/utf.hpp"
#include "registry/plugin.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

constexpr const char* kExplorer = "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer";

void user_autoruns(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::vector<std::uint8_t> scratch;
  auto values_of = [&](const std::string& path, std::string_view location) {
    auto k = h.find(path);
    if (!k) return;
    for (auto& v : h.values(*k)) {
      auto s = value_as_string(h.value_data(v, scratch), v.type);
      if (!s) continue;
      Record r(ctx, "autorun", *k, path);
      r.w().field("location", location).field("name", v.name).field("command", *s);
      r.user(ctx.user);
      r.finish();
    }
  };
  std::string cv = "Software\\Microsoft\\Windows\\CurrentVersion\\";
  for (const char* run : {"Run", "RunOnce", "Policies\\Explorer\\Run"}) values_of(cv + run, run);
  std::string nt = "Software\\Microsoft\\Windows NT\\CurrentVersion\\";
  for (auto [key, value, location] : {std::tuple{"Windows", "Load", "Windows\\Load"},
                                      std::tuple{"Windows", "Run", "Windows\\Run"},
                                      std::tuple{"Winlogon", "Shell", "Winlogon\\Shell"}}) {
    auto k = h.find(nt + key);
    if (!k) continue;
    auto s = h.string_value(*k, value);
    if (!s || s->empty()) continue;
    Record r(ctx, "autorun", *k, nt + key);
    r.w().field("location", location).field("name", value).field("command", *s);
    r.user(ctx.user);
    r.finish();
  }
}

std::string rot13(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return o;
}

// UserAssist names start with a known-folder GUID where Windows abstracts the location;
// these are the folders seen there (KNOWNFOLDERID values), written as environment paths.
std::optional<std::string> resolve_known_folder(const std::string& path) {
  static const std::pair<const char*, const char*> kFolders[] = {
      {"{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}", "%SystemRoot%\\System32"},
      {"{D65231B0-B2F1-4857-A4CE-A8E7C6EA7D27}", "%SystemRoot%\\SysWOW64"},
      {"{F38BF404-1D43-42F2-9305-67DE0B28FC23}", "%SystemRoot%"},
      {"{6D809377-6AF0-444B-8957-A3773F02200E}", "%ProgramFiles%"},
      {"{905E63B6-C1BF-494E-B29C-65B732D3D21A}", "%ProgramFiles%"},
      {"{7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}", "%ProgramFiles(x86)%"},
      {"{F7F1ED05-9F6D-47A2-AAAE-29D317C6F066}", "%CommonProgramFiles%"},
      {"{0139D44E-6AFE-49F2-8690-3DAFCAE6FFB8}",
       "%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs"},
      {"{A77F5D77-2E2B-44C3-A6A2-ABA601054A51}",
       "%AppData%\\Microsoft\\Windows\\Start Menu\\Programs"},
      {"{9E3995AB-1F9C-4F13-B827-48B24B6C7174}",
       "%AppData%\\Microsoft\\Internet Explorer\\Quick Launch\\User Pinned"},
      {"{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}", "%UserProfile%\\Desktop"},
      {"{374DE290-123F-4565-9164-39C4925E467B}", "%UserProfile%\\Downloads"},
      {"{FDD39AD0-238F-46AF-ADB4-6C85480369C7}", "%UserProfile%\\Documents"},
  };
  if (path.size() < 38 || path[0] != '{') return std::nullopt;
  for (auto& [guid, folder] : kFolders)
    if (iequals(std::string_view(path).substr(0, 38), guid)) return folder + path.substr(38);
  return std::nullopt;
}

// UserAssist\{GUID}\Count: value names are ROT13; data is 16 bytes on XP (session, count
// starting at 5, FILETIME at 8) and 72 bytes from Windows 7 on (count at 4, focus count at 8,
// focus time in ms at 12, FILETIME at 60).
void userassist(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string base = std::string(kExplorer) + "\\UserAssist";
  auto ua = h.find(base);
  if (!ua) return;
  std::vector<std::uint8_t> scratch;
  for (auto& guid : h.subkeys(*ua)) {
    std::string path = base + "\\" + guid.name + "\\Count";
    auto count = h.find(guid, "Count");
    if (!count) continue;
    ++ctx.keys;
    for (auto& v : h.values(*count)) {
      std::string name = rot13(v.name);
      if (name.starts_with("UEME_CTLSESSION")) continue;  // session bookkeeping, not a program
      Bytes d = h.value_data(v, scratch);
      ByteReader r(d);
      std::optional<std::uint64_t> runs, focus_count, focus_ms;
      std::optional<UtcMicros> last;
      if (d.size() >= 72) {
        runs = *r.u32(4);
        focus_count = *r.u32(8);
        focus_ms = *r.u32(12);
        last = filetime_at(d, 60);
      } else if (d.size() >= 16) {
        std::uint32_t c = *r.u32(4);
        runs = c >= 5 ? c - 5 : c;  // XP counts from 5
        last = filetime_at(d, 8);
      } else {
        continue;
      }
      Record rec(ctx, "userassist", *count, path);
      rec.user(ctx.user);
      rec.w().field("path", name);
      rec.optional_integer("run_count", runs);
      rec.time_field("last_run", last);
      rec.optional_string("resolved_path", resolve_known_folder(name));
      rec.optional_integer("focus_count", focus_count);
      rec.optional_integer("focus_time_ms", focus_ms);
      rec.w().field("guid", guid.name);
      rec.finish();
    }
  }
}

// MRUListEx: u32 value numbers, most recent first, ended by 0xFFFFFFFF.
std::vector<std::uint32_t> mru_list_ex(const Hive& h, const KeyNode& k) {
  std::vector<std::uint32_t> order;
  auto b = h.binary_value(k, "MRUListEx");
  if (!b) return order;
  for (std::size_t i = 0; i + 4 <= b->size(); i += 4) {
    std::uint32_t n = ByteReader::load<std::uint32_t>(b->data() + i);
    if (n == 0xFFFFFFFFu) break;
    order.push_back(n);
  }
  return order;
}

std::optional<std::uint32_t> position_in(const std::vector<std::uint32_t>& order, std::uint32_t n) {
  auto it = std::find(order.begin(), order.end(), n);
  if (it == order.end()) return std::nullopt;
  return static_cast<std::uint32_t>(it - order.begin());
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RecentDocs (and one subkey per extension): numbered values, each a NUL-terminated UTF-16
// name followed by a shell item; position 0 was opened at the key's last-write time.
void recent_docs(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string base = std::string(kExplorer) + "\\RecentDocs";
  auto root = h.find(base);
  if (!root) return;
  std::vector<std::uint8_t> scratch;
  auto emit = [&](const KeyNode& k, const std::string& path, std::string_view extension) {
    ++ctx.keys;
    auto order = mru_list_ex(h, k);
    for (auto& v : h.values(k)) {
      if (!all_digits(v.name)) continue;
      Bytes d = h.value_data(v, scratch);
      std::string name = utf16le_to_utf8(d, /*stop_at_nul=*/true);
      Record r(ctx, "recent_docs", k, path);
      r.user(ctx.user);
      r.w().field("name", name).field("extension", extension);
      auto pos = position_in(order, static_cast<std::uint32_t>(std::stoul(v.name)));
      r.optional_integer("position", pos ? std::optional<std::uint64_t>(*pos) : std::nullopt);
      r.finish();
    }
  };
  emit(*root, base, "");
  for (auto& sub : h.subkeys(*root)) emit(sub, base + "\\" + sub.name, sub.name);
}

// RunMRU: values a, b, c… with the commands typed into Run; MRUList orders them ("cab").
void run_mru(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string path = std::string(kExplorer) + "\\RunMRU";
  auto k = h.find(path);
  if (!k) return;
  ++ctx.keys;
  std::string order = h.string_value(*k, "MRUList").value_or("");
  for (auto& v : h.values(*k)) {
    if (v.name.size() != 1) continue;
    auto cmd = h.string_value(*k, v.name);
    if (!cmd) continue;
    if (cmd->ends_with("\\1")) cmd->resize(cmd->size() - 2);  // Explorer's terminator
    Record r(ctx, "run_mru", *k, path);
    r.user(ctx.user);
    r.w().field("name", v.name).field("command", *cmd);
    auto p = order.find(v.name[0]);
    r.optional_integer("position",
                       p == std::string::npos ? std::nullopt : std::optional<std::uint64_t>(p));
    r.finish();
  }
}

// TypedPaths: url1 (most recent), url2… typed into the Explorer address bar.
void typed_paths(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string path = std::string(kExplorer) + "\\TypedPaths";
  auto k = h.find(path);
  if (!k) return;
  ++ctx.keys;
  for (auto& v : h.values(*k)) {
    if (!v.name.starts_with("url") || !all_digits(v.name.substr(3)) || v.name == "url0") continue;
    auto s = h.string_value(*k, v.name);
    if (!s) continue;
    Record r(ctx, "typed_paths", *k, path);
    r.user(ctx.user);
    r.w().field("path", *s);
    r.w().field("position", static_cast<std::uint64_t>(std::stoul(v.name.substr(3)) - 1));
    r.finish();
  }
}

}  // namespace

void run_user_plugins(PluginContext& ctx) {
  user_autoruns(ctx);
  userassist(ctx);
  recent_docs(ctx);
  run_mru(ctx);
  typed_paths(ctx);
}

}  // namespace kk::registry
