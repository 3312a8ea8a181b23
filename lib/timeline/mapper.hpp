// Record → timeline event mapping: the interface every artifact family's mapper
// (map_evtx.cpp, map_prefetch.cpp, map_mft.cpp, …) implements. Private to lib/timeline.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "timeline/event.hpp"
#include "timeline/message_catalog.hpp"
#include "timeline/record_fields.hpp"

namespace kk::timeline {

// Receives each finished event (the builder renders and stores it).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(const Event& ev) = 0;
};

struct MapContext {
  Lang lang = Lang::kEn;
  EventSink* sink = nullptr;
  std::uint64_t events = 0;   // emitted for the current record
  std::uint64_t untimed = 0;  // records that carried no usable time at all

  void emit(const Event& ev) {
    ++events;
    sink->emit(ev);
  }
  // Replaces EV's message with catalog entry ID, arguments from ARGS then from EV's own
  // vocabulary fields ({user}, {src_ip}, …). Returns false when ID is not in the catalog.
  bool say(Event& ev, std::string_view id, MessageArgs args = {});
  // The localized plain text of a catalog name entry ("logon_type.10"), or FALLBACK.
  std::string_view name(std::string_view id, std::string_view fallback = {}) const;
};

// Builds MessageArgs that fall back to EV's fields.
MessageArgs event_args(const Event& ev);

// Maps one parser record (any artifact) to zero or more events. Sets the common head
// (artifact, source, host from the record) and dispatches on "artifact".
// Records that are already timeline events (they have "timestamp_desc") pass through
// unchanged via map_timeline_event.
void map_record(element rec, Event& ev, MapContext& ctx);

// Per-family mappers. Each expects ev already reset with the head set.
void map_evtx(element rec, Event& ev, MapContext& ctx);
void map_prefetch(element rec, Event& ev, MapContext& ctx);
void map_mft(element rec, Event& ev, MapContext& ctx);
void map_usnjrnl(element rec, Event& ev, MapContext& ctx);
void map_registry(element rec, Event& ev, MapContext& ctx);
void map_browser(element rec, Event& ev, MapContext& ctx);  // browser_visit/download/search/cache
void map_wmi(element rec, Event& ev, MapContext& ctx);      // wmi_filter/consumer/binding
void map_netlog(element rec, Event& ev, MapContext& ctx);
void map_netlog_beacon(element rec, Event& ev, MapContext& ctx);
void map_netlog_volume(element rec, Event& ev, MapContext& ctx);
void map_srum(element rec, Event& ev, MapContext& ctx);  // srum_* (parse-srum)
bool is_srum_artifact(std::string_view artifact);
// Artifacts without a dedicated mapper: one event per top-level time field.
void map_generic(element rec, Event& ev, MapContext& ctx);

// True for record kinds that carry no timeline event of their own (manifest, bundle
// summary, findings) — they are read for context only.
bool is_context_record(std::string_view artifact);

}  // namespace kk::timeline
