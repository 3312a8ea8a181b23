#!/usr/bin/env python3
"""Runs commands N times each, taking turns, and prints each one's best wall time, best
CPU time and peak RSS, one line per command.

    measure.py N OUT_FILE CMD [ARG...] [--- CMD [ARG...]]...
    ->  "WALL_S CPU_S RSS_KIB" per command, in the order given

CPU time is user+sys of the child from wait4() (microsecond resolution, unlike the
10 ms of /usr/bin/time), which matters for runs of a tenth of a second. The commands
take turns (A B A B ...) so that a change of load on a shared machine hits all of them
alike, and the best of N is kept separately for wall and CPU: the run disturbed least.
Standard output goes to OUT_FILE (OUT_FILE.1, .2 ... for the second command on), so that
the outputs can be compared afterwards; standard error is discarded. Peak RSS is read by
/usr/bin/time when it is there (wait4's figure would include the Python parent's pages)."""
import os, subprocess, sys, tempfile, time


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    cmds, cur = [], []
    for a in sys.argv[3:]:
        if a == '---':
            cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    cmds.append(cur)
    gnu_time = '/usr/bin/time' if os.access('/usr/bin/time', os.X_OK) else None
    best = [[float('inf'), float('inf'), 0] for _ in cmds]
    with tempfile.NamedTemporaryFile() as rss_file:
        for _ in range(n):
            for k, cmd in enumerate(cmds):
                path = out if k == 0 else '%s.%d' % (out, k)
                argv = ([gnu_time, '-f', '%M', '-o', rss_file.name] if gnu_time else []) + cmd
                with open(path, 'wb') as f:
                    t0 = time.perf_counter()
                    p = subprocess.Popen(argv, stdout=f, stderr=subprocess.DEVNULL)
                    _, _, ru = os.wait4(p.pid, 0)
                    wall = time.perf_counter() - t0
                b = best[k]
                b[0] = min(b[0], wall)
                b[1] = min(b[1], ru.ru_utime + ru.ru_stime)
                rss = ru.ru_maxrss
                if gnu_time:
                    try:
                        rss = int(open(rss_file.name).read().split()[-1])
                    except (ValueError, IndexError):
                        pass
                b[2] = max(b[2], rss)
    for b in best:
        print('%.4f %.4f %d' % tuple(b))


main()
