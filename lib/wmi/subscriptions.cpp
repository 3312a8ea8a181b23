// parse_repository: OBJECTS.DATA through its current page map → class definitions and
// the instances of the permanent-event-subscription classes → wmi_filter / wmi_consumer /
// wmi_binding records, each with its namespace from INDEX.BTR (namespaces.hpp). The same
// instance found again on a carved page (an older copy of a rewritten page) is emitted once.
#include <filesystem>
#include <set>

#include "core/ascii_case.hpp"
#include "core/json_writer.hpp"
#include "core/mapped_file.hpp"
#include "core/windows_types.hpp"
#include "wmi/class_definition.hpp"
#include "wmi/index_btr.hpp"
#include "wmi/instance.hpp"
#include "wmi/mapping.hpp"
#include "wmi/namespaces.hpp"
#include "wmi/object_store.hpp"
#include "wmi/wmi.hpp"

namespace kk::wmi {

namespace {

// The classes whose instances make a permanent event subscription.
constexpr std::string_view kClasses[] = {"__EventFilter",
                                         "__FilterToConsumerBinding",
                                         "CommandLineEventConsumer",
                                         "ActiveScriptEventConsumer",
                                         "NTEventLogEventConsumer",
                                         "LogFileEventConsumer",
                                         "SMTPEventConsumer"};

// Objects looked up by record id: at most this many with the same one are compared.
constexpr int kMaxSameRecordId = 64;

struct Candidate {
  std::string class_name;
  std::vector<std::uint8_t> bytes;
  std::uint32_t logical_page, physical_page, record_id;
  std::uint64_t offset;
  bool recovered, truncated;
};

struct CurrentMap {
  std::optional<PageMap> map;
  std::string file;
  std::filesystem::path path;
};

CurrentMap find_current_map(const std::string& objects_path, const std::string& source,
                            Diagnostics& diag) {
  namespace fs = std::filesystem;
  CurrentMap best;
  fs::path dir = fs::path(objects_path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  std::vector<fs::path> maps;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (istarts_with(name, "mapping") && iends_with(name, ".map")) maps.push_back(it->path());
  }
  std::sort(maps.begin(), maps.end());
  for (const auto& p : maps) {
    MappedFile f;
    std::string err;
    if (!f.open(p.string(), &err)) {
      diag.warning(p.filename().string(), std::nullopt, "mapping file unreadable: " + err);
      continue;
    }
    auto m = read_page_map(f.bytes(), &err);
    if (!m) {
      diag.info(source, std::nullopt, p.filename().string() + " not used: " + err);
      continue;
    }
    if (!best.map || m->sequence > best.map->sequence) {
      best.map = std::move(m);
      best.file = p.filename().string();
      best.path = p;
    }
  }
  if (!best.map)
    diag.warning(source, std::nullopt,
                 maps.empty() ? "no MAPPING*.MAP next to it: every page is carved"
                              : "no usable MAPPING*.MAP: every page is carved");
  return best;
}

// The namespaces of the instances from INDEX.BTR beside OBJECTS.DATA (through the index
// map of the current MAPPING file), or nullopt with one warning when it is missing or holds
// no readable page: namespaces are then null and the rest is read as before.
std::optional<NamespaceNames> read_namespaces(const std::string& objects_path,
                                              const std::string& source, const CurrentMap& current,
                                              bool xp, Diagnostics& diag) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(objects_path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::path index;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec))
    if (iequals(it->path().filename().string(), "INDEX.BTR")) index = it->path();
  if (index.empty()) {
    diag.warning(source, std::nullopt, "no INDEX.BTR next to it: namespaces are not known (null)");
    return std::nullopt;
  }
  std::string index_source = (fs::path(source).parent_path() / index.filename()).string();
  MappedFile f;
  std::string err;
  if (!f.open(index.string(), &err)) {
    diag.warning(index_source, std::nullopt,
                 "unreadable (" + err + "): namespaces are not known (null)");
    return std::nullopt;
  }
  std::optional<PageMap> map;
  if (current.map) {
    MappedFile m;
    if (m.open(current.path.string(), &err)) map = read_index_map(m.bytes(), &err);
    if (!map)
      diag.info(index_source, std::nullopt,
                current.file + " has no usable index map (" + err +
                    "): every page is read, stale ones included");
  }
  IndexKeys keys = read_index(f.bytes(), map ? &*map : nullptr);
  if (keys.pages_read == 0) {
    diag.warning(index_source, std::nullopt,
                 "holds no readable index page (" + std::to_string(keys.pages) +
                     " pages): namespaces are not known (null)");
    return std::nullopt;
  }
  if (keys.bad_pages)
    diag.info(index_source, std::nullopt,
              std::to_string(keys.bad_pages) + " mapped pages hold no intact index page");
  return NamespaceNames(std::move(keys.instances), xp);
}

