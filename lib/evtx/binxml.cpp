// BinXML token stream to node tree; see the EVTX format documentation,
// "Binary XML" and "Token types". Every read is bounds-checked against the
// fragment's end; damage stops the fragment with an error naming the offset.
#include "evtx/binxml.hpp"

#include <cstring>
#include <unordered_map>
#include <utility>

#include "core/byte_reader.hpp"
#include "evtx/text_buffer.hpp"

namespace kk::evtx {
namespace {

constexpr int kMaxElementDepth = 96;
constexpr int kMaxValueDepth = 8;

std::uint8_t tag_of(std::string_view n) {
  switch (n.size()) {
    case 2:
      if (n == "ID") return kTagOther;
      break;
    case 4:
      if (n == "Data") return kTagData;
      if (n == "Name") return kTagName;
      if (n == "Task") return kTagTask;
      break;
    case 5:
      if (n == "Event") return kTagEvent;
      if (n == "Level") return kTagLevel;
      if (n == "xmlns") return kTagXmlns;
      break;
    case 6:
      if (n == "System") return kTagSystem;
      if (n == "Opcode") return kTagOpcode;
      if (n == "UserID") return kTagUserID;
      break;
    case 7:
      if (n == "EventID") return kTagEventID;
      if (n == "Channel") return kTagChannel;
      break;
    case 8:
      if (n == "Provider") return kTagProvider;
      if (n == "Keywords") return kTagKeywords;
      if (n == "Computer") return kTagComputer;
      if (n == "Security") return kTagSecurity;
      if (n == "UserData") return kTagUserData;
      if (n == "ThreadID") return kTagThreadID;
      break;
    case 9:
      if (n == "Execution") return kTagExecution;
      if (n == "EventData") return kTagEventData;
      if (n == "ProcessID") return kTagProcessID;
      break;
    case 10:
      if (n == "SystemTime") return kTagSystemTime;
      break;
    case 11:
      if (n == "TimeCreated") return kTagTimeCreated;
      break;
    case 13:
      if (n == "EventRecordID") return kTagEventRecordID;
      break;
    case 15:
      if (n == "EventSourceName") return kTagEventSourceName;
      break;
    default:
      break;
  }
  return kTagOther;
}

// What a template's compilation read besides its definition's tokens: each name
// offset field (4 bytes in the definition) and how it resolved (inline right after
// it, or a name elsewhere whose count and characters were read), or that the template
// cannot be cached (it holds a template instance: chunk-relative values).
struct NameRead {
  std::uint32_t field = 0;  // offset of the name offset field, relative to the definition
  bool is_inline = false;
  std::uint32_t off = 0, size = 0;  // the bytes read: [off + 6, off + 6 + size), absolute
};
struct ReadLog {
  bool cacheable = true;
  std::vector<NameRead> names;  // in stream order
};

// Compiled templates kept across chunks and files, one cache per thread (no locks).
// A template's tree is a function of exactly what its compilation read: the
// definition's bytes except its name offset fields (chunk-absolute) and the unread
// headers of its inline names, whether each name is inline, and the count and
// characters of every name it refers to elsewhere. A hit needs all of that equal
// byte for byte in the current chunk, so a damaged or forged definition (same GUID,
// other bytes) or a changed name can never reuse another one's tree; GUID + data
// size only pick the candidates. Bounded: cleared when it would exceed kMaxEntries
// or kMaxBytes.
class TemplateCache {
 public:
  struct Entry {
    std::uint32_t def_size = 0;  // [def, end of the compiled body)
    std::string bytes;           // the definition from its GUID on, then outside names
    std::vector<NameRead> names;  // off: for names not inline, where in BYTES
    Arena tree;  // node links and text offsets relative to the tree's first node
    std::int32_t root = -1;
    std::size_t cost() const {
      return sizeof(Entry) + bytes.size() + tree.nodes.size() * sizeof(Node) + tree.text.size() +
             names.size() * sizeof(NameRead);
    }
  };

