#!/usr/bin/env python3
"""How much CPU this machine gives right now, printed beside a bench's figures.

    machine_probe.py [LABEL]   ->  "machine LABEL: …", one line: a core's speed, what two at
                                   once get, and what a first touch of a fresh page costs

A fixed loop of integer work (the same every run) is timed in one process alone, then in
two processes at once, three times each, taking turns, medians kept. On a
quiet machine with two real cores the pair takes about as long as one alone ("2.0 cores");
on a shared VM the pair can take up to twice as long (the host gives the second vCPU to
someone else) and every bench figure of that spell is slower by as much. Session 15 saw the
same loop take 0.60 s and 1.70 s alone on one VM minutes apart, and 1.2–1.6 s for one of a
pair: a bench that misses its goal in such a spell says little about the code. The same VM
charged ~14 us for the first touch of a fresh 4 KiB page (bare metal: ~0.2 us), which weighs
on every program that allocates and frees large buffers.
"""
import multiprocessing as mp
import statistics
import sys
import time

LOOPS = 6_000_000  # about 0.2 s of one core of 2025


def work(_=None):
    t0 = time.perf_counter()
    x = 0
    for i in range(LOOPS):
        x += i & 7
    return time.perf_counter() - t0


def fresh_page_us(mib=64):
    t0 = time.perf_counter()
    b = bytearray(mib << 20)  # calloc'd: the pages are touched below, one write each
    b[::4096] = b"\x01" * ((mib << 20) // 4096)
    return (time.perf_counter() - t0) / ((mib << 20) / 4096) * 1e6


def main():
    label = "machine " + sys.argv[1] if len(sys.argv) > 1 else "machine"
    alone, pair = [], []
    with mp.Pool(2) as pool:
        for _ in range(3):
            alone.append(pool.apply(work))
            pair.append(max(pool.map(work, [0, 1], chunksize=1)))
    a, p = statistics.median(alone), statistics.median(pair)
    print(f"{label}: one core {a:.3f} s for the probe loop (spread {min(alone):.3f}-{max(alone):.3f}),"
          f" two at once {p:.3f} s -> {2 * a / p:.1f} cores of capacity; a fresh page"
          f" {fresh_page_us():.1f} us")


if __name__ == "__main__":
    main()