std::string text_of(const Instance& inst, const std::string& name) {
  auto it = inst.properties.find(name);
  if (it == inst.properties.end()) return {};
  if (auto s = std::get_if<std::string>(&it->second.v)) return *s;
  if (auto i = std::get_if<std::int64_t>(&it->second.v)) return std::to_string(*i);
  if (auto b = std::get_if<bool>(&it->second.v)) return *b ? "true" : "false";
  return {};
}

// "__EventFilter.Name=\"x\"" → "x"
std::string reference_name(const std::string& ref) {
  auto eq = ref.find("Name=\"");
  if (eq == std::string::npos) return {};
  auto end = ref.find('"', eq + 6);
  return ref.substr(eq + 6, end == std::string::npos ? std::string::npos : end - eq - 6);
}
std::string reference_class(const std::string& ref) {
  auto dot = ref.find('.');
  std::string c = ref.substr(0, dot);
  if (auto colon = c.rfind(':'); colon != std::string::npos) c = c.substr(colon + 1);
  return c;
}

std::string consumer_kind(std::string_view class_name) {
  if (iequals(class_name, "CommandLineEventConsumer")) return "command_line";
  if (iequals(class_name, "ActiveScriptEventConsumer")) return "active_script";
  if (iequals(class_name, "NTEventLogEventConsumer")) return "event_log";
  if (iequals(class_name, "LogFileEventConsumer")) return "log_file";
  if (iequals(class_name, "SMTPEventConsumer")) return "smtp";
  return "other";
}

