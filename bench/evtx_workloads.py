#!/usr/bin/env python3
"""Builds bench-evtx.sh's workloads from real corpus chunks, in one process.

    evtx_workloads.py MAKE_BIG_EVTX CORPUS_EVTX_DIR OUT_DIR REPEAT

OUT_DIR/big.evtx       every in-use chunk of the listed logs, REPEAT times (one large log)
OUT_DIR/dir/*.evtx     a bundle-shaped Evtx/ folder: one log per corpus log (its in-use
                       chunks behind a fixed-up header: most are one or two 64 KiB chunks),
                       plus three large logs (all chunks x1, x1/2 and a 4 MiB one) among them
OUT_DIR/concat.evtx    the small logs of dir/ concatenated into one file: same chunks, one
                       file, so (time of the small files - time of concat) / files is the
                       per-file start-up cost
OUT_DIR/small.list     the small logs of dir/, one per line
Everything is written with make-big-evtx.py (run in-process: one interpreter start)."""
import contextlib, io, os, runpy, sys


def make(tool, out, inputs, repeat=1):
    argv = [tool, out] + (['--repeat', str(repeat)] if repeat > 1 else []) + inputs
    saved = sys.argv
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            runpy.run_path(tool, run_name='__main__')
    except SystemExit:
        pass  # "no chunks": nothing written
    finally:
        sys.argv = saved
    return os.path.exists(out)


def main():
    tool, corpus, out, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    logs = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs
                  if f.lower().endswith('.evtx'))
    os.makedirs(os.path.join(out, 'dir'), exist_ok=True)
    # The large log: real logs of several kinds (as bench-evtx.sh always used).
    mix = [os.path.join(corpus, p) for p in (
        'plaso/System.evtx', 'omerbenamram-evtx/security.evtx',
        'omerbenamram-evtx/sample-with-irregular-bool-values.evtx',
        'omerbenamram-evtx/Security_with_size_t.evtx')]
    mix += [p for p in logs if '/evtx-attack-samples/' in p]
    make(tool, os.path.join(out, 'big.evtx'), mix, repeat)
    small = []
    for i, p in enumerate(logs):
        name = os.path.join(out, 'dir', '%03d-%s' % (i, os.path.basename(p).replace(' ', '_')))
        if make(tool, name, [p]):
            small.append(name)
    # A few large logs, spread through the folder's order (work stealing: a 28 MB log
    # next to hundreds of 68 KiB ones).
    make(tool, os.path.join(out, 'dir', '050-Security.evtx'), mix)
    make(tool, os.path.join(out, 'dir', '150-System.evtx'), mix[: len(mix) // 2])
    make(tool, os.path.join(out, 'dir', '250-Application.evtx'), mix[:2])
    make(tool, os.path.join(out, 'concat.evtx'), small)
    with open(os.path.join(out, 'small.list'), 'w') as f:
        f.write(''.join(s + '\n' for s in small))


main()
