#!/usr/bin/env python3
"""Writes the small hand-made fuzz seeds checked in under tests/fuzz/seeds/<target>/.

Run from this folder (zip, 7z and tar must be installed); the output is deterministic
except for archive timestamps. Real evidence seeds are not made here: scripts/fuzz.sh
takes them from tests/data and ../shared/corpus (see README.md).
"""
import hashlib
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def collector_log(files, japanese=True):
    """collector-log.txt as CDIR-C writes it (CP932, CRLF, fixed columns)."""
    pad = lambda s, w: s + " " * max(0, w - len(s))
    head = ["開始時刻: ", "終了時刻: ", "所要時間: "] if japanese else \
        ["Start   time: ", "End     time: ", "Elapsed time: "]
    t = head[0] + "2024/05/01 12:04:05\r\n" + head[1] + "2024/05/01 12:31:40\r\n"
    t += head[2] + "00:27:35\r\n\r\n"
    t += pad("CreationTime", 22) + pad("AccessTime", 22) + pad("WriteTime", 22)
    t += "MD5" + " " * 29 + "   SHA1" + " " * 36 + "   SHA256" + " " * 58 + "   \r\n"
    t += "   ".join("=" * n for n in (19, 19, 19, 32, 40, 64)) + "   \r\n"
    for content, path, wevtutil in files:
        t += pad("2024/04/30 01:02:03", 22) + pad("2024/05/01 03:04:05", 22)
        t += pad("2024/05/01 03:04:05", 22)
        t += "   ".join(h(content).hexdigest() for h in (hashlib.md5, hashlib.sha1, hashlib.sha256))
        t += "   " + path + (" (wevtutil)" if wevtutil else "") + "\r\n"
    return t.encode("cp932")


BUNDLE = "PC01_20240501120405"
FILES = [  # (bundle path, content, Windows path, wevtutil)
    ("Evtx/Security.evtx", b"ElfFile\0" + b"\0" * 56, r"C:\Windows\System32\winevt\Logs\Security.evtx", True),
    ("Prefetch/CMD.EXE-D269B812.pf", b"MAM\x04" + b"\0" * 12, r"C:\Windows\Prefetch\CMD.EXE-D269B812.pf", False),
    ("Registry/山田_NTUSER.dat", b"regf" + b"\0" * 60, r"C:\Users\山田\NTUSER.dat", False),
    ("NTFS/C_$MFT", b"FILE0" + b"\0" * 27, r"C:\$MFT", False),
]


def bundle(root):
    for rel, content, _, _ in FILES:
        p = os.path.join(root, BUNDLE, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content)
    with open(os.path.join(root, BUNDLE, "collector-log.txt"), "wb") as f:
        f.write(collector_log([(c, w, e) for _, c, w, e in FILES]))


def archives():
    # The harness unpacks with the password "fuzz".
    tmp = tempfile.mkdtemp()
    try:
        bundle(tmp)
        run = lambda *a: subprocess.run(a, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        run("zip", "-q", "-X", "-r", "plain.zip", BUNDLE)
        run("zip", "-q", "-X", "-r", "-P", "fuzz", "zipcrypto.zip", BUNDLE)
        run("7z", "a", "-bd", "-pfuzz", "aes.7z", BUNDLE)
        run("7z", "a", "-bd", "plain.7z", BUNDLE)
        run("tar", "--format=pax", "--owner=0", "--group=0", "-czf", "bundle.tar.gz", BUNDLE)
        for name in ("plain.zip", "zipcrypto.zip", "aes.7z", "plain.7z", "bundle.tar.gz"):
            with open(os.path.join(tmp, name), "rb") as f:
                put("fuzz_cdir_archive", name, f.read())
    finally:
        shutil.rmtree(tmp)


def main():
    archives()
    put("fuzz_cdir_collector_log", "ja.txt", collector_log([(c, w, e) for _, c, w, e in FILES]))
    put("fuzz_cdir_collector_log", "en.txt",
        collector_log([(c, w, e) for _, c, w, e in FILES], japanese=False))
    names = {
        "bundle_root": BUNDLE + "/collector-log.txt",
        "hive_user_cp932": (BUNDLE + "/Registry/山田_太郎_NTUSER.dat").encode("cp932"),
        "evtx_percent": BUNDLE + "/Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx",
        "ntfs_v12": BUNDLE + "/C_$UsnJrnl-$J",
        "slip": BUNDLE + "/../../etc/passwd",
        "drive": "C:\\Windows\\System32\\config\\SAM",
    }
    for k, v in names.items():
        put("fuzz_cdir_names", k, v)
    text = {
        "iso_time": "2024-05-01T12:04:05.123456+09:00",
        "local_time": "2024/05/01 12:04:05",
        "duration": "1h30m",
        "utf16le": "C:\\Users\\山田\\x.exe".encode("utf-16-le"),
        "surrogates": b"\x3d\xd8\x00\xde\x00\xd8\x41\x00",
        "bad_utf8": b"\xff\xfe\xc3\x28\xe2\x82",
        "timeline_line": '{"datetime":"2019-07-19T15:09:40.973075Z","timestamp":1563548980973075,'
        '"message":"a \\"b\\" C:\\\\x","artifact":"evtx","source":"Evtx/Security.evtx",'
        '"tags":["x"],"details":"{\\"k\\":1}"}',
    }
    for k, v in text.items():
        put("fuzz_core_text", k, v)


if __name__ == "__main__":
    main()