  // GUID and data size of the definition at DEF (24 bytes present).
  static std::uint64_t key(const std::uint8_t* def) {
    std::uint64_t a, b, c = 0;
    std::memcpy(&a, def + 4, 8);
    std::memcpy(&b, def + 12, 8);
    std::memcpy(&c, def + 20, 4);
    std::uint64_t h = (a ^ 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;
    h = (h ^ (h >> 29) ^ b) * 0xc4ceb9fe1a85ec53ull;
    h = (h ^ (h >> 31) ^ c) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
  }

  // The entry whose reads are all unchanged for the definition [def, def + n) of R.
  const Entry* find(std::uint64_t k, std::uint32_t def, std::uint32_t n, const ByteReader& r) const {
    auto it = map_.find(k);
    if (it == map_.end()) return nullptr;
    for (const Entry& e : it->second)
      if (matches(e, def, n, r)) return &e;
    return nullptr;
  }

  void put(std::uint64_t k, Entry e) {
    std::size_t c = e.cost();
    if (c > kMaxBytes) return;
    if (entries_ >= kMaxEntries || bytes_ + c > kMaxBytes) {
      map_.clear();
      bytes_ = entries_ = 0;
    }
    auto& list = map_[k];
    if (list.size() >= kPerKey) {  // same GUID and size, other bytes: replace the oldest
      bytes_ -= list.front().cost();
      --entries_;
      list.erase(list.begin());
    }
    bytes_ += c;
    ++entries_;
    list.push_back(std::move(e));
  }

 private:
  static bool matches(const Entry& e, std::uint32_t def, std::uint32_t n, const ByteReader& r) {
    if (e.def_size != n) return false;
    const std::uint8_t* d = r.data() + def;
    const char* mine = e.bytes.data();  // from the GUID on: definition offset 4
    std::uint32_t at = 4;               // the next offset field (0..4) is never read
    for (const NameRead& nr : e.names) {
      if (std::memcmp(mine + (at - 4), d + at, nr.field - at) != 0) return false;
      std::uint32_t off = ByteReader::load<std::uint32_t>(d + nr.field);
      at = nr.field + 4;
      if (nr.is_inline) {
        if (off != def + at) return false;
        at += 6;  // the name's next offset and hash are not read
        continue;
      }
      if (off == def + at || !r.has(off, std::size_t{6} + nr.size) ||
          std::memcmp(e.bytes.data() + nr.off, r.data() + off + 6, nr.size) != 0)
        return false;
    }
    return std::memcmp(mine + (at - 4), d + at, n - at) == 0;
  }

  static constexpr std::size_t kMaxEntries = 4096, kPerKey = 4;
  static constexpr std::size_t kMaxBytes = 16u << 20;
  std::unordered_map<std::uint64_t, std::vector<Entry>> map_;
  std::size_t bytes_ = 0, entries_ = 0;
};

TemplateCache& template_cache() {
  static thread_local TemplateCache cache;
  return cache;
}

constexpr std::size_t kMaxNodes = std::size_t{1} << 22;

// Nodes whose str was set by Compiler::put_text (the others keep 0).
bool has_text(const Node& n) {
  return n.kind != NodeKind::kSubstitution && n.kind != NodeKind::kCharRef &&
         n.kind != NodeKind::kTemplateInstance;
}

class Compiler {
 public:
  Compiler(ChunkContext& ctx, Arena& arena, bool in_value, int value_depth)
      : ctx_(ctx), a_(arena), r_(ctx.chunk), in_value_(in_value), value_depth_(value_depth) {}

  // Compiles a fragment: optional fragment headers, then elements / template
  // instances, until EOF or END. Returns the first node or -1 (empty), -2 on error.
  std::int32_t fragment(std::uint32_t& pos, std::uint32_t end) {
    std::int32_t first = -1, last = -1;
    while (ok_ && pos < end) {
      std::uint8_t t = r_.data()[pos];
      std::int32_t n = -1;
      if (t == 0x00) {  // EOF
        ++pos;
        break;
      } else if (t == 0x0f) {  // fragment header: token, major, minor, flags
        if (!need(pos, 4, end)) break;
        pos += 4;
        continue;
      } else if ((t & 0xbf) == 0x01) {
        n = element(pos, end, 0);
      } else if (t == 0x0c) {
        n = instance(pos, end);
      } else if ((t & 0xbf) == 0x05 || t == 0x0d || t == 0x0e || (t & 0xbf) == 0x08 ||
                 (t & 0xbf) == 0x09 || (t & 0xbf) == 0x07) {
        // Content outside an element (seen in nested BinXML values): keep it.
        n = content_part(pos, end);
      } else {
        fail(pos, "unexpected BinXML token 0x" + hex2(t) + " at fragment level");
        break;
      }
      if (n < 0) break;
      link(first, last, n);
    }
    return ok_ ? first : -2;
  }

  bool ok() const { return ok_; }
  const CompileError& error() const { return err_; }

