// The record as a contract JSON line. System fields go to fixed slots (then out in
// contract order), EventData/UserData to the typed "data" object. Nothing is
// allocated per value.
#include <array>
#include <cstring>

#include "core/time.hpp"
#include "evtx/record_view.hpp"
#include "evtx/render.hpp"

namespace kk::evtx {
namespace {

class JsonWriter : public RecordView {
 public:
  using RecordView::RecordView;

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
    std::uint64_t seen = 0;  // one bit per (length, last byte) of the keys in `at`
    // Key text in out, [0, n) set. Left uninitialised (not std::pair, whose constructor
    // zeroes): a Keys is made for every record and every nested object.
    struct Span {
      std::size_t first, second;
    };
    std::array<Span, 48> at;
  };

  static std::size_t begin_key(TextBuffer& out, Keys& k) {
    if (!k.first) out.push(',');
    k.first = false;
    out.push('"');
    return out.size();
  }
  static void end_key(TextBuffer& out, Keys& k, std::size_t start) {
    std::size_t len = out.size() - start;
    // Keys rarely repeat: compare only when a kept key has the same length and last byte.
    std::uint64_t bit = std::uint64_t{1}
                        << ((len * 7 + (len ? static_cast<unsigned char>(out.data()[start + len - 1]) : 0)) & 63);
    unsigned dup = 0;
    if (k.seen & bit)
      for (std::uint32_t i = 0; i < k.n; ++i)
        if (k.at[i].second == len &&
            std::memcmp(out.data() + k.at[i].first, out.data() + start, len) == 0)
          ++dup;
    if (k.n < k.at.size()) {
      k.at[k.n++] = {start, len};
      k.seen |= bit;
    }
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
  // The name of node N (an element or attribute) as a key.
  void key(TextBuffer& out, Keys& k, const Scope& s, const Node& n) const {
    std::size_t start = begin_key(out, k);
    append_str(out, s, n, Escape::kJson);
    end_key(out, k, start);
  }

  // An element as a JSON value: an object of its attributes and child elements, or
  // its typed content.
  void element_json(const Scope& s, std::int32_t el, TextBuffer& out, int depth) const {
    if (depth > kMaxRenderDepth) {
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
      key(out, first, s, an);
      content_json(s, an.child, out, depth + 1);
    }
    for_each_element(s, e.child, [&](const Scope& cs, std::int32_t c) {
      key(out, first, cs, node(cs, c));
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
      key(out, first, cs, node(cs, c));
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
      key(out, first, cs, d);
      element_json(cs, c, out, 1);
    });
    if (any_unnamed) {
      key(out, first, "Data");
      out.push('[');
      out.append(unnamed.view());
      out.push(']');
    }
  }
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

// System/TimeCreated/@SystemTime as a FILETIME/SYSTEMTIME value, or as ISO 8601 text (with
// up to 9 fractional digits, truncated to microseconds).
std::optional<std::int64_t> event_time(const JsonWriter& r, const Slot& slot) {
  if (!slot.set) return std::nullopt;
  const Value* v;
  if (r.single_value(slot, v)) {
    if (!v) return std::nullopt;
    if (auto t = value_time(v->type, r.bytes(*v), v->size)) return t;
  }
  TextBuffer text;
  r.text(slot.s, slot.first, text, Escape::kNone, TimeStyle::kMicros, 0);
  if (text.view().size() < 10) return std::nullopt;
  auto parsed = parse_user_time(text.view(), "UTC");
  if (!parsed) return std::nullopt;
  return *parsed;
}

}  // namespace

RenderResult render_record(const ChunkContext& ctx, std::int32_t first, const RecordMeta& meta,
                           const RenderOptions& opt, TextBuffer& out) {
  JsonWriter r(ctx);
  Scope root = r.root();
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
  // `time` is the event's own TimeCreated. The record header's written time is only a
  // fallback: in forwarded (WEC) records and Event Viewer "Save filtered log file as" exports
  // the headers are renumbered with their own times (MSExchange_Management_wec.evtx: 30 s
  // later), and TimeCreated is text ("2021-11-19T16:52:33.833733500Z"), not a FILETIME.
  std::optional<std::int64_t> time = event_time(r, sys.time);
  const std::optional<std::int64_t> header_time = from_filetime(meta.written_time);
  if (!time) time = header_time;
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
  if (header_time && header_time != time) {
    out.append(",\"record_time\":\"");
    append_micros_iso(out, *header_time);
    out.push('"');
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
  JsonWriter::Keys first_key;
  if (sys.event_data >= 0) r.event_data(sys.data_scope, sys.event_data, out, first_key);
  if (sys.user_data >= 0) {
    r.for_each_element(sys.user_scope, r.node(sys.user_scope, sys.user_data).child,
                       [&](const Scope& cs, std::int32_t c) {
                         r.key(out, first_key, cs, r.node(cs, c));
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
    append_xml(r, root, first, out, true);
    out.push('"');
  }
  out.append("}\n");
  return RenderResult::kWritten;
}

}  // namespace kk::evtx
