// Markdown output (GitHub-flavoured tables): the same content as the HTML, for e-mail
// and for diffing two versions of a notice.
#include <algorithm>
#include <string>

#include "notice/document.hpp"

namespace kk::notice {

namespace {

// Escapes what would change the meaning inside a table cell or paragraph.
void escape(std::string& out, std::string_view s, bool in_table) {
  for (char c : s) {
    if (c == '|' && in_table) {
      out += "\\|";
    } else if (c == '\n') {
      out += in_table ? "<br>" : "  \n";
    } else if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
               c == '>') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\r') {
      continue;
    } else {
      out.push_back(c);
    }
  }
}

void code_span(std::string& out, std::string_view s, bool in_table) {
  // A backtick run longer than any inside S delimits it.
  std::size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  out += fence;
  if (longest) out += ' ';
  for (char c : s) {
    if (c == '|' && in_table) {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  if (longest) out += ' ';
  out += fence;
}

void rich(std::string& out, const Rich& r, bool in_table) {
  for (const auto& s : r) {
    std::string inner;
    if (s.line_break) out += in_table ? "<br>" : "  \n";
    if (s.code) {
      code_span(inner, s.text, in_table);
    } else if (!s.badge.empty()) {
      inner += "**[";
      escape(inner, s.text, in_table);
      inner += "]**";
    } else {
      escape(inner, s.text, in_table);
    }
    if (s.strong && s.badge.empty()) inner = "**" + inner + "**";
    if (!s.href.empty()) inner = "[" + inner + "](" + s.href + ")";
    out += inner;
  }
}

void table(std::string& out, const Table& t) {
  std::size_t cols = t.header.size();
  for (const auto& r : t.rows) cols = std::max(cols, r.size());
  if (!cols) return;
  out += "|";
  for (std::size_t j = 0; j < cols; ++j) {
    out += ' ';
    if (j < t.header.size()) escape(out, t.header[j], true);
    out += " |";
  }
  out += "\n|";
  for (std::size_t j = 0; j < cols; ++j) out += "---|";
  out += "\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += "|";
    for (std::size_t j = 0; j < cols; ++j) {
      out += ' ';
      if (j == 0 && i < t.row_ids.size() && !t.row_ids[i].empty())
        out += "<a id=\"" + t.row_ids[i] + "\"></a>";
      if (j < t.rows[i].size()) rich(out, t.rows[i][j], true);
      out += " |";
    }
    out += "\n";
  }
  out += "\n";
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::string out;
  out += "_";
  escape(out, doc.classification, false);
  out += "_\n\n# ";
  escape(out, doc.title, false);
  out += "\n\n";
  escape(out, doc.subtitle, false);
  out += "\n\n";
  for (const auto& sec : doc.sections) {
    out += "<a id=\"" + sec.id + "\"></a>\n\n## ";
    escape(out, sec.title, false);
    out += "\n\n";
    for (const auto& b : sec.blocks) {
      if (auto* p = std::get_if<Paragraph>(&b)) {
        if (!p->id.empty()) out += "<a id=\"" + p->id + "\"></a>\n\n";
        if (p->style.rfind("verdict", 0) == 0 || p->style == "note") out += "> ";
        rich(out, p->content, false);
        out += "\n\n";
      } else if (auto* t = std::get_if<Table>(&b)) {
        table(out, *t);
      } else if (auto* l = std::get_if<List>(&b)) {
        int n = 1;
        for (const auto& item : l->items) {
          out += l->ordered ? std::to_string(n++) + ". " : "- ";
          rich(out, item, false);
          out += "\n";
        }
        out += "\n";
      } else if (auto* h = std::get_if<Heading>(&b)) {
        if (!h->id.empty()) out += "<a id=\"" + h->id + "\"></a>\n\n";
        out += "### ";
        escape(out, h->text, false);
        out += "\n\n";
      } else if (auto* c = std::get_if<Chart>(&b)) {
        out += "_";
        escape(out, c->caption, false);
        out += "_\n\n";
        table(out, c->fallback);
        if (!c->fallback_note.empty()) {
          out += "> ";
          escape(out, c->fallback_note, false);
          out += "\n\n";
        }
      }
    }
  }
  out += "---\n\n";
  escape(out, doc.footer, false);
  out += "\n";
  return out;
}

}  // namespace kk::notice
