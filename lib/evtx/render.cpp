// The record renderer. It walks template trees with the record's values: System
// fields go to fixed slots (then out in contract order), EventData/UserData to
// the typed "data" object. Nothing is allocated per value.
#include "evtx/render.hpp"

#include <array>
#include <cstring>

#include "core/byte_reader.hpp"
#include "core/time.hpp"
#include "evtx/values.hpp"

namespace kk::evtx {
namespace {

constexpr int kMaxDepth = 64;

// Where a node chain lives and which values its substitutions see.
struct Scope {
  const Arena* nodes = nullptr;         // arena holding the nodes
  const Arena* values_arena = nullptr;  // arena holding the values (and nested fragments)
  const Value* values = nullptr;
  std::uint32_t count = 0;
};

struct Slot {
  Scope s;
  std::int32_t first = -1;
  bool set = false;
};

// xmlns and xmlns:prefix attributes say nothing about the event: left out of "data".
bool is_namespace(std::string_view name) {
  return name.size() >= 5 && name.substr(0, 5) == "xmlns" && (name.size() == 5 || name[5] == ':');
}

class Renderer {
 public:
  explicit Renderer(const ChunkContext& c) : c_(c) {}

  const Node& node(const Scope& s, std::int32_t i) const {
    return s.nodes->nodes[static_cast<std::size_t>(i)];
  }
  const Value* value(const Scope& s, std::uint16_t i) const {
    return i < s.count ? &s.values[i] : nullptr;
  }
  const std::uint8_t* bytes(const Value& v) const { return c_.chunk.data() + v.offset; }

  bool instance_scope(const Scope& s, const Node& n, Scope& out, std::int32_t& root) const {
    if (n.tmpl >= c_.templates.size()) return false;
    const Template& t = c_.templates[n.tmpl];
    if (t.state != Template::kOk) return false;
    out = Scope{&c_.templates_arena, s.nodes, s.nodes->values.data() + n.values_first,
                n.values_count};
    root = t.root;
    return true;
  }
  Scope nested_scope(const Scope& s) const {
    return Scope{s.values_arena, s.values_arena, nullptr, 0};
  }

  // Calls F(scope, element index) for each element in the chain, looking through
  // template instances and BinXML substitution values.
  template <typename F>
  void for_each_element(const Scope& s, std::int32_t first, F&& f, int depth = 0) const {
    if (depth > kMaxDepth) return;
    for (std::int32_t i = first; i >= 0; i = node(s, i).next) {
      const Node& n = node(s, i);
      if (n.kind == NodeKind::kElement) {
        if (!omitted(s, i)) f(s, i);
      } else if (n.kind == NodeKind::kTemplateInstance) {
        Scope t;
        std::int32_t root;
        if (instance_scope(s, n, t, root)) for_each_element(t, root, f, depth + 1);
      } else if (n.kind == NodeKind::kSubstitution) {
        const Value* v = value(s, n.index);
        if (v && v->type == kBinXml && v->node >= 0)
          for_each_element(nested_scope(s), v->node, f, depth + 1);
      }
    }
  }

  // The attribute with TAG of element EL, as a slot.
  Slot attribute(const Scope& s, std::int32_t el, std::uint8_t tag) const {
    for (std::int32_t a = node(s, el).attrs; a >= 0; a = node(s, a).next)
      if (node(s, a).tag == tag) return Slot{s, node(s, a).child, true};
    return {};
  }
  Slot content(const Scope& s, std::int32_t el) const { return Slot{s, node(s, el).child, true}; }

  // An element whose whole content is an optional substitution with a null value
  // is not created (EVTX format documentation, "Optional substitution").
  bool omitted(const Scope& s, std::int32_t el) const {
    const Node& e = node(s, el);
    if (e.child < 0) return false;
    const Node& c = node(s, e.child);
    if (c.next >= 0 || c.kind != NodeKind::kSubstitution || !c.optional) return false;
    const Value* v = value(s, c.index);
    return !v || v->type == kNull;
  }

