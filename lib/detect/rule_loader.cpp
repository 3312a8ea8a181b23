#include "detect/rule_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "core/time.hpp"
#include "detect/logsource.hpp"
#include "detect/yaml_document.hpp"

namespace kk::detect {

namespace {

using Status = RuleLoadResult::Status;

// A selection as written, before it is compiled for a target's field names.
struct RawCondition {
  std::string field;
  std::vector<std::string> modifiers;
  std::vector<std::optional<std::string>> values;
};
struct RawSelection {
  std::string name;
  std::vector<std::vector<RawCondition>> alternatives;
};

struct SkipRule {
  std::string reason;
};

std::string scalar(const YamlNode& n) {
  return n.is_scalar() ? n.text : std::string();
}

std::vector<std::string> string_list(const YamlNode& n) {
  std::vector<std::string> out;
  if (n.is_scalar()) {
    out.push_back(n.text);
  } else if (n.is_sequence()) {
    for (const YamlNode* e : n.items)
      if (e->is_scalar()) out.push_back(e->text);
  }
  return out;
}

// A count as yaml-cpp's as<std::uint64_t>(0) read it: decimal, 0x hex or 0 octal, trailing
// blanks allowed, anything else 0.
std::uint64_t count_of(const YamlNode& n) {
  const std::string& s = n.text;
  if (!n.is_scalar() || s.empty() || s[0] == '-' || std::isspace(static_cast<unsigned char>(s[0])))
    return 0;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno == ERANGE || end == s.c_str()) return 0;
  while (*end && std::isspace(static_cast<unsigned char>(*end))) ++end;
  return *end ? 0 : v;
}

std::optional<std::string> value_of(const YamlNode& n) {
  if (n.is_null()) return std::nullopt;
  if (!n.is_scalar()) throw SkipRule{"nested value in a selection"};
  return n.text;
}

RawCondition raw_condition(const std::string& key, const YamlNode& v) {
  RawCondition c;
  std::size_t bar = key.find('|');
  c.field = key.substr(0, bar);
  while (bar != std::string::npos) {
    std::size_t next = key.find('|', bar + 1);
    c.modifiers.push_back(ascii_lower(
        key.substr(bar + 1, next == std::string::npos ? std::string::npos : next - bar - 1)));
    bar = next;
  }
  if (v.is_sequence()) {
    for (const YamlNode* e : v.items) c.values.push_back(value_of(*e));
  } else {
    c.values.push_back(value_of(v));
  }
  return c;
}

RawSelection raw_selection(const std::string& name, const YamlNode& n) {
  RawSelection s;
  s.name = name;
  auto map_group = [&](const YamlNode& m) {
    std::vector<RawCondition> group;
    for (const auto& [k, v] : m.entries) group.push_back(raw_condition(k->text, *v));
    return group;
  };
  if (n.is_map()) {
    s.alternatives.push_back(map_group(n));
  } else if (n.is_sequence()) {
    bool maps = false, scalars = false;
    for (const YamlNode* e : n.items) (e->is_map() ? maps : scalars) = true;
    if (maps && scalars) throw SkipRule{"selection \"" + name + "\" mixes maps and keywords"};
    if (maps) {
      for (const YamlNode* e : n.items) s.alternatives.push_back(map_group(*e));
    } else {
      RawCondition kw;  // keywords: any of them, anywhere in the event (full-text: contains)
      kw.modifiers = {"contains"};
      for (const YamlNode* e : n.items) kw.values.push_back(value_of(*e));
      s.alternatives.push_back({kw});
    }
  } else if (n.is_scalar()) {
    RawCondition kw;
    kw.modifiers = {"contains"};
    kw.values.push_back(n.text);
    s.alternatives.push_back({kw});
  } else {
    throw SkipRule{"selection \"" + name + "\" is empty"};
  }
  return s;
}

// Event ids the condition requires (nullopt: any). Used to index a rule under fewer keys.
std::optional<std::set<std::int64_t>> required_ids(const CondNode& n,
                                                   const std::vector<RawSelection>& sels) {
  switch (n.op) {
    case CondNode::Op::kSelection: {
      std::set<std::int64_t> ids;
      for (const auto& group : sels[static_cast<std::size_t>(n.selection)].alternatives) {
        bool constrained = false;
        for (const auto& c : group) {
          if (c.field != "EventID" || !c.modifiers.empty()) continue;
          std::set<std::int64_t> mine;
          bool numeric = true;
          for (const auto& v : c.values) {
            char* end = nullptr;
            if (!v || v->empty()) {
              numeric = false;
              break;
            }
            long long x = std::strtoll(v->c_str(), &end, 10);
            if (*end) {
              numeric = false;
              break;
            }
            mine.insert(x);
          }
          if (numeric) {
            ids.insert(mine.begin(), mine.end());
            constrained = true;
            break;
          }
        }
        if (!constrained) return std::nullopt;
      }
      return ids;
    }
    case CondNode::Op::kAnd: {
      std::optional<std::set<std::int64_t>> acc;
      for (const auto& k : n.kids) {
        auto r = required_ids(k, sels);
        if (!r) continue;
        if (!acc) {
          acc = r;
        } else {
          std::set<std::int64_t> both;
          std::set_intersection(acc->begin(), acc->end(), r->begin(), r->end(),
                                std::inserter(both, both.end()));
          acc = both;
        }
      }
      return acc;
    }
    case CondNode::Op::kOr:
    case CondNode::Op::kAtLeast: {
      std::set<std::int64_t> acc;
      for (const auto& k : n.kids) {
        auto r = required_ids(k, sels);
        if (!r) return std::nullopt;
        acc.insert(r->begin(), r->end());
      }
      return acc;
    }
    case CondNode::Op::kNot:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string severity_of_level(const std::string& level) {
  std::string l = ascii_lower(level);
  if (l == "informational") return "info";
  if (l == "low" || l == "medium" || l == "high" || l == "critical") return l;
  return "medium";
}

// Sigma rules carry ATT&CK tags; the question a match answers follows from them.
std::string question_of_tags(const std::vector<std::string>& tags) {
  auto has = [&](std::string_view t) {
    return std::any_of(tags.begin(), tags.end(),
                       [&](const std::string& x) { return ascii_lower(x).starts_with(t); });
  };
  if (has("attack.t1562") || has("attack.t1070") || has("attack.t1112")) return "tampering";
  if (has("attack.initial-access") || has("attack.initial_access") ||
      has("attack.lateral-movement") || has("attack.lateral_movement") || has("attack.t1110") ||
      has("attack.t1133") || has("attack.t1078"))
    return "intrusion";
  if (has("attack.persistence") || has("attack.privilege-escalation") ||
      has("attack.privilege_escalation") || has("attack.credential-access") ||
      has("attack.credential_access") || has("attack.discovery") || has("attack.collection") ||
      has("attack.command-and-control") || has("attack.command_and_control") ||
      has("attack.exfiltration") || has("attack.impact"))
    return "post_infection";
  return "other_launches";
}

std::vector<std::string> attack_ids(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    std::string l = ascii_lower(t);
    if (l.starts_with("attack.t") && l.size() > 9 &&
        std::isdigit(static_cast<unsigned char>(l[8]))) {
      std::string id = t.substr(7);
      for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(id);
    }
  }
  return out;
}

std::int64_t timespan_of(const YamlNode& n) {
  auto d = parse_duration(scalar(n));
  if (!d || *d <= 0) throw SkipRule{"kakekomi timespan \"" + scalar(n) + "\" is not a duration"};
  return *d;
}

void read_kakekomi_block(const YamlNode& k, RuleInfo& info) {
  info.question = scalar(k["question"]);
  if (!is_question(info.question))
    throw SkipRule{"kakekomi.question \"" + info.question + "\" is not one of the seven"};
  if (k["severity"]) info.severity = scalar(k["severity"]);
  info.title_ja = scalar(k["title_ja"]);
  info.description_ja = scalar(k["description_ja"]);
  info.group_by = string_list(k["group_by"]);
  info.fields = string_list(k["fields"]);
  info.summary = scalar(k["summary"]);
  if (const auto& t = k["threshold"]) {
    Aggregate a;
    a.count = count_of(t["count"]);
    a.timespan_us = timespan_of(t["timespan"]);
    if (a.count < 2) throw SkipRule{"kakekomi.threshold.count must be at least 2"};
    info.aggregate = a;
  }
  if (const auto& t = k["distinct"]) {
    Aggregate a;
    a.distinct = scalar(t["field"]);
    a.count = count_of(t["count"]);
    a.timespan_us = timespan_of(t["timespan"]);
    if (a.distinct.empty() || a.count < 2)
      throw SkipRule{"kakekomi.distinct needs field and count >= 2"};
    info.aggregate = a;
  }
}

void collect_fields(const std::vector<RawSelection>& sels, std::vector<std::string>& out) {
  for (const auto& s : sels)
    for (const auto& g : s.alternatives)
      for (const auto& c : g)
        if (!c.field.empty() && c.field != "EventID" && c.field != "Channel" &&
            c.field != "Provider_Name" && std::find(out.begin(), out.end(), c.field) == out.end())
          out.push_back(c.field);
}

}  // namespace

bool is_question(std::string_view q) {
  return q == "file_origin" || q == "execution" || q == "change_history" || q == "other_launches" ||
         q == "intrusion" || q == "post_infection" || q == "tampering";
}

RuleYaml read_rule_yaml(std::string_view text) {
  RuleYaml r;
  auto yaml = load_yaml_document(text);
  if (yaml)
    r.document = std::move(*yaml);
  else  // a syntax error ("YAML: line …") has an offset, a limit exceeded has not
    r.error = yaml.error().offset ? yaml.error().message : "rule file " + yaml.error().message;
  return r;
}

RuleLoadResult load_rule(const RuleYaml& yaml, const std::string& path, const std::string& source,
                         FieldIds& field_ids) {
  RuleLoadResult res;
  res.path = path;
  try {
    if (!yaml.document) throw SkipRule{yaml.error};
    if (!yaml.document->root().is_map()) throw SkipRule{"not a YAML mapping"};
    if (yaml.document->more) throw SkipRule{"multi-document rule files are not supported"};
    const YamlNode& doc = yaml.document->root();
    auto info = std::make_shared<RuleInfo>();
    info->id = scalar(doc["id"]);
    info->title = scalar(doc["title"]);
    res.id = info->id;
    res.title = info->title;
    if (doc["correlation"]) throw SkipRule{"correlation rules are not supported"};
    if (doc["type"] && scalar(doc["type"]) != "")
      throw SkipRule{"rule type \"" + scalar(doc["type"]) + "\" is not supported"};
    if (info->id.empty() || info->title.empty()) throw SkipRule{"rule without id or title"};
    info->author = scalar(doc["author"]);
    info->level = scalar(doc["level"]);
    info->status = scalar(doc["status"]);
    info->description = scalar(doc["description"]);
    info->path = path;
    info->source = source;
    std::vector<std::string> tags = string_list(doc["tags"]);
    info->attack = attack_ids(tags);
    info->severity = severity_of_level(info->level);
    info->question = question_of_tags(tags);
    info->fields = string_list(doc["fields"]);
    if (source == "builtin") {
      if (!doc["kakekomi"]) throw SkipRule{"built-in rule without a kakekomi block"};
      read_kakekomi_block(doc["kakekomi"], *info);
    } else if (doc["kakekomi"]) {
      read_kakekomi_block(doc["kakekomi"], *info);
    }

    const YamlNode& ls = doc["logsource"];
    if (!ls.is_map()) throw SkipRule{"rule without logsource"};
    auto mapping =
        map_logsource(scalar(ls["product"]), scalar(ls["category"]), scalar(ls["service"]));
    if (!mapping) throw SkipRule{mapping.error().message};
    if (mapping->foreign) {
      res.status = Status::kForeign;
      res.reason = "log source is not Windows (product \"" + scalar(ls["product"]) + "\")";
      return res;
    }

    const YamlNode& det = doc["detection"];
    if (!det.is_map()) throw SkipRule{"rule without detection"};
    std::vector<RawSelection> raw;
    std::vector<std::string> names;
    std::vector<std::string> conditions;
    for (const auto& [k, v] : det.entries) {
      const std::string& key = k->text;
      if (key == "condition") {
        conditions = string_list(*v);
      } else if (key == "timeframe") {
        throw SkipRule{"timeframe (aggregation) is not supported"};
      } else {
        raw.push_back(raw_selection(key, *v));
        names.push_back(key);
      }
    }
    if (conditions.empty()) throw SkipRule{"detection without condition"};
    CondNode cond;
    if (conditions.size() == 1) {
      auto c = parse_condition(conditions[0], names);
      if (!c) throw SkipRule{c.error().message};
      cond = std::move(*c);
    } else {  // a list of conditions is their OR
      cond.op = CondNode::Op::kOr;
      for (const auto& one : conditions) {
        auto c = parse_condition(one, names);
        if (!c) throw SkipRule{c.error().message};
        cond.kids.push_back(std::move(*c));
      }
    }
    std::vector<std::string> referenced;
    collect_fields(raw, referenced);
    auto rule_ids = required_ids(cond, raw);

    std::vector<std::string> warnings;
    for (const LogTarget& t : mapping->targets) {
      if (t.available) {
        bool fits = true;
        for (const auto& s : raw)
          for (const auto& g : s.alternatives)
            for (const auto& c : g)
              if (!c.field.empty() && !t.available->count(c.field)) fits = false;
        if (!fits) continue;  // e.g. a process_creation rule on OriginalFileName: Sysmon only
      }
      std::set<std::int64_t> ids = t.event_ids;
      if (rule_ids) {
        if (ids.empty()) {
          ids = *rule_ids;
        } else {
          std::set<std::int64_t> both;
          std::set_intersection(ids.begin(), ids.end(), rule_ids->begin(), rule_ids->end(),
                                std::inserter(both, both.end()));
          if (both.empty()) continue;
          ids = both;
        }
      }
      LoadedRule lr;
      lr.route = t.route;
      lr.event_ids = std::move(ids);
      lr.rule.condition = cond;
      for (const auto& s : raw) {
        Selection sel;
        sel.name = s.name;
        for (const auto& g : s.alternatives) {
          std::vector<FieldCondition> group;
          for (const auto& c : g) {
            FieldCondition fc;
            fc.field = c.field;
            if (t.aliases)
              if (auto a = t.aliases->find(c.field); a != t.aliases->end()) fc.field = a->second;
            if (!fc.field.empty()) fc.field_id = field_ids.intern(fc.field);
            fc.all = std::find(c.modifiers.begin(), c.modifiers.end(), "all") != c.modifiers.end();
            for (const auto& v : c.values) {
              std::vector<std::string> w;
              auto m = compile_value(v, c.modifiers, w);
              if (!m) throw SkipRule{"field \"" + c.field + "\": " + m.error().message};
              if (m->kind == ValueMatcher::Kind::kFieldRef)
                m->other_id = field_ids.intern(m->other_field);
              for (auto& x : w)
                if (std::find(warnings.begin(), warnings.end(), x) == warnings.end())
                  warnings.push_back(x);
              fc.values.push_back(std::move(*m));
            }
            fc.prepare();
            group.push_back(std::move(fc));
          }
          sel.alternatives.push_back(std::move(group));
        }
        lr.rule.selections.push_back(std::move(sel));
      }
      lr.rule.referenced_fields = referenced;
      if (t.aliases)
        for (auto& f : lr.rule.referenced_fields)
          if (auto a = t.aliases->find(f); a != t.aliases->end()) f = a->second;
      res.compiled.push_back(std::move(lr));
    }
    info->warnings = warnings;
    res.warnings = warnings;
    for (auto& lr : res.compiled) lr.rule.info = info;
    if (res.compiled.empty()) throw SkipRule{"no log target can carry the fields this rule needs"};
  } catch (const SkipRule& s) {
    res.status = Status::kSkipped;
    res.reason = s.reason;
    res.compiled.clear();
  }
  return res;
}

}  // namespace kk::detect