// Writes one record; returns its identity (for removing carved duplicates).
std::string write_record(const Candidate& c, const Instance& inst, const std::string& source,
                         const std::string& ns, std::string& out) {
  JsonWriter w(out);
  std::string artifact = iequals(c.class_name, "__EventFilter")               ? "wmi_filter"
                         : iequals(c.class_name, "__FilterToConsumerBinding") ? "wmi_binding"
                                                                              : "wmi_consumer";
  std::string name = text_of(inst, "Name");
  std::string identity = artifact + "\n" + c.class_name + "\n" + name;
  w.begin_object();
  w.field("artifact", artifact).field("source", source);
  w.time_or_null("time", inst.time1 ? inst.time1 : inst.time2);
  w.field("class", c.class_name);
  if (artifact == "wmi_binding") {
    std::string filter = text_of(inst, "Filter"), consumer = text_of(inst, "Consumer");
    identity += "\n" + filter + "\n" + consumer;
    w.string_or_null("name", reference_name(consumer));
    w.string_or_null("namespace", ns);
    w.string_or_null("filter", filter);
    w.string_or_null("consumer", consumer);
    w.string_or_null("filter_name", reference_name(filter));
    w.string_or_null("consumer_name", reference_name(consumer));
    w.string_or_null("consumer_type", consumer_kind(reference_class(consumer)));
    w.string_or_null("consumer_class", reference_class(consumer));
  } else {
    w.string_or_null("name", name);
    w.string_or_null("namespace", ns);
  }
  if (artifact == "wmi_filter") {
    std::string query = text_of(inst, "Query");
    identity += "\n" + query;
    w.string_or_null("query", query);
    w.string_or_null("query_language", text_of(inst, "QueryLanguage"));
    w.string_or_null("event_namespace", text_of(inst, "EventNamespace"));
  }
  if (artifact == "wmi_consumer") {
    std::string command = text_of(inst, "CommandLineTemplate");
    std::string script = text_of(inst, "ScriptText");
    identity += "\n" + command + "\n" + script;
    w.field("consumer_type", consumer_kind(c.class_name));
    w.string_or_null("command_line", command);
    w.string_or_null("executable_path", text_of(inst, "ExecutablePath"));
    w.string_or_null("working_directory", text_of(inst, "WorkingDirectory"));
    w.string_or_null("script_text", script);
    w.string_or_null("script_file_name", text_of(inst, "ScriptFileName"));
    w.string_or_null("scripting_engine", text_of(inst, "ScriptingEngine"));
    // What the other consumer classes act with (log file, mail, event log).
    w.key("settings").begin_object();
    for (const auto& [k, v] : inst.properties) {
      static const std::set<std::string> kShown = {
          "Name",       "CommandLineTemplate", "ExecutablePath",  "WorkingDirectory",
          "ScriptText", "ScriptFileName",      "ScriptingEngine", "CreatorSID"};
      if (kShown.count(k)) continue;
      if (auto s = std::get_if<std::string>(&v.v))
        w.field(k, *s);
      else if (auto i = std::get_if<std::int64_t>(&v.v))
        w.field(k, *i);
      else if (auto b = std::get_if<bool>(&v.v))
        w.field(k, *b);
    }
    w.end_object();
  }
  std::string sid;
  if (auto it = inst.properties.find("CreatorSID"); it != inst.properties.end())
    if (auto b = std::get_if<std::vector<std::uint8_t>>(&it->second.v)) sid = format_sid(*b);
  w.string_or_null("creator_sid", sid);
  // The first FILETIME is the instance's own (written when it was created or last put);
  // the second repeats its class definition's timestamp.
  w.time_or_null("created", inst.time1);
  w.time_or_null("class_time", inst.time2);
  w.key("logical_page");
  if (c.logical_page == kNoPage)
    w.null();
  else
    w.unsigned_integer(c.logical_page);
  w.field("record_id", std::uint64_t(c.record_id));
  w.field("offset", c.offset);
  w.field("recovered", c.recovered);
  w.end_object();
  w.end_line();
  return identity;
}

}  // namespace

