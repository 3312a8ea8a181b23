#include "timeline/record_mapper.hpp"

#include "timeline/record_fields.hpp"
#include "timeline/timeline_builder.hpp"

namespace kk::timeline {

void MappedEvents::clear() {
  text.clear();
  items.clear();
  records = context_records = passthrough = untimed = invalid = 0;
  // Counts zeroed, names kept: build-timeline clears this once per record, and freeing and
  // allocating the same map node each time cost ~2 % of its time.
  for (auto& [artifact, n] : per_artifact) n = 0;
  untimed_inputs.clear();
  bundle_host.clear();
}

RecordMapper::RecordMapper(const BuildOptions& options, Diagnostics& diag) : diag_(diag) {
  ctx_.lang = options.lang;
  ctx_.sink = this;
  event_.set_details_as_text(options.details_as_text);
}

// An event's line of more than EventSorter::kMaxLine bytes (only hostile input makes one),
// or one that TEXT's 32-bit offsets cannot reach, is dropped from TEXT and reported.
bool RecordMapper::fits(std::size_t start) {
  const std::size_t length = out_->text.size() - start;
  if (length <= EventSorter::kMaxLine && out_->text.size() <= UINT32_MAX) return true;
  out_->text.truncate(start);
  diag_.warning(input_, std::nullopt,
                "line " + std::to_string(line_) + ": a timeline event of " +
                    std::to_string(length) + " bytes (over 2 GiB), skipped");
  return false;
}

void RecordMapper::push(UtcMicros timestamp, std::string_view line, bool add_newline,
                        std::uint32_t host_pos) {
  const std::size_t offset = out_->text.size();
  out_->text.append(line);
  if (add_newline) out_->text.append("\n");
  if (!fits(offset)) return;
  out_->items.push_back({timestamp, static_cast<std::uint32_t>(offset),
                         static_cast<std::uint32_t>(out_->text.size() - offset), host_pos,
                         nullptr});
}

void RecordMapper::emit(const Event& ev) {
  const std::size_t offset = out_->text.size();
  std::uint32_t host_pos;
  ev.render(out_->text, &host_pos);
  if (!fits(offset)) return;
  if (host_pos != Event::kNoHostSlot) host_pos -= static_cast<std::uint32_t>(offset);
  out_->items.push_back({ev.timestamp(), static_cast<std::uint32_t>(offset),
                         static_cast<std::uint32_t>(out_->text.size() - offset), host_pos,
                         nullptr});
  count_artifact(ev.artifact());
}

void RecordMapper::count_artifact(std::string_view artifact) {
  auto it = out_->per_artifact.find(artifact);
  if (it == out_->per_artifact.end()) it = out_->per_artifact.emplace(artifact, 0).first;
  ++it->second;
}

void RecordMapper::add_passthrough(simdjson::dom::element rec, std::string_view input,
                                   std::uint64_t line, std::string_view raw,
                                   std::string_view stable_raw) {
  std::int64_t ts;
  if (rec["timestamp"].get(ts) != simdjson::SUCCESS) {
    diag_.warning(input, std::nullopt,
                  "line " + std::to_string(line) +
                      ": timeline event without an integer \"timestamp\", skipped");
    ++out_->untimed;
    return;
  }
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r'))
    raw.remove_suffix(1);
  if (raw.empty() || raw.find('\n') != std::string_view::npos) {
    minified_ = simdjson::minify(rec);
    raw = minified_;
  }
  if (!raw.empty() && stable_raw.size() == raw.size() + 1 &&
      stable_raw.size() <= EventSorter::kMaxLine)
    out_->items.push_back({ts, 0, static_cast<std::uint32_t>(stable_raw.size()), Event::kNoHostSlot,
                           stable_raw.data()});  // nothing was trimmed
  else
    push(ts, raw, true, Event::kNoHostSlot);
  ++out_->passthrough;
  count_artifact(str(rec, "artifact"));
}

void RecordMapper::map(simdjson::dom::element rec, std::string_view input, std::uint64_t line,
                       std::string_view raw, MappedEvents& out, std::string_view stable_raw) {
  out_ = &out;
  input_ = input;
  line_ = line;
  ++out.records;
  if (!rec.is_object()) {
    ++out.invalid;
    diag_.warning(input, std::nullopt,
                  "line " + std::to_string(line) + ": not a JSON object, skipped");
    return;
  }
  index_.build(rec);  // every lookup below (and the mappers') is of this record's keys
  CurrentMemberIndex indexed(&index_);
  std::string_view artifact = str(rec, "artifact");
  if (is_context_record(artifact)) {
    ++out.context_records;
    std::string_view host = str(rec, "host");
    if (artifact == "manifest" && out.bundle_host.empty() && !host.empty()) out.bundle_host = host;
    return;
  }
  if (member(rec, "timestamp_desc")) {
    add_passthrough(rec, input, line, raw, stable_raw);
    return;
  }
  std::uint64_t before = ctx_.untimed;
  map_record(rec, event_, ctx_);
  if (ctx_.untimed != before) {
    ++out.untimed;
    ++out.untimed_inputs[std::string(input)];
  }
}

}  // namespace kk::timeline
