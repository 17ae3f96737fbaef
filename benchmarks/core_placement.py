"""Where the host puts this machine's two CPUs while both are busy, second by second.

    python benchmarks/core_placement.py                  # 120 s, after 10 s idle
    python benchmarks/core_placement.py --seconds 600 --save benchmarks/core_placement.json  # the recorded watch
    python benchmarks/core_placement.py --from-json benchmarks/core_placement.json            # its summary again

On a virtual machine the host decides which of its cores run the guest's two CPUs, and it may move
them while a program runs. Whether they share a cache decides what Hogwild threads pay for each row
both write (``teachkit.cores``; docs/benchmarks.md, word2vec): so before judging a thread speed-up on
a machine, watch how it places its CPUs. This script measures the core-to-core time back to back
(each measurement keeps both CPUs busy, as two training threads do, for about 10-70 ms) and prints
the stretches of time during which the two CPUs were close (at most ``CLOSE_NS``) or apart, the
share of the watch they spent apart, and how long the stretches lasted. A measurement during which
the host moved them counts on the side its average falls; a stretch of a single measurement between
two of the other side is a move and its reversal within about one measurement, or noise. The watch
starts after ``--idle`` seconds of sleep, as a benchmark run starts after waiting for a quiet
machine. On a machine whose cores the host does not move, it prints one stretch, however long the
watch.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

from teachkit.cores import CLOSE_NS, core_to_core_ns


def watch(seconds: float) -> list[tuple[float, float, float]]:
    """Back-to-back measurements for ``seconds``: (start, end in seconds since the watch began, ns per
    cache line) of each."""
    samples, zero = [], time.perf_counter()
    while (start := time.perf_counter() - zero) < seconds:
        ns = core_to_core_ns()
        samples.append((start, time.perf_counter() - zero, ns))
    return samples


def stretches(samples: list[tuple[float, float, float]]) -> list[tuple[bool, float, float, float, float]]:
    """Runs of consecutive samples on one side of CLOSE_NS: (close, start s, end s, lowest ns, highest ns)."""
    runs = []
    for start, end, ns in samples:
        close = ns <= CLOSE_NS
        if runs and runs[-1][0] == close:
            _, first, _, low, high = runs[-1]
            runs[-1] = (close, first, end, min(low, ns), max(high, ns))
        else:
            runs.append((close, start, end, ns, ns))
    return runs


def summarize(runs: list, measurements: int) -> None:
    """Print the stretches (as ``stretches`` returns them), the moves, and per side the time, its share,
    and the median and longest stretch."""
    if not runs:
        print("no measurement")
        return
    for close, first, last, low, high in runs:
        print(f"  {first:6.1f}-{last:6.1f} s  {'close' if close else 'apart'}  {low:5.1f}-{high:5.1f} ns")
    total = runs[-1][2] - runs[0][1]
    print(f"{measurements} measurements in {total:.0f} s; {len(runs) - 1} move(s) between close and apart")
    for side in (True, False):
        lengths = [end - start for close, start, end, _, _ in runs if close == side]
        if lengths:
            print(f"{'close' if side else 'apart'}: {sum(lengths):.1f} s ({sum(lengths) / total:.0%} of the time) in "
                  f"{len(lengths)} stretch(es), median {statistics.median(lengths):.1f} s, longest {max(lengths):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to watch (default 120)")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds to sleep first (default 10)")
    parser.add_argument("--save", type=Path, help="write the stretches to this JSON file")
    parser.add_argument("--from-json", type=Path, help="print the summary of a saved watch and stop")
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        print(f"{saved['date']}: {saved['command']}; load average {saved['load']:.2f} before the watch; "
              f"close: at most {saved['close_ns']} ns per cache line")
        summarize(saved["stretches"], saved["measurements"])
        return
    if not args.seconds > 0:
        parser.error(f"--seconds must be more than 0, got {args.seconds}")
    if args.save and not os.access(args.save.resolve().parent, os.W_OK):  # say so now, not after the watch
        parser.error(f"cannot write --save {args.save}: its folder does not exist or is not writable")
    if math.isnan(core_to_core_ns(1000)):  # also compiles the measurement before the watch
        raise SystemExit("This process may use one CPU only (or cannot pin threads to CPUs): nothing to watch.")
    time.sleep(args.idle)
    date, load = time.strftime("%Y-%m-%d %H:%M"), os.getloadavg()[0]
    print(f"{date}, load average {load:.2f} after {args.idle:.0f} s idle; close: at most {CLOSE_NS} ns per cache line")
    samples = watch(args.seconds)
    runs = stretches(samples)
    summarize(runs, len(samples))
    if args.save:
        args.save.write_text(json.dumps({
            "command": "python benchmarks/core_placement.py " + " ".join(sys.argv[1:]), "date": date, "load": load,
            "close_ns": CLOSE_NS, "measurements": len(samples),
            "stretches": runs,
        }, indent=1) + "\n")


if __name__ == "__main__":
    main()