  // A chain that is exactly one substitution: its value (null pointer if missing).
  bool single_value(const Slot& sl, const Value*& v) const {
    if (sl.first < 0) return false;
    const Node& n = node(sl.s, sl.first);
    if (n.next >= 0 || n.kind != NodeKind::kSubstitution) return false;
    v = value(sl.s, n.index);
    return true;
  }

  std::optional<std::uint64_t> slot_number(const Slot& sl) const {
    if (!sl.set) return std::nullopt;
    const Value* v;
    if (single_value(sl, v)) {
      if (!v) return std::nullopt;
      return value_number(v->type, bytes(*v), v->size);
    }
    TextBuffer t;
    text(sl.s, sl.first, t, Escape::kNone, TimeStyle::kMicros, 0);
    std::uint64_t n = 0;
    std::string_view sv = t.view();
    if (sv.empty() || sv.size() > 19) return std::nullopt;
    for (char ch : sv) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return n;
  }

  // Text of a node chain (values as Windows renders them), escaped with E.
  void text(const Scope& s, std::int32_t first, TextBuffer& out, Escape e, TimeStyle ts,
            int depth) const {
    if (depth > kMaxDepth) return;
    for (std::int32_t i = first; i >= 0; i = node(s, i).next) {
      const Node& n = node(s, i);
      switch (n.kind) {
        case NodeKind::kText:
        case NodeKind::kCData:
          append_escaped(out, s.nodes->str(n), e);
          break;
        case NodeKind::kSubstitution: {
          const Value* v = value(s, n.index);
          if (!v) break;
          value_chars(s, *v, out, e, ts, depth);
          break;
        }
        case NodeKind::kCharRef: {
          TextBuffer one;
          std::uint8_t u[2] = {static_cast<std::uint8_t>(n.index & 0xff),
                               static_cast<std::uint8_t>(n.index >> 8)};
          append_utf16(one, u, 1, Escape::kNone);
          append_escaped(out, one.view(), e);
          break;
        }
        case NodeKind::kEntityRef: {
          std::string_view name = s.nodes->str(n);
          std::string_view ch = name == "lt"     ? "<"
                                : name == "gt"   ? ">"
                                : name == "amp"  ? "&"
                                : name == "quot" ? "\""
                                : name == "apos" ? "'"
                                                 : "";
          append_escaped(out, ch, e);
          break;
        }
        case NodeKind::kElement:
          text(s, n.child, out, e, ts, depth + 1);
          break;
        case NodeKind::kTemplateInstance: {
          Scope t;
          std::int32_t root;
          if (instance_scope(s, n, t, root)) text(t, root, out, e, ts, depth + 1);
          break;
        }
        default:
          break;
      }
    }
  }

  void value_chars(const Scope& s, const Value& v, TextBuffer& out, Escape e, TimeStyle ts,
                   int depth) const {
    if (v.type == kBinXml) {
      if (v.node >= 0)
        text(nested_scope(s), v.node, out, e, ts, depth + 1);
      else
        value_text(out, kBinary, bytes(v), v.size, e, ts);
      return;
    }
    if (v.type & kArray) {
      bool first = true;
      std::uint8_t t = v.type & 0x7f;
      bool ok =
          for_each_array_item(v.type, bytes(v), v.size, [&](const std::uint8_t* p, std::size_t n) {
            if (!first) out.append(", ");
            first = false;
            value_text(out, t, p, n, e, ts);
          });
      if (!ok) value_text(out, kBinary, bytes(v), v.size, e, ts);
      return;
    }
    value_text(out, v.type, bytes(v), v.size, e, ts);
  }

