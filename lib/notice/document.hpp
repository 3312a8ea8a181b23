// The notice as a format-neutral document: composed once from the case, the records
// and the catalog, then written as HTML or Markdown, so both carry the same content.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "notice/catalog.hpp"

namespace kk::notice {

struct Span {
  std::string text;
  std::string href;  // "#anchor" inside the notice
  bool code = false;
  bool strong = false;
  std::string badge;        // a severity or status class ("critical", "ok", …); text is its label
  bool line_break = false;  // starts on a new line
  bool muted = false;       // secondary text (the UTC beside a local time)
};
using Rich = std::vector<Span>;

inline Rich plain(std::string s) {
  return Rich{Span{std::move(s)}};
}
inline Rich code(std::string s) {
  Span sp{std::move(s)};
  sp.code = true;
  return Rich{sp};
}

struct Paragraph {
  Rich content;
  std::string
      style;  // "", "note", "lead", "verdict-compromised", "verdict-suspicious", "verdict-none"
  std::string id;  // anchor, empty when none
};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<Rich>> rows;
  std::vector<std::string> row_ids;  // anchors, empty when none
  std::string style;                 // "kv", "compact", "timeline", "evidence", "inventory"
};

struct List {
  std::vector<Rich> items;
  bool ordered = false;
};

struct Heading {
  std::string text;
  std::string id;
};

// The activity chart: SVG for HTML, a per-bin table for Markdown. The caption, the SVG's
// accessible label and the table's header all state the same bin size.
struct Chart {
  std::string svg;
  Table fallback;
  std::string fallback_note;  // under the Markdown table: which rows were left out
  std::string caption;
  std::size_t bins = 0;
  std::int64_t bin_hours = 0;
  std::int64_t total = 0;  // events drawn (= the window's events)
};

using Block = std::variant<Paragraph, Table, List, Heading, Chart>;

struct Section {
  std::string id;
  std::string title;
  std::vector<Block> blocks;
  bool new_page = false;  // start on a new printed page
};

struct Document {
  Lang lang = Lang::kJa;
  std::string title, subtitle, classification, footer;
  bool compact = false;  // the one-page 速報: tighter type and spacing
  std::vector<Section> sections;
};

std::string render_html(const Document& doc);
std::string render_markdown(const Document& doc);

}  // namespace kk::notice
