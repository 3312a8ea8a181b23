#include "detect/suspect.hpp"

#include <map>

namespace kk::detect {

namespace {

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool name_start_boundary(char c) {
  return c == '\\' || c == '/' || c == ' ' || c == '"' || c == '\'' || c == '=' || c == ',' ||
         c == '(' || c == '\t';
}
bool name_end_boundary(char c) {
  return c == ' ' || c == '"' || c == '\'' || c == ',' || c == ';' || c == ':' || c == ')' ||
         c == '\t' || c == '\0' || c == '|';
}

// One trace kind: the question it answers and how it is titled.
struct Trace {
  const char* id;
  const char* question;
  const char* severity;
  const char* title;
  const char* title_ja;
};

constexpr Trace kTraces[] = {
    {"KK-SUSPECT-EXEC-PROCESS", "execution", "high", "Suspect file started as a process",
     "被疑ファイルのプロセス起動"},
    {"KK-SUSPECT-EXEC-CHILD", "execution", "high", "Suspect process started other processes",
     "被疑プロセスによる子プロセス起動"},
    {"KK-SUSPECT-EXEC-LOADED", "execution", "high", "Suspect file loaded as a module",
     "被疑ファイルのモジュール読み込み"},
    {"KK-SUSPECT-EXEC-NETWORK", "execution", "high", "Suspect process made network connections",
     "被疑プロセスのネットワーク通信"},
    {"KK-SUSPECT-EXEC-PREFETCH", "execution", "high", "Suspect file executed (Prefetch)",
     "被疑ファイルの実行痕跡 (Prefetch)"},
    {"KK-SUSPECT-EXEC-AMCACHE", "execution", "medium", "Suspect file recorded in Amcache",
     "被疑ファイルの Amcache 記録"},
    {"KK-SUSPECT-EXEC-SHIMCACHE", "execution", "medium", "Suspect file recorded in ShimCache",
     "被疑ファイルの ShimCache 記録"},
    {"KK-SUSPECT-EXEC-BAM", "execution", "high", "Suspect file executed (BAM)",
     "被疑ファイルの実行痕跡 (BAM)"},
    {"KK-SUSPECT-EXEC-USERASSIST", "execution", "high",
     "Suspect file launched from Explorer (UserAssist)",
     "被疑ファイルのエクスプローラーからの起動 (UserAssist)"},
    {"KK-SUSPECT-EXEC-AUTOSTART", "execution", "high",
     "Suspect file registered to start automatically", "被疑ファイルの自動起動登録"},
    {"KK-SUSPECT-EXEC-SCRIPT", "execution", "medium", "Suspect file named in a script or command",
     "スクリプト・コマンド中の被疑ファイル"},
    {"KK-SUSPECT-ORIGIN-CREATED", "file_origin", "high", "Suspect file created",
     "被疑ファイルの作成"},
    {"KK-SUSPECT-ORIGIN-MFT", "file_origin", "high",
     "Suspect file in the MFT (times, download mark)",
     "MFT 上の被疑ファイル (タイムスタンプ・ダウンロード痕跡)"},
    {"KK-SUSPECT-ORIGIN-DOWNLOAD", "file_origin", "high",
     "Suspect file downloaded (Zone.Identifier)",
     "被疑ファイルのダウンロード痕跡 (Zone.Identifier)"},
    {"KK-SUSPECT-ORIGIN-DETECTION", "file_origin", "high", "Suspect file detected by antivirus",
     "被疑ファイルのウイルス対策ソフト検知"},
    {"KK-SUSPECT-CHANGE-USN", "change_history", "medium",
     "Changes to the suspect file (USN journal)", "被疑ファイルの変更履歴 (USN ジャーナル)"},
    {"KK-SUSPECT-CHANGE-DELETED", "change_history", "high", "Suspect file deleted",
     "被疑ファイルの削除"},
    {"KK-SUSPECT-CHANGE-TIMESTOMP", "change_history", "high",
     "Suspect file's creation time changed", "被疑ファイルの作成日時変更"},
    {"KK-SUSPECT-CHANGE-OTHER", "change_history", "low", "Other records naming the suspect file",
     "被疑ファイルが記録されたその他のイベント"},
};

const std::map<std::string, std::shared_ptr<const RuleInfo>>& trace_rules() {
  static const auto rules = [] {
    std::map<std::string, std::shared_ptr<const RuleInfo>> m;
    for (const Trace& t : kTraces) {
      auto r = std::make_shared<RuleInfo>();
      r->id = t.id;
      r->title = t.title;
      r->title_ja = t.title_ja;
      r->question = t.question;
      r->severity = t.severity;
      r->source = "builtin";
      r->author = "kakekomi";
      r->path = "lib/detect/suspect.cpp";
      r->description = "Every record naming the suspect file given with --suspect.";
      r->description_ja = "--suspect で指定した被疑ファイルを含むすべての記録。";
      m[t.id] = r;
    }
    return m;
  }();
  return rules;
}

}  // namespace

SuspectMatcher::SuspectMatcher(const std::vector<std::string>& suspects) {
  for (const auto& s : suspects) {
    std::string t = ascii_lower(s);
    while (!t.empty() && (t.back() == ' ' || t.back() == '"')) t.pop_back();
    while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.erase(t.begin());
    if (t.empty()) continue;
    for (char& c : t)
      if (c == '/') c = '\\';
    if ((t.size() == 32 || t.size() == 40 || t.size() == 64) && is_hex(t)) {
      needles_.push_back({Needle::Kind::kHash, t});
    } else if (t.find('\\') != std::string::npos) {
      if (t.size() > 2 && t[1] == ':') t = t.substr(2);  // MFT/USN paths have no drive letter
      needles_.push_back({Needle::Kind::kPath, t});
      // The file name alone finds records that keep names only (USN, prefetch executable).
      needles_.push_back({Needle::Kind::kName, t.substr(t.find_last_of('\\') + 1)});
    } else {
      needles_.push_back({Needle::Kind::kName, t});
    }
  }
}

bool SuspectMatcher::field_matches(const Field& f) const {
  std::string_view v = f.lower;
  for (const Needle& n : needles_) {
    if (n.text.empty() || v.size() < n.text.size()) continue;
    if (n.kind != Needle::Kind::kName) {
      if (v.find(n.text) != std::string_view::npos) return true;
      continue;
    }
    for (std::size_t at = v.find(n.text); at != std::string_view::npos;
         at = v.find(n.text, at + 1)) {
      bool start_ok = at == 0 || name_start_boundary(v[at - 1]);
      std::size_t end = at + n.text.size();
      bool end_ok = end == v.size() || name_end_boundary(v[end]);
      if (start_ok && end_ok) return true;
    }
  }
  return false;
}

bool SuspectMatcher::mentions(const Event& e) const {
  if (needles_.empty()) return false;
  for (const Field& f : e.fields)
    if (field_matches(f)) return true;
  return false;
}

std::shared_ptr<const RuleInfo> SuspectMatcher::classify(const Event& e,
                                                         std::vector<std::string>* matched) const {
  if (needles_.empty()) return nullptr;
  std::vector<std::string_view> hit;
  for (const Field& f : e.fields)
    if (field_matches(f) && std::find(hit.begin(), hit.end(), f.name) == hit.end())
      hit.push_back(f.name);
  if (hit.empty()) return nullptr;
  matched->assign(hit.begin(), hit.end());
  auto named = [&](std::initializer_list<std::string_view> names) {
    for (auto n : names)
      if (std::find(hit.begin(), hit.end(), n) != hit.end()) return true;
    return false;
  };
  auto rule = [&](const char* id) { return trace_rules().at(id); };
  std::string_view a = e.artifact;
  if (a == "prefetch") return rule("KK-SUSPECT-EXEC-PREFETCH");
  if (a == "amcache_file" || a == "amcache_program") return rule("KK-SUSPECT-EXEC-AMCACHE");
  if (a == "shimcache") return rule("KK-SUSPECT-EXEC-SHIMCACHE");
  if (a == "bam") return rule("KK-SUSPECT-EXEC-BAM");
  if (a == "userassist") return rule("KK-SUSPECT-EXEC-USERASSIST");
  if (a == "service" || a == "autorun" || a == "scheduled_task")
    return rule("KK-SUSPECT-EXEC-AUTOSTART");
  if (a == "mft") {
    const Field* z = e.find("zone_identifier");
    return rule(z && !z->value.empty() ? "KK-SUSPECT-ORIGIN-DOWNLOAD" : "KK-SUSPECT-ORIGIN-MFT");
  }
  if (a == "usnjrnl") {
    bool created = false, deleted = false;
    e.any_value("reasons", [&](const Field& f) {
      created = created || f.value == "FILE_CREATE";
      deleted = deleted || f.value == "FILE_DELETE";
      return false;
    });
    if (created) return rule("KK-SUSPECT-ORIGIN-CREATED");
    if (deleted) return rule("KK-SUSPECT-CHANGE-DELETED");
    return rule("KK-SUSPECT-CHANGE-USN");
  }
  if (a == "evtx") {
    std::string ch = ascii_lower(e.channel);
    std::int64_t id = e.event_id.value_or(-1);
    bool sysmon = ch == "microsoft-windows-sysmon/operational";
    if ((sysmon && id == 1) || (ch == "security" && id == 4688)) {
      if (named({"Image", "NewProcessName", "OriginalFileName", "CommandLine", "Hashes"}))
        return rule("KK-SUSPECT-EXEC-PROCESS");
      return rule("KK-SUSPECT-EXEC-CHILD");
    }
    if (sysmon && id == 7)
      return rule(named({"ImageLoaded"}) ? "KK-SUSPECT-EXEC-LOADED" : "KK-SUSPECT-EXEC-PROCESS");
    if (sysmon && id == 3) return rule("KK-SUSPECT-EXEC-NETWORK");
    if (sysmon && (id == 11 || id == 29) && named({"TargetFilename"}))
      return rule("KK-SUSPECT-ORIGIN-CREATED");
    if (sysmon && id == 15) return rule("KK-SUSPECT-ORIGIN-DOWNLOAD");
    if (sysmon && (id == 23 || id == 26)) return rule("KK-SUSPECT-CHANGE-DELETED");
    if (sysmon && id == 2) return rule("KK-SUSPECT-CHANGE-TIMESTOMP");
    if (sysmon && (id == 12 || id == 13 || id == 14)) return rule("KK-SUSPECT-EXEC-AUTOSTART");
    if (ch == "microsoft-windows-windows defender/operational" || id == 1116 || id == 1117)
      return rule("KK-SUSPECT-ORIGIN-DETECTION");
    if (id == 7045 || id == 4697 || id == 4698 || id == 4702 || id == 106 || id == 140 ||
        id == 200 || id == 201)
      return rule("KK-SUSPECT-EXEC-AUTOSTART");
    if (id == 4104 || id == 4103 || id == 400 || id == 800 || id == 600)
      return rule("KK-SUSPECT-EXEC-SCRIPT");
  }
  return rule("KK-SUSPECT-CHANGE-OTHER");
}

}  // namespace kk::detect
