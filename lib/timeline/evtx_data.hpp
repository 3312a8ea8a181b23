// EVTX record payload access for the EVTX mappers (private to lib/timeline).
//
// parse-evtx puts EventData <Data Name="X"> values under data.X and UserData as nested
// objects (data.LogFileCleared.SubjectUserName, data.EventXML.Param1). DataView finds a
// name at the top level or one object level down, so a mapper need not know which.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "timeline/mapper.hpp"

namespace kk::timeline {

class DataView {
 public:
  explicit DataView(std::optional<element> data) : data_(data) {}

  std::optional<element> find(std::string_view name) const;
  // Text of NAME; Windows' placeholder "-" and "%%…" leftovers read as empty.
  std::string s(std::string_view name) const;
  std::optional<std::int64_t> i(std::string_view name) const;
  // The unnamed Data values (<Data> without Name), position N.
  std::string positional(std::size_t n) const;
  std::optional<element> raw() const { return data_; }

 private:
  std::optional<element> data_;
};

// Handlers per provider family; each fills fields, tags and the message of EV.
using EvtxHandler = void (*)(element rec, const DataView& d, Event& ev, MapContext& ctx);
EvtxHandler find_security_handler(std::int64_t event_id);
EvtxHandler find_sysmon_handler(std::int64_t event_id);
// System, PowerShell, Defender, Terminal Services, Task Scheduler, WMI, BITS.
EvtxHandler find_app_handler(std::string_view provider, std::int64_t event_id);

// Shared pieces used by several handlers.
void set_if(Event& ev, Field f, const std::string& v);
void set_if(Event& ev, Field f, std::optional<std::int64_t> v);
// Sysmon "Hashes" / Defender style "SHA1=…,MD5=…,SHA256=…,IMPHASH=…".
void set_hashes(Event& ev, std::string_view hashes);
// True for addresses that do not mean "another machine" ("", "-", loopback).
bool is_local_address(std::string_view ip);
// Sets path and file_name from one path value.
void set_path(Event& ev, const std::string& path);

}  // namespace kk::timeline
