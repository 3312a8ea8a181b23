// Windows-style XML rendering of a record: element and attribute order as stored,
// no indentation, optional null substitutions left out, empty elements as <X/>.
#include "evtx/record_view.hpp"
#include "evtx/render.hpp"

namespace kk::evtx {
namespace {

class XmlWriter : public RecordView {
 public:
  using RecordView::RecordView;

  void xml_chain(const Scope& s, std::int32_t first, TextBuffer& out, bool js, int depth) const {
    if (depth > kMaxRenderDepth) return;
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
          append_str(out, s, n, et);
          break;
        case NodeKind::kCData:
          out.append("<![CDATA[");
          append_str(out, s, n, js ? Escape::kJson : Escape::kNone);
          out.append("]]>");
          break;
        case NodeKind::kCharRef:
          out.append("&#");
          out.append_uint(n.index);
          out.push(';');
          break;
        case NodeKind::kEntityRef:
          out.push('&');
          append_str(out, s, n, js ? Escape::kJson : Escape::kNone);
          out.push(';');
          break;
        case NodeKind::kPITarget:
          out.append("<?");
          append_str(out, s, n, js ? Escape::kJson : Escape::kNone);
          if (n.next < 0 || node(s, n.next).kind != NodeKind::kPIData) out.append("?>");
          break;
        case NodeKind::kPIData:
          out.push(' ');
          append_str(out, s, n, js ? Escape::kJson : Escape::kNone);
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
    append_str(out, s, e, js ? Escape::kJson : Escape::kNone);
    std::string_view q = js ? "\\\"" : "\"";
    for (std::int32_t a = e.attrs; a >= 0; a = node(s, a).next) {
      const Node& an = node(s, a);
      const Value* v;
      Slot sl{s, an.child, true};
      // An optional substitution whose value is null removes the attribute (Windows does).
      if (single_value(sl, v) && (!v || v->type == kNull) && node(s, an.child).optional) continue;
      out.push(' ');
      append_str(out, s, an, js ? Escape::kJson : Escape::kNone);
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
            append_str(out, s, e, js ? Escape::kJson : Escape::kNone);
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
    append_str(out, s, e, js ? Escape::kJson : Escape::kNone);
    out.push('>');
  }
};

}  // namespace

void append_xml(const RecordView& v, const Scope& s, std::int32_t first, TextBuffer& out, bool js) {
  XmlWriter(v.context()).xml_chain(s, first, out, js, 0);
}

void render_xml(const ChunkContext& ctx, std::int32_t first, bool in_json, TextBuffer& out) {
  RecordView v(ctx);
  append_xml(v, v.root(), first, out, in_json);
}

}  // namespace kk::evtx
