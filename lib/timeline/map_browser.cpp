// parse-browser records → events. A visit is one event at its visit time; a download one
// at its start and one at its end (the file exists from then on, which is what the
// suspect-file questions ask); a search one at its time; a cache entry one when it was
// cached (its file in the cache folder exists from then on). Downloads, and cache entries
// of programs and scripts, are tagged "downloaded": their file came from the web.
#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {
void common(element rec, Event& ev) {
  ev.set(Field::kUser, str(rec, "user"));
  ev.set(Field::kUrl, str(rec, "url"));
  for (auto [k, v] : simdjson::dom::object(rec))
    if (k != "artifact" && k != "source") append_detail(ev.details(), k, v);
}

void emit(element rec, Event& ev, MapContext& ctx, std::string_view time_field,
          std::string_view desc, std::string_view message_id, std::string_view what = {}) {
  auto t = time_member(rec, time_field);
  if (!t) return;
  ev.set_time(*t, desc);
  MessageArgs args = event_args(ev);
  std::string browser(str(rec, "browser"));
  std::string title(str(rec, "title")), term(str(rec, "term")), transition(str(rec, "transition"));
  std::string referrer(str(rec, "referrer")), state(str(rec, "state"));
  args.add("browser", browser).add("title", title).add("term", term);
  args.add("transition", transition).add("referrer", referrer).add("state", state);
  args.add("what", what);
  ctx.say(ev, message_id, args);
  ctx.emit(ev);
}
}  // namespace

void map_browser(element rec, Event& ev, MapContext& ctx) {
  std::string_view a = ev.artifact();
  common(rec, ev);
  if (a == "browser_visit") {
    ev.set_data_type("browser:history:visit");
    emit(rec, ev, ctx, "time", "Visit Time", "browser.visit");
  } else if (a == "browser_download") {
    ev.set_data_type("browser:history:download");
    std::string_view target = str(rec, "target_path");
    ev.set(Field::kPath, target);
    ev.set(Field::kFileName, base_name(target));
    if (auto b = integer(rec, "bytes")) ev.set(Field::kSize, *b);
    ev.tag(Tag::kDownloaded);
    ev.tag(Tag::kFileCreated);
    emit(rec, ev, ctx, "start_time", "Download Start Time", "browser.download",
         ctx.name("time.download_start", "started"));
    ev.untag(Tag::kFileCreated);
    emit(rec, ev, ctx, "end_time", "Download End Time", "browser.download",
         ctx.name("time.download_end", "finished"));
  } else if (a == "browser_cache") {
    ev.set_data_type("browser:cache:entry");
    std::string_view cached = str(rec, "cached_path");
    ev.set(Field::kPath, cached);
    ev.set(Field::kFileName, base_name(cached));
    if (auto b = integer(rec, "file_size")) ev.set(Field::kSize, *b);
    if (auto x = boolean(rec, "executable"); x && *x) ev.tag(Tag::kDownloaded);
    ev.tag(Tag::kFileCreated);
    emit(rec, ev, ctx, "created_time", "Cached Time", "browser.cache");
  } else {
    ev.set_data_type("browser:history:search");
    emit(rec, ev, ctx, "time", "Search Time", "browser.search");
  }
}

}  // namespace kk::timeline