  void slot_json_string(const Slot& sl, TextBuffer& out) const {
    if (!sl.set) {
      out.append("null");
      return;
    }
    const Value* v;
    if (single_value(sl, v) && (!v || v->type == kNull)) {
      out.append("null");
      return;
    }
    out.push('"');
    text(sl.s, sl.first, out, Escape::kJson, TimeStyle::kMicros, 0);
    out.push('"');
  }

  void slot_json_number(const Slot& sl, TextBuffer& out) const {
    auto n = slot_number(sl);
    if (n)
      out.append_uint(*n);
    else
      out.append("null");
  }

  // ---- JSON "data" ----

  bool chain_is_elements(const Scope& s, std::int32_t first) const {
    if (first < 0) return false;
    for (std::int32_t i = first; i >= 0; i = node(s, i).next) {
      const Node& n = node(s, i);
      if (n.kind == NodeKind::kElement || n.kind == NodeKind::kTemplateInstance) continue;
      if (n.kind == NodeKind::kSubstitution) {
        const Value* v = value(s, n.index);
        if (v && v->type == kBinXml && v->node >= 0) continue;
        if (!v || v->type == kNull) continue;
      }
      return false;
    }
    return true;
  }

  // Typed JSON of a content chain: one value keeps its type, elements become an object.
  void content_json(const Scope& s, std::int32_t first, TextBuffer& out, int depth) const {
    if (first < 0) {
      out.append("\"\"");
      return;
    }
    const Node& n = node(s, first);
    if (n.next < 0 && n.kind == NodeKind::kSubstitution) {
      const Value* v = value(s, n.index);
      if (!v || v->type == kNull) {
        out.append("null");
        return;
      }
      if (v->type == kBinXml) {
        if (v->node >= 0) {
          Scope ns = nested_scope(s);
          if (chain_is_elements(ns, v->node))
            elements_object(ns, v->node, out, depth + 1);
          else
            content_json(ns, v->node, out, depth + 1);
        } else {
          out.push('"');
          value_text(out, kBinary, bytes(*v), v->size, Escape::kJson, TimeStyle::kMicros);
          out.push('"');
        }
        return;
      }
      any_value_json(out, v->type, bytes(*v), v->size);
      return;
    }
    if (chain_is_elements(s, first)) {
      elements_object(s, first, out, depth + 1);
      return;
    }
    out.push('"');
    text(s, first, out, Escape::kJson, TimeStyle::kMicros, depth);
    out.push('"');
  }

  // Keys of one JSON object. A name that repeats (4648's two "LogonGuid" Data in
  // Security_with_size_t.evtx) gets "#2", "#3"… so that no value is lost to a
  // duplicate key.
  struct Keys {
    bool first = true;
    std::uint32_t n = 0;
    std::array<std::pair<std::size_t, std::size_t>, 48> at{};  // key text in out
  };

  static std::size_t begin_key(TextBuffer& out, Keys& k) {
    if (!k.first) out.push(',');
    k.first = false;
    out.push('"');
    return out.size();
  }
  static void end_key(TextBuffer& out, Keys& k, std::size_t start) {
    std::size_t len = out.size() - start;
    unsigned dup = 0;
    for (std::uint32_t i = 0; i < k.n; ++i)
      if (k.at[i].second == len &&
          std::memcmp(out.data() + k.at[i].first, out.data() + start, len) == 0)
        ++dup;
    if (k.n < k.at.size()) k.at[k.n++] = {start, len};
    if (dup) {
      out.push('#');
      out.append_uint(dup + 1);
    }
    out.append("\":");
  }
  void key(TextBuffer& out, Keys& k, std::string_view name) const {
    std::size_t start = begin_key(out, k);
    append_escaped(out, name, Escape::kJson);
    end_key(out, k, start);
  }

