#!/usr/bin/env python3
"""Prints the whole-process benchmark table from whole-process.sh's results file.

    report.py RESULTS_TSV WINDOW_SECONDS

Rows: compare RUN receiver node_exporter scraper ethtool_loop hwm_kib first_export_s startup_ns series floor java_floor
      scale   RUN receiver - - - hwm_kib first_export_s startup_ns -
CPU columns are nanoseconds over the window. Ratios are receiver / contender: lower is better.
"""
import statistics
import sys

path, window = sys.argv[1], float(sys.argv[2])
compare, scale = [], []
for line in open(path):
    f = line.rstrip("\n").split("\t")
    (compare if f[0] == "compare" else scale).append(f)


def pct(ns):
    return 100.0 * ns / 1e9 / window


def spread(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    med = statistics.median(values)
    return (fmt % med) + "  [" + (fmt % min(values)) + " .. " + (fmt % max(values)) + "]"


def ratio(a, b):
    return None if a is None or not b else a / b


def java_floor(f):
    """The 12th column; None in results files from before the Java floor."""
    return int(f[11]) if len(f) > 11 and f[11] else None


def first(v):
    try:
        return float(v)
    except ValueError:
        return None


if compare:
    print(f"\nSide by side, 16 veth interfaces, 1 s sampling/scrape/loop, {window:.0f} s window "
          f"(CPU % of one core)")
    print(f"{'run':>3} {'receiver':>9} {'node_exp':>9} {'scraper':>9} {'ethtool-S':>10} {'floor':>8} {'Java fl':>8} "
          f"{'rcv/ne':>8} {'rcv/(ne+scr)':>12} {'rcv/ethtool':>11} {'rcv/floor':>9} {'VmHWM MiB':>9} {'1st export s':>12}")
    for f in compare:
        r, n, s, e = (int(x) for x in f[2:6])
        fl, jf = int(f[10]), java_floor(f)
        rn, rns, re, rf = ratio(r, n), ratio(r, n + s), ratio(r, e), ratio(r, fl)
        print(f"{f[1]:>3} {pct(r):8.3f}% {pct(n):8.2f}% {pct(s):8.2f}% {pct(e):9.2f}% {pct(fl):7.3f}% {'n/a' if jf is None else f'{pct(jf):.3f}%':>8} "
              f"{'n/a' if rn is None else f'{rn:.3f}':>8} {'n/a' if rns is None else f'{rns:.3f}':>12} "
              f"{'n/a' if re is None else f'{re:.4f}':>11} {'n/a' if rf is None else f'{rf:.1f}':>9} "
              f"{int(f[6]) / 1024:9.1f} {f[7]:>12}")
    rows = [[int(x) for x in f[2:6]] + [int(f[10]), java_floor(f)] for f in compare]
    print("median [min .. max] over runs:")
    print("  receiver CPU          ", spread([pct(r[0]) for r in rows], "%.3f%%"),
          " =", spread([r[0] / 1e3 / window for r in rows], "%.0f"), "us per second")
    print("  node_exporter CPU     ", spread([pct(r[1]) for r in rows], "%.2f%%"))
    print("  scraper (curl) CPU    ", spread([pct(r[2]) for r in rows], "%.2f%%"))
    print("  ethtool -S loop CPU   ", spread([pct(r[3]) for r in rows], "%.2f%%"))
    print("  receiver/node_exporter", spread([ratio(r[0], r[1]) for r in rows], "%.3f"), " target <= 0.25")
    print("  receiver/(ne+scraper) ", spread([ratio(r[0], r[1] + r[2]) for r in rows], "%.3f"))
    print("  receiver/ethtool loop ", spread([ratio(r[0], r[3]) for r in rows], "%.4f"), " target <= 0.01")
    print("  floor CPU (C, GSTATS) ", spread([pct(r[4]) for r in rows], "%.3f%%"),
          " =", spread([r[4] / 1e3 / window for r in rows], "%.0f"), "us per second")
    print("  floor/ethtool loop    ", spread([ratio(r[4], r[3]) for r in rows], "%.4f"),
          " (what the 0.01 target leaves once the bare reads are paid)")
    print("  receiver/floor        ", spread([ratio(r[0], r[4]) for r in rows], "%.1f"))
    java = [r[5] for r in rows if r[5] is not None]
    print("  Java floor CPU        ", spread([pct(j) for j in java], "%.3f%%"),
          " =", spread([j / 1e3 / window for j in java], "%.0f"), "us per second")
    print("  Java floor/ethtool loop", spread([ratio(r[5], r[3]) for r in rows], "%.4f"),
          " (the same reads from a JVM with the receiver's flags, nothing else)")
    print("  receiver/Java floor   ", spread([ratio(r[0], r[5]) for r in rows], "%.2f"))
    print("  receiver VmHWM MiB    ", spread([int(f[6]) / 1024 for f in compare], "%.1f"), " target <= 64")
    print("  first export s        ", spread([first(f[7]) for f in compare], "%.2f"), " target <= 1.5")
    print("  receiver start-up CPU s", spread([int(f[8]) / 1e9 for f in compare], "%.2f"), " (launch to first export)")
    print("  node_exporter ethtool series per scrape:", ", ".join(f[9] for f in compare))

if scale:
    print(f"\nScale: 50 replayed interfaces x 200 stats, every stat, 1 s sampling, {window:.0f} s window")
    for f in scale:
        print(f"  run {f[1]}: receiver {pct(int(f[2])):.3f}% of one core, VmHWM {int(f[6]) / 1024:.1f} MiB, "
              f"first export {f[7]} s")
    print("  receiver CPU median [min .. max]:", spread([pct(int(f[2])) for f in scale], "%.3f%%"), " target < 1%")
