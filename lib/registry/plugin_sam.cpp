// SAM hive: local user accounts (SAM\Domains\Account\Users\<RID>, values F and V) and the
// groups they belong to (SAM\Domains\Builtin\Aliases\<RID>, value C). Layouts as the
// forensic literature describes them (RegRipper's samparse, "SAM F/V value"): F holds
// the times, RID, account-control flags and counters; V a table of (offset, length)
// pairs, relative to its 0xCC-byte header, pointing at the names. The account's
// creation time is the last write of its Users\Names\<name> key (never written again).
#include <map>

#include "core/utf.hpp"
#include "core/windows_types.hpp"
#include "registry/plugin.hpp"

namespace kk::registry {

namespace {

struct Alias {
  std::string name;
  std::vector<std::string> member_sids;
};

// A string of the V value: entry at TABLE_OFF holds (offset from 0xCC, length in bytes).
std::string v_string(Bytes v, std::size_t table_off) {
  ByteReader r(v);
  auto off = r.u32(table_off), len = r.u32(table_off + 4);
  if (!off || !len || *len == 0) return {};
  auto s = r.span(0xCC + std::size_t(*off), *len);
  if (!s) return {};
  return utf16le_to_utf8(*s);
}

// Builtin aliases (Administrators, Users, Remote Desktop Users, …) with their member SIDs.
std::vector<Alias> read_aliases(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::vector<Alias> out;
  for (const char* domain : {"SAM\\Domains\\Builtin\\Aliases", "SAM\\Domains\\Account\\Aliases"}) {
    auto aliases = h.find(domain);
    if (!aliases) continue;
    for (auto& a : h.subkeys(*aliases)) {
      ++ctx.keys;
      auto c = h.binary_value(a, "C");
      if (!c) continue;
      ByteReader r(c->data(), c->size());
      // C: name at 0x10/0x14, members at 0x28 (offset) and 0x30 (count), offsets from 0x34.
      Alias alias;
      if (auto off = r.u32(0x10), len = r.u32(0x14); off && len)
        if (auto s = r.span(0x34 + std::size_t(*off), *len)) alias.name = utf16le_to_utf8(*s);
      auto moff = r.u32(0x28), count = r.u32(0x30);
      if (moff && count) {
        std::size_t at = 0x34 + std::size_t(*moff);
        for (std::uint32_t i = 0; i < *count && i < 4096; ++i) {
          auto subs = r.u8(at + 1);
          if (!subs) break;
          std::size_t sid_len = 8 + std::size_t(*subs) * 4;
          auto sid = r.span(at, sid_len);
          if (!sid) break;
          alias.member_sids.push_back(format_sid(*sid));
          at += sid_len;
        }
      }
      if (!alias.name.empty()) out.push_back(std::move(alias));
    }
  }
  return out;
}

// The flags of the F value's account-control field (ACB_*), by name.
void account_flags(JsonWriter& w, std::uint16_t acb) {
  static constexpr std::pair<std::uint16_t, const char*> kFlags[] = {
      {0x0001, "disabled"},
      {0x0002, "home_directory_required"},
      {0x0004, "password_not_required"},
      {0x0008, "temporary_duplicate"},
      {0x0010, "normal_account"},
      {0x0020, "mns_logon"},
      {0x0040, "interdomain_trust"},
      {0x0080, "workstation_trust"},
      {0x0100, "server_trust"},
      {0x0200, "password_never_expires"},
      {0x0400, "locked_out"}};
  w.key("flags").begin_array();
  for (auto [bit, name] : kFlags)
    if (acb & bit) w.string(name);
  w.end_array();
}

}  // namespace

void run_sam_plugins(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  const std::string base = "SAM\\Domains\\Account\\Users";
  auto users = h.find(base);
  if (!users) {
    h.diag().info(ctx.source, std::nullopt,
                  "no SAM\\Domains\\Account\\Users key in this hive: no local account to list");
    return;
  }
  // RID → (name, Names key) from Users\Names\<name>, whose default value's type is the RID.
  std::map<std::uint32_t, KeyNode> names;
  if (auto n = h.find(*users, "Names"))
    for (auto& k : h.subkeys(*n))
      for (auto& v : h.values(k))
        if (v.name.empty()) names.emplace(v.type, k);
  auto aliases = read_aliases(ctx);
  std::uint64_t before = ctx.records;
  for (auto& k : h.subkeys(*users)) {
    ++ctx.keys;
    if (k.name.size() != 8) continue;  // "Names"
    auto f = h.binary_value(k, "F");
    auto v = h.binary_value(k, "V");
    if (!f && !v) continue;
    std::uint32_t rid = static_cast<std::uint32_t>(std::strtoul(k.name.c_str(), nullptr, 16));
    Record r(ctx, "sam_user", k, base + "\\" + k.name);
    Bytes vb = v ? Bytes(v->data(), v->size()) : Bytes{};
    std::string name = v_string(vb, 0x0C);
    auto named = names.find(rid);
    if (name.empty() && named != names.end()) name = named->second.name;
    r.w().field("user", name).field("rid", std::uint64_t(rid));
    r.w().field("full_name", v_string(vb, 0x18));
    r.w().field("comment", v_string(vb, 0x24));
    r.time_field("created", named != names.end() ? named->second.last_write() : std::nullopt);
    Bytes fb = f ? Bytes(f->data(), f->size()) : Bytes{};
    ByteReader fr(fb);
    r.time_field("last_logon", filetime_at(fb, 0x08));
    r.time_field("password_last_set", filetime_at(fb, 0x18));
    auto expires = fr.u64(0x20);
    // "Never" is stored as 0 or 0x7FFFFFFFFFFFFFFF.
    r.time_field("account_expires", expires && *expires != 0x7FFFFFFFFFFFFFFFull
                                        ? filetime_at(fb, 0x20)
                                        : std::nullopt);
    r.time_field("last_failed_logon", filetime_at(fb, 0x28));
    auto logons = fr.u16(0x42), failures = fr.u16(0x40);
    r.optional_integer("logon_count",
                       logons ? std::optional<std::uint64_t>(*logons) : std::nullopt);
    r.optional_integer("failed_logon_count",
                       failures ? std::optional<std::uint64_t>(*failures) : std::nullopt);
    auto acb = fr.u16(0x38);
    r.w().key("disabled");
    if (acb)
      r.w().boolean((*acb & 0x0001) != 0);
    else
      r.w().null();
    account_flags(r.w(), acb.value_or(0));
    // Group membership: an alias member SID ending in this RID (S-1-5-21-…-RID).
    r.w().key("groups").begin_array();
    std::string suffix = "-" + std::to_string(rid);
    for (const auto& a : aliases)
      for (const auto& sid : a.member_sids)
        if (sid.starts_with("S-1-5-21-") && sid.ends_with(suffix)) {
          r.w().string(a.name);
          break;
        }
    r.w().end_array();
    r.finish();
  }
  if (ctx.records == before)
    h.diag().info(ctx.source, std::nullopt,
                  "SAM\\Domains\\Account\\Users holds no account with F/V values");
}

}  // namespace kk::registry
