#!/usr/bin/env python3
"""Rebuilds samples/MSEDGEWIN10_20190925100000.zip, a CDIR-C v1.3.7-layout bundle
assembled from real public files in ../shared/corpus (see samples/README.md).

Only container work is done here: EVTX chunks of one channel are concatenated
behind one header with ../shared/tools/make-big-evtx.py (chunks are
self-contained), files are renamed to CDIR-C's names, and collector-log.txt is
written in CDIR-C's format (CP932, CRLF, local start/end time, UTC file times,
MD5/SHA1/SHA256 per file). Usage: samples/make-sample.py [CORPUS_DIR]"""
import gzip, hashlib, os, shutil, subprocess, sys, tempfile, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus")
MAKE_BIG = os.path.join(CORPUS, "..", "tools", "make-big-evtx.py")
HOST = "MSEDGEWIN10"
START_LOCAL = datetime.datetime(2019, 9, 25, 10, 0, 0)   # JST, as CDIR-C names the folder
END_LOCAL = START_LOCAL + datetime.timedelta(minutes=7, seconds=42)
BUNDLE = f"{HOST}_{START_LOCAL:%Y%m%d%H%M%S}"
PASSWORD = "infected"
A = os.path.join(CORPUS, "evtx", "evtx-attack-samples")

# Evtx channel file -> source files (all recorded on MSEDGEWIN10, 2019-07-18 .. 2019-09-22).
EVTX = {
    "Microsoft-Windows-Windows Defender%4Operational.evtx": [
        "AutomatedTestingTools/WinDefender_Events_1117_1116_AtomicRedTeam.evtx"],
    "Microsoft-Windows-Sysmon%4Operational.evtx": [
        "AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
        "Execution/Sysmon_Exec_CompiledHTML.evtx",
        "Execution/sysmon_1_11_rundll32_cpl_ostap.evtx",
        "Privilege Escalation/Sysmon_UACME_34.evtx",
        "Credential Access/sysmon_10_1_memdump_comsvcs_minidump.evtx",
        "Persistence/persist_valid_account_guest_rid_hijack.evtx"],
    "Security.evtx": [
        "Discovery/discovery_local_user_or_group_windows_security_4799_4798.evtx",
        "Privilege Escalation/Invoke_TokenDuplication_UAC_Bypass4624.evtx",
        "Privilege Escalation/win10_4703_SeDebugPrivilege_enabled.evtx",
        "Persistence/Network_Service_Guest_added_to_admins_4732.evtx"],
    "Microsoft-Windows-PowerShell%4Operational.evtx": [
        "Credential Access/phish_windows_credentials_powershell_scriptblockLog_4104.evtx"],
}
PREFETCH_DIR = os.path.join(CORPUS, "prefetch", "ez-prefetch", "Win10")
REGISTRY = {
    "Amcache.hve": "registry/plaso/winreg/win10-Amcache.hve",
    "SAM": "registry/ez-registry/SAM",
    "SECURITY": "registry/ez-registry/SECURITY",
    "IEUser_NTUSER.dat": "registry/ez-registry/NTUSER1.DAT",
}
NTFS = {
    "C_$UsnJrnl-$J": "usnjrnl/velociraptor/Collection-WIN-E5K9RC5GU23_UsnJrnl-J.bin",
}
SOURCE_PATH = {  # where CDIR-C would have read each file on the live system
    "Evtx": r"C:\Windows\System32\winevt\Logs\{}",
    "Prefetch": r"C:\Windows\Prefetch\{}",
}


def source_path(rel):
    top, name = rel.split("/", 1)
    if top in SOURCE_PATH:
        return SOURCE_PATH[top].format(name)
    if top == "NTFS":
        return {"C_$MFT": r"C:\$MFT", "C_$UsnJrnl-$J": r"C:\$Extend\$UsnJrnl:$J"}[name]
    if name == "Amcache.hve":
        return r"C:\Windows\AppCompat\Programs\Amcache.hve"
    if name.endswith("_NTUSER.dat"):
        return r"C:\Users\{}\NTUSER.dat".format(name[: -len("_NTUSER.dat")])
    return r"C:\Windows\System32\config\{}".format(name)


