#include "timeline/message_catalog.hpp"

#include <unordered_map>

namespace kk::timeline {

bool parse_lang(std::string_view s, Lang* out) {
  if (s == "en")
    *out = Lang::kEn;
  else if (s == "ja")
    *out = Lang::kJa;
  else
    return false;
  return true;
}

std::string_view MessageArgs::get(std::string_view name, std::string& scratch) const {
  for (const auto& [k, v] : args_)
    if (k == name) return v;
  return resolver_ ? resolver_(context_, name, scratch) : std::string_view();
}

namespace {
// A template compiled once: literal text and argument names, with optional groups.
struct Piece {
  enum Kind { kText, kArg, kGroupBegin, kGroupEnd } kind;
  std::string_view text;  // literal, or argument name
};
using Compiled = std::vector<Piece>;

Compiled compile(std::string_view t) {
  Compiled c;
  std::size_t i = 0, lit = 0;
  auto flush = [&](std::size_t end) {
    if (end > lit) c.push_back({Piece::kText, t.substr(lit, end - lit)});
  };
  while (i < t.size()) {
    char ch = t[i];
    if (ch == '{') {
      std::size_t close = t.find('}', i);
      if (close == std::string_view::npos) break;
      flush(i);
      c.push_back({Piece::kArg, t.substr(i + 1, close - i - 1)});
      i = lit = close + 1;
    } else if (ch == '[' || ch == ']') {
      flush(i);
      c.push_back({ch == '[' ? Piece::kGroupBegin : Piece::kGroupEnd, {}});
      i = lit = i + 1;
    } else {
      ++i;
    }
  }
  flush(t.size());
  return c;
}

// Renders pieces [b, e) into OUT; returns false when an argument is missing (the
// caller drops the optional group it belongs to).
bool render(const Compiled& c, std::size_t b, std::size_t e, const MessageArgs& args,
            std::string& out, bool optional) {
  for (std::size_t i = b; i < e; ++i) {
    const Piece& p = c[i];
    switch (p.kind) {
      case Piece::kText:
        out += p.text;
        break;
      case Piece::kArg: {
        std::string scratch;
        std::string_view v = args.get(p.text, scratch);
        if (v.empty() && optional) return false;
        out += v;
        break;
      }
      case Piece::kGroupBegin: {
        std::size_t depth = 1, j = i + 1;
        for (; j < e && depth; ++j) {
          if (c[j].kind == Piece::kGroupBegin) ++depth;
          if (c[j].kind == Piece::kGroupEnd) --depth;
        }
        std::size_t mark = out.size();
        if (!render(c, i + 1, j - 1, args, out, true)) out.resize(mark);
        i = j - 1;
        break;
      }
      case Piece::kGroupEnd:
        break;
    }
  }
  return true;
}
}  // namespace

struct MessageCatalog::Impl {
  struct Entry {
    std::string_view en_text, ja_text;
    Compiled en, ja;
  };
  std::unordered_map<std::string_view, Entry> entries;
};

MessageCatalog::MessageCatalog() {
  auto* impl = new Impl;  // lives for the whole program (a process-wide constant)
  for (const CatalogEntry& e : catalog_entries())
    impl->entries[e.id] = Impl::Entry{e.en, e.ja, compile(e.en), compile(e.ja)};
  impl_ = impl;
}

const MessageCatalog& MessageCatalog::instance() {
  static const MessageCatalog catalog;
  return catalog;
}

bool MessageCatalog::has(std::string_view id) const {
  return impl_->entries.count(id) != 0;
}

bool MessageCatalog::format(std::string_view id, Lang lang, const MessageArgs& args,
                            std::string& out) const {
  auto it = impl_->entries.find(id);
  if (it == impl_->entries.end()) return false;
  const Compiled& c = lang == Lang::kJa ? it->second.ja : it->second.en;
  render(c, 0, c.size(), args, out, false);
  return true;
}

std::string_view MessageCatalog::text(std::string_view id, Lang lang) const {
  auto it = impl_->entries.find(id);
  if (it == impl_->entries.end()) return {};
  return lang == Lang::kJa ? it->second.ja_text : it->second.en_text;
}

}  // namespace kk::timeline
