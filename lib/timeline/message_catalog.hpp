// Event messages in English and Japanese, from a catalog of templates
// (message_catalog_data.cpp), so wording and translation live apart from mapping logic.
//
// Template syntax: "{name}" is replaced by the argument NAME; "[ … ]" is an optional
// part, dropped when any argument named inside it is missing or empty.
// Example: "{event_id} Logon Type {logon_type} ({logon_type_name}) {user}[ from {src_ip}]".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kk::timeline {

enum class Lang { kEn, kJa };
// "en" or "ja"; false for anything else.
bool parse_lang(std::string_view s, Lang* out);

struct CatalogEntry {
  std::string_view id;
  std::string_view en;
  std::string_view ja;
};
// Every entry of the catalog (for tests and the man page).
std::vector<CatalogEntry> catalog_entries();

// Named arguments for one message; values are views that must outlive format().
// Names not added explicitly are asked of the fallback resolver (the event's own
// vocabulary fields, see mapper.hpp), which may render into SCRATCH.
class MessageArgs {
 public:
  using Resolver = std::string_view (*)(const void* context, std::string_view name,
                                        std::string& scratch);
  MessageArgs() = default;
  MessageArgs(Resolver r, const void* context) : resolver_(r), context_(context) {}
  MessageArgs& add(std::string_view name, std::string_view value) {
    args_.emplace_back(name, value);
    return *this;
  }
  std::string_view get(std::string_view name, std::string& scratch) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> args_;
  Resolver resolver_ = nullptr;
  const void* context_ = nullptr;
};

class MessageCatalog {
 public:
  static const MessageCatalog& instance();
  // Appends message ID rendered with ARGS to OUT; false (OUT untouched) when the
  // catalog has no such id.
  bool format(std::string_view id, Lang lang, const MessageArgs& args, std::string& out) const;
  // The plain text of ID (a name table entry such as "logon_type.10"); empty if none.
  std::string_view text(std::string_view id, Lang lang) const;
  bool has(std::string_view id) const;

 private:
  MessageCatalog();
  struct Impl;
  const Impl* impl_;
};

}  // namespace kk::timeline