  // An element as a JSON value: an object of its attributes and child elements, or
  // its typed content.
  void element_json(const Scope& s, std::int32_t el, TextBuffer& out, int depth) const {
    if (depth > kMaxDepth) {
      out.append("null");
      return;
    }
    const Node& e = node(s, el);
    bool has_attrs = false;
    for (std::int32_t a = e.attrs; a >= 0; a = node(s, a).next)
      if (!is_namespace(s.nodes->str(node(s, a)))) has_attrs = true;
    bool elements = chain_is_elements(s, e.child);
    if (!elements && !has_attrs) {
      content_json(s, e.child, out, depth);
      return;
    }
    if (!elements && e.child >= 0) {  // attributes and text: keep the text
      content_json(s, e.child, out, depth);
      return;
    }
    out.push('{');
    Keys first;
    for (std::int32_t a = e.attrs; a >= 0; a = node(s, a).next) {
      const Node& an = node(s, a);
      if (is_namespace(s.nodes->str(an))) continue;
      key(out, first, s.nodes->str(an));
      content_json(s, an.child, out, depth + 1);
    }
    for_each_element(s, e.child, [&](const Scope& cs, std::int32_t c) {
      key(out, first, cs.nodes->str(node(cs, c)));
      element_json(cs, c, out, depth + 1);
    });
    out.push('}');
  }

  // An element as a JSON object in any case (UserData's event element): attributes,
  // child elements, and text content under "#text".
  void element_object(const Scope& s, std::int32_t el, TextBuffer& out, int depth) const {
    const Node& e = node(s, el);
    if (chain_is_elements(s, e.child) || e.child < 0) {
      bool has_attrs = false;
      for (std::int32_t a = e.attrs; a >= 0; a = node(s, a).next)
        if (!is_namespace(s.nodes->str(node(s, a)))) has_attrs = true;
      if (has_attrs || e.child >= 0) {
        element_json(s, el, out, depth);
        return;
      }
      out.append("{}");
      return;
    }
    out.append("{\"#text\":");
    content_json(s, e.child, out, depth + 1);
    out.push('}');
  }

  void elements_object(const Scope& s, std::int32_t first_el, TextBuffer& out, int depth) const {
    out.push('{');
    Keys first;
    for_each_element(s, first_el, [&](const Scope& cs, std::int32_t c) {
      key(out, first, cs.nodes->str(node(cs, c)));
      element_json(cs, c, out, depth + 1);
    });
    out.push('}');
  }

  // EventData: <Data Name="X">v</Data> → "X": v; unnamed Data → "Data": [v, …].
  void event_data(const Scope& s, std::int32_t el, TextBuffer& out, Keys& first) const {
    static thread_local TextBuffer unnamed;  // reused across records (no allocation per record)
    unnamed.clear();
    bool any_unnamed = false;
    for_each_element(s, node(s, el).child, [&](const Scope& cs, std::int32_t c) {
      const Node& d = node(cs, c);
      Slot name = attribute(cs, c, kTagName);
      if (d.tag == kTagData || name.set) {  // Data, and ComplexData Name="…" (plaso System.evtx)
        if (name.set) {
          std::size_t start = begin_key(out, first);
          text(name.s, name.first, out, Escape::kJson, TimeStyle::kMicros, 0);
          end_key(out, first, start);
          content_json(cs, d.child, out, 1);
        } else {
          // An array value repeats the element (as Windows renders it): one item each.
          const Value* v;
          Slot sl{cs, d.child, true};
          if (single_value(sl, v) && v && (v->type & kArray) && v->type != (kArray | kBinXml)) {
            bool ok = for_each_array_item(v->type, bytes(*v), v->size,
                                          [&](const std::uint8_t* p, std::size_t n) {
                                            if (any_unnamed) unnamed.push(',');
                                            any_unnamed = true;
                                            value_json(unnamed, v->type & 0x7f, p, n);
                                          });
            if (ok) return;
          }
          if (any_unnamed) unnamed.push(',');
          any_unnamed = true;
          content_json(cs, d.child, unnamed, 1);
        }
        return;
      }
      key(out, first, cs.nodes->str(d));
      element_json(cs, c, out, 1);
    });
    if (any_unnamed) {
      key(out, first, "Data");
      out.push('[');
      out.append(unnamed.view());
      out.push(']');
    }
  }

