// case-timeline.jsonl: the PCs' timelines merged into one, in time order, with the PC's
// name in "host" on every event, so Timesketch (or jq, lnav) shows the case as one story.
// Each PC's timeline.jsonl is already in time order (build-timeline sorts it); a k-way merge
// keeps one line per PC in memory, whatever the timelines' size.
#include <queue>

#include "casedocs/doc_common.hpp"
#include "core/json_writer.hpp"
#include "core/jsonl_reader.hpp"
#include "core/output.hpp"

namespace kk::casedocs {

namespace {

struct Source {
  JsonlReader reader;
  std::string host;
  std::string path;
  simdjson::dom::element doc;
  std::int64_t ts = 0;
  std::int64_t last_ts = INT64_MIN;
  std::uint64_t out_of_order = 0, bad = 0;
};

// Reads the next event of S; false at the end.
bool advance(Source& s, Diagnostics& diag) {
  std::string error;
  while (s.reader.next(&s.doc, &error)) {
    if (!error.empty()) {
      ++s.bad;
      diag.warning(s.path, s.reader.line_offset(),
                   "line " + std::to_string(s.reader.line_number()) + ": " + error + ", skipped");
      error.clear();
      continue;
    }
    std::int64_t ts = 0;
    if (s.doc["timestamp"].get(ts) != simdjson::SUCCESS) {
      ++s.bad;
      continue;
    }
    if (ts < s.last_ts) ++s.out_of_order;
    s.last_ts = ts;
    s.ts = ts;
    return true;
  }
  return false;
}

// The event with "host" set to HOST (the bundle's own name kept as "bundle_host" when it
// differs: two PCs collected under the same computer name stay apart).
void write_event(std::string& out, simdjson::dom::element doc, std::string_view host) {
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) return;
  JsonWriter w(out);
  w.begin_object();
  std::string_view bundle_host;
  for (auto field : obj) {
    if (field.key == "host") {
      if (field.value.get(bundle_host) != simdjson::SUCCESS) bundle_host = {};
      w.field("host", host);
      continue;
    }
    if (field.key == "bundle_host") continue;
    w.key(field.key).raw(simdjson::minify(field.value));
  }
  if (obj["host"].error() != simdjson::SUCCESS) w.field("host", host);
  if (!bundle_host.empty() && bundle_host != host) w.field("bundle_host", bundle_host);
  w.end_object();
  w.end_line();
}

}  // namespace

Result<std::uint64_t> merge_timelines(const std::vector<PcFolder>& pcs, const CaseDir& dir,
                                      std::string_view name, Diagnostics& diag) {
  std::vector<std::unique_ptr<Source>> sources;
  for (const auto& pc : pcs) {
    auto s = std::make_unique<Source>();
    s->host = pc.host;
    s->path = pc.path + "/timeline.jsonl";
    std::string error;
    if (!s->reader.open(s->path, &error)) {
      diag.warning(s->path, std::nullopt,
                   "cannot be read (" + error + "): not in " + std::string(name));
      continue;
    }
    sources.push_back(std::move(s));
  }
  auto file = dir.create_file(name, AtomicFile::Replace::kExisting);
  if (!file) return Error{file.error().message};
  Output out;
  std::string error;
  if (!out.open(std::move(*file), &error)) return Error{error};

  // Smallest timestamp first; equal times keep the PCs' order.
  using Head = std::pair<std::int64_t, std::size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (advance(*sources[i], diag)) heads.push({sources[i]->ts, i});
  std::string buf;
  std::uint64_t lines = 0;
  while (!heads.empty()) {
    const std::size_t i = heads.top().second;
    heads.pop();
    Source& s = *sources[i];
    write_event(buf, s.doc, s.host);
    ++lines;
    out.drain(buf);
    if (advance(s, diag)) heads.push({s.ts, i});
  }
  out.write(buf);
  for (const auto& s : sources)
    if (s->out_of_order > 0)
      diag.warning(s->path, std::nullopt,
                   std::to_string(s->out_of_order) +
                       " event(s) earlier than the one before them: the timeline was not in "
                       "time order, so " +
                       std::string(name) + " is not either around them");
  if (!out.close()) return Error{dir.path_of(name) + ": cannot be written"};
  return lines;
}

}  // namespace kk::casedocs
