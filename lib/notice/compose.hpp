// Private to lib/notice: the state shared by the per-section composers.
#pragma once

#include <string>

#include "notice/analysis.hpp"
#include "notice/notice.hpp"

namespace kk::notice {

struct Composer {
  const CaseFile& c;
  const NoticeInputs& in;
  const Analysis& a;
  const RenderOptions& opt;
  Catalog cat;

  // "2024-05-01 12:04:05 JST"
  std::string local(UtcMicros t) const;
  // "2024-05-01 03:04:05 UTC"
  std::string utc(UtcMicros t) const;
  // "2024-05-01 12:04:05 JST (2024-05-01 03:04:05 UTC)"
  std::string both(UtcMicros t) const;
  std::string date(CivilDate d) const;
  std::string statement(const Statement& s) const;
  std::string title_of(const Finding& f) const;
  std::string description_of(const Finding& f) const;
  std::string artifact_label(std::string_view artifact) const;
  std::string kind_label(std::string_view kind) const;
  Span severity_badge(std::string_view severity) const;
  Span yes_no_badge(bool yes) const;
  // "Evtx/Security.evtx #1234" or "…@0x1a2b".
  std::string evidence_ref(const std::string& source, std::optional<std::int64_t> record_id,
                           std::optional<std::int64_t> offset) const;
  static std::string finding_anchor(std::string_view id);
  std::string answer_or_unanswered(std::string_view path) const;
  // TEXT cut to about MAX bytes at a UTF-8 character boundary, marked as cut.
  std::string clipped(std::string_view text, std::size_t max) const;

  Section cover() const;
  Section summary() const;
  Section overview() const;
  Section scope() const;
  void host_facts(Table& t) const;  // scope's rows on the device's own registry
  Section timeline() const;
  Section findings() const;
  Section iocs() const;
  Section recommendations() const;
  Section limitations() const;
  Section appendix() const;
};

}  // namespace kk::notice