  // ---- XML ----

  void xml_chain(const Scope& s, std::int32_t first, TextBuffer& out, bool js, int depth) const {
    if (depth > kMaxDepth) return;
    Escape et = js ? Escape::kJsonXmlText : Escape::kXmlText;
    for (std::int32_t i = first; i >= 0; i = node(s, i).next) {
      const Node& n = node(s, i);
      switch (n.kind) {
        case NodeKind::kElement:
          xml_element(s, i, out, js, depth + 1);
          break;
        case NodeKind::kTemplateInstance: {
          Scope t;
          std::int32_t root;
          if (instance_scope(s, n, t, root)) xml_chain(t, root, out, js, depth + 1);
          break;
        }
        case NodeKind::kSubstitution: {
          const Value* v = value(s, n.index);
          if (!v) break;
          if (v->type == kBinXml && v->node >= 0)
            xml_chain(nested_scope(s), v->node, out, js, depth + 1);
          else
            value_chars(s, *v, out, et, TimeStyle::kTicks, depth);
          break;
        }
        case NodeKind::kText:
          append_escaped(out, s.nodes->str(n), et);
          break;
        case NodeKind::kCData:
          out.append("<![CDATA[");
          append_escaped(out, s.nodes->str(n), js ? Escape::kJson : Escape::kNone);
          out.append("]]>");
          break;
        case NodeKind::kCharRef:
          out.append("&#");
          out.append_uint(n.index);
          out.push(';');
          break;
        case NodeKind::kEntityRef:
          out.push('&');
          append_escaped(out, s.nodes->str(n), js ? Escape::kJson : Escape::kNone);
          out.push(';');
          break;
        case NodeKind::kPITarget:
          out.append("<?");
          append_escaped(out, s.nodes->str(n), js ? Escape::kJson : Escape::kNone);
          if (n.next < 0 || node(s, n.next).kind != NodeKind::kPIData) out.append("?>");
          break;
        case NodeKind::kPIData:
          out.push(' ');
          append_escaped(out, s.nodes->str(n), js ? Escape::kJson : Escape::kNone);
          out.append("?>");
          break;
        default:
          break;
      }
    }
  }

  void xml_start(const Scope& s, std::int32_t el, TextBuffer& out, bool js) const {
    const Node& e = node(s, el);
    out.push('<');
    append_escaped(out, s.nodes->str(e), js ? Escape::kJson : Escape::kNone);
    std::string_view q = js ? "\\\"" : "\"";
    for (std::int32_t a = e.attrs; a >= 0; a = node(s, a).next) {
      const Node& an = node(s, a);
      const Value* v;
      Slot sl{s, an.child, true};
      // An optional substitution whose value is null removes the attribute (Windows does).
      if (single_value(sl, v) && (!v || v->type == kNull) && node(s, an.child).optional) continue;
      out.push(' ');
      append_escaped(out, s.nodes->str(an), js ? Escape::kJson : Escape::kNone);
      out.push('=');
      out.append(q);
      text(s, an.child, out, js ? Escape::kJsonXmlAttr : Escape::kXmlAttr, TimeStyle::kTicks, 0);
      out.append(q);
    }
  }

