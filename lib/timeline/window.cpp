#include "timeline/window.hpp"

#include <cstdio>
#include <memory>
#include <regex>
#include <stdexcept>

#include "core/json_writer.hpp"
#include "core/jsonl_reader.hpp"
#include "timeline/record_fields.hpp"
#include "timeline/suspect.hpp"

namespace kk::timeline {

namespace {
// Fields --match looks at: the message and the names an analyst searches for.
constexpr std::string_view kMatchFields[] = {"message",
                                             "path",
                                             "file_name",
                                             "process",
                                             "command_line",
                                             "parent",
                                             "parent_command_line",
                                             "user",
                                             "target_user",
                                             "service",
                                             "task",
                                             "target_path",
                                             "dst_host",
                                             "key",
                                             "value_name",
                                             "value_data",
                                             "threat",
                                             "url",
                                             "executable",
                                             "object",
                                             "src_ip",
                                             "dst_ip"};

std::optional<UtcMicros> event_time(simdjson::dom::element ev) {
  std::int64_t ts;
  if (ev["timestamp"].get(ts) == simdjson::SUCCESS) return ts;
  return time_member(ev, "datetime");
}

void count_kept(WindowStats& s, simdjson::dom::element ev) {
  ++s.kept;
  ++s.per_artifact[std::string(str(ev, "artifact"))];
  if (auto tags = member(ev, "tags"); tags && tags->is_array())
    for (simdjson::dom::element t : simdjson::dom::array(*tags)) {
      std::string_view name;
      if (t.get(name) == simdjson::SUCCESS) ++s.per_tag[std::string(name)];
    }
}
}  // namespace

struct WindowFilter::Matchers {
  std::vector<std::regex> expressions;
};

WindowFilter::~WindowFilter() = default;

WindowFilter::WindowFilter(WindowOptions options)
    : options_(std::move(options)), match_(std::make_unique<Matchers>()) {
  for (const auto& m : options_.match) {
    try {
      match_->expressions.emplace_back(
          m, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("\"" + m + "\": " + e.what());
    }
  }
  std::optional<UtcMicros> from = options_.since, to = options_.until;
  if (options_.anchor) {
    UtcMicros lo = *options_.anchor - options_.before;
    from = from ? std::max(*from, lo) : lo;
    if (options_.after) {
      UtcMicros hi = *options_.anchor + *options_.after;
      to = to ? std::min(*to, hi) : hi;
    }
  }
  stats_.from = from;
  stats_.to = to;
}

bool WindowFilter::selected(simdjson::dom::element ev) const {
  if (!options_.artifacts.empty()) {
    std::string_view a = str(ev, "artifact");
    bool any = false;
    for (const auto& x : options_.artifacts) any = any || x == a;
    if (!any) return false;
  }
  if (!options_.tags.empty()) {
    bool any = false;
    if (auto tags = member(ev, "tags"); tags && tags->is_array())
      for (simdjson::dom::element t : simdjson::dom::array(*tags)) {
        std::string_view name;
        if (t.get(name) != simdjson::SUCCESS) continue;
        for (const auto& x : options_.tags) any = any || x == name;
      }
    if (!any) return false;
  }
  if (!match_->expressions.empty()) {
    bool any = false;
    for (std::string_view f : kMatchFields) {
      std::string_view v = str(ev, f);
      if (v.empty()) continue;
      for (const auto& re : match_->expressions)
        if (std::regex_search(v.begin(), v.end(), re)) {
          any = true;
          break;
        }
      if (any) break;
    }
    if (!any) return false;
  }
  return true;
}

bool WindowFilter::outside(UtcMicros t) {
  if (stats_.from && t < *stats_.from) {
    ++stats_.read;
    ++stats_.before_window;
    return true;
  }
  if (stats_.to && t > *stats_.to) {
    ++stats_.read;
    ++stats_.after_window;
    return true;
  }
  return false;
}

bool WindowFilter::keep(simdjson::dom::element ev) {
  if (!options_.suspects.empty())
    throw std::logic_error("WindowFilter::keep: --around-suspect needs run() (two passes)");
  ++stats_.read;
  std::optional<UtcMicros> t;
  if (ev.is_object()) t = event_time(ev);
  if (!t) {
    ++stats_.invalid;
    return false;
  }
  if (stats_.from && *t < *stats_.from) {
    ++stats_.before_window;
    return false;
  }
  if (stats_.to && *t > *stats_.to) {
    ++stats_.after_window;
    return false;
  }
  if (!selected(ev)) {
    ++stats_.filtered;
    return false;
  }
  count_kept(stats_, ev);
  return true;
}

bool WindowFilter::run(const std::vector<std::string>& inputs, Output& out, Diagnostics& diag) {
  std::unique_ptr<SuspectTracker> suspect;
  if (!options_.suspects.empty())
    suspect = std::make_unique<SuspectTracker>(options_.suspects, options_.pid_window);
  // With a suspect, the window's candidates wait in a spool file until every process
  // creation of the input has been seen (pass 2 below).
  std::FILE* spool = suspect ? std::tmpfile() : nullptr;
  if (suspect && !spool) throw std::runtime_error("cannot create a temporary spool file");

  std::string buf;
  for (const auto& path : inputs) {
    JsonlReader reader;
    std::string err;
    if (!reader.open(path, &err)) {
      diag.unreadable(path, err);
      continue;
    }
    reader.stop_if_not_json_lines();
    simdjson::dom::element ev;
    while (reader.next(&ev, &err)) {
      ++stats_.read;
      std::optional<UtcMicros> t;
      if (err.empty() && ev.is_object()) t = event_time(ev);
      if (!t) {
        ++stats_.invalid;
        diag.warning(path, reader.line_offset(),
                     "line " + std::to_string(reader.line_number()) +
                         ": not a timeline event (no timestamp), skipped");
        continue;
      }
      if (suspect) suspect->observe(ev);
      if (stats_.from && *t < *stats_.from) {
        ++stats_.before_window;
        continue;
      }
      if (stats_.to && *t > *stats_.to) {
        ++stats_.after_window;
        continue;
      }
      if (!selected(ev)) {
        ++stats_.filtered;
        continue;
      }
      std::string_view line = reader.line();
      if (spool) {
        if (std::fwrite(line.data(), 1, line.size(), spool) != line.size() ||
            std::fputc('\n', spool) == EOF)
          throw std::runtime_error("cannot write the temporary spool file");
        continue;
      }
      count_kept(stats_, ev);
      buf.append(line);
      buf.push_back('\n');
      out.drain(buf);
    }
    inputs_.add(reader);
    if (reader.not_json_lines()) diag.unreadable(path, not_json_lines_message(path));
  }
  if (spool) {
    suspect->resolve();
    stats_.suspect_processes = suspect->process_count();
    std::rewind(spool);
    simdjson::dom::parser parser;
    std::string line;
    char chunk[1 << 16];
    auto judge = [&] {
      simdjson::dom::element ev;
      if (parser.parse(line).get(ev) == simdjson::SUCCESS && suspect->related(ev)) {
        count_kept(stats_, ev);
        buf.append(line);
        buf.push_back('\n');
        out.drain(buf);
      } else {
        ++stats_.filtered;
      }
      line.clear();
    };
    while (std::fgets(chunk, sizeof chunk, spool)) {
      line += chunk;
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        judge();
      }
    }
    if (!line.empty()) judge();
    std::fclose(spool);
  }
  out.write(buf);
  return !out.failed();
}

std::string WindowFilter::stats_json() const {
  std::string s;
  JsonWriter w(s);
  w.begin_object().field("artifact", "window_stats");
  w.key("from");
  if (stats_.from)
    w.time(*stats_.from);
  else
    w.null();
  w.key("to");
  if (stats_.to)
    w.time(*stats_.to);
  else
    w.null();
  w.key("anchor");
  if (options_.anchor)
    w.time(*options_.anchor);
  else
    w.null();
  w.field("read", stats_.read).field("kept", stats_.kept);
  w.field("before_window", stats_.before_window).field("after_window", stats_.after_window);
  w.field("filtered", stats_.filtered).field("invalid", stats_.invalid);
  if (!options_.suspects.empty()) w.field("suspect_processes", stats_.suspect_processes);
  w.key("per_artifact").begin_object();
  for (const auto& [k, n] : stats_.per_artifact) w.field(k, n);
  w.end_object();
  w.key("per_tag").begin_object();
  for (const auto& [k, n] : stats_.per_tag) w.field(k, n);
  w.end_object();
  w.end_object().end_line();
  return s;
}

std::string WindowFilter::stats_text() const {
  std::string s = "filter-window: window ";
  s += stats_.from ? format_iso(*stats_.from) : std::string("(open)");
  s += " .. ";
  s += stats_.to ? format_iso(*stats_.to) : std::string("(open)");
  s += "\n  kept " + std::to_string(stats_.kept) + " of " + std::to_string(stats_.read) +
       " events; outside: " + std::to_string(stats_.before_window) + " before, " +
       std::to_string(stats_.after_window) +
       " after; filtered out inside: " + std::to_string(stats_.filtered);
  if (stats_.invalid) s += "; invalid lines: " + std::to_string(stats_.invalid);
  if (!options_.suspects.empty())
    s += "; suspect processes: " + std::to_string(stats_.suspect_processes);
  s += "\n  per artifact:";
  for (const auto& [k, n] : stats_.per_artifact) s += " " + k + "=" + std::to_string(n);
  s += "\n  per tag:";
  for (const auto& [k, n] : stats_.per_tag) s += " " + k + "=" + std::to_string(n);
  s += "\n";
  return s;
}

}  // namespace kk::timeline
