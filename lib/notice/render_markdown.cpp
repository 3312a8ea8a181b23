// Markdown output (GitHub-flavoured tables): the same content as the HTML, for e-mail
// and for diffing two versions of a notice.
#include <algorithm>
#include <string>

#include "core/printable.hpp"
#include "notice/document.hpp"

namespace kk::notice {

namespace {

// Escapes what would change the meaning inside a table cell or paragraph. Intake text and
// evidence are rendered as text (issue #22): a line inside them never starts a heading,
// quote, list, rule or code block, and control characters (ESC, BEL ...) are shown as
// escapes ("\x1b"), never written raw.
void escape(std::string& out, std::string_view s, bool in_table, bool starts_line = true) {
  // Paragraph text begins a line, and so does each line inside any text; a table cell or a
  // heading's title (after "## ") does not begin one.
  bool line_start = starts_line && !in_table;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '\n' && c != '\r') {
      if (std::size_t n = control_length(s.substr(i)); n > 0) {
        append_printable(out, s.substr(i, n));
        i += n - 1;
        line_start = false;
        continue;
      }
      if (line_start) {
        if (c == ' ' || c == '\t') continue;  // indentation would open a code block
        if (std::string_view("#+-=~:").find(c) != std::string_view::npos ||
            (c == '|' && !in_table)) {  // ('>' and a table's '|' are escaped below anyway)
          out.push_back('\\');
        } else if (c >= '0' && c <= '9') {  // "1. " / "1) ": an ordered list
          std::size_t j = i;
          while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
          if (j < s.size() && (s[j] == '.' || s[j] == ')')) {
            out.append(s.substr(i, j - i));
            out.push_back('\\');
            i = j - 1;
            line_start = false;
            continue;
          }
        }
        line_start = false;
      }
    }
    if (c == '|' && in_table) {
      out += "\\|";
    } else if (c == '\n') {
      out += in_table ? "<br>" : "  \n";
      line_start = true;
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
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      append_printable(out, std::string_view(&c, 1));
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

void markdown_table(std::string& out, const Table& t) {
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
  escape(out, doc.title, false, false);
  out += "\n\n";
  escape(out, doc.subtitle, false);
  out += "\n\n";
  for (const auto& sec : doc.sections) {
    out += "<a id=\"" + sec.id + "\"></a>\n\n## ";
    escape(out, sec.title, false, false);
    out += "\n\n";
    for (const auto& b : sec.blocks) {
      if (auto* p = std::get_if<Paragraph>(&b)) {
        if (!p->id.empty()) out += "<a id=\"" + p->id + "\"></a>\n\n";
        if (p->style.rfind("verdict", 0) == 0 || p->style == "note") out += "> ";
        rich(out, p->content, false);
        out += "\n\n";
      } else if (auto* t = std::get_if<Table>(&b)) {
        markdown_table(out, *t);
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
        escape(out, h->text, false, false);
        out += "\n\n";
      } else if (auto* c = std::get_if<Chart>(&b)) {
        out += "_";
        escape(out, c->caption, false);
        out += "_\n\n";
        markdown_table(out, c->fallback);
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
