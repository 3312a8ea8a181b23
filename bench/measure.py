#!/usr/bin/env python3
"""Runs a command N times and prints its best wall time, best CPU time and peak RSS.

    measure.py N OUT_FILE CMD [ARG...]      ->  "WALL_S CPU_S RSS_KIB"

CPU time is user+sys of the child from wait4() (microsecond resolution, unlike the
10 ms of /usr/bin/time), which matters for runs of a tenth of a second. The best of N
is taken separately for wall and CPU: on a loaded machine the minimum is the run that
was disturbed least. Standard output goes to OUT_FILE, standard error is discarded."""
import os, subprocess, sys, time


def main():
    n, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    best_wall = best_cpu = float('inf')
    rss = 0
    for _ in range(n):
        with open(out, 'wb') as f:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
        best_wall = min(best_wall, wall)
        best_cpu = min(best_cpu, ru.ru_utime + ru.ru_stime)
        rss = max(rss, ru.ru_maxrss)
    print('%.4f %.4f %d' % (best_wall, best_cpu, rss))


main()
