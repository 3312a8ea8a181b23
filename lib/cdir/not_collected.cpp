#include "cdir/not_collected.hpp"

namespace kk::cdir {

namespace {
constexpr NotCollected kList[] = {
    {"scheduled_task_xml",
     "Scheduled task definitions (C:\\Windows\\System32\\Tasks\\*.xml); only the registry "
     "TaskCache is available"},
    {"lnk_jumplists",
     "LNK shortcut files and Jump Lists (Recent, AutomaticDestinations, CustomDestinations)"},
    {"defender_logs",
     "Microsoft Defender MPLog and DetectionHistory files (C:\\ProgramData\\Microsoft\\Windows "
     "Defender); only its event log is available"},
    {"firewall_log", "Windows Firewall log (pfirewall.log)"},
    {"recycle_bin", "Recycle Bin contents and $I metadata ($Recycle.Bin)"},
    {"browser_cache",
     "Browser caches, downloads and session files (only history and cookie databases are "
     "collected)"},
    {"powershell_history", "PowerShell console history (ConsoleHost_history.txt)"},
    {"text_logs", "Text logs such as setupapi.dev.log, IIS and other application logs"},
    {"ntfs_logfile", "The NTFS $LogFile"},
    {"user_files", "User documents, downloads and the suspect executable files themselves"},
    {"shadow_copies", "Volume Shadow Copies"},
    {"other_volumes", "Files on volumes other than the system and profiles volumes"},
};
}  // namespace

std::span<const NotCollected> not_collected_by_cdir() {
  return kList;
}

}  // namespace kk::cdir
