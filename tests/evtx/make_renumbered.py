#!/usr/bin/env python3
"""Builds tests/data/evtx/renumbered_export.evtx from a real corpus file (run once, output committed).

Why: a log saved from Event Viewer ("Save filtered log file as...") or forwarded by WEC keeps
each event's own EventRecordID and TimeCreated inside the event, while the record headers are
renumbered (1, 2, 3...) and carry their own written times. parse-evtx must take `time` from
TimeCreated (issue #20). The source, MSExchange_Management_wec.evtx (omerbenamram/evtx @
9c7d0b54, samples/), is such a record: header id 1, header time 16:53:03.836551, EventRecordID
3229, TimeCreated the text "2021-11-19T16:52:33.833733500Z" (not a FILETIME).

Output: the source's chunk 0 unchanged, followed by a copy of it as chunk 1 whose only change is
the record header: record number 2 and written time 0 (a header without a time, as the issue saw
on a Defender export). Chunk and file header fields and CRC32s are updated to match, so the file
is clean (no damage diagnostics).

    python3 tests/evtx/make_renumbered.py ../shared/corpus/evtx/omerbenamram-evtx/MSExchange_Management_wec.evtx \
        tests/data/evtx/renumbered_export.evtx
"""
import struct
import sys
import zlib

src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
assert data[:8] == b"ElfFile\0" and struct.unpack_from("<H", data, 42)[0] == 1
FILE_HDR, CHUNK = 4096, 65536
chunk0 = data[FILE_HDR:FILE_HDR + CHUNK]
assert chunk0[:8] == b"ElfChnk\0"

def fix_chunk_crcs(c):
    free = struct.unpack_from("<I", c, 48)[0]
    struct.pack_into("<I", c, 52, zlib.crc32(bytes(c[512:free])))
    struct.pack_into("<I", c, 124, zlib.crc32(bytes(c[0:120]) + bytes(c[128:512])))

chunk1 = bytearray(chunk0)
# EVTX chunk header: first/last event record number (8, 16), first/last identifier (24, 32).
for off in (8, 16, 24, 32):
    struct.pack_into("<Q", chunk1, off, 2)
rec = 512  # the chunk's only record: magic, size, record number (8), written FILETIME (16)
assert chunk1[rec:rec + 4] == b"**\0\0"
struct.pack_into("<Q", chunk1, rec + 8, 2)
struct.pack_into("<Q", chunk1, rec + 16, 0)
fix_chunk_crcs(chunk1)

header = bytearray(data[:FILE_HDR])
struct.pack_into("<Q", header, 16, 1)  # last chunk number
struct.pack_into("<Q", header, 24, 3)  # next record identifier
struct.pack_into("<H", header, 42, 2)  # number of chunks
struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120])))
open(dst, "wb").write(bytes(header) + bytes(chunk0) + bytes(chunk1))
