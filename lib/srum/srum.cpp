// SRUM records from SRUDB.dat; see srum.hpp.
#include "srum/srum.hpp"

#include <map>

#include "core/ascii_case.hpp"
#include "core/json_writer.hpp"
#include "core/mapped_file.hpp"
#include "core/time.hpp"
#include "core/windows_types.hpp"
#include "ese/ese.hpp"
#include "srum/providers.hpp"

namespace kk::srum {

namespace {

constexpr std::size_t kFlushBytes = 256 * 1024;

// SruDbIdMapTable: IdIndex -> what it names. IdType 3 is a user SID (binary); the
// others (0 application path, 1 service, 2 packaged app …) are UTF-16 text.
struct IdEntry {
  std::int64_t type = 0;
  std::string value;
};
using IdMap = std::map<std::int64_t, IdEntry>;

IdMap read_id_map(const ese::Database& db) {
  IdMap ids;
  const ese::Table* t = db.table("SruDbIdMapTable");
  if (!t) return ids;
  db.for_each_record(*t, [&](const ese::Record& r) {
    auto index = r.get("IdIndex").integer();
    if (!index) return;
    IdEntry e;
    e.type = r.get("IdType").integer().value_or(-1);
    auto blob = r.get("IdBlob");
    e.value = e.type == 3 ? format_sid(blob.bytes()) : blob.text();
    ids[*index] = std::move(e);
  });
  return ids;
}

class TableWriter {
 public:
  TableWriter(const ese::Table& t, const IdMap& ids, std::string_view source, std::string& out,
              Summary& summary)
      : t_(t), ids_(ids), source_(source), out_(out), summary_(summary) {
    provider_ = find_provider(t.name);
    for (const auto& c : t.columns) {
      if (c.name == "AutoIncId")
        auto_inc_ = &c;
      else if (c.name == "TimeStamp")
        time_ = &c;
      else if (c.name == "AppId")
        app_ = &c;
      else if (c.name == "UserId")
        user_ = &c;
      else
        others_.push_back({&c, field_name(c.name)});
    }
  }

  void write(const ese::Record& r) {
    JsonWriter w(out_);
    w.begin_object();
    w.field("artifact", provider_ ? provider_->artifact : std::string_view("srum_other"));
    w.field("source", source_);
    w.field("table", t_.name);
    if (provider_) w.field("provider", provider_->name);
    if (auto id = auto_inc_ ? r.get(*auto_inc_).integer() : std::nullopt) w.field("record_id", *id);
    w.key("time");
    if (auto t = time_ ? r.get(*time_).ole_date() : std::nullopt) {
      w.time(*t);
      if (!summary_.newest || *t > *summary_.newest) summary_.newest = *t;
    } else {
      w.null();
    }
    if (app_) resolved(w, "app", "app_id", r.get(*app_).integer());
    if (user_) resolved(w, "user_sid", "user_id", r.get(*user_).integer());
    for (const auto& [c, name] : others_) value(w, *c, name, r.get(*c));
    w.field("offset", r.offset());
    w.end_object();
    w.end_line();
    ++summary_.records;
  }

 private:
  void resolved(JsonWriter& w, std::string_view name, std::string_view id_name,
                std::optional<std::int64_t> id) {
    w.key(name);
    auto it = id ? ids_.find(*id) : ids_.end();
    if (it != ids_.end() && !it->second.value.empty()) {
      w.string(it->second.value);
    } else {
      if (id && it == ids_.end()) ++summary_.unresolved_ids;
      w.null();
    }
    w.key(id_name);
    if (id) {
      w.integer(*id);
    } else {
      w.null();
    }
  }

