// The sentence printed for each verdict, in Japanese and English. {name} placeholders are
// filled by the judges; values that could be clicked (URLs, addresses) arrive defanged.
#include <map>

#include "notice/verdicts.hpp"

namespace kk::notice {

namespace {

struct Text {
  std::string_view ja, en;
};

const std::map<std::string_view, Text>& texts() {
  static const std::map<std::string_view, Text> t = {
      {"data.from", {"{data}（{first} 以降）", "{data} (from {first})"}},
      {"data.absent",
       {"{data}はご提供のデータに含まれていません。", "{data}: not in the supplied data."}},
      {"data.not_recorded",
       {"{data}は記録されていません（ログはありますが、この種類の記録が一件もなく、記録の設定が"
        "無効と考えられます）。",
        "{data}: none recorded (the log is there, but this kind of event is not being "
        "recorded)."}},
      {"data.starts_after_detection",
       {"{data}は記録が {first} から始まっており、検知日時（{anchor}）以前の記録がありません。",
        "{data} begins at {first}: nothing before the detection ({anchor}) is recorded."}},
      {"data.starts_after_presence",
       {"{data}は記録が {first} "
        "から始まっており、検知ファイルが既にあった時点（{presence}）より前の"
        "記録がありません。",
        "{data} begins at {first}, when the suspect file was already there ({presence}): "
        "nothing before its arrival is recorded."}},
      {"data.no_entry",
       {"{data}には検知ファイルの記録が残っていません（検知後に削除され、記録が再利用された可能性"
        "があります）。",
        "{data} holds no entry for the suspect file (removed after the detection; its record "
        "may have been reused)."}},
      {"executed.attempt",
       {"ウイルス対策ソフトは {time} に {process} が検知ファイルを開こうとした時点で検知し、"
        "処理しています（実行の試みを示しますが、実行されたことは示しません）。",
        "The antivirus detected it at {time} when {process} opened it (an attempt to run it, "
        "not proof that it ran)."}},
      {"net.second_anchor",
       {"また、{product} のログにも {time} "
        "に「{threat}」の検知が記録されています（本件の検知とは別の"
        "手掛かりです）。",
        "{product} also recorded a detection, \"{threat}\", at {time} (a second anchor beside "
        "the case's detection)."}},
      {"created.no_suspect",
       {"検知ファイルが特定されていないため（CASE.json の detection.suspect_files "
        "が空で、ウイルス対策ソフトの検知記録もない）、作成の経緯は判断できません。",
        "No suspect file is named (CASE.json detection.suspect_files is empty and no antivirus "
        "detection was recorded), so its arrival cannot be judged."}},
      {"created.found",
       {"検知ファイル {name} は {time} に作成されたことが {source} に記録されています。",
        "The suspect file {name} was created at {time}, as recorded in {source}."}},
      {"created.found_download",
       {"検知ファイル {name} は {time} に {url} からダウンロードされ、作成されたことが "
        "{source} に記録されています。",
        "The suspect file {name} was downloaded from {url} and created at {time}, as "
        "recorded in {source}."}},
      {"created.cannot_tell",
       {"検知ファイル {name} "
        "の作成の日時と経緯は、それを示すデータがないため判断できません。{missing}",
        "When and how {name} arrived cannot be judged: no data that records file creation covers "
        "the time. {missing}"}},
      {"created.not_found",
       {"{searched} を調べましたが、調査期間内に検知ファイル {name} "
        "が作成された記録は見つかりませんでした。",
        "{searched} were searched; no record of {name} being created in the investigation "
        "window was found."}},
      {"created.present_at_detection",
       {"ファイルはウイルス対策ソフトが "
        "{time} に検知した時点でディスク上に存在していました。",
        "The file was on the disk when the antivirus detected it at {time}."}},
      {"executed.no_suspect",
       {"検知ファイルが特定されていないため、実行の有無は判断できません。",
        "No suspect file is named, so whether it ran cannot be judged."}},
      {"executed.found",
       {"検知ファイル {name} は {time} にプロセス {process} として実行されたことが {source} "
        "に記録されています。",
        "The suspect file {name} ran as the process {process} at {time}, as recorded in "
        "{source}."}},
      {"executed.found_host",
       {"検知ファイル {name} は {time} に {process} "
        "のコマンドラインで指定され、実行されたことが {source} に記録されています。",
        "The suspect file {name} was run by {process}, whose command line names it, at {time}, "
        "as recorded in {source}."}},
      {"executed.cannot_tell",
       {"検知ファイル {name} "
        "の実行の有無は、プログラムの実行を記録するデータがないため判断できません。{missing}",
        "Whether {name} ran cannot be judged: no data that records program starts covers the time. "
        "{missing}"}},
      {"executed.not_found",
       {"{searched} を調べましたが、検知ファイル {name} が実行された記録は見つかりませんでした。",
        "{searched} were searched; no record of {name} running was found."}},
      {"executed.trace_only",
       {"Amcache / ShimCache に {count} "
        "件の記録がありますが、これはファイルが存在したことを示すもので、実行の証拠にはなりません"
        "。",
        "Amcache / ShimCache hold {count} entries for it; they show the file was present, not "
        "that it ran."}},
      {"changes.found",
       {"調査期間内に、注意を要するファイルの作成・変更・削除の記録が {count} 件見つかりました。",
        "{count} records of noteworthy files being created, changed or deleted in the window "
        "were found."}},
      {"changes.not_found",
       {"{searched} を調べましたが、注意を要するファイルの作成・変更・削除は見つかりませんでした。",
        "{searched} were searched; no noteworthy file creation, change or deletion was found."}},
      {"changes.cannot_tell",
       {"ファイルの変更を記録するデータがないため、判断できません。{missing}",
        "This cannot be judged: no data that records file changes covers the time. {missing}"}},
      {"launches.found",
       {"調査期間内に、検知ファイル以外に注意を要するプログラムの起動が {count} "
        "件記録されています。",
        "{count} launches of other programs that deserve attention were recorded in the "
        "window."}},
      {"launches.not_found",
       {"{searched} "
        "を調べましたが、検知ファイル以外に注意を要するプログラムの起動は見つかりませんでした。",
        "{searched} were searched; no other launch that deserves attention was found."}},
      {"launches.cannot_tell",
       {"プログラムの起動を記録するデータがないため、判断できません。{missing}",
        "This cannot be judged: no data that records program starts covers the time. {missing}"}},
      {"intrusion.found",
       {"外部からの侵入・遠隔操作の痕跡（遠隔ログオン、遠隔からのサービス作成、ダウンロード等）が "
        "{count} 件見つかりました。",
        "{count} traces of entry from outside (remote logons, remotely created services, "
        "downloads, …) were found."}},
      {"intrusion.not_found",
       {"{searched} を調べましたが、外部からの侵入・遠隔操作の痕跡は見つかりませんでした。",
        "{searched} were searched; no trace of entry from outside was found."}},
      {"intrusion.cannot_tell",
       {"ログオンやファイルの到着を記録するデータがないため、侵入経路は判断できません。{missing}",
        "The way in cannot be judged: no data that records logons and file arrivals covers the "
        "time. {missing}"}},
      {"persistence.found",
       {"再起動後も動作し続けるための設定（サービス、タスク、自動起動、アカウント等）が {count} "
        "件見つかりました。",
        "{count} settings that make something run again (services, tasks, autostart entries, "
        "accounts, …) were found."}},
      {"persistence.not_found",
       {"{searched} を調べましたが、不審な永続化の設定は見つかりませんでした。",
        "{searched} were searched; no suspicious persistence was found."}},
      {"persistence.cannot_tell",
       {"サービスやタスクの登録を記録するデータがないため、判断できません。{missing}",
        "This cannot be judged: no data that records services and tasks covers the time. "
        "{missing}"}},
      {"post.found",
       {"感染後の活動（認証情報の窃取、探索、横展開、権限の変更等）の痕跡が {count} "
        "件見つかりました。",
        "{count} traces of post-infection activity (credential theft, discovery, lateral "
        "movement, privilege changes, …) were found."}},
      {"post.not_found",
       {"{searched} を調べましたが、感染後の活動の痕跡は見つかりませんでした。",
        "{searched} were searched; no post-infection activity was found."}},
      {"post.context",
       {"このほか、ご提供いただいたネットワーク機器のログに、確認をお勧めする通信の記録が {count} "
        "件あります（通信の遮断や定期的な接続等。業務上の通信でも起こるため、判断の根拠にはしていま"
        "せん。下記の「参考」をご覧ください）。",
        "The network logs you provided also hold {count} record(s) worth checking (blocked "
        "traffic, regular connections, …); as ordinary business traffic shows them too, they were "
        "not used for this verdict (listed below as context)."}},
      {"post.cannot_tell",
       {"感染後の活動を記録するデータがないため、判断できません。{missing}",
        "This cannot be judged: no data that records such activity covers the time. {missing}"}},
      {"tampering.found",
       {"記録の消去・防御の無効化（ログの消去、シャドウコピーやバックアップの削除、セキュリティ機能"
        "の停止等）の痕跡が {count} 件見つかりました。",
        "{count} traces of tampering (logs cleared, shadow copies or backups deleted, "
        "protection switched off, …) were found."}},
      {"tampering.not_found",
       {"{searched} を調べましたが、記録の消去・防御の無効化の痕跡は見つかりませんでした。",
        "{searched} were searched; no tampering was found."}},
      {"tampering.cannot_tell",
       {"ログの消去や防御の無効化を記録するデータがないため、判断できません。{missing}",
        "This cannot be judged: no data that records tampering covers the time. {missing}"}},
  };
  return t;
}

const std::map<std::string_view, Text>& labels() {
  static const std::map<std::string_view, Text> t = {
      {"mft", {"$MFT", "$MFT"}},
      {"usnjrnl", {"$UsnJrnl", "$UsnJrnl"}},
      {"sysmon", {"Sysmon ログ", "the Sysmon log"}},
      {"sysmon_file", {"Sysmon のファイル作成記録（11/15）", "Sysmon file events (11/15)"}},
      {"sysmon_process", {"Sysmon のプロセス起動記録（1）", "Sysmon process starts (1)"}},
      {"security", {"Security ログ", "the Security log"}},
      {"security_4688",
       {"Security ログのプロセス作成記録（4688）", "Security process creation (4688)"}},
      {"security_logon",
       {"Security ログのログオン記録（4624/4625）", "Security logons (4624/4625)"}},
      {"system", {"System ログ", "the System log"}},
      {"rdp", {"リモートデスクトップのログ", "the Remote Desktop logs"}},
      {"defender", {"Windows Defender のログ", "the Windows Defender log"}},
      {"powershell", {"PowerShell のログ", "the PowerShell logs"}},
      {"task_scheduler", {"タスク スケジューラのログ", "the Task Scheduler log"}},
      {"prefetch", {"Prefetch", "Prefetch"}},
      {"bam", {"BAM", "BAM"}},
      {"userassist", {"UserAssist", "UserAssist"}},
      {"amcache_file", {"Amcache", "Amcache"}},
      {"shimcache", {"ShimCache", "ShimCache"}},
      {"autorun", {"自動起動のレジストリ", "autostart registry keys"}},
      {"service", {"サービスのレジストリ", "service registry keys"}},
      {"scheduled_task", {"タスクのレジストリ", "task registry keys"}},
      {"suspect_file", {"検知ファイル名", "the suspect file's name"}},
      {"srum_network_usage", {"SRUM のネットワーク使用量", "SRUM network usage"}},
  };
  return t;
}

}  // namespace

std::string statement_text(Lang lang, std::string_view key,
                           const std::vector<std::pair<std::string, std::string>>& args) {
  auto it = texts().find(key);
  std::string text(it == texts().end() ? key : (lang == Lang::kJa ? it->second.ja : it->second.en));
  for (const auto& [k, v] : args) {
    std::string slot = "{" + k + "}";
    for (auto at = text.find(slot); at != std::string::npos; at = text.find(slot, at + v.size()))
      text.replace(at, slot.size(), v);
  }
  return text;
}

std::string data_label(Lang lang, std::string_view data) {
  auto it = labels().find(data);
  if (it == labels().end()) return std::string(data);
  return std::string(lang == Lang::kJa ? it->second.ja : it->second.en);
}

}  // namespace kk::notice
