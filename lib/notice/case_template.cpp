// The empty CASE.json printed by `render-notice --case-template`: valid JSON whose
// "_comment…" keys explain each item, so it reads back with no edits but the answers.
#include <string>

#include "core/json_writer.hpp"
#include "notice/case_file.hpp"

namespace kk::notice {

namespace {
std::string json_quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string help_for(const Catalog& cat, const FieldSpec& f) {
  std::string help = std::string(cat.raw("case." + std::string(f.path)));
  help += " — ";
  help += cat.raw("case." + std::string(f.path) + ".help");
  if (f.required) help += " " + std::string(cat.raw("case.tmpl.required"));
  if (f.type == FieldType::kChoice) {
    std::string choices;
    for (auto c : f.choices) choices += (choices.empty() ? "" : " | ") + std::string(c);
    help += " " + cat("case.tmpl.choices", {{"choices", choices}});
  }
  return help;
}

std::string empty_value(FieldType t) {
  switch (t) {
    case FieldType::kFlag:
      return "null";
    case FieldType::kTextList:
      return "[]";
    default:
      return "\"\"";
  }
}
}  // namespace

std::string case_template(Lang lang) {
  Catalog cat(lang);
  std::string out = "{\n";
  out += "  \"_comment\": " + json_quoted(cat.raw("case.tmpl.header")) + ",\n";
  bool first_item = true;
  for (auto group : case_groups()) {
    const std::string indent = group.empty() ? "  " : "    ";
    if (!group.empty()) {
      out += ",\n  " + json_quoted(group) + ": {\n";
      out += indent + "\"_comment\": " + json_quoted(cat.raw("case.group." + std::string(group))) +
             ",\n";
      first_item = true;
    }
    for (const auto& f : case_fields()) {
      std::string_view path = f.path;
      auto dot = path.find('.');
      std::string_view g = dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
      std::string_view key = dot == std::string_view::npos ? path : path.substr(dot + 1);
      if (g != group) continue;
      if (!first_item) out += ",\n";
      first_item = false;
      out += indent + json_quoted("_comment_" + std::string(key)) + ": " +
             json_quoted(help_for(cat, f)) + ",\n";
      out += indent + json_quoted(key) + ": " + empty_value(f.type);
    }
    if (!group.empty()) out += "\n  }";
  }
  out += "\n}\n";
  return out;
}

}  // namespace kk::notice
