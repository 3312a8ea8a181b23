// HTML output: one self-contained, XHTML-compatible file (every element closed, so an
// XML parser reads it too) with inline CSS and SVG; a Content-Security-Policy forbids
// any network access when it is opened.
#include <string>

#include "notice/document.hpp"

namespace kk::notice {

std::string_view notice_css();

namespace {

void escape(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters other than tab/newline are not allowed in XML.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += ' ';
        } else {
          out.push_back(c);
        }
    }
  }
}

void rich(std::string& out, const Rich& r) {
  for (const auto& s : r) {
    std::string inner;
    if (s.line_break) out += "<br/>";
    if (s.muted) inner += "<span class=\"muted\">";
    if (!s.badge.empty()) {
      inner += "<span class=\"badge badge-";
      escape(inner, s.badge);
      inner += "\">";
      escape(inner, s.text);
      inner += "</span>";
    } else if (s.code) {
      inner += "<code>";
      escape(inner, s.text);
      inner += "</code>";
    } else {
      escape(inner, s.text);
    }
    if (s.muted) inner += "</span>";
    if (s.strong) inner = "<strong>" + inner + "</strong>";
    if (!s.href.empty()) {
      out += "<a href=\"";
      escape(out, s.href);
      out += "\">" + inner + "</a>";
    } else {
      out += inner;
    }
  }
}

void html_table(std::string& out, const Table& t) {
  out += "<table class=\"";
  escape(out, t.style.empty() ? "data"
              : t.style == "kv" || t.style == "compact" || t.style == "verdicts"
                  ? t.style
                  : "compact " + t.style);
  out += "\">";
  if (!t.header.empty()) {
    out += "<thead><tr>";
    for (const auto& h : t.header) {
      out += "<th>";
      escape(out, h);
      out += "</th>";
    }
    out += "</tr></thead>";
  }
  out += "<tbody>";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += "<tr";
    if (i < t.row_ids.size() && !t.row_ids[i].empty()) {
      out += " id=\"";
      escape(out, t.row_ids[i]);
      out += "\"";
    }
    out += ">";
    for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
      bool head = t.style == "kv" && j == 0;
      out += head ? "<th scope=\"row\">" : "<td>";
      rich(out, t.rows[i][j]);
      out += head ? "</th>" : "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table>\n";
}

}  // namespace

std::string render_html(const Document& doc) {
  std::string out;
  out.reserve(1 << 16);
  out += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"";
  out += lang_code(doc.lang);
  out += "\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>";
  escape(out, doc.title);
  out += "</title>\n<style>\n";
  out += notice_css();
  out += "</style>\n</head>\n";
  out += doc.compact ? "<body class=\"brief\">\n" : "<body>\n";
  out += "<div class=\"classification\">";
  escape(out, doc.classification);
  out += "</div>\n<header class=\"doc-head\"><h1>";
  escape(out, doc.title);
  out += "</h1><p class=\"subtitle\">";
  escape(out, doc.subtitle);
  out += "</p></header>\n";
  for (const auto& sec : doc.sections) {
    out += "<section id=\"";
    escape(out, sec.id);
    out += sec.new_page ? "\" class=\"new-page\">\n<h2>" : "\">\n<h2>";
    escape(out, sec.title);
    out += "</h2>\n";
    for (const auto& b : sec.blocks) {
      if (auto* p = std::get_if<Paragraph>(&b)) {
        out += "<p";
        if (!p->style.empty()) out += " class=\"" + p->style + "\"";
        if (!p->id.empty()) {
          out += " id=\"";
          escape(out, p->id);
          out += "\"";
        }
        out += ">";
        rich(out, p->content);
        out += "</p>\n";
      } else if (auto* t = std::get_if<Table>(&b)) {
        html_table(out, *t);
      } else if (auto* l = std::get_if<List>(&b)) {
        out += l->ordered ? "<ol>" : "<ul>";
        for (const auto& item : l->items) {
          out += "<li>";
          rich(out, item);
          out += "</li>";
        }
        out += l->ordered ? "</ol>\n" : "</ul>\n";
      } else if (auto* h = std::get_if<Heading>(&b)) {
        out += "<h3";
        if (!h->id.empty()) {
          out += " id=\"";
          escape(out, h->id);
          out += "\"";
        }
        out += ">";
        escape(out, h->text);
        out += "</h3>\n";
      } else if (auto* c = std::get_if<Chart>(&b)) {
        out += "<figure class=\"chart\">";
        // The SVG carries its own accessible label (the caption's text).
        out += c->svg;
        out += "<figcaption>";
        escape(out, c->caption);
        out += "</figcaption></figure>\n";
      }
    }
    out += "</section>\n";
  }
  out += "<footer class=\"doc-foot\">";
  escape(out, doc.footer);
  out += "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace kk::notice