  void xml_element(const Scope& s, std::int32_t el, TextBuffer& out, bool js, int depth) const {
    if (omitted(s, el)) return;
    const Node& e = node(s, el);
    // An array value as the whole content repeats the element once per item.
    const Value* v;
    Slot sl{s, e.child, true};
    if (single_value(sl, v) && v && (v->type & kArray)) {
      std::uint8_t t = v->type & 0x7f;
      Escape et = js ? Escape::kJsonXmlText : Escape::kXmlText;
      bool ok = for_each_array_item(
          v->type, bytes(*v), v->size, [&](const std::uint8_t* p, std::size_t n) {
            xml_start(s, el, out, js);
            out.push('>');
            value_text(out, t, p, n, et, TimeStyle::kTicks);
            out.append("</");
            append_escaped(out, s.nodes->str(e), js ? Escape::kJson : Escape::kNone);
            out.push('>');
          });
      if (ok) return;
    }
    xml_start(s, el, out, js);
    if (e.child < 0) {
      out.append("/>");
      return;
    }
    out.push('>');
    std::size_t mark = out.size();
    xml_chain(s, e.child, out, js, depth);
    if (out.size() == mark) {  // content rendered empty: <X/> as Windows writes it
      out.resize_down(mark - 1);
      out.append("/>");
      return;
    }
    out.append("</");
    append_escaped(out, s.nodes->str(e), js ? Escape::kJson : Escape::kNone);
    out.push('>');
  }