 private:
  static std::string hex2(unsigned v) {
    static const char d[] = "0123456789abcdef";
    return {d[(v >> 4) & 15], d[v & 15]};
  }
  void fail(std::uint32_t off, std::string msg) {
    if (ok_) err_ = {off, std::move(msg)};
    ok_ = false;
  }
  bool need(std::uint32_t pos, std::uint32_t n, std::uint32_t end) {
    if (pos > end || end - pos < n) {
      fail(pos, "BinXML truncated");
      return false;
    }
    return true;
  }
  std::uint16_t u16(std::uint32_t p) const {
    return ByteReader::load<std::uint16_t>(r_.data() + p);
  }
  std::uint32_t u32(std::uint32_t p) const {
    return ByteReader::load<std::uint32_t>(r_.data() + p);
  }

  std::int32_t new_node(NodeKind k) {
    if (a_.nodes.size() >= kMaxNodes) {
      fail(0, "BinXML node limit exceeded");
      return -1;
    }
    a_.nodes.emplace_back();
    a_.nodes.back().kind = k;
    return static_cast<std::int32_t>(a_.nodes.size() - 1);
  }
  void link(std::int32_t& first, std::int32_t& last, std::int32_t n) {
    if (first < 0)
      first = n;
    else
      a_.nodes[static_cast<std::size_t>(last)].next = n;
    last = n;
  }

  // Appends UTF-16 text (UNITS code units at chunk offset P) to the arena as UTF-8.
  void put_text(Node& n, std::uint32_t p, std::size_t units) {
    static thread_local TextBuffer tmp;  // reused: template compilation runs once per chunk
    tmp.clear();
    append_utf16(tmp, r_.data() + p, units, Escape::kNone);
    n.str = static_cast<std::uint32_t>(a_.text.size());
    n.len = static_cast<std::uint32_t>(tmp.size());
    n.plain = plain_text(tmp.view());
    a_.text.append(tmp.view());
  }

  // Reads a Name structure at chunk offset OFF into node N; returns its size, 0 on damage.
  std::uint32_t name_at(std::uint32_t off, std::int32_t node) {
    if (!r_.has(off, 8)) {
      fail(off, "element name offset outside the chunk");
      return 0;
    }
    std::uint32_t count = u16(off + 6);
    if (!r_.has(off + 8, 2 * static_cast<std::size_t>(count))) {
      fail(off, "element name runs past the chunk");
      return 0;
    }
    Node& n = a_.nodes[static_cast<std::size_t>(node)];
    put_text(n, off + 8, count);
    return 10 + 2 * count;
  }

  // Name offset field at POS (already checked): the name is either inline right here
  // (the usual case for its first use in a chunk) or elsewhere in the chunk.
  bool name_ref(std::uint32_t& pos, std::uint32_t end, std::int32_t node) {
    if (!need(pos, 4, end)) return false;
    std::uint32_t field = pos;
    std::uint32_t off = u32(pos);
    pos += 4;
    if (off == pos) {
      std::uint32_t sz = name_at(off, node);
      if (!sz) return false;
      if (!need(pos, sz, end)) return false;
      if (log_) log_->names.push_back({field - log_def_, true, off, sz - 8});
      pos += sz;
      return true;
    }
    std::uint32_t sz = name_at(off, node);
    if (sz && log_) log_->names.push_back({field - log_def_, false, off, sz - 8});
    return sz != 0;
  }

