#!/usr/bin/env python3
"""Writes the small fixture case used by tests/notice (deterministic; re-run to refresh).

A realistic incident in the record formats of docs/records.md and CONTRACT.md: a user
downloads invoice_0501.exe, runs it, an RDP logon from a public address follows, a
service is installed, and Microsoft Defender detects the file. Host and user names follow
the EVTX-ATTACK-SAMPLES convention of a lab machine; all addresses are documentation
ranges (RFC 5737) or private ranges.
"""
import json, datetime as dt

Z = dt.timezone.utc
def t(s): return dt.datetime.fromisoformat(s).replace(tzinfo=Z)
def iso(d): return d.strftime('%Y-%m-%dT%H:%M:%S.%fZ')
def us(d): return int(d.timestamp()) * 1000000 + d.microsecond

HOST = "PC-SALES01"
events = []
def ev(when, artifact, source, desc, message, **kw):
    d = t(when)
    e = {"datetime": iso(d), "timestamp": us(d), "timestamp_desc": desc, "message": message,
         "artifact": artifact, "source": source, "host": HOST}
    e.update(kw)
    events.append(e)

SEC = "Evtx/Security.evtx"; SYS = "Evtx/System.evtx"
DEF = "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx"
# System log reaches back before the window; Security only from 2024-04-29 (rolled over).
rid = 8000
for day in range(26, 31):
    for hour in (0, 9, 18):
        rid += 1
        ev(f"2024-04-{day:02d}T{hour:02d}:05:00", "evtx", SYS, "Event Recorded",
           "7036 The Windows Update service entered the running state", data_type="windows:evtx:record",
           channel="System", provider="Service Control Manager", event_id=7036, record_id=rid)
srid = 120000
for day, hours in ((29, (8, 12, 23)), (30, (0, 1, 8, 9, 13)), (1, (0, 2, 3)), (2, (0, 1))):
    month = 4 if day >= 29 else 5
    for hour in hours:
        srid += 1
        ev(f"2024-{month:02d}-{day:02d}T{hour:02d}:12:00", "evtx", SEC, "Event Recorded",
           "4624 Logon Type 3 CORP\\tanaka from 192.168.10.23", data_type="windows:evtx:record",
           channel="Security", provider="Microsoft-Windows-Security-Auditing", event_id=4624,
           record_id=srid, user="tanaka", src_ip="192.168.10.23", logon_type=3, tags=["logon"])
ev("2024-05-01T03:05:11", "evtx", SEC, "Event Recorded", "4625 Logon failure tanaka from 203.0.113.5",
   data_type="windows:evtx:record", channel="Security", event_id=4625, record_id=120020,
   user="tanaka", src_ip="203.0.113.5", tags=["logon", "logon_failure"])
ev("2024-05-01T03:10:42", "evtx", SEC, "Event Recorded", "4624 Logon Type 10 (RDP) tanaka from 203.0.113.5",
   data_type="windows:evtx:record", channel="Security", event_id=4624, record_id=120021,
   user="tanaka", src_ip="203.0.113.5", logon_type=10, tags=["logon", "remote_logon"])
ev("2024-05-01T03:29:40.123456", "mft", "NTFS/C_$MFT", "Creation Time",
   "C:\\Users\\tanaka\\Downloads\\invoice_0501.exe created", data_type="fs:stat", offset=48234496,
   path="\\Users\\tanaka\\Downloads\\invoice_0501.exe", tags=["file_created"])
ev("2024-05-01T03:29:41", "usnjrnl", "NTFS/C_$UsnJrnl-$J", "Update Time",
   "invoice_0501.exe:Zone.Identifier DATA_EXTEND|FILE_CREATE", data_type="fs:ntfs:usn_change",
   offset=1048576, path="\\Users\\tanaka\\Downloads\\invoice_0501.exe:Zone.Identifier")
ev("2024-05-01T03:30:12", "prefetch", "Prefetch/INVOICE_0501.EXE-1A2B3C4D.pf", "Last Time Executed",
   "INVOICE_0501.EXE executed (run 1 of 1)", data_type="windows:prefetch:execution",
   process="INVOICE_0501.EXE", tags=["execution"])
