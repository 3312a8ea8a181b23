// A compiled record seen as XML: node chains in arenas plus the substitution
// values they see, walked through template instances and nested BinXML values.
// Shared by the JSON and the XML renderers (render_json.cpp, render_xml.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "evtx/binxml.hpp"
#include "evtx/text_buffer.hpp"
#include "evtx/values.hpp"

namespace kk::evtx {

inline constexpr int kMaxRenderDepth = 64;

// Where a node chain lives and which values its substitutions see.
struct Scope {
  const Arena* nodes = nullptr;         // arena holding the nodes
  const Arena* values_arena = nullptr;  // arena holding the values (and nested fragments)
  const Value* values = nullptr;
  std::uint32_t count = 0;
};

// A node chain: an element's content or an attribute's value.
struct Slot {
  Scope s;
  std::int32_t first = -1;
  bool set = false;
};

// xmlns and xmlns:prefix attributes say nothing about the event: left out of "data".
inline bool is_namespace(std::string_view name) {
  return name.size() >= 5 && name.substr(0, 5) == "xmlns" && (name.size() == 5 || name[5] == ':');
}

class RecordView {
 public:
  explicit RecordView(const ChunkContext& c) : c_(c) {}
  // The record compiled into ctx.record_arena.
  Scope root() const { return Scope{&c_.record_arena, &c_.record_arena, nullptr, 0}; }
  const ChunkContext& context() const { return c_; }

  const Node& node(const Scope& s, std::int32_t i) const {
    return s.nodes->nodes[static_cast<std::size_t>(i)];
  }
  const Value* value(const Scope& s, std::uint16_t i) const {
    return i < s.count ? &s.values[i] : nullptr;
  }
  const std::uint8_t* bytes(const Value& v) const { return c_.chunk.data() + v.offset; }

  // Appends node N's name or text escaped with E (a plain one is copied as is: names
  // are compiled once per chunk and written for every record).
  static void append_str(TextBuffer& out, const Scope& s, const Node& n, Escape e) {
    if (n.plain)
      out.append(s.nodes->str(n));
    else
      append_escaped(out, s.nodes->str(n), e);
  }

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
    if (depth > kMaxRenderDepth) return;
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
    if (depth > kMaxRenderDepth) return;
    for (std::int32_t i = first; i >= 0; i = node(s, i).next) {
      const Node& n = node(s, i);
      switch (n.kind) {
        case NodeKind::kText:
        case NodeKind::kCData:
          append_str(out, s, n, e);
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

 protected:
  const ChunkContext& c_;
};

// Appends the chain at FIRST as Windows-style XML (escaped for a JSON string when JS).
void append_xml(const RecordView& v, const Scope& s, std::int32_t first, TextBuffer& out, bool js);

}  // namespace kk::evtx