  std::int32_t element(std::uint32_t& pos, std::uint32_t end, int depth) {
    if (depth > kMaxElementDepth) {
      fail(pos, "BinXML elements nested too deeply");
      return -1;
    }
    std::uint32_t start = pos;
    std::uint8_t t = r_.data()[pos];
    std::uint32_t hdr = in_value_ ? 5 : 7;  // token, [dependency id], data size
    if (!need(pos, hdr, end)) return -1;
    pos += hdr;
    std::int32_t el = new_node(NodeKind::kElement);
    if (el < 0) return -1;
    if (!name_ref(pos, end, el)) return -1;
    {
      Node& n = a_.nodes[static_cast<std::size_t>(el)];
      n.tag = tag_of(a_.str(n));
    }
    if (t & 0x40) {  // attribute list
      if (!need(pos, 4, end)) return -1;
      std::uint32_t list_size = u32(pos);
      pos += 4;
      std::uint32_t list_end = pos + list_size;
      if (list_size > end - pos) {
        fail(start, "attribute list runs past the fragment");
        return -1;
      }
      std::int32_t first = -1, last = -1;
      while (ok_ && pos < list_end) {
        std::uint8_t at = r_.data()[pos];
        if ((at & 0xbf) != 0x06) {
          fail(pos, "expected attribute token, found 0x" + hex2(at));
          return -1;
        }
        ++pos;
        std::int32_t an = new_node(NodeKind::kAttribute);
        if (an < 0) return -1;
        if (!name_ref(pos, end, an)) return -1;
        {
          Node& n = a_.nodes[static_cast<std::size_t>(an)];
          n.tag = tag_of(a_.str(n));
        }
        std::int32_t vf = -1, vl = -1;
        while (ok_ && pos < end) {
          std::uint8_t vt = r_.data()[pos];
          if ((vt & 0xbf) == 0x06 || vt == 0x02 || vt == 0x03 || (vt & 0xbf) == 0x01 ||
              vt == 0x04 || vt == 0x00)
            break;
          std::int32_t part = content_part(pos, end);
          if (part < 0) return -1;
          link(vf, vl, part);
        }
        a_.nodes[static_cast<std::size_t>(an)].child = vf;
        link(first, last, an);
        if (!(at & 0x40)) break;  // no more attributes
      }
      if (!ok_) return -1;
      pos = std::max(pos, list_end);
      a_.nodes[static_cast<std::size_t>(el)].attrs = first;
    }
    if (!need(pos, 1, end)) return -1;
    std::uint8_t close = r_.data()[pos++];
    if (close == 0x03) return el;  // close empty element
    if (close != 0x02) {
      fail(pos - 1, "expected close start element token, found 0x" + hex2(close));
      return -1;
    }
    std::int32_t first = -1, last = -1;
    for (;;) {
      if (!need(pos, 1, end)) return -1;
      std::uint8_t ct = r_.data()[pos];
      if (ct == 0x04) {
        ++pos;
        break;
      }
      std::int32_t c;
      if ((ct & 0xbf) == 0x01) {
        c = element(pos, end, depth + 1);
      } else if (ct == 0x0c) {
        c = instance(pos, end);
      } else {
        c = content_part(pos, end);
      }
      if (c < 0) return -1;
      link(first, last, c);
    }
    a_.nodes[static_cast<std::size_t>(el)].child = first;
    return el;
  }

  // Value text, substitution, character/entity reference, CDATA, PI.
  std::int32_t content_part(std::uint32_t& pos, std::uint32_t end) {
    std::uint8_t t = r_.data()[pos];
    switch (t & 0xbf) {
      case 0x05:    // value text: token, type (string), length-prefixed UTF-16
      case 0x07:    // CDATA
      case 0x0b: {  // PI data
        std::uint32_t skip = (t & 0xbf) == 0x05 ? 2 : 1;
        if (!need(pos, skip + 2, end)) return -1;
        std::uint32_t units = u16(pos + skip);
        std::uint32_t p = pos + skip + 2;
        if (!need(p, 2 * units, end)) return -1;
        NodeKind k = (t & 0xbf) == 0x05   ? NodeKind::kText
                     : (t & 0xbf) == 0x07 ? NodeKind::kCData
                                          : NodeKind::kPIData;
        std::int32_t n = new_node(k);
        if (n < 0) return -1;
        put_text(a_.nodes[static_cast<std::size_t>(n)], p, units);
        pos = p + 2 * units;
        return n;
      }
      case 0x0d:
      case 0x0e: {
        if (t & 0x40) break;
        if (!need(pos, 4, end)) return -1;
        std::int32_t n = new_node(NodeKind::kSubstitution);
        if (n < 0) return -1;
        Node& s = a_.nodes[static_cast<std::size_t>(n)];
        s.index = u16(pos + 1);
        s.value_type = r_.data()[pos + 3];
        s.optional = t == 0x0e;
        pos += 4;
        return n;
      }
      case 0x08: {
        if (!need(pos, 3, end)) return -1;
        std::int32_t n = new_node(NodeKind::kCharRef);
        if (n < 0) return -1;
        a_.nodes[static_cast<std::size_t>(n)].index = u16(pos + 1);
        pos += 3;
        return n;
      }
      case 0x09:
      case 0x0a: {
        if ((t & 0xbf) == 0x0a && (t & 0x40)) break;
        ++pos;
        std::int32_t n = new_node((t & 0xbf) == 0x09 ? NodeKind::kEntityRef : NodeKind::kPITarget);
        if (n < 0) return -1;
        if (!name_ref(pos, end, n)) return -1;
        return n;
      }
      default:
        break;
    }
    fail(pos, "unexpected BinXML token 0x" + hex2(t));
    return -1;
  }