ev("2024-05-01T03:31:05", "evtx", SYS, "Event Recorded",
   "7045 Service installed: WinUpdSvc C:\\ProgramData\\winupd.exe", data_type="windows:evtx:record",
   channel="System", event_id=7045, record_id=8101, service="WinUpdSvc",
   path="C:\\ProgramData\\winupd.exe", tags=["persistence", "service_install"])
ev("2024-05-01T03:34:56", "evtx", DEF, "Event Recorded",
   "1116 Trojan:Win32/Wacatac.B!ml detected in C:\\Users\\tanaka\\Downloads\\invoice_0501.exe",
   data_type="windows:evtx:record", channel="Microsoft-Windows-Windows Defender/Operational",
   event_id=1116, record_id=553, tags=["av_detection"])
for i, (when, exe) in enumerate((("2024-04-30T00:40:00", "CHROME.EXE"), ("2024-04-30T23:55:00", "OUTLOOK.EXE"),
                                 ("2024-05-01T00:15:00", "EXCEL.EXE"), ("2024-05-01T03:32:30", "CMD.EXE"))):
    ev(when, "prefetch", f"Prefetch/{exe}-0000000{i}.pf", "Last Time Executed", f"{exe} executed",
       data_type="windows:prefetch:execution", process=exe, tags=["execution"])
ev("2024-05-01T01:00:00", "evtx", "Evtx/Microsoft-Windows-PowerShell%4Operational.evtx", "Event Recorded",
   "4103 Module logging Get-Date mail from tanaka@example.co.jp", data_type="windows:evtx:record",
   channel="Microsoft-Windows-PowerShell/Operational", event_id=4103, record_id=77)
events.sort(key=lambda e: e["timestamp"])
with open("window.jsonl", "w") as f:
    for e in events:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")

SHA_SUSPECT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
def finding(fid, q, sev, title, title_ja, desc_ja, first, last, rule, name, attack, suspect, evidence, iocs=None):
    base = {"files": [], "paths": [], "hashes": [], "ips": [], "domains": [], "services": [], "tasks": [], "accounts": []}
    base.update(iocs or {})
    return {"artifact": "finding", "source": evidence[0]["source"], "id": fid, "question": q, "severity": sev,
            "title": title, "title_ja": title_ja, "description": title + ".", "description_ja": desc_ja,
            "time": {"first": first, "last": last}, "count": len(evidence),
            "rule": {"id": rule, "name": name, "source": "builtin", "author": "kakekomi", "path": "rules/builtin.yml"},
            "attack": attack, "suspect": suspect, "evidence": evidence, "iocs": base}
