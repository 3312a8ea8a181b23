// MFT FILE records → MACB events, merged plaso-style: the four $STANDARD_INFORMATION
// times give one event per distinct time (its "macb" column shows which of Modified,
// Accessed, Changed ($MFT entry), Born coincide), and the same for $FILE_NAME.
#include <algorithm>
#include <array>

#include "timeline/mapper.hpp"

namespace kk::timeline {

namespace {
struct TimeSet {
  std::array<std::optional<UtcMicros>, 4> t;  // M, A, C, B
};

constexpr std::array<std::string_view, 4> kKeys = {"modified", "accessed", "mft_modified",
                                                   "created"};
constexpr std::array<std::string_view, 4> kDesc = {"Content Modification Time", "Last Access Time",
                                                   "Metadata Modification Time", "Creation Time"};
constexpr std::array<std::string_view, 4> kWord = {"macb.M", "macb.A", "macb.C", "macb.B"};

TimeSet read_times(element obj) {
  TimeSet s;
  for (std::size_t i = 0; i < 4; ++i) s.t[i] = time_member(obj, kKeys[i]);
  return s;
}

// Emits one event per distinct time of SET, in time order.
void emit_macb(const TimeSet& set, std::string_view source_name, bool is_si, bool in_use, Event& ev,
               MapContext& ctx) {
  std::array<UtcMicros, 4> distinct{};
  std::size_t n = 0;
  for (const auto& t : set.t)
    if (t && std::find(distinct.begin(), distinct.begin() + n, *t) == distinct.begin() + n)
      distinct[n++] = *t;
  for (std::size_t i = 1; i < n; ++i)  // insertion sort of at most four times
    for (std::size_t j = i; j > 0 && distinct[j] < distinct[j - 1]; --j)
      std::swap(distinct[j], distinct[j - 1]);
  bool suspect = ev.has(Field::kTimestompSuspect);
  bool downloaded = ev.has(Field::kZoneIdentifier);
  for (std::size_t k = 0; k < n; ++k) {
    std::string macb = "....", desc, changes;
    for (std::size_t i = 0; i < 4; ++i) {
      if (!set.t[i] || *set.t[i] != distinct[k]) continue;
      macb[i] = "MACB"[i];
      if (!desc.empty()) desc += "; ";
      desc += kDesc[i];
    }
    // Message words in B, M, C, A order: "created, modified".
    for (std::size_t i : {3, 0, 2, 1}) {
      if (macb[i] == '.') continue;
      if (!changes.empty()) changes += ctx.name("list.separator", ", ");
      changes += ctx.name(kWord[i]);
    }
    ev.set_time(distinct[k], desc);
    ev.set(Field::kMacb, macb);
    ev.set(Field::kTimeSource, source_name);
    ev.clear_tags();
    if (is_si) {
      if (macb[3] == 'B') ev.tag(Tag::kFileCreated);
      if (macb[3] == 'B' && downloaded) ev.tag(Tag::kDownloaded);
      if (suspect) ev.tag(Tag::kTimestomp);
    }
    MessageArgs args = event_args(ev);
    args.add("changes", changes).add("si_fn", is_si ? "$SI" : "$FN");
    ctx.say(ev, in_use ? "mft.event" : "mft.event.deleted", args);
    ctx.emit(ev);
  }
}
}  // namespace

void map_mft(element rec, Event& ev, MapContext& ctx) {
  ev.set_data_type("fs:stat:ntfs");
  ev.set(Field::kEntry, integer(rec, "entry").value_or(0));
  if (auto s = integer(rec, "sequence")) ev.set(Field::kSequence, *s);
  bool in_use = boolean(rec, "in_use").value_or(true);
  ev.set_bool(Field::kInUse, in_use);
  ev.set_bool(Field::kIsDir, boolean(rec, "is_dir").value_or(false));
  std::string_view path = str(rec, "path");
  ev.set(Field::kPath, path);
  ev.set(Field::kFileName, base_name(path));
  if (auto size = integer(rec, "size")) ev.set(Field::kSize, *size);
  ev.set(Field::kZoneIdentifier, str(rec, "zone_identifier"));
  if (boolean(rec, "timestomp_suspect").value_or(false))
    ev.set_bool(Field::kTimestompSuspect, true);
  for (std::string_view k : {"si", "fn", "streams"})
    if (auto v = member(rec, k)) append_detail(ev.details(), k, *v);

  if (auto si = member(rec, "si"))
    emit_macb(read_times(*si), "$STANDARD_INFORMATION", true, in_use, ev, ctx);
  // $FILE_NAME: the longest name is the Win32 one; a DOS 8.3 alias repeats its times.
  auto fns = member(rec, "fn");
  if (!fns || !fns->is_array()) return;
  std::optional<element> best;
  std::size_t best_len = 0;
  for (element fn : simdjson::dom::array(*fns)) {
    std::size_t len = str(fn, "name").size();
    if (!best || len > best_len) {
      best = fn;
      best_len = len;
    }
  }
  if (best) emit_macb(read_times(*best), "$FILE_NAME", false, in_use, ev, ctx);
}

}  // namespace kk::timeline
