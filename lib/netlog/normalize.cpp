#include "netlog/normalize.hpp"

#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/ascii_case.hpp"

namespace kk::netlog {

namespace {

// Every field name the tables know (generic and all products'), case-insensitive → a small
// id, open addressing; then per product a dense id → (Norm, rank) array. A lookup runs for
// every field of every line: one shared table (a per-product one each missed the cache
// whenever the product changed from line to line) whose probe compares a 32-bit tag array
// before touching an entry, and the key's first 16 bytes read as two lower-cased 64-bit
// words (SWAR) that both the hash and the comparison use — no byte loop for the names of up
// to 16 bytes nearly all are.
class KeyIds {
 public:
  static constexpr std::uint32_t kNone = ~0u;
  // A table for KEYS names at most (half full: short probes; no larger, so that the tags of
  // the ~1,000 names fit in 4 KiB and stay in the L1 cache between lines).
  explicit KeyIds(std::size_t keys) {
    std::size_t cap = 16;
    while (cap < keys * 2 + 2) cap <<= 1;
    slots_.assign(cap, Entry{});
    tags_.assign(cap, 0);
  }
  // The id of KEY, added if new.
  std::uint32_t add(std::string_view key) {
    const std::size_t mask = slots_.size() - 1;
    std::uint64_t w0, w1;
    load_lower(key, w0, w1);
    const std::uint64_t h = hash(w0, w1, key.size());
    std::size_t i = h & mask;
    while (tags_[i] != 0 && !same(slots_[i], w0, w1, key)) i = (i + 1) & mask;
    if (tags_[i] == 0) {
      slots_[i] = {w0, w1, key.data(), static_cast<std::uint32_t>(key.size()), count_++};
      tags_[i] = tag(h);
      if (!key.empty()) shapes_[shape(key)] |= std::uint32_t{1} << (key.size() % 32);
    }
    if (key.size() > longest_) longest_ = key.size();
    return slots_[i].id;
  }
  std::uint32_t find(std::string_view key) const {
    if (key.empty() || key.size() > longest_) return kNone;
    if (!(shapes_[shape(key)] >> (key.size() % 32) & 1)) return kNone;  // no name of its shape
    const std::size_t mask = slots_.size() - 1;
    std::uint64_t w0, w1;
    load_lower(key, w0, w1);
    const std::uint64_t h = hash(w0, w1, key.size());
    const std::uint16_t t = tag(h);
    for (std::size_t i = h & mask; tags_[i] != 0; i = (i + 1) & mask)
      if (tags_[i] == t && same(slots_[i], w0, w1, key)) return slots_[i].id;
    return kNone;
  }
  std::uint32_t count() const { return count_; }