  // Template instance: token, unknown (1), template id (4), definition offset (4),
  // [inline definition], value count (4), descriptors (4 each), value data.
  std::int32_t instance(std::uint32_t& pos, std::uint32_t end) {
    std::uint32_t start = pos;
    if (log_) log_->cacheable = false;
    if (!need(pos, 10, end)) return -1;
    std::uint32_t def = u32(pos + 6);
    pos += 10;
    std::int32_t tmpl = -1;
    if (def == pos) {
      // Inline definition: next offset (4), GUID (16), data size (4), body.
      if (!need(pos, 24, end)) return -1;
      std::uint32_t size = u32(pos + 20);
      if (!need(pos + 24, size, end)) return -1;
      tmpl = template_at(def);
      pos += 24 + size;
    } else {
      tmpl = template_at(def);
    }
    if (!ok_) return -1;
    if (tmpl < 0) {
      fail(start, "template definition at 0x" + hex_u32(def) + " is unusable");
      return -1;
    }
    if (!need(pos, 4, end)) return -1;
    std::uint32_t count = u32(pos);
    pos += 4;
    if (count > (end - pos) / 4) {
      fail(pos - 4, "template value count " + std::to_string(count) + " exceeds the record");
      return -1;
    }
    std::uint32_t data = pos + 4 * count;
    std::uint32_t first = static_cast<std::uint32_t>(a_.values.size());
    for (std::uint32_t i = 0; i < count; ++i) {
      std::uint32_t d = pos + 4 * i;
      Value v;
      v.size = u16(d);
      v.type = r_.data()[d + 2];
      v.offset = data;
      if (!need(data, v.size, end)) return -1;
      data += v.size;
      a_.values.push_back(v);
    }
    pos = data;
    // Nested BinXML values are compiled now, so rendering never mutates the arenas.
    for (std::uint32_t i = 0; i < count; ++i) {
      const Value v = a_.values[first + i];  // a copy: nested() may grow a_.values
      if (v.type != kBinXml || v.size == 0) continue;
      std::int32_t node = nested(v.offset, v.offset + v.size);
      a_.values[first + i].node = node;
    }
    std::int32_t n = new_node(NodeKind::kTemplateInstance);
    if (n < 0) return -1;
    Node& in = a_.nodes[static_cast<std::size_t>(n)];
    in.tmpl = static_cast<std::uint32_t>(tmpl);
    in.values_first = first;
    in.values_count = count;
    return n;
  }

  // A BinXML substitution value. The format documentation says elements in it carry
  // no dependency identifier; if that reading fails, the value is retried with one.
  std::int32_t nested(std::uint32_t begin, std::uint32_t end) {
    if (value_depth_ >= kMaxValueDepth) return -1;
    for (bool no_dep : {true, false}) {
      std::size_t mark_n = a_.nodes.size(), mark_v = a_.values.size(), mark_t = a_.text.size();
      Compiler sub(ctx_, a_, no_dep, value_depth_ + 1);
      std::uint32_t p = begin;
      std::int32_t first = sub.fragment(p, end);
      if (sub.ok()) return first;
      a_.nodes.resize(mark_n);
      a_.values.resize(mark_v);
      a_.text.resize(mark_t);
    }
    return -1;  // rendered as hex by the caller
  }

  static std::string hex_u32(std::uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "%x", v);
    return b;
  }

