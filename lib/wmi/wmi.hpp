// Public interface of lib/wmi: the WMI (CIM) repository's permanent event subscriptions
// as parse-wmi's JSONL records (../shared/CONTRACT.md "parse-wmi", docs/records.md,
// man/parse-wmi.1): __EventFilter instances (wmi_filter), event consumers of every
// standard class (wmi_consumer: CommandLine, ActiveScript, NTEventLog, LogFile, SMTP) and
// __FilterToConsumerBinding (wmi_binding).
//
// OBJECTS.DATA is read through the current MAPPING*.MAP next to it (logical → physical
// pages); class definitions found in the repository give each instance's property layout.
// Pages no mapping references are carved too ("recovered": true); with no usable mapping
// every page is carved. INDEX.BTR beside it gives each instance's namespace. Used by
// tools/parse-wmi.cpp and in-process by triage.
#pragma once

#include <cstdint>
#include <string>

#include "core/diagnostics.hpp"

namespace kk::wmi {

struct Options {
  bool recover = true;  // also carve pages the mapping does not reference
};

struct Summary {
  bool readable = false;
  std::string mapping;        // "MAPPING2.MAP" (the current one), or "" when none was usable
  std::uint64_t pages = 0;    // 8 KiB pages in OBJECTS.DATA
  std::uint64_t objects = 0;  // objects read through the page tables
  std::uint64_t class_definitions = 0;
  std::uint64_t instances = 0;   // instances of the subscription classes decoded
  std::uint64_t records = 0;     // JSONL lines appended
  std::uint64_t namespaces = 0;  // namespace names known from INDEX.BTR (0: not read)
};

// Reads the repository whose OBJECTS.DATA is at PATH (MAPPING1-3.MAP are looked for in
// the same folder) and appends records to OUT. SOURCE names the file in records and
// diagnostics. An empty or unreadable OBJECTS.DATA gives diag.unreadable.
Summary parse_repository(const std::string& path, const std::string& source, const Options& options,
                         std::string& out, Diagnostics& diag);

}  // namespace kk::wmi