 private:
  struct Entry {
    std::uint64_t w0 = 0, w1 = 0;  // the key's first 16 bytes, lower-cased, zero-padded
    const char* data = nullptr;    // the key (compared past 16 bytes)
    std::uint32_t size = 0, id = 0;
  };
  // ASCII letters lower-cased in 8 bytes at once, as ascii_lower does one at a time
  // ("Bit Twiddling Hacks"-style: a byte's high bit after adding an offset to its low 7).
  static std::uint64_t lower8(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const std::uint64_t low7 = w & ~kHigh;
    const std::uint64_t ge_a = low7 + kOnes * (0x80 - 'A');
    const std::uint64_t gt_z = low7 + kOnes * (0x80 - 'Z' - 1);
    const std::uint64_t upper = ge_a & ~gt_z & ~w & kHigh;
    return w | (upper >> 2);
  }
  // The first 16 bytes of S, zero-padded, without reading past S.
  static void load_lower(std::string_view s, std::uint64_t& w0, std::uint64_t& w1) {
    const char* d = s.data();
    const std::size_t n = s.size();
    w0 = w1 = 0;
    if (n >= 16) {
      std::memcpy(&w0, d, 8);
      std::memcpy(&w1, d + 8, 8);
    } else if (n > 8) {
      std::memcpy(&w0, d, 8);
      std::memcpy(&w1, d + n - 8, 8);
      w1 >>= 8 * (16 - n);  // drop the bytes already in w0
    } else if (n == 8) {
      std::memcpy(&w0, d, 8);
    } else if (n >= 4) {
      std::uint32_t lo, hi;
      std::memcpy(&lo, d, 4);
      std::memcpy(&hi, d + n - 4, 4);
      w0 = lo | (static_cast<std::uint64_t>(hi) >> (8 * (8 - n)) << 32);  // n == 4: 0, no UB
    } else {
      for (std::size_t k = 0; k < n; ++k)
        w0 |= static_cast<std::uint64_t>(static_cast<unsigned char>(d[k])) << (8 * k);
    }
    w0 = lower8(w0);
    w1 = lower8(w1);
  }
  static bool same(const Entry& e, std::uint64_t w0, std::uint64_t w1, std::string_view key) {
    return e.w0 == w0 && e.w1 == w1 && e.size == key.size() &&
           (key.size() <= 16 ||
            iequals(std::string_view(e.data + 16, e.size - 16), key.substr(16)));
  }
  static std::uint64_t hash(std::uint64_t w0, std::uint64_t w1, std::size_t n) {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = (w0 ^ (n * kMul)) * kMul;
    h ^= h >> 29;
    h = (h ^ w1) * kMul;
    return h ^ (h >> 32);
  }
  static std::uint16_t tag(std::uint64_t h) { return static_cast<std::uint16_t>(h >> 48) | 1u; }
  // Most names a line holds are in no table (vendor fields the products do not map), and a
  // miss cost a whole probe (the lower-cased load, the hash, the tags). A key's shape — its
  // first and last bytes (case folded) and its length — rules most of them out first: one
  // bit per (first, last, length mod 32) that some known name has.
  static std::size_t shape(std::string_view key) {
    const auto fold = [](char c) { return static_cast<std::size_t>(c | 0x20) & 31; };
    return fold(key.front()) << 5 | fold(key.back());
  }
  std::array<std::uint32_t, 1024> shapes_{};  // 4 KiB: stays in the L1 cache
  std::vector<Entry> slots_;
  std::vector<std::uint16_t> tags_;  // 0: empty slot
  std::size_t longest_ = 0;
  std::uint32_t count_ = 0;
};

// What a name means for one product: its Norm and rank (lower wins when several fields
// give the same Norm); the product's names first, then the generic ones it does not
// override, as one array indexed by the KeyIds id.
// Four bytes, so that a product's array of ~1,000 names is 4 KiB (cache lines, not
// instructions, are what a lookup costs): the product's own names rank 0, 1, …, the generic
// ones after them from kGenericRank on.
struct Rule {
  Norm norm = Norm::kNone;
  bool known = false;
  std::uint16_t rank = 0;
};
constexpr int kGenericRank = 1 << 15;

std::size_t name_count() {
  std::size_t n = generic_fields().size();
  for (const auto& p : products()) n += p.fields.size();
  return n;
}

struct Tables {
  KeyIds ids{name_count()};
  std::vector<std::vector<Rule>> per_product;  // products() order, then the generic-only one
  Tables() {
    const auto all = products();
    std::vector<std::vector<std::uint32_t>> product_ids(all.size());
    std::vector<std::uint32_t> generic_ids;
    for (const auto& r : generic_fields())
      generic_ids.push_back(r.key.empty() ? KeyIds::kNone : ids.add(r.key));
    for (std::size_t p = 0; p < all.size(); ++p)
      for (const auto& r : all[p].fields)
        product_ids[p].push_back(r.key.empty() ? KeyIds::kNone : ids.add(r.key));
    auto fill = [&](std::span<const FieldRule> rules, const std::vector<std::uint32_t>& id_of,
                    int first_rank, std::vector<Rule>& out) {
      int rank = first_rank;
      for (std::size_t k = 0; k < rules.size(); ++k, ++rank) {
        if (id_of[k] == KeyIds::kNone || out[id_of[k]].known) continue;  // the first one wins
        if (rank >= first_rank + kGenericRank) std::abort();             // a table of 32,768 names
        out[id_of[k]] = {rules[k].norm, true, static_cast<std::uint16_t>(rank)};
      }
    };
    for (std::size_t p = 0; p < all.size(); ++p) {
      std::vector<Rule>& t = per_product.emplace_back(ids.count());
      fill(all[p].fields, product_ids[p], 0, t);
      fill(generic_fields(), generic_ids, kGenericRank, t);
    }
    std::vector<Rule>& g = per_product.emplace_back(ids.count());
    fill(generic_fields(), generic_ids, kGenericRank, g);
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

const std::vector<Rule>& product_rules(const Product* product) {
  const auto all = products();
  return tables()
      .per_product[product ? static_cast<std::size_t>(product - all.data()) : all.size()];
}

std::string_view normalize_action(std::string_view v, const Product* product) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return {};
  if (product)
    for (const auto& a : product->actions)
      if (iequals(a.word, v)) return a.action;
  for (const auto& a : generic_actions())
    if (iequals(a.word, v)) return a.action;
  // Squid/ProxySG result codes: TCP_DENIED/403, TCP_MISS_ABORTED …
  if (istarts_with(v, "tcp_denied") || istarts_with(v, "udp_denied")) return "deny";
  if (istarts_with(v, "tcp_") || istarts_with(v, "udp_")) return "allow";
  return {};
}

std::string_view protocol_name(std::string_view v, Arena& arena) {
  const std::size_t slash = v.find('/');
  if (slash != std::string_view::npos) v = v.substr(0, slash);  // SonicWall "tcp/50000"
  if (v == "6") return "tcp";
  if (v == "17") return "udp";
  if (v == "1") return "icmp";
  if (v == "58") return "ipv6-icmp";
  if (v == "47") return "gre";
  if (v == "50") return "esp";
  if (v == "-" || v.empty()) return {};
  for (char c : v)
    if (c >= 'A' && c <= 'Z') return arena.keep(ascii_lower(v));
  return v;
}

// "ip:port[:iface]" (SonicWall), "[v6]:port".
void split_endpoint(std::string_view v, std::string_view& ip, std::string_view& port) {
  const std::size_t c1 = v.find(':');
  if (c1 == std::string_view::npos) {
    ip = v;
    return;
  }
  if (v.find(':', c1 + 1) != std::string_view::npos && v.find('.') == std::string_view::npos) {
    ip = v;  // a bare IPv6 address
    return;
  }
  ip = v.substr(0, c1);
  std::string_view rest = v.substr(c1 + 1);
  port = rest.substr(0, rest.find(':'));
}

bool absent(std::string_view v) {
  return v.empty() || v == "-" || v == "N/A" || v == "None" || v == "null";
}

}  // namespace

void normalize(const ParsedLine& p, const Product* product, LocalZone& zone, Arena& arena,
               Normalized& out) {
  out = Normalized{};
  std::array<int, static_cast<std::size_t>(Norm::kCount)> rank;
  rank.fill(INT_MAX);
  const KeyIds& ids = tables().ids;
  const std::vector<Rule>& rules = product_rules(product);
  auto rule_of = [&](std::string_view key) -> const Rule* {  // nullptr: not this product's
    const std::uint32_t id = ids.find(key);
    return id != KeyIds::kNone && rules[id].known ? &rules[id] : nullptr;
  };
  for (const auto& f : p.fields) {
    if (absent(f.value)) continue;
    const Rule* e = rule_of(f.key);
    if (!e && product) {
      for (std::string_view prefix : product->key_prefixes)
        if (f.key.size() > prefix.size() && f.key.substr(0, prefix.size()) == prefix) {
          e = rule_of(f.key.substr(prefix.size()));
          break;
        }
    }
    if (!e || e->norm == Norm::kNone) continue;
    const auto i = static_cast<std::size_t>(e->norm);
    if (e->rank < rank[i]) {
      rank[i] = e->rank;
      out.v[i] = f.value;
    }
  }
  auto& v = out.v;
  auto at = [&](Norm n) -> std::string_view& { return v[static_cast<std::size_t>(n)]; };

  // Endpoints written as one value.
  if (!at(Norm::kSrcEndpoint).empty()) {
    std::string_view ip, port;
    split_endpoint(at(Norm::kSrcEndpoint), ip, port);
    if (at(Norm::kSrcIp).empty()) at(Norm::kSrcIp) = ip;
    if (at(Norm::kSrcPort).empty()) at(Norm::kSrcPort) = port;
  }
  if (!at(Norm::kDstEndpoint).empty()) {
    std::string_view ip, port;
    split_endpoint(at(Norm::kDstEndpoint), ip, port);
    if (at(Norm::kDstIp).empty()) at(Norm::kDstIp) = ip;
    if (at(Norm::kDstPort).empty()) at(Norm::kDstPort) = port;
  }
  for (Norm n : {Norm::kNatSrcIp, Norm::kNatDstIp}) {  // SonicWall natSrc=ip:port
    std::string_view& x = at(n);
    if (x.find(':') != std::string_view::npos && x.find('.') != std::string_view::npos) {
      std::string_view ip, port;
      split_endpoint(x, ip, port);
      x = ip;
      std::string_view& xp = at(n == Norm::kNatSrcIp ? Norm::kNatSrcPort : Norm::kNatDstPort);
      if (xp.empty()) xp = port;
    }
  }
  // A proxy's URL names the host and port when no field does ("CONNECT example.com:443").
  if (!at(Norm::kUrl).empty() && (at(Norm::kHost).empty() || at(Norm::kDstPort).empty())) {
    std::string_view u = at(Norm::kUrl);
    const std::size_t scheme = u.find("://");
    if (scheme != std::string_view::npos && scheme < 10)
      u.remove_prefix(scheme + 3);
    else if (u.front() == '/')
      u = {};
    u = u.substr(0, u.find_first_of("/?#"));
    const std::size_t at_sign = u.rfind('@');
    if (at_sign != std::string_view::npos) u.remove_prefix(at_sign + 1);
    std::string_view host = u, port;
    const std::size_t colon = u.rfind(':');
    if (colon != std::string_view::npos && u.find(':') == colon) {
      host = u.substr(0, colon);
      port = u.substr(colon + 1);
    }
    if (at(Norm::kHost).empty() && !host.empty() && host.find(' ') == std::string_view::npos &&
        host.find('.') != std::string_view::npos && host.find('\\') == std::string_view::npos)
      at(Norm::kHost) = host;
    if (at(Norm::kDstPort).empty() && !port.empty()) at(Norm::kDstPort) = port;
  }
  if (!at(Norm::kProtocol).empty()) at(Norm::kProtocol) = protocol_name(at(Norm::kProtocol), arena);
  if (!at(Norm::kAction).empty()) out.action = normalize_action(at(Norm::kAction), product);

  // Device time: an epoch field, a full timestamp, or a date and a clock.
  const DateOrder order = product ? product->date_order : DateOrder::kMonthFirst;
  std::optional<int> zone_minutes;
  if (!at(Norm::kZone).empty()) {
    bool amb = false;
    zone_minutes = parse_zone_text(at(Norm::kZone), &amb);
    out.zone_ambiguous = amb;
  }
  auto resolve = [&](const CivilTime& c) {
    CivilTime t = c;
    if (!t.offset_minutes && zone_minutes) t.offset_minutes = zone_minutes;
    if (t.zone_ambiguous) out.zone_ambiguous = true;
    if (!t.epoch && t.year > 0) out.device_year = t.year;
    return resolve_time(t, zone, std::nullopt);
  };
  if (!at(Norm::kEpoch).empty()) {
    if (auto c = parse_time_text(at(Norm::kEpoch), true, order)) out.device_time = resolve(*c);
  }
  if (!out.device_time && !at(Norm::kPackedHexTime).empty()) {
    if (auto c = parse_packed_hex_time(at(Norm::kPackedHexTime))) out.device_time = resolve(*c);
  }
  if (!out.device_time && !at(Norm::kTime).empty()) {
    std::string_view t = at(Norm::kTime);
    std::optional<CivilTime> c = parse_time_text(t, true, order);
    if (!c && !at(Norm::kDate).empty())  // "time" held only the clock
      c = parse_time_text(arena.concat(at(Norm::kDate), " ", t), false, order);
    if (c)
      out.device_time = resolve(*c);
    else
      out.device_time_unparsed = true;
  }
  if (!out.device_time && !at(Norm::kDate).empty()) {
    std::string_view d = at(Norm::kDate);
    std::optional<CivilTime> c =
        at(Norm::kClock).empty()
            ? parse_time_text(d, false, order)
            : parse_time_text(arena.concat(d, " ", at(Norm::kClock)), false, order);
    if (c)
      out.device_time = resolve(*c);
    else
      out.device_time_unparsed = true;
  }
}

}  // namespace kk::netlog
