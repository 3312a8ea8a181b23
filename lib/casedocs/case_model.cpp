// Comparing the PCs of a case: the suspect files each PC's records show, the files and
// indicators two PCs or more share, logons from one PC's address to another PC, and the
// order in which the PCs were touched. The per-PC verdicts are taken as each notice.json
// states them: nothing here re-judges a PC.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "casedocs/case_model.hpp"
#include "casedocs/pc_reader.hpp"
#include "core/ascii_case.hpp"
#include "core/jsonl_reader.hpp"

namespace kk::casedocs {

namespace {

bool is_file_type(std::string_view type) {
  return type == "sha256" || type == "sha1" || type == "md5" || type == "file_name" ||
         type == "file_path";
}

// IOC values compare without case (paths, names, hashes, domains on Windows all do).
std::string lower(std::string_view s) {
  return ascii_lower(s);
}

std::string key_of(std::string_view type, std::string_view value) {
  return std::string(type) + '\t' + lower(value);
}

std::string base_name(std::string_view path) {
  const std::size_t cut = path.find_last_of("\\/");
  return std::string(cut == std::string_view::npos ? path : path.substr(cut + 1));
}

notice::EvidenceRef first_evidence(const notice::IocModel& ioc) {
  if (!ioc.evidence.empty()) return ioc.evidence.front();
  notice::EvidenceRef r;
  r.time = ioc.first_seen;
  return r;
}

// The earliest record inside the window among the evidence of the questions answered
// "found", of the IOCs and of the findings (medium or more): where the PC first shows the
// incident.
// The IOCs' records count too: the antivirus detection that anchors the window is one.
std::optional<CitedRef> first_touch(const PcSummary& pc, const PcNotice& n,
                                    const std::string& folder) {
  std::optional<CitedRef> best;
  auto consider = [&](const notice::EvidenceRef& e) {
    if (!e.time) return;
    if (pc.window_start && *e.time < *pc.window_start) return;
    if (pc.window_end && *e.time > *pc.window_end) return;
    if (!best || *e.time < *best->ref.time) best = CitedRef{pc.host, e};
  };
  for (const auto& q : n.questions)
    if (q.verdict == "found")
      for (const auto& e : q.evidence) consider(e);
  for (const auto& ioc : n.iocs)
    if (ioc.scope != "internal")
      for (const auto& e : ioc.evidence) consider(e);
  // notice.json keeps the strongest records of each question; findings.jsonl has them all.
  if (auto f = earliest_finding_record(folder, pc.window_start, pc.window_end)) consider(*f);
  return best;
}

}  // namespace

CaseModel build_case_model(const CaseNoticeRequest& rq, Diagnostics& diag) {
  CaseModel m;
  m.case_id = rq.case_id;
  m.customer = rq.customer;
  m.lang = rq.options.lang;
  m.issued_at = rq.issued_at;
  if (rq.case_file) {
    if (m.customer.empty()) m.customer = std::string(rq.case_file->get("customer.company"));
    if (m.case_id.empty()) m.case_id = std::string(rq.case_file->get("case_id"));
    m.analyst = std::string(rq.case_file->get("analyst"));
    m.classification = std::string(rq.case_file->get("classification"));
  }

  std::vector<PcNotice> notices(rq.pcs.size());
  std::vector<PcNetwork> nets(rq.pcs.size());
  for (std::size_t i = 0; i < rq.pcs.size(); ++i) {
    const PcFolder& f = rq.pcs[i];
    PcSummary pc;
    pc.folder = std::filesystem::path(f.path).filename().string();
    pc.state = f.state;
    std::string problem;
    pc.readable = read_pc_notice(f.path, notices[i], &problem);
    const PcNotice& n = notices[i];
    pc.host = !f.host.empty() ? f.host : !n.host.empty() ? n.host : pc.folder;
    if (!pc.readable) {
      pc.problem = problem;
      diag.warning(f.path, std::nullopt, "not compared: " + problem);
      m.pcs.push_back(std::move(pc));
      continue;
    }
    pc.bundle_host = n.host;
    pc.overall = n.overall;
    pc.window_start = n.window_start;
    pc.window_end = n.window_end;
    for (const auto& q : n.questions) pc.verdicts.emplace_back(q.id, q.verdict);
    pc.findings = n.findings;
    pc.iocs = static_cast<std::int64_t>(n.iocs.size());
    pc.suspects = n.suspects;
    nets[i] = read_pc_network(f.path, n.host, diag);
    pc.own_ips = nets[i].own_ips;
    pc.own_ip_origin = nets[i].origin;
    pc.first_touch = first_touch(pc, n, f.path);
    m.pcs.push_back(std::move(pc));
  }

  // The order the PCs were touched.
  for (std::size_t i = 0; i < m.pcs.size(); ++i)
    if (m.pcs[i].first_touch) m.touch_order.push_back(i);
  std::stable_sort(m.touch_order.begin(), m.touch_order.end(), [&](std::size_t a, std::size_t b) {
    return *m.pcs[a].first_touch->ref.time < *m.pcs[b].first_touch->ref.time;
  });

  // Indicators per PC (one record each), then those on two PCs or more.
  std::map<std::string, SharedIndicator> by_key;
  std::vector<std::string> key_order;
  for (std::size_t i = 0; i < m.pcs.size(); ++i) {
    if (!m.pcs[i].readable) continue;
    for (const auto& ioc : notices[i].iocs) {
      if (ioc.scope == "internal") continue;  // the case's own hosts are compared below
      const std::string k = key_of(ioc.type, ioc.value);
      auto [it, fresh] = by_key.try_emplace(k, SharedIndicator{ioc.type, ioc.value, {}});
      if (fresh) key_order.push_back(k);
      auto& seen = it->second.seen;
      if (seen.empty() || seen.back().host != m.pcs[i].host)
        seen.push_back(CitedRef{m.pcs[i].host, first_evidence(ioc)});
    }
  }
  // A shared file_name whose file_path is shared on the same PCs says nothing more.
  std::set<std::string> covered;
  for (const auto& [k, s] : by_key)
    if (s.type == "file_path" && s.seen.size() >= 2) {
      std::string hosts;
      for (const auto& c : s.seen) hosts += c.host + '\n';
      covered.insert(lower(base_name(s.value)) + '\t' + hosts);
    }
  for (const auto& k : key_order) {
    auto& s = by_key[k];
    if (s.seen.size() < 2) continue;
    if (s.type == "file_name") {
      std::string hosts;
      for (const auto& c : s.seen) hosts += c.host + '\n';
      if (covered.count(lower(s.value) + '\t' + hosts)) continue;
    }
    (is_file_type(s.type) ? m.shared_files : m.shared_iocs).push_back(std::move(s));
  }

  // The suspect files: the case's, and every PC's own (its AV detections).
  std::vector<std::string> suspects;
  std::set<std::string> suspect_keys;
  auto add_suspect = [&](const std::string& s) {
    if (!s.empty() && suspect_keys.insert(lower(s)).second) suspects.push_back(s);
  };
  if (rq.case_file)
    for (const auto& s : rq.case_file->list("detection.suspect_files")) add_suspect(s);
  for (const auto& pc : m.pcs)
    for (const auto& s : pc.suspects) add_suspect(s);
  for (const auto& s : suspects) {
    SuspectPresence p{s, {}};
    const std::string ls = lower(s), name = lower(base_name(s));
    for (std::size_t i = 0; i < m.pcs.size(); ++i) {
      if (!m.pcs[i].readable) continue;
      // By strength: the same path, the same hash, the same file name.
      const notice::IocModel* hit = nullptr;
      int rank = 0;
      for (const auto& ioc : notices[i].iocs) {
        const std::string lv = lower(ioc.value);
        int r = 0;
        if (ioc.type == "file_path" && lv == ls)
          r = 3;
        else if ((ioc.type == "sha256" || ioc.type == "sha1" || ioc.type == "md5") && lv == ls)
          r = 3;
        else if (ioc.type == "file_name" && lv == name)
          r = 2;
        else if (ioc.type == "file_path" && lower(base_name(ioc.value)) == name)
          r = 1;
        if (r > rank) {
          rank = r;
          hit = &ioc;
        }
      }
      if (hit) p.seen.push_back(CitedRef{m.pcs[i].host, first_evidence(*hit)});
    }
    m.suspects.push_back(std::move(p));
  }

  // Logons from one PC's address to another PC.
  std::map<std::string, std::vector<std::size_t>> owners;  // address -> PCs that own it
  for (std::size_t i = 0; i < m.pcs.size(); ++i)
    for (const auto& ip : m.pcs[i].own_ips) owners[lower(ip)].push_back(i);
  std::map<std::string, std::vector<std::size_t>> named;  // computer name -> PCs
  for (std::size_t i = 0; i < m.pcs.size(); ++i) {
    named[lower(m.pcs[i].host)].push_back(i);
    if (!m.pcs[i].bundle_host.empty() && lower(m.pcs[i].bundle_host) != lower(m.pcs[i].host))
      named[lower(m.pcs[i].bundle_host)].push_back(i);
  }
  auto add = [&](const std::vector<std::size_t>& who, std::size_t b, const Logon& l,
                 std::string_view by) {
    if (std::find(who.begin(), who.end(), b) != who.end()) return;  // the PC itself
    for (std::size_t a : who) {
      ++m.logons_total;
      m.logons.push_back(CrossLogon{m.pcs[a].host, m.pcs[b].host, l.ip, l.user, l.workstation,
                                    std::string(by), l.event_id, l.logon_type,
                                    CitedRef{m.pcs[b].host, l.ref}});
    }
  };
  for (std::size_t b = 0; b < m.pcs.size(); ++b) {
    for (const auto& l : nets[b].logons) {
      // The address decides when it is one of the case's; the name only when it is not.
      if (auto it = owners.find(lower(l.ip)); !l.ip.empty() && it != owners.end()) {
        add(it->second, b, l, "address");
      } else if (auto nt = named.find(lower(l.workstation));
                 !l.workstation.empty() && nt != named.end()) {
        add(nt->second, b, l, "workstation_name");
      }
    }
  }
  std::stable_sort(m.logons.begin(), m.logons.end(), [](const CrossLogon& x, const CrossLogon& y) {
    return x.where.ref.time.value_or(0) < y.where.ref.time.value_or(0);
  });
  if (m.logons.size() > kMaxLogons) m.logons.resize(kMaxLogons);
  return m;
}

}  // namespace kk::casedocs
