#include "timeline/timeline_builder.hpp"

#include <filesystem>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "core/jsonl_reader.hpp"
#include "timeline/csv_writer.hpp"

namespace kk::timeline {

static_assert(Event::kNoHostSlot == EventSorter::kNoHostPos,
              "the sorter knows a line without a host slot");

TimelineBuilder::TimelineBuilder(BuildOptions options, Diagnostics& diag)
    : options_(std::move(options)),
      diag_(diag),
      sorter_(SorterOptions{options_.memory_budget, options_.temp_dir}),
      mapper_(make_mapper()) {}

TimelineBuilder::~TimelineBuilder() = default;

std::unique_ptr<RecordMapper> TimelineBuilder::make_mapper() const {
  return std::make_unique<RecordMapper>(options_, diag_);
}

void TimelineBuilder::add_record(simdjson::dom::element rec, std::string_view input,
                                 std::uint64_t line, std::string_view raw,
                                 std::string_view stable_raw) {
  scratch_.clear();
  mapper_->map(rec, input, line, raw, scratch_, stable_raw);
  add_mapped(scratch_);
}

void TimelineBuilder::add_mapped(const MappedEvents& m) {
  for (const auto& it : m.items) {
    if (it.pinned) {
      sorter_.add_pinned(it.timestamp, std::string_view(it.pinned, it.length), it.host_pos);
      ++referenced_;
    } else {
      sorter_.add(it.timestamp, m.text.view().substr(it.offset, it.length), it.host_pos);
    }
  }
  stats_.records += m.records;
  stats_.context_records += m.context_records;
  stats_.passthrough += m.passthrough;
  stats_.untimed += m.untimed;
  stats_.invalid_lines += m.invalid;
  for (const auto& [artifact, n] : m.per_artifact) {
    if (n == 0) continue;  // an artifact of an earlier batch (MappedEvents::clear keeps it)
    auto it = stats_.per_artifact.find(artifact);
    if (it == stats_.per_artifact.end()) it = stats_.per_artifact.emplace(artifact, 0).first;
    it->second += n;
  }
  for (const auto& [input, n] : m.untimed_inputs) untimed_per_input_[input] += n;
  if (bundle_host_.empty() && !m.bundle_host.empty()) bundle_host_ = m.bundle_host;
}

namespace {
// The size of PATH when it is a regular file that can be mapped, else 0.
std::uint64_t mappable_size(const std::string& path) {
  std::error_code ec;
  if (path == "-" || !std::filesystem::is_regular_file(path, ec)) return 0;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}
}  // namespace

bool TimelineBuilder::add_jsonl(const std::string& path) {
  JsonlReader reader;
  std::string err;
  auto mapped = std::make_unique<MappedFile>();
  const std::uint64_t referenced = referenced_;
  if (mappable_size(path) > 0 && mapped->open(path, &err) && sorter_.pin(mapped->size())) {
    reader.open_mapped(*mapped);
  } else {
    mapped.reset();
    if (!reader.open(path, &err)) {
      diag_.unreadable(path, err);
      return false;
    }
  }
  reader.stop_if_not_json_lines();
  simdjson::dom::element doc;
  while (reader.next(&doc, &err)) {
    if (!err.empty()) {
      ++stats_.records;
      ++stats_.invalid_lines;
      diag_.warning(path, reader.line_offset(),
                    "line " + std::to_string(reader.line_number()) + ": " + err + ", skipped");
      continue;
    }
    add_record(doc, path, reader.line_number(), reader.line(), reader.stable_line());
  }
  inputs_.add(reader);
  if (mapped && referenced_ != referenced)
    pinned_.push_back(std::move(mapped));  // its lines are sorted where they lie
  else if (mapped)
    sorter_.unpin(mapped->size());  // nothing refers to it (parser records): unmapped now
  if (reader.not_json_lines()) {
    diag_.unreadable(path, not_json_lines_message(path));
    return false;
  }
  return true;
}

std::uint64_t TimelineBuilder::mapped_bytes() const {
  std::uint64_t n = 0;
  for (const auto& m : pinned_) n += m->size();
  return n;
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
    ++stats_.events;
    const bool host_slot = e.host_pos != Event::kNoHostSlot && e.host_pos <= text.size();
    if (!csv) {  // JSONL: the pieces appended, no line assembled first
      const std::size_t at = buf.size();
      if (host_slot) {
        buf.append(text.substr(0, e.host_pos));
        buf.append(host_json);
        text.remove_prefix(e.host_pos);
      }
      buf.append(text);
      if (observer) observer(e.timestamp, std::string_view(buf).substr(at));
      out.drain(buf);
      return;
    }
    if (host_slot) {
      full.assign(text.substr(0, e.host_pos));
      full += host_json;
      full.append(text.substr(e.host_pos));
      text = full;
    }
    if (observer) observer(e.timestamp, text);
    csv->row(text, buf);
    out.drain(buf);
  });
  out.write(buf);
  stats_.runs = sorter_.runs_written();
  stats_.spill_seconds = sorter_.spill_seconds();
  stats_.spill_cpu_seconds = sorter_.spill_cpu_seconds();
  if (stats_.duplicates)
    diag_.info("", std::nullopt,
               std::to_string(stats_.duplicates) + " duplicate event(s) removed (--dedupe)");
  return !out.failed();
}

}  // namespace kk::timeline
