// IOCs a customer can act on: the suspect file and its hashes, non-system programs and
// their hashes seen in the evidence, URLs/domains/addresses, accounts the attacker made or
// used, services/tasks/Run values created. Never a stock Windows binary in its stock
// location, never a built-in account or group (they would break Windows if blocked), never
// the PC's own address (a network log's line names it on every connection).
#include <algorithm>
#include <regex>

#include "core/ascii_case.hpp"
#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

using K = ObservationKind;

// A host name of a cloud or CDN that serves many unrelated sites from one address (Google's
// 1e100.net, CloudFront, Akamai, Fastly, Azure's front doors): the address is shared, so
// blocking it would cut the customer off from legitimate services and would not stop an
// attacker, who moves within the provider. Such an address stays an IOC, marked "shared";
// the URL or domain is what to block.
bool is_shared_hosting(std::string_view host) {
  std::string h = ascii_lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  for (std::string_view suffix :
       {"1e100.net", "googleusercontent.com", "cloudfront.net", "amazonaws.com",
        "akamaitechnologies.com", "akamaiedge.net", "akamai.net", "edgekey.net", "edgesuite.net",
        "fastly.net", "fastlylb.net", "azureedge.net", "azurefd.net", "msedge.net",
        "trafficmanager.net", "cloudflare.net", "cloudflare.com"})
    if (h == suffix ||
        (h.size() > suffix.size() && h.ends_with(suffix) && h[h.size() - suffix.size() - 1] == '.'))
      return true;
  return false;
}

struct Collector {
  const JudgeContext& x;
  std::vector<IocModel> out;
  std::vector<std::string> own_addresses = pc_addresses(x);

  // The PC's own addresses as triage found them when it joined the network logs (registry
  // interfaces, else the source of its outbound connections).
  static std::vector<std::string> pc_addresses(const JudgeContext& x) {
    std::vector<std::string> own;
    for (const auto& n : x.in.netlogs)
      for (const auto& a : n.pc_addresses) own.push_back(ascii_lower(a));
    return own;
  }
  bool is_own(std::string_view addr) const {
    return std::find(own_addresses.begin(), own_addresses.end(), ascii_lower(addr)) !=
           own_addresses.end();
  }

  void add(std::string type, std::string value, const EvidenceRef* ev, std::string scope = {}) {
    if (value.empty()) return;
    for (auto& i : out)
      if (i.type == type &&
          (iequals(i.value, value) || (type == "account" && same_account(i.value, value)))) {
        if (value.find('\\') != std::string::npos) i.value = value;  // the qualified name
        if (i.scope.empty()) i.scope = scope;  // a later record names a shared host
        if (ev && !cited_in(i.evidence, *ev) && i.evidence.size() < 5) i.evidence.push_back(*ev);
        if (ev && ev->time && (!i.first_seen || *ev->time < *i.first_seen)) i.first_seen = ev->time;
        return;
      }
    IocModel m;
    m.type = std::move(type);
    m.value = std::move(value);
    m.scope = std::move(scope);
    if (ev) {
      m.evidence.push_back(*ev);
      m.first_seen = ev->time;
    }
    out.push_back(std::move(m));
  }

  void file(std::string_view path0, const EvidenceRef* ev, bool suspect = false) {
    std::string path = clean_detection_path(path0);
    if (path.empty() || (!suspect && is_stock_windows_binary(path))) return;
    // Quoted image paths and arguments: keep the file only.
    if (!path.empty() && path.front() == '"') {
      auto end = path.find('"', 1);
      path = path.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    }
    if (path.find_first_of("\\/") != std::string::npos) add("file_path", path, ev);
    auto slash = path.find_last_of("\\/");
    add("file_name", slash == std::string::npos ? path : path.substr(slash + 1), ev);
  }

  void hashes(const Observation& o, const EvidenceRef* ev) {
    add("sha256", ascii_lower(o.sha256), ev);
    add("sha1", ascii_lower(o.sha1), ev);
    add("md5", ascii_lower(o.md5), ev);
  }

