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