def main():
    work = tempfile.mkdtemp()
    b = os.path.join(work, BUNDLE)
    for d in ("NTFS", "Evtx", "Prefetch", "Registry"):
        os.makedirs(os.path.join(b, d))
    for out, srcs in EVTX.items():
        paths = [os.path.join(A, s) for s in srcs]
        if len(paths) == 1:
            shutil.copyfile(paths[0], os.path.join(b, "Evtx", out))
        else:
            subprocess.run([sys.executable, MAKE_BIG, os.path.join(b, "Evtx", out)] + paths, check=True)
    for name in sorted(os.listdir(PREFETCH_DIR)):
        if name.endswith(".pf"):
            shutil.copyfile(os.path.join(PREFETCH_DIR, name), os.path.join(b, "Prefetch", name))
    for out, src in REGISTRY.items():
        shutil.copyfile(os.path.join(CORPUS, src), os.path.join(b, "Registry", out))
    for out, src in NTFS.items():
        shutil.copyfile(os.path.join(CORPUS, src), os.path.join(b, "NTFS", out))
    mft = os.path.join(ROOT, "tests", "data", "ntfs", "volume.mft.gz")
    if os.path.exists(mft):  # a real $MFT from the NTFS test volume (tests/data/ntfs/README.md)
        with gzip.open(mft, "rb") as src, open(os.path.join(b, "NTFS", "C_$MFT"), "wb") as dst:
            shutil.copyfileobj(src, dst)

    rows = []
    t = datetime.datetime(2019, 9, 25, 0, 55, 3)  # UTC file times, as CDIR-C prints them
    order = ["NTFS", "Evtx", "Prefetch", "Registry"]
    files = sorted((os.path.relpath(os.path.join(dp, f), b).replace(os.sep, "/")
                    for dp, _, fs in os.walk(b) for f in fs),
                   key=lambda r: (order.index(r.split("/")[0]), r))
    for rel in files:
        data = open(os.path.join(b, rel), "rb").read()
        ts = f"{t:%Y/%m/%d %H:%M:%S}".ljust(22)
        rows.append(ts * 3 + "   ".join([hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest(),
                                          hashlib.sha256(data).hexdigest(), source_path(rel)]))
    head = [f"開始時刻: {START_LOCAL:%Y/%m/%d %H:%M:%S}", f"終了時刻: {END_LOCAL:%Y/%m/%d %H:%M:%S}",
            "所要時間: 00:07:42", "",
            "CreationTime".ljust(22) + "AccessTime".ljust(22) + "WriteTime".ljust(22) + "MD5".ljust(32) + "   " +
            "SHA1".ljust(40) + "   " + "SHA256".ljust(64) + "   ",
            "   ".join(["=" * 19] * 3 + ["=" * 32, "=" * 40, "=" * 64]) + "   "]
    with open(os.path.join(b, "collector-log.txt"), "wb") as f:
        f.write(("\r\n".join(head + rows) + "\r\n").encode("cp932"))

    stamp = (START_LOCAL - datetime.timedelta(hours=9)).replace(tzinfo=datetime.timezone.utc).timestamp()
    for dp, ds, fs in os.walk(b):  # fixed times, so the zip is reproducible
        for n in ds + fs:
            os.utime(os.path.join(dp, n), (stamp, stamp))
    os.utime(b, (stamp, stamp))
    out = os.path.join(HERE, BUNDLE + ".zip")
    if os.path.exists(out):
        os.remove(out)
    # AES-256 zip with a password, as customers usually send it.
    subprocess.run(["7z", "a", "-tzip", f"-p{PASSWORD}", "-mem=AES256", "-mx=9", out, BUNDLE],
                   cwd=work, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(HERE, "password.txt"), "w") as f:
        f.write(PASSWORD + "\n")
    shutil.rmtree(work)
    print(out, os.path.getsize(out))


if __name__ == "__main__":
    main()