findings = [
    finding("KK-ORIGIN-ZONE-001#1", "file_origin", "medium", "Suspect file downloaded from the Internet",
            "不審ファイルのインターネットからのダウンロード",
            "Downloads フォルダーに作成され、Zone.Identifier（ZoneId=3）が付与されています。",
            "2024-05-01T03:29:40.123456Z", "2024-05-01T03:29:41.000000Z", "KK-ORIGIN-ZONE-001",
            "File with Mark-of-the-Web in a user folder", ["T1105"], True,
            [{"artifact": "mft", "source": "NTFS/C_$MFT", "record_id": None, "offset": 48234496,
              "time": "2024-05-01T03:29:40.123456Z", "event_id": None,
              "summary": "\\Users\\tanaka\\Downloads\\invoice_0501.exe created (ZoneId=3)",
              "fields": {"HostUrl": "http://malicious.example.net/dl/invoice_0501.exe", "ZoneId": "3"}}],
            {"files": ["invoice_0501.exe"], "paths": ["C:\\Users\\tanaka\\Downloads\\invoice_0501.exe"],
             "domains": ["malicious.example.net"], "hashes": [SHA_SUSPECT]}),
    finding("KK-EXEC-PF-001#1", "execution", "high", "Suspect file executed (Prefetch)",
            "不審ファイルの実行（Prefetch）", "Prefetch に INVOICE_0501.EXE の実行記録（1回）があります。",
            "2024-05-01T03:30:12.000000Z", "2024-05-01T03:30:12.000000Z", "KK-EXEC-PF-001",
            "Execution of the suspect file", ["T1204.002"], True,
            [{"artifact": "prefetch", "source": "Prefetch/INVOICE_0501.EXE-1A2B3C4D.pf", "record_id": None,
              "offset": None, "time": "2024-05-01T03:30:12.000000Z", "event_id": None,
              "summary": "INVOICE_0501.EXE executed (run 1 of 1)", "fields": {"run_count": 1}}]),
    finding("KK-AV-001#1", "execution", "medium", "Microsoft Defender detected malware",
            "Microsoft Defender によるマルウェアの検出", "Defender が Trojan:Win32/Wacatac.B!ml を検出しました。",
            "2024-05-01T03:34:56.000000Z", "2024-05-01T03:34:56.000000Z", "KK-AV-001", "Antivirus detection",
            [], True,
            [{"artifact": "evtx", "source": DEF, "record_id": 553, "offset": None,
              "time": "2024-05-01T03:34:56.000000Z", "event_id": 1116,
              "summary": "Trojan:Win32/Wacatac.B!ml in C:\\Users\\tanaka\\Downloads\\invoice_0501.exe",
              "fields": {"Threat Name": "Trojan:Win32/Wacatac.B!ml", "Detection User": "CORP\\tanaka"}}]),
    finding("KK-LOGON-001#1", "intrusion", "high", "RDP logon from an external address",
            "外部アドレスからの RDP ログオン", "203.0.113.5 から tanaka としてリモートデスクトップでログオンしています。",
            "2024-05-01T03:10:42.000000Z", "2024-05-01T03:10:42.000000Z", "KK-LOGON-001",
            "RDP logon from a public address", ["T1021.001", "T1078"], False,
            [{"artifact": "evtx", "source": SEC, "record_id": 120021, "offset": None,
              "time": "2024-05-01T03:10:42.000000Z", "event_id": 4624,
              "summary": "4624 Logon Type 10 (RDP) tanaka from 203.0.113.5",
              "fields": {"TargetUserName": "tanaka", "TargetDomainName": "CORP", "IpAddress": "203.0.113.5",
                         "WorkstationName": "PC-SALES01", "LogonType": "10"}}],
            {"ips": ["203.0.113.5"], "accounts": ["CORP\\tanaka"]}),
    finding("KK-LOGON-004#1", "intrusion", "low", "Failed logon from an external address",
            "外部アドレスからのログオン失敗", "203.0.113.5 からのログオン失敗が1件あります。",
            "2024-05-01T03:05:11.000000Z", "2024-05-01T03:05:11.000000Z", "KK-LOGON-004",
            "Failed logon from a public address", ["T1110"], False,
            [{"artifact": "evtx", "source": SEC, "record_id": 120020, "offset": None,
              "time": "2024-05-01T03:05:11.000000Z", "event_id": 4625,
              "summary": "4625 Logon failure tanaka from 203.0.113.5", "fields": {"IpAddress": "203.0.113.5"}}]),
    finding("KK-PERSIST-7045#1", "post_infection", "high", "Service installed from ProgramData",
            "ProgramData に置かれたプログラムのサービス登録",
            "検知の直前に WinUpdSvc サービスが C:\\ProgramData\\winupd.exe で登録されています。",
            "2024-05-01T03:31:05.000000Z", "2024-05-01T03:31:05.000000Z", "KK-PERSIST-7045",
            "Service installed (7045) from a user-writable path", ["T1543.003"], False,
            [{"artifact": "evtx", "source": SYS, "record_id": 8101, "offset": None,
              "time": "2024-05-01T03:31:05.000000Z", "event_id": 7045,
              "summary": "Service WinUpdSvc installed: C:\\ProgramData\\winupd.exe",
              "fields": {"ServiceName": "WinUpdSvc", "ImagePath": "C:\\ProgramData\\winupd.exe", "AccountName": "LocalSystem"}}],
            {"services": ["WinUpdSvc"], "paths": ["C:\\ProgramData\\winupd.exe"]}),
]
with open("findings.jsonl", "w") as f:
    for x in findings:
        f.write(json.dumps(x, ensure_ascii=False) + "\n")

