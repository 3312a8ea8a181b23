#!/bin/bash
# Builds a small real NTFS volume with Debian's ntfs-3g tools and records what
# sleuthkit says about it, for tests/ntfs (run once by hand; the outputs are
# committed so the tests never need ntfs-3g, FUSE or sleuthkit).
#
#   tests/ntfs/make_volume.sh OUTDIR [KEEP_IMAGE]
#
# Writes OUTDIR/volume.mft.gz ($MFT as extracted by `icat IMAGE 0`),
# OUTDIR/fls.body (fls -r -p -m), OUTDIR/fls.txt (fls -r -p -l),
# OUTDIR/istat/<entry>.txt for the entries the tests look at, and OUTDIR/volume.txt.
# Needs: mkntfs, ntfs-3g (FUSE), sleuthkit (fls, icat, istat), python3 (xattrs).
set -euo pipefail
out=${1:?usage: make_volume.sh OUTDIR [KEEP_IMAGE]}
keep=${2:-}
work=$(mktemp -d /tmp/kk-ntfs-XXXXXX)
img=$work/volume.img
mnt=$work/mnt
mkdir -p "$mnt" "$out/istat"
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rm -rf "$work"; }
trap cleanup EXIT

truncate -s 6M "$img"
mkntfs -F -q -L KKTEST -c 4096 -s 512 "$img" 2>/dev/null
# streams_interface=windows: "file:stream" opens a named $DATA stream (ADS).
ntfs-3g -o streams_interface=windows "$img" "$mnt"

# Sets a raw NTFS xattr that ntfs-3g exposes (crtime, DOS name).
setx() { python3 -c 'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]))' "$@"; }
# FILETIME (little-endian hex) for a UTC time with optional 100 ns ticks.
ft() { python3 -c 'import sys,datetime,struct
d=datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=datetime.timezone.utc)
t=int((d-datetime.datetime(1601,1,1,tzinfo=datetime.timezone.utc)).total_seconds())*10000000+int(sys.argv[2])
print(struct.pack("<Q",t).hex())' "$1" "${2:-0}"; }

# Nested folders, a resident and a non-resident file.
mkdir -p "$mnt/Folder A/Sub/deep"
printf 'hello from x\r\n' > "$mnt/Folder A/x.txt"
head -c 20000 /dev/zero | tr '\0' 'K' > "$mnt/Folder A/Sub/deep/big.bin"
# Japanese names (UTF-16 in $FILE_NAME).
mkdir "$mnt/日本語フォルダ"
printf 'テスト\r\n' > "$mnt/日本語フォルダ/報告書テスト.txt"
# A download with its Zone.Identifier (resident named stream) and a second ADS.
mkdir -p "$mnt/Users/alice/Downloads"
dl="$mnt/Users/alice/Downloads/invoice.exe"
head -c 5000 /dev/urandom > "$dl"
printf '[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://example.com/mail\r\nHostUrl=https://example.com/invoice.exe\r\n' > "$dl:Zone.Identifier"
head -c 9000 /dev/zero | tr '\0' 'S' > "$dl:hidden.bin"
# A hard link: one entry, two $FILE_NAME attributes in different folders.
ln "$mnt/Folder A/x.txt" "$mnt/Users/alice/x-link.txt"
# A long name with an explicit DOS 8.3 name (separate DOS-namespace $FILE_NAME).
printf 'long\r\n' > "$mnt/Folder A/A long file name.txt"
python3 -c 'import os,sys; os.setxattr(sys.argv[1],"system.ntfs_dos_name","ALONGF~1.TXT".encode())' "$mnt/Folder A/A long file name.txt"
# Timestomped: created here, its $STANDARD_INFORMATION times are rewritten
# after unmount (below) the way SetFileTime-based tools do it, leaving $FILE_NAME alone.
head -c 3000 /dev/zero > "$mnt/Folder A/stomped.dll"
# Many named streams: the entry overflows into extension records ($ATTRIBUTE_LIST).
many="$mnt/Folder A/many-streams.txt"
printf 'base\r\n' > "$many"
for i in $(seq -w 1 40); do printf 'stream %s with some text to take room in the record\r\n' "$i" > "$many:s$i"; done
# Enough files that the root index and $MFT grow past their initial size.
mkdir "$mnt/bulk"
for i in $(seq -w 1 150); do printf 'file %s\r\n' "$i" > "$mnt/bulk/file$i.txt"; done
# Renamed: moved between folders (new parent in $FILE_NAME).
printf 'moved\r\n' > "$mnt/bulk/to-move.txt"
mv "$mnt/bulk/to-move.txt" "$mnt/Folder A/Sub/moved.txt"
# Deleted: a file, and a folder with a file inside (the folder's sequence number
# is bumped when its record is freed).
printf 'gone\r\n' > "$mnt/deleted.txt"
mkdir "$mnt/DelDir"
printf 'inner\r\n' > "$mnt/DelDir/inner.txt"
sync
rm "$mnt/deleted.txt"
rm -r "$mnt/DelDir"
umount "$mnt"

# Rewrite $STANDARD_INFORMATION created/modified of stomped.dll to a whole-second
# 2015 time (ntfs-3g would also update $FILE_NAME, Windows SetFileTime does not).
python3 - "$img" "$(ft 2015-03-04T05:06:07)" <<'PY'
import struct,sys
img=bytearray(open(sys.argv[1],'rb').read()); t=bytes.fromhex(sys.argv[2])
name='stomped.dll'.encode('utf-16-le'); hits=0
for off in range(0,len(img),1024):
    rec=img[off:off+1024]
    if rec[:4]!=b'FILE' or name not in rec or not (struct.unpack_from('<H',rec,0x16)[0]&1): continue
    a=struct.unpack_from('<H',rec,0x14)[0]
    assert struct.unpack_from('<I',rec,a)[0]==0x10 and rec[a+8]==0   # resident $STANDARD_INFORMATION first
    v=a+struct.unpack_from('<H',rec,a+0x14)[0]
    img[off+v:off+v+8]=t; img[off+v+8:off+v+16]=t; hits+=1
assert hits==1, hits
open(sys.argv[1],'r+b').write(img)
PY

icat "$img" 0 > "$work/volume.mft"
gzip -9n < "$work/volume.mft" > "$out/volume.mft.gz"
fls -r -p -m / "$img" > "$out/fls.body"
fls -r -p -l "$img" > "$out/fls.txt"
fsstat "$img" > "$out/volume.txt"
# istat (full-precision SI and FN times, attributes) for the entries tests check.
for e in $(python3 - "$out/fls.txt" <<'PY'
import re,sys
want=("Folder A/x.txt","Folder A/stomped.dll","Folder A/many-streams.txt","Users/alice/Downloads/invoice.exe",
      "日本語フォルダ/報告書テスト.txt","Folder A/Sub/deep/big.bin","Folder A/A long file name.txt",
      "Folder A/Sub/moved.txt","deleted.txt","DelDir/inner.txt","DelDir","Folder A")
seen=set()
for line in open(sys.argv[1],encoding="utf-8"):
    m=re.match(r"\S+\s+\*?\s*(\d+)-\d+-\d+:\t([^\t]*)",line)
    if m and m.group(2) in want and m.group(1) not in seen:
        seen.add(m.group(1)); print(m.group(1))
PY
); do istat "$img" "$e" > "$out/istat/$e.txt"; done
if [ -n "$keep" ]; then cp "$img" "$keep"; fi
ls -l "$out" "$out/istat"