Summary parse_repository(const std::string& path, const std::string& source, const Options& options,
                         std::string& out, Diagnostics& diag) {
  Summary sum;
  MappedFile f;
  std::string err;
  if (!f.open(path, &err)) {
    diag.unreadable(source, err);
    return sum;
  }
  if (f.size() == 0) {
    diag.unreadable(source, "empty file (0 bytes): the WMI repository holds no objects");
    return sum;
  }
  if (f.size() < kPageSize) {
    diag.unreadable(source, "shorter (" + std::to_string(f.size()) +
                                " bytes) than one 8 KiB page: not a WMI repository");
    return sum;
  }
  sum.readable = true;
  CurrentMap current = find_current_map(path, source, diag);
  sum.mapping = current.file;
  const bool xp = current.map && current.map->xp;

  std::map<std::string, std::string> wanted;  // class hash → class name
  for (auto c : kClasses) wanted[class_name_hash(c, xp)] = std::string(c);
  // Their Names name the namespaces (namespaces.hpp).
  const std::string namespace_hash = class_name_hash("__NAMESPACE", xp);
  std::vector<Candidate> namespace_instances;

  ClassIndex classes;
  std::vector<Candidate> candidates;
  WalkCounts counts = walk_objects(
      f.bytes(), current.map ? &*current.map : nullptr, options.recover, source, diag,
      [&](const StoredObject& o) {
        std::string hash = instance_class_hash(o.bytes, xp);
        if (hash.empty()) {
          if (auto def = parse_class_definition(o.bytes)) {
            ++sum.class_definitions;
            classes.emplace(ascii_lower(def->name), std::move(*def));
          }
          return;
        }
        if (hash == namespace_hash) {
          namespace_instances.push_back({"__NAMESPACE",
                                         std::vector<std::uint8_t>(o.bytes.begin(), o.bytes.end()),
                                         o.logical_page, o.physical_page, o.record_id,
                                         o.file_offset, o.recovered, o.truncated});
          return;
        }
        auto it = wanted.find(hash);
        if (it == wanted.end()) return;
        candidates.push_back({it->second, std::vector<std::uint8_t>(o.bytes.begin(), o.bytes.end()),
                              o.logical_page, o.physical_page, o.record_id, o.file_offset,
                              o.recovered, o.truncated});
      });
  sum.pages = counts.pages;
  sum.objects = counts.objects;
  if (counts.over_budget)
    diag.warning(source, std::nullopt,
                 std::to_string(counts.over_budget) +
                     " objects spanning pages were not assembled: their tables claim more data "
                     "than the file holds several times over (damage or a crafted file)");
  if (current.map && counts.bad_tables)
    diag.info(source, std::nullopt,
              std::to_string(counts.bad_tables) + " mapped pages hold no object table");

  auto namespaces = read_namespaces(path, source, current, xp, diag);
  // The logical page an object was read through, kNoPage when it was carved (with no map
  // the page number given is the physical one).
  auto logical_page = [&](const Candidate& c) {
    return current.map && !c.recovered ? c.logical_page : kNoPage;
  };
  if (namespaces) {
    std::string no_definition;
    std::optional<ClassLayout> ns_layout = layout_of(classes, "__NAMESPACE", &no_definition);
    std::multimap<std::uint32_t, const Candidate*> by_record;
    for (const auto& n : namespace_instances) by_record.emplace(n.record_id, &n);
    namespaces->resolve([&](const InstanceKey& key) -> std::string {
      if (!ns_layout) return {};
      auto [b, e] = by_record.equal_range(key.record_id);
      // Record ids are random 32-bit numbers: a crafted file repeating one is not searched
      // through (each key would scan them all).
      for (int tried = 0; b != e && tried < kMaxSameRecordId; ++b, ++tried) {
        const Candidate& n = *b->second;
        bool here =
            logical_page(n) == kNoPage ? n.bytes.size() == key.size : logical_page(n) == key.page;
        if (!here) continue;
        if (auto inst = parse_instance(n.bytes, *ns_layout, xp)) return text_of(*inst, "Name");
      }
      return {};
    });
    sum.namespaces = namespaces->named();
    auto [in_keys, named] = namespaces->coverage();
    diag.info(source, std::nullopt,
              "INDEX.BTR: " + std::to_string(in_keys) + " namespaces hold instances, " +
                  std::to_string(named) + " of them named");
  }

  std::set<std::string> seen;
  std::set<std::string> missing_reported;
  std::uint64_t no_key = 0, unnamed = 0;
  for (const auto& c : candidates) {
    std::string missing;
    auto layout = layout_of(classes, c.class_name, &missing);
    if (!layout) {
      if (missing_reported.insert(missing).second)
        diag.warning(source, c.offset,
                     "instance of " + c.class_name + " not decoded: no definition of class " +
                         missing + " was found");
      continue;
    }
    auto inst = parse_instance(c.bytes, *layout, xp);
    if (!inst) {
      diag.warning(source, c.offset, c.class_name + " instance header cut short");
      continue;
    }
    if (!inst->problem.empty())
      diag.warning(source, c.offset, c.class_name + " instance: " + inst->problem);
    if (c.truncated)
      diag.warning(source, c.offset,
                   c.class_name + " instance continues on a page that is missing");
    ++sum.instances;
    std::string rec;
    std::string ns;
    if (namespaces) {
      const InstanceKey* key = namespaces->key_of(logical_page(c), c.record_id,
                                                  static_cast<std::uint32_t>(c.bytes.size()));
      if (!key)
        ++no_key;
      else if ((ns = namespaces->name(key->ns_hash)).empty())
        ++unnamed;
    }
    std::string identity = write_record(c, *inst, source, ns, rec);
    if (!seen.insert(identity).second) continue;  // the same subscription on an older page
    out += rec;
    ++sum.records;
  }
  if (no_key || unnamed)
    diag.info(source, std::nullopt,
              std::to_string(no_key + unnamed) + " subscription instances have no namespace: " +
                  std::to_string(no_key) + " not found in INDEX.BTR (carved or stale copies), " +
                  std::to_string(unnamed) + " in a namespace whose name was not found");
  return sum;
}

}  // namespace kk::wmi
