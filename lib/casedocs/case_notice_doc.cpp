// case-notice.json and the case notice laid out from the same model (case_model.hpp):
// every row names the PC and the record (source file and record id or offset) it states.
#include <cstdio>

#include "casedocs/case_model.hpp"
#include "casedocs/doc_common.hpp"
#include "core/json_writer.hpp"
#include "core/version.hpp"
#include "notice/defang.hpp"

namespace kk::casedocs {

using notice::plain;

namespace {

void write_ref(JsonWriter& w, const CitedRef& c) {
  const auto& r = c.ref;
  w.begin_object();
  w.field("host", c.host);
  w.field("artifact", r.artifact);
  w.field("source", r.source);
  w.integer_or_null("record_id", r.record_id);
  w.integer_or_null("offset", r.offset);
  if (r.entry) w.field("entry", *r.entry);
  w.integer_or_null("event_id", r.event_id);
  w.time_or_null("time", r.time);
  w.field("summary", r.summary);
  if (!r.finding_id.empty()) w.field("finding", r.finding_id);
  w.end_object();
}

void write_shared(JsonWriter& w, std::string_view key, const std::vector<SharedIndicator>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) {
    w.begin_object();
    w.field("type", s.type);
    w.field("value", s.value);
    w.key("hosts").begin_array();
    for (const auto& c : s.seen) w.string(c.host);
    w.end_array();
    w.key("evidence").begin_array();
    for (const auto& c : s.seen) write_ref(w, c);
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string case_notice_json(const CaseModel& m) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("document", "case_notice");
  w.field("case_id", m.case_id);
  w.field("customer", m.customer);
  w.field("lang", notice::lang_code(m.lang));
  w.time_or_null("issued_at", m.issued_at ? std::optional<UtcMicros>(m.issued_at) : std::nullopt);
  w.key("pcs").begin_array();
  for (const auto& pc : m.pcs) {
    w.begin_object();
    w.field("host", pc.host);
    w.field("folder", pc.folder);
    w.string_or_null("state", pc.state);
    w.field("readable", pc.readable);
    w.string_or_null("problem", pc.problem);
    w.string_or_null("bundle_host", pc.bundle_host);
    w.string_or_null("overall", pc.overall);
    w.field("notice", pc.folder + "/notice.html");
    w.key("window").begin_object();
    w.time_or_null("start", pc.window_start);
    w.time_or_null("end", pc.window_end);
    w.end_object();
    w.key("verdicts").begin_object();
    for (const auto& [q, v] : pc.verdicts) w.field(q, v);
    w.end_object();
    w.field("findings", pc.findings);
    w.field("iocs", pc.iocs);
    w.key("own_ips").begin_array();
    for (const auto& ip : pc.own_ips) w.string(ip);
    w.end_array();
    w.string_or_null("own_ip_origin", pc.own_ip_origin);
    w.key("first_touch");
    if (pc.first_touch)
      write_ref(w, *pc.first_touch);
    else
      w.null();
    w.end_object();
  }
  w.end_array();
  w.key("touch_order").begin_array();
  for (std::size_t i : m.touch_order) w.string(m.pcs[i].host);
  w.end_array();
  w.key("suspects").begin_array();
  for (const auto& s : m.suspects) {
    w.begin_object();
    w.field("value", s.value);
    w.key("hosts").begin_array();
    for (const auto& c : s.seen) w.string(c.host);
    w.end_array();
    w.key("evidence").begin_array();
    for (const auto& c : s.seen) write_ref(w, c);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  write_shared(w, "shared_files", m.shared_files);
  write_shared(w, "shared_iocs", m.shared_iocs);
  w.key("lateral_logons").begin_array();
  for (const auto& l : m.logons) {
    w.begin_object();
    w.field("from_host", l.from_host);
    w.field("to_host", l.to_host);
    w.string_or_null("ip", l.ip);
    w.string_or_null("workstation", l.workstation);
    w.field("matched_by", l.matched_by);
    w.string_or_null("user", l.user);
    w.field("event_id", l.event_id);
    w.integer_or_null("logon_type",
                      l.logon_type >= 0 ? std::optional<std::int64_t>(l.logon_type) : std::nullopt);
    w.key("evidence");
    write_ref(w, l.where);
    w.end_object();
  }
  w.end_array();
  w.key("counts").begin_object();
  w.field("pcs", static_cast<std::uint64_t>(m.pcs.size()));
  w.field("lateral_logons", static_cast<std::uint64_t>(m.logons_total));
  w.field("timeline_events", m.timeline_events);
  w.end_object();
  w.field("timeline", kCaseTimeline);
  w.field("tool_version", version());
  w.end_object();
  w.end_line();
  return out;
}

namespace {

struct Lay {
  const CaseModel& m;
  DocText t;

  // "PC01: Evtx/Security.evtx #1234"
  std::string ref(const CitedRef& c) const {
    const auto& r = c.ref;
    std::string s = c.host + ": " + (r.source.empty() ? r.artifact : r.source);
    if (r.record_id) {
      s += " #" + std::to_string(*r.record_id);
    } else if (r.offset) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " @0x%llx", static_cast<unsigned long long>(*r.offset));
      s += buf;
    } else if (r.entry) {
      s += " " + t.cat("casenotice.entry", {{"n", std::to_string(*r.entry)}});
    }
    return s;
  }
  // "Evtx/Security.evtx #1234" (the PC named elsewhere).
  std::string ref_only(const CitedRef& c) const { return ref(c).substr(c.host.size() + 2); }
  notice::Rich cited(const CitedRef& c) const {
    notice::Rich out;
    if (c.ref.time) out.push_back(notice::Span{t.local(*c.ref.time)});
    notice::Span s{ref(c)};
    s.muted = true;
    s.line_break = !out.empty();
    out.push_back(std::move(s));
    return out;
  }
  std::string shown(const SharedIndicator& s) const {
    return (s.type == "ip" || s.type == "domain" || s.type == "url") ? notice::defang(s.value)
                                                                     : s.value;
  }
  std::string overall(std::string_view o) const {
    const std::string key = "casenotice.overall." + std::string(o.empty() ? "none" : o);
    return t.cat.has(key) ? t.raw(key) : std::string(o);
  }
  std::string host_list(const std::vector<CitedRef>& seen) const {
    std::string s;
    for (const auto& c : seen) s += (s.empty() ? "" : t.raw("list.separator")) + c.host;
    return s;
  }

  notice::Section summary() const {
    notice::Section s{"case-summary", t.raw("casenotice.sec.summary"), {}, false};
    notice::Table kvt = kv_table();
    kv(kvt, t.raw("cover.case_id"), plain(m.case_id));
    kv(kvt, t.raw("cover.to"), plain(t.addressee(m.customer, {}, {})));
    if (m.issued_at) kv(kvt, t.raw("completion.issued"), plain(t.date(t.local_date(m.issued_at))));
    if (!m.analyst.empty()) kv(kvt, t.raw("cover.analyst"), plain(m.analyst));
    std::vector<std::string> hosts;
    for (const auto& pc : m.pcs) hosts.push_back(pc.host);
    kv(kvt, t.raw("completion.hosts"), plain(t.hosts(hosts)));
    s.blocks.push_back(std::move(kvt));
    s.blocks.push_back(notice::Paragraph{
        plain(t.cat("casenotice.lead", {{"n", std::to_string(m.pcs.size())}})), "lead"});
    // One sentence per finding of the comparison, each pointing at its section.
    std::size_t shown_on_several = 0;
    for (const auto& sp : m.suspects)
      if (sp.seen.size() >= 2) ++shown_on_several;
    notice::List l;
    l.items.push_back(
        plain(t.cat("casenotice.sum.suspects", {{"n", std::to_string(shown_on_several)},
                                                {"total", std::to_string(m.suspects.size())}})));
    l.items.push_back(
        plain(t.cat("casenotice.sum.shared", {{"files", std::to_string(m.shared_files.size())},
                                              {"iocs", std::to_string(m.shared_iocs.size())}})));
    l.items.push_back(plain(
        m.logons_total > 0 ? t.cat("casenotice.sum.logons", {{"n", std::to_string(m.logons_total)}})
                           : t.raw("casenotice.sum.no_logons")));
    if (!m.touch_order.empty()) {
      // PCs whose first record has the same time are named together: none of them was first.
      const UtcMicros first = *m.pcs[m.touch_order.front()].first_touch->ref.time;
      std::vector<std::string> firsts;
      for (std::size_t i : m.touch_order)
        if (*m.pcs[i].first_touch->ref.time == first) firsts.push_back(m.pcs[i].host);
      std::string named;
      for (const auto& h : firsts) named += (named.empty() ? "" : t.raw("list.separator")) + h;
      l.items.push_back(
          plain(t.cat(firsts.size() > 1 ? "casenotice.sum.first_same" : "casenotice.sum.first",
                      {{"host", named}, {"time", t.local(first)}})));
    }
    s.blocks.push_back(std::move(l));
    s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.per_pc_note")), "note"});
    return s;
  }

  notice::Section pcs() const {
    notice::Section s{"pcs", t.raw("casenotice.sec.pcs"), {}, false};
    notice::Table tb;
    tb.style = "pcs";  // its column widths: lib/notice/style.cpp
    tb.header = {t.raw("casenotice.col.pc"), t.raw("casenotice.col.overall"),
                 t.raw("casenotice.col.first"), t.raw("casenotice.col.addresses"),
                 t.raw("casenotice.col.notice")};
    for (const auto& pc : m.pcs) {
      notice::Rich host = plain(pc.host);
      if (!pc.bundle_host.empty() && pc.bundle_host != pc.host) {
        notice::Span b{t.cat("casenotice.bundle_host", {{"host", pc.bundle_host}})};
        b.muted = true;
        b.line_break = true;
        host.push_back(b);
      }
      if (!pc.readable) {
        tb.rows.push_back({host, plain(t.raw("casenotice.unreadable")), plain(pc.problem),
                           plain("-"), plain("-")});
        continue;
      }
      std::string ips;
      for (const auto& ip : pc.own_ips) ips += (ips.empty() ? "" : ", ") + ip;
      notice::Rich addr = plain(ips.empty() ? t.raw("casenotice.no_address") : ips);
      if (!ips.empty()) {
        notice::Span o{t.raw("casenotice.origin." + pc.own_ip_origin)};
        o.muted = true;
        o.line_break = true;
        addr.push_back(o);
      }
      notice::Span link{pc.folder + "/notice.html"};
      link.href = pc.folder + "/notice.html";
      tb.rows.push_back(
          {host, plain(overall(pc.overall)),
           pc.first_touch ? cited(*pc.first_touch) : plain(t.raw("casenotice.no_first")), addr,
           notice::Rich{link}});
    }
    s.blocks.push_back(std::move(tb));
    return s;
  }

  notice::Section order() const {
    notice::Section s{"order", t.raw("casenotice.sec.order"), {}, false};
    if (m.touch_order.empty()) {
      s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.order_none")), ""});
      return s;
    }
    s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.order_lead")), ""});
    notice::List l;
    l.ordered = true;
    for (std::size_t i : m.touch_order) {
      const CitedRef& c = *m.pcs[i].first_touch;
      notice::Rich item =
          plain(t.cat("casenotice.order_item",
                      {{"host", c.host}, {"time", t.both(*c.ref.time)}, {"what", c.ref.summary}}));
      notice::Span r{ref(c)};
      r.muted = true;
      r.line_break = true;
      item.push_back(r);
      l.items.push_back(std::move(item));
    }
    s.blocks.push_back(std::move(l));
    return s;
  }

  notice::Section suspects() const {
    notice::Section s{"suspects", t.raw("casenotice.sec.suspects"), {}, false};
    if (m.suspects.empty()) {
      s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.suspects_none")), ""});
      return s;
    }
    notice::Table tb;
    tb.style = "compact";
    tb.header = {t.raw("casenotice.col.suspect"), t.raw("casenotice.col.pcs"),
                 t.raw("casenotice.col.evidence")};
    for (const auto& sp : m.suspects) {
      notice::Rich ev;
      for (const auto& c : sp.seen) {
        notice::Rich one = cited(c);
        if (!ev.empty()) one.front().line_break = true;
        ev.insert(ev.end(), one.begin(), one.end());
      }
      tb.rows.push_back({notice::code(sp.value),
                         plain(sp.seen.empty() ? t.raw("casenotice.seen_nowhere")
                                               : t.cat("casenotice.seen_on",
                                                       {{"n", std::to_string(sp.seen.size())},
                                                        {"hosts", host_list(sp.seen)}})),
                         ev.empty() ? plain("-") : ev});
    }
    s.blocks.push_back(std::move(tb));
    return s;
  }

  notice::Section shared(std::string id, std::string_view title_key, std::string_view none_key,
                         const std::vector<SharedIndicator>& v) const {
    notice::Section s{std::move(id), t.raw(title_key), {}, false};
    if (v.empty()) {
      s.blocks.push_back(notice::Paragraph{plain(t.raw(none_key)), ""});
      return s;
    }
    notice::Table tb;
    tb.style = "shared";
    tb.header = {t.raw("casenotice.col.type"), t.raw("casenotice.col.value"),
                 t.raw("casenotice.col.evidence_per_pc")};
    // The printed notice shows the first rows; case-notice.json holds every one.
    constexpr std::size_t kMaxRows = 40;
    for (std::size_t row = 0; row < v.size() && row < kMaxRows; ++row) {
      const SharedIndicator& x = v[row];
      // One line per PC: "PC01 2019-07-19 05:40 JST" and, muted, the record.
      notice::Rich ev;
      for (const auto& c : x.seen) {
        notice::Span head{c.host + (c.ref.time ? " " + t.local(*c.ref.time) : "")};
        head.line_break = !ev.empty();
        ev.push_back(std::move(head));
        notice::Span r{ref_only(c)};
        r.muted = true;
        r.line_break = true;
        ev.push_back(std::move(r));
      }
      const std::string type_key = "ioc." + x.type;
      tb.rows.push_back(
          {plain(t.cat.has(type_key) ? t.raw(type_key) : x.type), notice::code(shown(x)), ev});
    }
    s.blocks.push_back(std::move(tb));
    if (v.size() > kMaxRows)
      s.blocks.push_back(notice::Paragraph{
          plain(t.cat("casenotice.rows_more",
                      {{"n", std::to_string(kMaxRows)}, {"total", std::to_string(v.size())}})),
          "note"});
    return s;
  }

  notice::Section logons() const {
    notice::Section s{"lateral", t.raw("casenotice.sec.lateral"), {}, false};
    std::string unknown;
    for (const auto& pc : m.pcs)
      if (pc.readable && pc.own_ips.empty())
        unknown += (unknown.empty() ? "" : t.raw("list.separator")) + pc.host;
    if (m.logons.empty()) {
      s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.lateral_none")), ""});
    } else {
      s.blocks.push_back(notice::Paragraph{
          plain(t.cat("casenotice.lateral_lead", {{"n", std::to_string(m.logons_total)}})), ""});
      notice::Table tb;
      tb.style = "logons";
      tb.header = {t.raw("casenotice.col.time"), t.raw("casenotice.col.from"),
                   t.raw("casenotice.col.to"), t.raw("casenotice.col.account"),
                   t.raw("casenotice.col.evidence")};
      for (const auto& l : m.logons) {
        std::string kind = t.cat("casenotice.logon_event", {{"id", std::to_string(l.event_id)}});
        if (l.logon_type >= 0)
          kind += " " + t.cat("casenotice.logon_type", {{"n", std::to_string(l.logon_type)}});
        notice::Rich ev = plain(kind);
        notice::Span r{ref(l.where)};
        r.muted = true;
        r.line_break = true;
        ev.push_back(r);
        tb.rows.push_back({plain(l.where.ref.time ? t.local(*l.where.ref.time) : "-"),
                           plain(l.from_host + " (" +
                                 (l.matched_by == "address"
                                      ? l.ip
                                      : t.cat("casenotice.by_name", {{"name", l.workstation}})) +
                                 ")"),
                           plain(l.to_host), plain(l.user.empty() ? "-" : l.user), ev});
      }
      s.blocks.push_back(std::move(tb));
      if (m.logons_total > m.logons.size())
        s.blocks.push_back(notice::Paragraph{
            plain(t.cat("casenotice.lateral_more", {{"n", std::to_string(m.logons.size())}})),
            "note"});
    }
    if (!unknown.empty())
      s.blocks.push_back(notice::Paragraph{
          plain(t.cat("casenotice.lateral_unknown", {{"hosts", unknown}})), "note"});
    s.blocks.push_back(notice::Paragraph{plain(t.raw("casenotice.lateral_method")), "note"});
    return s;
  }

  notice::Section timeline() const {
    notice::Section s{"case-timeline", t.raw("casenotice.sec.timeline"), {}, false};
    s.blocks.push_back(notice::Paragraph{
        plain(t.cat("casenotice.timeline", {{"file", std::string(kCaseTimeline)},
                                            {"n", DocText::count(m.timeline_events)}})),
        ""});
    return s;
  }
};

}  // namespace

notice::Document case_notice_document(const CaseModel& m, const DocOptions& opt) {
  Lay lay{m, DocText(opt)};
  const DocText& t = lay.t;
  notice::Document doc;
  doc.lang = opt.lang;
  doc.title = t.raw("casenotice.title");
  doc.subtitle = t.cat("completion.subtitle", {{"case_id", m.case_id}});
  doc.classification =
      m.classification.empty() ? t.raw("doc.classification_default") : m.classification;
  doc.footer = t.cat("completion.footer", {{"case_id", m.case_id}, {"version", version()}});
  doc.sections.push_back(lay.summary());
  doc.sections.push_back(lay.pcs());
  doc.sections.push_back(lay.order());
  doc.sections.push_back(lay.suspects());
  doc.sections.push_back(lay.shared("shared-files", "casenotice.sec.shared_files",
                                    "casenotice.shared_files_none", m.shared_files));
  doc.sections.push_back(lay.shared("shared-iocs", "casenotice.sec.shared_iocs",
                                    "casenotice.shared_iocs_none", m.shared_iocs));
  doc.sections.push_back(lay.logons());
  doc.sections.push_back(lay.timeline());
  return doc;
}

}  // namespace kk::casedocs