  void urls_in(std::string_view text, const EvidenceRef* ev) {
    static const std::regex url(R"((https?|ftp)://[^\s"'<>|^`]+)", std::regex::icase);
    std::string t(text);
    for (auto it = std::sregex_iterator(t.begin(), t.end(), url); it != std::sregex_iterator();
         ++it) {
      std::string u = it->str();
      while (!u.empty() &&
             (u.back() == ')' || u.back() == ',' || u.back() == ';' || u.back() == '.'))
        u.pop_back();
      add("url", u, ev);
      auto start = u.find("://") + 3;
      auto end = u.find_first_of("/:?#", start);
      std::string host =
          ascii_lower(u.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (host.empty()) continue;
      bool ip = std::all_of(host.begin(), host.end(),
                            [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
      if (!ip)
        add("domain", host, ev);
      else if (!is_own(host))
        add("ip", host, ev, is_internal_ip(host) ? "internal" : "");
    }
  }

  // HOST: the name the record gives the address (Sysmon 3's DestinationHostname), if any.
  void ip(std::string_view addr, const EvidenceRef* ev, std::string_view host = {}) {
    if (!is_remote_address(addr)) return;
    std::string a(addr);
    if (a.rfind("::ffff:", 0) == 0) a.erase(0, 7);
    if (is_own(a)) return;
    add("ip", a, ev, is_internal_ip(a) ? "internal" : is_shared_hosting(host) ? "shared" : "");
  }

  // The task or service a command line creates: schtasks /create /tn NAME, sc create NAME.
  void named_in_command(std::string_view command, const EvidenceRef* ev) {
    std::string c(command), l = ascii_lower(command);
    auto word_after = [&](std::size_t at) {
      while (at < c.size() && c[at] == ' ') ++at;
      if (at < c.size() && c[at] == '"') {
        auto end = c.find('"', at + 1);
        return c.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
      }
      auto end = c.find(' ', at);
      return c.substr(at, end == std::string::npos ? std::string::npos : end - at);
    };
    if (l.find("schtasks") != std::string::npos && l.find("/create") != std::string::npos)
      if (auto tn = l.find("/tn "); tn != std::string::npos) add("task", word_after(tn + 4), ev);
    if (auto sc = l.find("sc.exe create "); sc != std::string::npos)
      add("service", word_after(sc + 14), ev);
    else if (auto sc2 = l.find("sc create "); sc2 != std::string::npos)
      add("service", word_after(sc2 + 10), ev);
  }

  void account(std::string_view user, const EvidenceRef* ev) {
    if (user.empty() || is_builtin_account(user) || is_default_account(user)) return;
    add("account", std::string(user), ev);
  }
};

// The observation an evidence entry cites, when it came from the observation log.
const Observation* observed(const JudgeContext& x, const EvidenceRef& e) {
  if (!e.finding_id.empty()) return nullptr;
  for (std::size_t k = 0; k < kObservationKinds; ++k)
    for (const auto& o : x.obs.of(static_cast<K>(k)))
      if (o.time == e.time && o.record_id == e.record_id && o.offset == e.offset &&
          o.entry == e.entry && o.source == e.source)  // the numbers first: cheap, and rarely equal
        return &o;
  return nullptr;
}

}  // namespace

bool is_stock_windows_binary(std::string_view path0) {
  std::string p = ascii_lower(clean_detection_path(path0));
  for (char& ch : p)
    if (ch == '/') ch = '\\';
  if (!p.empty() && p.front() == '"') p.erase(0, 1);
  if (auto q = p.find('"'); q != std::string::npos) p.resize(q);
  if (p.rfind("\\??\\", 0) == 0) p.erase(0, 4);
  if (p.rfind("%systemroot%", 0) == 0) p.replace(0, 12, "c:\\windows");
  if (p.rfind("%windir%", 0) == 0) p.replace(0, 8, "c:\\windows");
  if (p.rfind("\\systemroot", 0) == 0) p.replace(0, 11, "c:\\windows");
  if (p.rfind("system32\\", 0) == 0) p = "c:\\windows\\" + p;
  if (p.size() >= 2 && p[1] == ':') p.erase(0, 2);
  auto under = [&](std::string_view dir) { return p.rfind(dir, 0) == 0; };
  // Where Windows writes user data or temp files is not "stock".
  for (std::string_view bad :
       {"\\windows\\temp\\", "\\windows\\tasks\\", "\\windows\\debug\\", "\\windows\\tracing\\",
        "\\windows\\system32\\tasks\\", "\\windows\\system32\\spool\\drivers\\color\\"})
    if (under(bad)) return false;
  for (std::string_view dir :
       {"\\windows\\system32\\", "\\windows\\syswow64\\", "\\windows\\winsxs\\",
        "\\windows\\microsoft.net\\", "\\windows\\servicing\\", "\\windows\\systemapps\\",
        "\\windows\\immersivecontrolpanel\\", "\\windows\\sysnative\\",
        "\\program files\\windows defender\\", "\\program files (x86)\\windows defender\\",
        "\\programdata\\microsoft\\windows defender\\platform\\",
        "\\program files\\internet explorer\\", "\\program files (x86)\\internet explorer\\",
        "\\program files\\windowsapps\\microsoft.",
        "\\program files\\common files\\microsoft shared\\"})
    if (under(dir)) return true;
  if (under("\\windows\\") && p.find('\\', 9) == std::string::npos) {
    // C:\Windows itself: only the programs Windows puts there (PSEXESVC.exe is not one).
    std::string name = p.substr(9);
    for (std::string_view n :
         {"explorer.exe", "hh.exe", "regedit.exe", "notepad.exe", "write.exe", "splwow64.exe",
          "helppane.exe", "bfsvc.exe", "winhlp32.exe", "twain_32.dll", "py.exe", "pyw.exe"})
      if (name == n) return true;
  }
  return false;
}

std::vector<IocModel> derive_iocs(const JudgeContext& x, const std::vector<QuestionModel>& qs) {
  Collector c{x, {}};
  // The suspect files themselves, and the hashes of records that are the suspect file.
  for (const auto& s : x.c.list("detection.suspect_files")) c.file(s, nullptr, true);
  for (const auto& q : qs) {
    if (q.verdict != Verdict::kFound) continue;
    const bool suspect_q = q.id == "suspect_file_created" || q.id == "suspect_file_executed";
    for (const auto& e : q.evidence) {
      const Observation* o = observed(x, e);
      if (!o) {
        // A finding's evidence: its own IOC lists are filtered below.
        continue;
      }
      if (suspect_q) {
        // The suspect file itself, whichever field names it; a hash only when it is the
        // hash of that file (a process image, an Amcache entry), never of a host process.
        for (const std::string* p : {&o->process, &o->path, &o->target_path})
          if (x.suspect.path_is(*p)) {
            c.file(*p, &e, true);
            if (p == &o->process || o->process.empty()) c.hashes(*o, &e);
            break;
          }
      } else {
        for (const std::string* p : {&o->process, &o->path})
          if (!p->empty() && !is_stock_windows_binary(*p) && is_user_writable(*p)) {
            c.file(*p, &e);
            if (p == &o->process || o->process.empty()) c.hashes(*o, &e);
          }
        if (o->kind == K::kServiceInstall) {
          c.add("service", o->service, &e);
          c.file(o->command_line.empty() ? o->path : o->command_line, &e);
        }
        if (o->kind == K::kTaskCreated) c.add("task", o->task, &e);
        if (o->kind == K::kAutorun && !o->key.empty())
          c.add("registry_key", o->key + (o->target_path.empty() ? "" : "\\" + o->target_path), &e);
        if (o->kind == K::kLogon) {
          c.ip(o->src_ip, &e);
          c.account(o->user, &e);
        }
        if (o->kind == K::kAccountChange && o->event_id == 4720) c.account(o->target_user, &e);
        if (o->kind == K::kNetwork) c.ip(o->dst_ip, &e, o->dst_host);
        if (o->kind == K::kProcessStart) c.named_in_command(o->command_line, &e);
      }
      c.urls_in(o->command_line, &e);
      c.urls_in(o->url, &e);
      c.urls_in(o->zone_identifier, &e);
    }
    // Findings cited under a found question: their IOC lists, filtered.
    for (const auto& fid : q.finding_ids) {
      auto f = std::find_if(x.in.findings.begin(), x.in.findings.end(),
                            [&](const Finding& g) { return g.id == fid; });
      if (f == x.in.findings.end()) continue;
      const EvidenceRef* ev = nullptr;
      EvidenceRef first;
      for (const auto& e : f->evidence)
        if (e.time && x.in_window(*e.time)) {
          first = cite(*f, e);
          ev = &first;
          break;
        }
      // Only the suspect file and programs in user-writable places, never a stock binary;
      // hashes only from a finding about the suspect file alone.
      bool only_suspect = f->suspect && !f->iocs.paths.empty();
      for (const auto& p : f->iocs.paths) {
        bool is_suspect = x.suspect.path_is(p);
        only_suspect = only_suspect && is_suspect;
        if (is_suspect || is_user_writable(p)) c.file(p, ev);
      }
      for (const auto& n : f->iocs.files)
        if (x.suspect.path_is(n)) c.add("file_name", n, ev);
      if (only_suspect)
        for (const auto& h : f->iocs.hashes)
          c.add(h.size() == 64 ? "sha256" : h.size() == 40 ? "sha1" : "md5", ascii_lower(h), ev);
      for (const auto& ip : f->iocs.ips) c.ip(ip, ev);
      for (const auto& d : f->iocs.domains) c.add("domain", ascii_lower(d), ev);
      for (const auto& s : f->iocs.services) c.add("service", s, ev);
      for (const auto& t : f->iocs.tasks) c.add("task", t, ev);
      // Accounts: those that came in or were made to stay, not every user a rule names.
      if (q.id == "intrusion")
        for (const auto& a : f->iocs.accounts) c.account(a, ev);
      for (const auto& e : f->evidence)
        for (const auto& [k, v] : e.fields) c.urls_in(v, ev);
    }
  }
  // The antivirus' own detections: the detected files are IOCs (not the process that read them).
  for (const auto* o : x.of(K::kAvDetection)) {
    EvidenceRef e = cite(*o);
    c.file(o->path, &e, true);
  }
  return std::move(c.out);
}

}  // namespace kk::notice
