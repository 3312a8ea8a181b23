#include "timeline/timeline_builder.hpp"

#include <unordered_set>

#include "core/json_writer.hpp"
#include "core/jsonl_reader.hpp"
#include "timeline/csv_writer.hpp"

namespace kk::timeline {

TimelineBuilder::TimelineBuilder(BuildOptions options, Diagnostics& diag)
    : options_(std::move(options)),
      diag_(diag),
      sorter_(SorterOptions{options_.memory_budget, options_.temp_dir}) {
  ctx_.lang = options_.lang;
  ctx_.sink = this;
  event_.set_details_as_text(options_.details_as_text);
}

TimelineBuilder::~TimelineBuilder() = default;

void TimelineBuilder::emit(const Event& ev) {
  line_.clear();
  std::uint32_t host_pos;
  ev.render(line_, &host_pos);
  sorter_.add(ev.timestamp(), line_, host_pos);
  count_artifact(ev.artifact());
}

void TimelineBuilder::count_artifact(std::string_view artifact) {
  auto it = stats_.per_artifact.find(artifact);
  if (it == stats_.per_artifact.end()) it = stats_.per_artifact.emplace(artifact, 0).first;
  ++it->second;
}

void TimelineBuilder::add_passthrough(simdjson::dom::element rec, std::string_view input,
                                      std::uint64_t line, std::string_view raw) {
  std::int64_t ts;
  if (rec["timestamp"].get(ts) != simdjson::SUCCESS) {
    diag_.warning(input, std::nullopt,
                  "line " + std::to_string(line) +
                      ": timeline event without an integer \"timestamp\", skipped");
    ++stats_.untimed;
    return;
  }
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r'))
    raw.remove_suffix(1);
  if (raw.empty() || raw.find('\n') != std::string_view::npos) {
    line_ = simdjson::minify(rec);
    raw = line_;
  }
  sorter_.add_line(ts, raw, true, Event::kNoHostSlot);
  ++stats_.passthrough;
  count_artifact(str(rec, "artifact"));
}

void TimelineBuilder::add_record(simdjson::dom::element rec, std::string_view input,
                                 std::uint64_t line, std::string_view raw) {
  ++stats_.records;
  if (!rec.is_object()) {
    ++stats_.invalid_lines;
    diag_.warning(input, std::nullopt,
                  "line " + std::to_string(line) + ": not a JSON object, skipped");
    return;
  }
  std::string_view artifact = str(rec, "artifact");
  if (is_context_record(artifact)) {
    ++stats_.context_records;
    std::string_view host = str(rec, "host");
    if (artifact == "manifest" && bundle_host_.empty() && !host.empty()) bundle_host_ = host;
    return;
  }
  if (member(rec, "timestamp_desc")) {
    add_passthrough(rec, input, line, raw);
    return;
  }
  std::uint64_t before = ctx_.untimed;
  map_record(rec, event_, ctx_);
  if (ctx_.untimed != before) {
    ++stats_.untimed;
    ++untimed_per_input_[std::string(input)];
  }
}

bool TimelineBuilder::add_jsonl(const std::string& path) {
  JsonlReader reader;
  std::string err;
  if (!reader.open(path, &err)) {
    diag_.unreadable(path, err);
    return false;
  }
  simdjson::dom::element doc;
  while (reader.next(&doc, &err)) {
    if (!err.empty()) {
      ++stats_.records;
      ++stats_.invalid_lines;
      diag_.warning(path, std::nullopt,
                    "line " + std::to_string(reader.line_number()) + ": " + err + ", skipped");
      continue;
    }
    add_record(doc, path, reader.line_number(), reader.line());
  }
  return true;
}

bool TimelineBuilder::write(Output& out, const EventObserver& observer) {
  for (const auto& [input, n] : untimed_per_input_)
    diag_.info(input, std::nullopt,
               std::to_string(n) + " record(s) carried no usable time and gave no event");
  // Records without a host of their own take --host, else the bundle manifest's host.
  std::string host_json;
  const std::string& host = !options_.host.empty() ? options_.host : bundle_host_;
  if (host.empty())
    host_json = "null";
  else
    append_json_string(host_json, host);

  std::string buf, csv_row;
  std::unique_ptr<CsvEventWriter> csv;
  if (options_.format == OutputFormat::kCsv) {
    csv = std::make_unique<CsvEventWriter>(options_.tz);
    csv->header(buf);
  }
  std::unordered_set<std::size_t> seen;  // line hashes at the current timestamp (--dedupe)
  UtcMicros seen_at = 0;
  std::string full;
  sorter_.finish([&](const SortedEvent& e) {
    std::string_view text = e.line;
    if (options_.dedupe) {
      if (seen.empty() || e.timestamp != seen_at) {
        seen.clear();
        seen_at = e.timestamp;
      }
      if (!seen.insert(std::hash<std::string_view>()(text)).second) {
        ++stats_.duplicates;
        return;
      }
    }
    if (e.host_pos != Event::kNoHostSlot && e.host_pos <= text.size()) {
      full.assign(text.substr(0, e.host_pos));
      full += host_json;
      full.append(text.substr(e.host_pos));
      text = full;
    }
    ++stats_.events;
    if (observer) observer(e.timestamp, text);
    if (csv)
      csv->row(text, buf);
    else
      buf.append(text);
    out.drain(buf);
  });
  out.write(buf);
  stats_.runs = sorter_.runs_written();
  if (stats_.duplicates)
    diag_.info("", std::nullopt,
               std::to_string(stats_.duplicates) + " duplicate event(s) removed (--dedupe)");
  return !out.failed();
}

}  // namespace kk::timeline