BUNDLE = "PC-SALES01_20240502100000"
manifest = [
    ("Evtx/Security.evtx", "evtx", 20975616, True), ("Evtx/System.evtx", "evtx", 4198400, True),
    (DEF, "evtx", 1118208, True), ("Evtx/Microsoft-Windows-PowerShell%4Operational.evtx", "evtx", 15798272, True),
    ("Evtx/Microsoft-Windows-Sysmon%4Operational.evtx", "evtx", 69632, True),
    ("Prefetch/INVOICE_0501.EXE-1A2B3C4D.pf", "prefetch", 2830, True), ("Prefetch/CMD.EXE-00000003.pf", "prefetch", 4120, True),
    ("NTFS/C_$MFT", "mft", 262144000, True), ("NTFS/C_$UsnJrnl-$J", "usnjrnl", 33554432, False),
    ("Registry/SYSTEM", "registry", 16777216, True), ("Registry/tanaka_NTUSER.dat", "registry", 3145728, None),
    ("collector-log.txt", "collector_log", 10240, None),
]
with open("manifest.jsonl", "w") as f:
    for i, (src, kind, size, match) in enumerate(manifest):
        sha = "%064x" % (0xA11CE + i * 7919)
        rec = {"artifact": "manifest", "source": src, "path": f"/cases/kk-2024-0123/{BUNDLE}/{src}", "kind": kind,
               "host": HOST, "collected_at": "2024-05-02T01:20:00.000000Z", "size": size, "sha256": sha,
               "collector_sha256": None if match is None else (sha if match else "%064x" % 1), "hash_match": match}
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    # The summary as unpack-cdir writes it (lib/cdir/manifest_json.cpp).
    f.write(json.dumps({"artifact": "bundle_summary", "source": BUNDLE, "host": HOST, "root": BUNDLE,
                        "folder_name": BUNDLE, "target_drive": None, "layout": "v1.3.1+", "time_zone": "Asia/Tokyo",
                        "folder_time": "2024-05-02T01:00:00.000000Z",
                        "collection_start": "2024-05-02T01:00:00.000000Z",
                        "collection_end": "2024-05-02T01:20:00.000000Z", "log_encoding": "cp932", "log_language": "ja",
                        "files": 12, "bytes": 357000000,
                        "counts": {"evtx": 5, "prefetch": 2, "mft": 1, "usnjrnl": 1, "registry": 2, "collector_log": 1},
                        "memory_skipped": 0,
                        "hash_check": {"result": "mismatch", "log_rows": 10, "matched": 9,
                                       "mismatched": ["NTFS/C_$UsnJrnl-$J"], "missing_from_bundle": ["Registry/SOFTWARE"],
                                       "not_in_log": [], "not_verified": ["Registry/tanaka_NTUSER.dat"]},
                        "categories_absent": ["amcache", "wmi", "srum", "web", "memory"],
                        "not_collected": [{"id": "scheduled_task_xml", "what": "Scheduled task definitions"},
                                          {"id": "lnk_jumplists", "what": "LNK shortcut files and Jump Lists"},
                                          {"id": "defender_logs", "what": "Microsoft Defender MPLog and DetectionHistory"},
                                          {"id": "firewall_log", "what": "Windows Firewall log (pfirewall.log)"},
                                          {"id": "future_item", "what": "Something a newer unpack-cdir knows"}]},
                       ensure_ascii=False) + "\n")
with open("diagnostics.jsonl", "w") as f:
    f.write(json.dumps({"tool": "parse-usnjrnl", "file": "NTFS/C_$UsnJrnl-$J", "offset": 2097152, "severity": "warning",
                        "message": "record length 0 in a non-sparse page, skipped to the next page"}) + "\n")
    f.write(json.dumps({"tool": "parse-usnjrnl", "file": "NTFS/C_$UsnJrnl-$J", "offset": 2101248, "severity": "warning",
                        "message": "record length 0 in a non-sparse page, skipped to the next page"}) + "\n")