 private:
  const ChunkContext& c_;
};

struct SystemSlots {
  Slot provider, source_name, event_id, level, task, opcode, keywords, time, channel, computer, pid,
      tid, user, record_id;
  Scope event_scope;
  std::int32_t event_data = -1, user_data = -1;
  Scope data_scope, user_scope;
  bool found_event = false;
};

bool equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

}  // namespace

RenderResult render_record(const ChunkContext& ctx, std::int32_t first, const RecordMeta& meta,
                           const RenderOptions& opt, TextBuffer& out) {
  Renderer r(ctx);
  Scope root{&ctx.record_arena, &ctx.record_arena, nullptr, 0};
  SystemSlots sys;
  r.for_each_element(root, first, [&](const Scope& s, std::int32_t ev) {
    if (sys.found_event) return;
    sys.found_event = true;
    r.for_each_element(s, r.node(s, ev).child, [&](const Scope& cs, std::int32_t c) {
      switch (r.node(cs, c).tag) {
        case kTagSystem:
          r.for_each_element(cs, r.node(cs, c).child, [&](const Scope& ss, std::int32_t f) {
            switch (r.node(ss, f).tag) {
              case kTagProvider:
                sys.provider = r.attribute(ss, f, kTagName);
                sys.source_name = r.attribute(ss, f, kTagEventSourceName);
                break;
              case kTagEventID:
                sys.event_id = r.content(ss, f);
                break;
              case kTagLevel:
                sys.level = r.content(ss, f);
                break;
              case kTagTask:
                sys.task = r.content(ss, f);
                break;
              case kTagOpcode:
                sys.opcode = r.content(ss, f);
                break;
              case kTagKeywords:
                sys.keywords = r.content(ss, f);
                break;
              case kTagEventRecordID:
                sys.record_id = r.content(ss, f);
                break;
              case kTagTimeCreated:
                sys.time = r.attribute(ss, f, kTagSystemTime);
                break;
              case kTagExecution:
                sys.pid = r.attribute(ss, f, kTagProcessID);
                sys.tid = r.attribute(ss, f, kTagThreadID);
                break;
              case kTagChannel:
                sys.channel = r.content(ss, f);
                break;
              case kTagComputer:
                sys.computer = r.content(ss, f);
                break;
              case kTagSecurity:
                sys.user = r.attribute(ss, f, kTagUserID);
                break;
              default:
                break;
            }
          });
          break;
        case kTagEventData:
          if (sys.event_data < 0) {
            sys.event_data = c;
            sys.data_scope = cs;
          }
          break;
        case kTagUserData:
          if (sys.user_data < 0) {
            sys.user_data = c;
            sys.user_scope = cs;
          }
          break;
        default:
          break;
      }
    });
  });

  auto event_id = r.slot_number(sys.event_id);
  std::optional<std::int64_t> time;
  {
    const Value* v;
    if (sys.time.set && r.single_value(sys.time, v) && v)
      time = value_time(v->type, r.bytes(*v), v->size);
    if (!time) time = from_filetime(meta.written_time);
  }
  if (opt.filter && !opt.filter->empty()) {
    const Filter& f = *opt.filter;
    if (!f.event_ids.empty()) {
      bool hit = false;
      if (event_id)
        for (auto id : f.event_ids) hit = hit || id == *event_id;
      if (!hit) return RenderResult::kFiltered;
    }
    if ((f.since || f.until) && !time) return RenderResult::kFiltered;
    if (f.since && *time < *f.since) return RenderResult::kFiltered;
    if (f.until && *time > *f.until) return RenderResult::kFiltered;
    if (!f.channels.empty()) {
      TextBuffer ch;
      if (sys.channel.set)
        r.text(sys.channel.s, sys.channel.first, ch, Escape::kNone, TimeStyle::kMicros, 0);
      bool hit = false;
      for (const auto& c : f.channels) hit = hit || equal_ci(c, ch.view());
      if (!hit) return RenderResult::kFiltered;
    }
  }

  out.append("{\"artifact\":\"evtx\",\"source\":");
  out.append(opt.source_json);
  // EventRecordID as Windows shows it; the record header's id when absent (they differ
  // in exported selections such as Security_short_selected.evtx).
  out.append(",\"record_id\":");
  auto rid = r.slot_number(sys.record_id);
  out.append_uint(rid ? *rid : meta.record_id);
  out.append(",\"time\":");
  if (time) {
    out.push('"');
    append_micros_iso(out, *time);
    out.push('"');
  } else {
    out.append("null");
  }
  out.append(",\"event_id\":");
  if (event_id)
    out.append_uint(*event_id);
  else
    out.append("null");
  out.append(",\"provider\":");
  r.slot_json_string(sys.provider.set ? sys.provider : sys.source_name, out);
  out.append(",\"channel\":");
  r.slot_json_string(sys.channel, out);
  out.append(",\"computer\":");
  r.slot_json_string(sys.computer, out);
  out.append(",\"level\":");
  r.slot_json_number(sys.level, out);
  out.append(",\"task\":");
  r.slot_json_number(sys.task, out);
  out.append(",\"opcode\":");
  r.slot_json_number(sys.opcode, out);
  out.append(",\"keywords\":");
  r.slot_json_string(sys.keywords, out);
  out.append(",\"process_id\":");
  r.slot_json_number(sys.pid, out);
  out.append(",\"thread_id\":");
  r.slot_json_number(sys.tid, out);
  out.append(",\"user_sid\":");
  r.slot_json_string(sys.user, out);
  out.append(",\"data\":{");
  Renderer::Keys first_key;
  if (sys.event_data >= 0) r.event_data(sys.data_scope, sys.event_data, out, first_key);
  if (sys.user_data >= 0) {
    r.for_each_element(sys.user_scope, r.node(sys.user_scope, sys.user_data).child,
                       [&](const Scope& cs, std::int32_t c) {
                         r.key(out, first_key, cs.nodes->str(r.node(cs, c)));
                         r.element_object(cs, c, out, 1);
                       });
  }
  out.append("},\"chunk\":");
  out.append_uint(meta.chunk);
  out.append(",\"offset\":");
  out.append_uint(meta.offset);
  out.append(meta.recovered ? ",\"recovered\":true" : ",\"recovered\":false");
  if (opt.xml) {
    out.append(",\"xml\":\"");
    r.xml_chain(root, first, out, true, 0);
    out.push('"');
  }
  out.append("}\n");
  return RenderResult::kWritten;
}

void render_xml(const ChunkContext& ctx, std::int32_t first, bool in_json, TextBuffer& out) {
  Renderer r(ctx);
  Scope root{&ctx.record_arena, &ctx.record_arena, nullptr, 0};
  r.xml_chain(root, first, out, in_json, 0);
}

}  // namespace kk::evtx