  static void value(JsonWriter& w, const ese::Column& c, std::string_view name,
                    const ese::Value& v) {
    w.key(name);
    if (!v.present()) {
      w.null();
      return;
    }
    switch (c.type) {
      case ese::ColumnType::kText:
      case ese::ColumnType::kLongText:
        w.string(v.text());
        return;
      case ese::ColumnType::kBinary:
      case ese::ColumnType::kLongBinary:
        w.string(hex_bytes(v.bytes()));
        return;
      case ese::ColumnType::kGuid:
        w.string(format_guid(v.bytes()));
        return;
      case ese::ColumnType::kIeeeSingle:
      case ese::ColumnType::kIeeeDouble:
        w.number(v.real().value_or(0));
        return;
      case ese::ColumnType::kDateTime:
        if (auto t = v.ole_date()) {
          w.time(*t);
        } else {
          w.null();
        }
        return;
      default:
        break;
    }
    if (is_filetime_column(c.name)) {
      if (auto t = v.filetime()) {
        w.time(*t);
      } else {
        w.null();
      }
      return;
    }
    if (auto i = v.integer()) {
      w.integer(*i);
    } else {
      w.null();
    }
  }

  const ese::Table& t_;
  const IdMap& ids_;
  std::string_view source_;
  std::string& out_;
  Summary& summary_;
  const Provider* provider_ = nullptr;
  const ese::Column *auto_inc_ = nullptr, *time_ = nullptr, *app_ = nullptr, *user_ = nullptr;
  std::vector<std::pair<const ese::Column*, std::string>> others_;
};

// Tables of the ESE engine and SRUM's own bookkeeping, not usage data.
bool is_bookkeeping(std::string_view name) {
  return name.starts_with("MSys") || name == "SruDbIdMapTable" || name == "SruDbCheckpointTable";
}

}  // namespace

bool is_srum_database(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return iequals(slash == std::string_view::npos ? path : path.substr(slash + 1), "SRUDB.dat");
}

bool parse_srum(Bytes bytes, std::string_view source, std::string_view file, Diagnostics& diag,
                const LineSink& sink, Summary* summary_out) {
  Summary summary;
  auto db = ese::Database::open(bytes);
  if (!db) {
    diag.report(Severity::kError, file, db.error().offset, db.error().message);
    return false;
  }
  summary.state = db->header().state_name();
  if (!db->table("SruDbIdMapTable")) {
    diag.warning(file, std::nullopt,
                 "no SruDbIdMapTable: applications and users are left as numeric ids");
  }
  const IdMap ids = read_id_map(*db);
  std::string out;
  for (const auto& t : db->tables()) {
    if (is_bookkeeping(t.name)) continue;
    ++summary.tables;
    TableWriter writer(t, ids, source, out, summary);
    db->for_each_record(t, [&](const ese::Record& r) {
      writer.write(r);
      if (out.size() >= kFlushBytes) {
        sink(out);
        out.clear();
      }
    });
  }
  if (!out.empty()) sink(out);
  if (db->header().dirty()) {
    // SRUM writes its hourly rows through the ESE transaction logs (SRU*.log beside the
    // database); they are not replayed, so what only they held is not here.
    std::string after;
    if (summary.newest) {
      after = " rows SRUM recorded after ";
      append_iso(after, *summary.newest);
      after += " (the newest row in the database) until collection";
    } else {
      after = " the rows SRUM recorded in the last hour or so before collection";
    }
    diag.info(file, 52,
              "database in dirty-shutdown state (copied from a running system; its SRU*.log "
              "transaction logs are not replayed): read as it is on disk;" +
                  after + " may exist only in those logs and are missing here");
  }
  for (const auto& i : db->issues()) diag.warning(file, i.offset, i.message);
  if (db->issues_dropped() > 0) {
    diag.warning(file, std::nullopt,
                 std::to_string(db->issues_dropped()) + " more damage reports not shown");
  }
  if (summary.unresolved_ids > 0) {
    diag.warning(file, std::nullopt,
                 std::to_string(summary.unresolved_ids) +
                     " AppId/UserId values are missing from SruDbIdMapTable (left as ids)");
  }
  if (summary_out) *summary_out = summary;
  return true;
}

bool srum_file_to_jsonl(const std::string& path, std::string_view source, Diagnostics& diag,
                        const LineSink& sink, Summary* summary) {
  MappedFile f;
  std::string err;
  if (!f.open(path, &err)) {
    diag.unreadable(source, err);
    return false;
  }
  return parse_srum(f.bytes(), source, source, diag, sink, summary);
}

}  // namespace kk::srum