  // Finds or compiles the template definition at chunk offset DEF.
  std::int32_t template_at(std::uint32_t def) {
    for (std::size_t i = 0; i < ctx_.templates.size(); ++i) {
      const Template& t = ctx_.templates[i];
      if (t.offset == def) return t.state == Template::kOk ? static_cast<std::int32_t>(i) : -1;
    }
    std::size_t idx = ctx_.templates.size();
    ctx_.templates.push_back(Template{def, -1, Template::kCompiling});
    if (!r_.has(def, 24)) {
      ctx_.templates[idx].state = Template::kBad;
      return -1;
    }
    std::uint32_t size = u32(def + 20);
    std::uint32_t body = def + 24;
    std::uint32_t body_end =
        static_cast<std::uint32_t>(std::min<std::size_t>(r_.size(), std::size_t{body} + size));
    Arena& ta = ctx_.templates_arena;
    TemplateCache& cache = template_cache();
    std::uint64_t key = TemplateCache::key(r_.data() + def);
    if (const TemplateCache::Entry* e = cache.find(key, def, body_end - def, r_);
        e && ta.nodes.size() + e->tree.nodes.size() <= kMaxNodes) {
      auto base = static_cast<std::int32_t>(ta.nodes.size());
      auto text_base = static_cast<std::uint32_t>(ta.text.size());
      ta.nodes.insert(ta.nodes.end(), e->tree.nodes.begin(), e->tree.nodes.end());
      for (std::size_t i = static_cast<std::size_t>(base); i < ta.nodes.size(); ++i) {
        Node& n = ta.nodes[i];
        if (has_text(n)) n.str += text_base;
        if (n.attrs >= 0) n.attrs += base;
        if (n.child >= 0) n.child += base;
        if (n.next >= 0) n.next += base;
      }
      ta.text.append(e->tree.text);
      ctx_.templates[idx].root = e->root + base;
      ctx_.templates[idx].state = Template::kOk;
      return static_cast<std::int32_t>(idx);
    }
    std::size_t mark_n = ta.nodes.size(), mark_t = ta.text.size();
    ReadLog log;
    Compiler c(ctx_, ta, false, value_depth_);
    c.log_ = &log;
    c.log_def_ = def;
    std::uint32_t p = body;
    std::int32_t root = c.fragment(p, body_end);
    if (c.ok() && root >= 0 && log.cacheable)
      remember(cache, key, def, body_end, log, ta, mark_n, mark_t, root);
    if (!c.ok() || root < 0) {
      ctx_.templates[idx].state = Template::kBad;
      if (!c.ok()) {
        template_error_ = c.error();
        fail(c.error().offset, "template at 0x" + hex_u32(def) + ": " + c.error().message);
      }
      return -1;
    }
    ctx_.templates[idx].root = root;
    ctx_.templates[idx].state = Template::kOk;
    return static_cast<std::int32_t>(idx);
  }

  // Keeps the tree just compiled at [mark_n, ...) of TA for the next chunks.
  void remember(TemplateCache& cache, std::uint64_t key, std::uint32_t def, std::uint32_t end,
                ReadLog& log, const Arena& ta, std::size_t mark_n, std::size_t mark_t,
                std::int32_t root) {
    TemplateCache::Entry e;
    e.def_size = end - def;
    e.bytes.assign(reinterpret_cast<const char*>(r_.data() + def + 4), e.def_size - 4);
    for (NameRead& nr : log.names) {
      if (nr.is_inline) continue;
      std::uint32_t at = static_cast<std::uint32_t>(e.bytes.size());
      e.bytes.append(reinterpret_cast<const char*>(r_.data() + nr.off + 6), nr.size);
      nr.off = at;
    }
    e.names = std::move(log.names);
    auto base = static_cast<std::int32_t>(mark_n);
    auto text_base = static_cast<std::uint32_t>(mark_t);
    e.tree.nodes.reserve(ta.nodes.size() - mark_n);
    for (std::size_t i = mark_n; i < ta.nodes.size(); ++i) {
      Node n = ta.nodes[i];
      if (has_text(n)) n.str -= text_base;
      if (n.attrs >= 0) n.attrs -= base;
      if (n.child >= 0) n.child -= base;
      if (n.next >= 0) n.next -= base;
      e.tree.nodes.push_back(n);
    }
    e.tree.text = ta.text.substr(mark_t);
    e.root = root - base;
    cache.put(key, std::move(e));
  }

  ChunkContext& ctx_;
  Arena& a_;
  ByteReader r_;
  ReadLog* log_ = nullptr;  // set while compiling a template definition at log_def_
  std::uint32_t log_def_ = 0;
  bool in_value_;
  int value_depth_;
  bool ok_ = true;
  CompileError err_, template_error_;
};

}  // namespace

std::int32_t compile_record(ChunkContext& ctx, std::uint32_t begin, std::uint32_t end,
                            CompileError* err) {
  if (end > ctx.chunk.size()) end = static_cast<std::uint32_t>(ctx.chunk.size());
  // Elements normally carry a dependency identifier; records forwarded by Windows
  // Event Collector are written without one (MSExchange_Management_wec.evtx), so a
  // record that fails the usual reading is retried the other way.
  CompileError first_err;
  for (bool no_dep : {false, true}) {
    ctx.record_arena.clear();
    Compiler c(ctx, ctx.record_arena, no_dep, 0);
    std::uint32_t p = begin;
    std::int32_t first = c.fragment(p, end);
    if (c.ok()) return first;
    if (!no_dep) first_err = c.error();
  }
  if (err) *err = first_err;
  return -2;
}

}  // namespace kk::evtx
