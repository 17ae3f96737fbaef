"""teachkit.word2vec against gensim, with one and two workers, in one run: speed and quality.

    python benchmarks/word2vec.py                      # issue 20: 4 architectures x 1, 2 workers x seeds 1-3
    python benchmarks/word2vec.py --wait-for-load 0.5  # before each timed run, wait for a quiet machine
    python benchmarks/word2vec.py --wait-for-load 0.5 --save benchmarks/word2vec.json  # the recorded run
    python benchmarks/word2vec.py --configs SGNS --workers 1 --seeds 1   # one quick look
    python benchmarks/word2vec.py --max-tokens 300000 --epochs 1         # a quicker one
    python benchmarks/word2vec.py --from-json benchmarks/word2vec.json   # the recorded run's summary again
    python benchmarks/word2vec.py --from-json benchmarks/word2vec*.json  # every recorded run, then pooled

Settings as issue 20 asks: dim 100, window 5, sample 1e-3, 5 epochs, min_count 5. The four
architectures: skip-gram (SG) and CBOW, each with negative sampling (NS: negative 5) and with
hierarchical softmax (HS: hs=1, negative 0); alpha 0.025 for SG, 0.05 for CBOW (the same values
passed to both libraries).

Each run of gensim is followed by the same run of teachkit, in this process. Speed counts the
corpus tokens times the epochs, divided by the time of the ``train`` call (the vocabulary is built
before it for both libraries; teachkit's call includes turning the sentences into indices, gensim's
its lookups in every epoch), as CPU time (``time.process_time()``: all threads of the process) and
as wall time. The load average (``os.getloadavg()``, 1 minute) is printed before and after each
run: a second thread only runs on a core nothing else wants, so a two-worker wall time means
something only when the load before the run was low (below 0.5 on this 2-core machine). Before
and after each two-worker run the script also measures how long a cache line takes to travel from
one core to the other (``teachkit.cores``): Hogwild threads pass the rows of frequent words back
and forth, and on a virtual machine this time depends on where the host puts the virtual CPUs,
which can change from one minute to the next (about 30 ns when they share a cache, about 170 ns
when they do not, on the machine of docs/benchmarks.md); the summary gives the largest value seen
around each architecture's two-worker runs, and, when the cores were close (at most CLOSE_NS) for
some seeds and apart for others, the threads' two ratios over the close seeds alone.

The summary gives, per architecture, the ratios issue 20 sets goals for:
* 1 worker, teachkit / gensim words per CPU-second (goal >= 1.2);
* 2 workers, teachkit / gensim words per wall-second (goal >= 1.0);
* teachkit's words per CPU-second with 2 workers / with 1 (goal >= 0.9: threads must not waste CPU);
* teachkit's wall-clock speed-up of 2 workers over 1 (goal >= 1.7, judged only when the load
  before both runs was below 0.5), gensim's beside it;
* quality with 1 worker: WordSim353 and SimLex-999 Spearman and 3CosAdd analogy accuracy (top
  300,000 words, as gensim), all by ``teachkit.evaluate`` on both libraries' vectors, as means over
  the seeds; goal: teachkit's within 0.02 of gensim's. A seed alone moves these scores by a few
  thousandths to a hundredth, hence the means.
Then, per architecture pair, the CPU time of hierarchical softmax against negative sampling.

A reference for the words-per-CPU-second goal, measured in the same run: after each seed's
two-worker runs, two one-worker teachkit runs of that seed start at once in two forked processes,
which share no row they write. Their words per CPU-second, against the one-worker run alone, is
what two busy cores gave in that minute with no row passing between them (the clock of a core with
both busy, the cache and memory they share, the host's other guests), though each process holds a
whole model, and the threads ran minutes earlier: a reference point, not a limit. The summary
prints it beside the threads' figure (``--no-control`` leaves it out).
"""
from __future__ import annotations

import os

# The quality scores multiply matrices with BLAS; after a call, OpenBLAS's threads keep a core busy
# for a moment, which the next timed run would pay for. One BLAS thread: nothing is timed there.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import queue  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gensim  # noqa: E402
import numba  # noqa: E402
import numpy as np  # noqa: E402
from gensim.models import Word2Vec as GensimWord2Vec  # noqa: E402

from teachkit import data, evaluate, word2vec  # noqa: E402
from teachkit.cores import CLOSE_NS, core_to_core_ns  # noqa: E402
from teachkit.corpus import Vocab  # noqa: E402

CONFIGS = {
    "SGNS": dict(cbow=0, hs=0, negative=5, alpha=0.025),
    "SG+HS": dict(cbow=0, hs=1, negative=0, alpha=0.025),
    "CBOW+NS": dict(cbow=1, hs=0, negative=5, alpha=0.05),
    "CBOW+HS": dict(cbow=1, hs=1, negative=0, alpha=0.05),
}
PAIRS = {"skip-gram": ("SG+HS", "SGNS"), "CBOW": ("CBOW+HS", "CBOW+NS")}  # (HS, NS)
COMMON = dict(size=100, window=5, sample=1e-3, min_count=5)
METRICS = ("WS353", "SimLex", "analogy")
QUIET_LOAD = 0.5  # issue 20: the two-worker speed-up counts in a run that starts below this load
GOALS = dict(cpu_1=1.2, wall_2=1.0, cpu_efficiency=0.9, speedup=1.7, quality=0.02)


def quality(vectors, words) -> dict[str, float]:
    return {
        "WS353": evaluate.word_similarity(vectors, words, data.wordsim353()).spearman,
        "SimLex": evaluate.word_similarity(vectors, words, data.simlex999()).spearman,
        "analogy": evaluate.analogy_accuracy(vectors, words, data.analogies()).accuracy,
    }


def run_gensim(sentences, vocab, config, epochs, workers, seed):
    model = GensimWord2Vec(vector_size=COMMON["size"], window=COMMON["window"], sample=COMMON["sample"],
                           min_count=COMMON["min_count"], sg=1 - config["cbow"], hs=config["hs"],
                           negative=config["negative"], alpha=config["alpha"], workers=workers,
                           seed=seed, epochs=epochs)
    model.build_vocab(sentences)
    wall, cpu = time.perf_counter(), time.process_time()
    model.train(sentences, total_examples=model.corpus_count, epochs=epochs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return model.wv.vectors, list(model.wv.index_to_key), cpu, wall


def run_teachkit(sentences, vocab, config, epochs, workers, seed):
    wall, cpu = time.perf_counter(), time.process_time()
    model = word2vec.train(sentences, vocab=vocab, **COMMON, **config, iter=epochs, workers=workers, seed=seed,
                           progress=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return model.vectors, model.words, cpu, wall


def run_independent_pair(sentences, vocab, config, epochs, seed) -> tuple[list[float], float]:
    """Two one-worker teachkit runs at once, in two forked processes: (each one's CPU seconds, the
    wall seconds until both ended). Fork: the children start with the corpus and the compiled loop
    in memory, and each first encodes the corpus once untimed, so the pages that reading it writes
    (Python's reference counts) are copied before the clock starts. A child that raises or dies
    makes this raise RuntimeError; nothing waits forever."""
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(3), context.Queue()

    def child():
        try:
            word2vec._encode(sentences, vocab)
            ready.wait()
            results.put(run_teachkit(sentences, vocab, config, epochs, 1, seed)[2])
        except threading.BrokenBarrierError:  # the other child failed first: its error is the one to report
            results.put(None)
        except BaseException as error:  # hand it to the parent, which would otherwise wait for it
            ready.abort()
            results.put(error)

    processes = [context.Process(target=child) for _ in range(2)]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=600)
    except threading.BrokenBarrierError:  # a child failed or died before training: found below
        pass
    wall = time.perf_counter()
    outcomes = []
    while len(outcomes) < len(processes):
        try:
            outcomes.append(results.get(timeout=5))
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:  # killed (a signal, out of memory) before it could report
                for process in processes:
                    process.kill()
                raise RuntimeError(f"a process of the independent pair died (exit code {dead[0]}); "
                                   "--no-control skips the pair") from None
    wall = time.perf_counter() - wall
    for process in processes:
        process.join()
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    if errors or None in outcomes:
        raise RuntimeError("a process of the independent pair failed; --no-control skips the pair") from (
            errors[0] if errors else None)
    return outcomes, wall


def code_version() -> str | None:
    """The commit the benchmark ran at (``-dirty`` if files were changed), or None outside a git clone."""
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=Path(__file__).parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def wait_for_load(limit: float, patience: float = 300.0) -> None:
    """Sleep until the 1-minute load average is below ``limit`` (at most ``patience`` seconds)."""
    start = time.perf_counter()
    while os.getloadavg()[0] >= limit and time.perf_counter() - start < patience:
        time.sleep(5)


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def shown(x: float, goal: float) -> str:
    """x with two decimals, or three where two would round a miss up to the goal (1.697, not 1.70)."""
    return f"{x:.3f}" if x < goal <= round(x, 2) else f"{x:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-tokens", type=int, default=None, help="use only the first N corpus tokens")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--wait-for-load", type=float, default=None, metavar="LOAD",
                        help="before each timed run, wait (up to 5 minutes) until the load average is below LOAD")
    parser.add_argument("--save", type=Path, default=None, metavar="JSON",
                        help="also write every run to this file (benchmarks/word2vec.json is the one "
                             "notebook 04 reads)")
    parser.add_argument("--no-control", action="store_true",
                        help="skip the two independent one-worker runs at once (the reference with no row shared)")
    parser.add_argument("--from-json", type=Path, nargs="+", default=None, metavar="JSON",
                        help="train nothing: print the summary of each run that --save wrote, and with several, "
                             "the threads' words per CPU-second pooled over them")
    args = parser.parse_args()
    if args.from_json:
        recorded = []
        for file in args.from_json:
            runs, seeds = load_runs(file)
            summarize(runs, sorted({k[0] for k in runs}, key=list(CONFIGS).index), sorted({k[1] for k in runs}), seeds)
            recorded.append(runs)
            print()
        if len(recorded) > 1:
            pooled(recorded)
        return

    sentences = data.word2vec_corpus(args.max_tokens)
    n_tokens = sum(map(len, sentences))
    vocab = Vocab.build(sentences, min_count=COMMON["min_count"])
    print(f"corpus: {len(sentences):,} sentences, {n_tokens:,} tokens, {len(vocab):,} words with count >= "
          f"{COMMON['min_count']}; epochs {args.epochs}; {COMMON}; {os.cpu_count()} cores; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    # Compile (or load from numba's cache) before timing anything: the threads' hot-row copies too.
    for config in CONFIGS.values():
        for workers in args.workers:
            word2vec.train(sentences[:500], **{**COMMON, "min_count": 1}, **config, iter=1, workers=workers,
                           progress=False)

    print(f"{'config':8} {'workers':>7} {'seed':>4} {'library':9} {'words/s CPU':>12} {'words/s wall':>13} "
          f"{'WS353':>6} {'SimLex':>6} {'analogy':>7}   load before -> after, core-to-core ns before -> after")
    # runs[name, workers, library] = rows of [cpu rate, wall rate, WS353, SimLex, analogy, core-to-core ns,
    # load before]; library "independent" (workers 2): the two processes at once, their mean CPU rate and
    # the words of both per wall-second, no quality
    runs: dict[tuple, list] = {}
    for name in args.configs:
        for seed in args.seeds:
            for workers in args.workers:
                for library, run in (("gensim", run_gensim), ("teachkit", run_teachkit)):
                    if args.wait_for_load is not None:
                        wait_for_load(args.wait_for_load)
                    transfer = core_to_core_ns() if workers > 1 else float("nan")
                    before = os.getloadavg()[0]
                    vectors, words, cpu, wall = run(sentences, vocab, CONFIGS[name], args.epochs, workers, seed)
                    after = os.getloadavg()[0]
                    transfer_after = core_to_core_ns() if workers > 1 else float("nan")
                    scores = quality(np.asarray(vectors), words)
                    cpu_rate, wall_rate = args.epochs * n_tokens / cpu, args.epochs * n_tokens / wall
                    runs.setdefault((name, workers, library), []).append(
                        [cpu_rate, wall_rate, *scores.values(), max(transfer, transfer_after), before])
                    print(f"{name:8} {workers:>7} {seed:>4} {library:9} {cpu_rate:12,.0f} {wall_rate:13,.0f} "
                          f"{scores['WS353']:6.3f} {scores['SimLex']:6.3f} {scores['analogy']:7.3f}   "
                          f"{before:.2f} -> {after:.2f}" + (f", {transfer:.0f} -> {transfer_after:.0f}" if workers > 1 else ""), flush=True)
                if workers == 2 and 1 in args.workers and not args.no_control:
                    if args.wait_for_load is not None:
                        wait_for_load(args.wait_for_load)
                    transfer, before = core_to_core_ns(), os.getloadavg()[0]
                    cpus, wall = run_independent_pair(sentences, vocab, CONFIGS[name], args.epochs, seed)
                    after, transfer_after = os.getloadavg()[0], core_to_core_ns()
                    cpu_rate, wall_rate = args.epochs * n_tokens / np.mean(cpus), 2 * args.epochs * n_tokens / wall
                    runs.setdefault((name, 2, "independent"), []).append(
                        [cpu_rate, wall_rate, *[float("nan")] * len(METRICS), max(transfer, transfer_after), before])
                    print(f"{name:8} {'1 + 1':>7} {seed:>4} {'teachkit':9} {cpu_rate:12,.0f} {wall_rate:13,.0f} "
                          f"{'(two processes at once)':>22}   {before:.2f} -> {after:.2f}, "
                          f"{transfer:.0f} -> {transfer_after:.0f}", flush=True)
    if args.save:
        args.save.write_text(json.dumps({
            "command": "python benchmarks/word2vec.py " + " ".join(sys.argv[1:]),
            "commit": code_version(), "date": time.strftime("%Y-%m-%d"), "gensim": gensim.__version__, "numba": numba.__version__,
            "tokens": n_tokens, "epochs": args.epochs, "seeds": args.seeds, "settings": COMMON, "configs": CONFIGS,
            "columns": ["words/s CPU", "words/s wall", *METRICS, "core-to-core ns", "load before"],
            "runs": [{"config": name, "workers": workers, "library": library, "rows": rows}
                     for (name, workers, library), rows in runs.items()]}, indent=1) + "\n")
    summarize(runs, args.configs, args.workers, args.seeds)


def load_runs(file: Path) -> tuple[dict[tuple, list], list[int]]:
    """The runs a ``--save`` wrote: ({(config, workers, library): rows, one per seed}, the seeds)."""
    recorded = json.loads(file.read_text(encoding="utf-8"))
    print(f"{file}, recorded: {recorded['command']} ({recorded['date']}, gensim {recorded['gensim']}, "
          f"numba {recorded['numba']}, {recorded['tokens']:,} tokens x {recorded['epochs']} epochs)")
    return {(r["config"], r["workers"], r["library"]): r["rows"] for r in recorded["runs"]}, recorded["seeds"]


def summarize(runs: dict[tuple, list], configs, workers_list, seeds) -> None:
    """Print the ratios issue 20 sets goals for, the quality differences and HS against NS."""
    runs = {key: np.array(rows, dtype=float) for key, rows in runs.items()}

    def rate(name, workers, library, column):  # mean over the seeds
        return runs[name, workers, library][:, column].mean()

    print(f"\nSpeed, teachkit / gensim, from the mean rates over seeds {seeds} (goals of issue 20 in brackets):")
    for name in configs:
        parts = []
        if 1 in workers_list:
            r = rate(name, 1, "teachkit", 0) / rate(name, 1, "gensim", 0)
            parts.append(f"1 worker CPU {shown(r, GOALS['cpu_1'])}x [{mark(r >= GOALS['cpu_1'])}]")
        if 2 in workers_list:
            r = rate(name, 2, "teachkit", 1) / rate(name, 2, "gensim", 1)
            parts.append(f"2 workers wall {shown(r, GOALS['wall_2'])}x [{mark(r >= GOALS['wall_2'])}]")
        if 1 in workers_list and 2 in workers_list:
            efficiency = rate(name, 2, "teachkit", 0) / rate(name, 1, "teachkit", 0)
            speedup = rate(name, 2, "teachkit", 1) / rate(name, 1, "teachkit", 1)
            gensim_speedup = rate(name, 2, "gensim", 1) / rate(name, 1, "gensim", 1)
            load = max(runs[name, w, "teachkit"][:, -1].max() for w in (1, 2))
            transfers = runs[name, 2, "teachkit"][:, -2]
            judged = (f"[{mark(speedup >= GOALS['speedup'])}]" if load < QUIET_LOAD
                      else f"[not judged: load up to {load:.2f} before the runs]")
            parts.append(f"teachkit 2 workers / 1: words per CPU-second {shown(efficiency, GOALS['cpu_efficiency'])} "
                         f"[{mark(efficiency >= GOALS['cpu_efficiency'])}], wall speed-up "
                         f"{shown(speedup, GOALS['speedup'])}x {judged} "
                         f"(gensim's {gensim_speedup:.2f}x); core-to-core {transfers.min():.0f}-{transfers.max():.0f} ns")
            if (name, 2, "independent") in runs:  # the reference: two processes, no row shared
                reference = rate(name, 2, "independent", 0) / rate(name, 1, "teachkit", 0)
                parts.append(f"two one-worker runs at once, in two processes: words per CPU-second {reference:.2f} "
                             "of one alone")
            # Seed by seed: the speed-up of that seed's two runs, and where the host had put the cores.
            per_seed = runs[name, 2, "teachkit"][:, 1] / runs[name, 1, "teachkit"][:, 1]
            parts.append("per seed " + ", ".join(f"{x:.2f}x ({ns:.0f} ns)" for x, ns in zip(per_seed, transfers)))
            close = transfers <= CLOSE_NS
            if close.any() and not close.all():  # the same two ratios over the seeds whose cores shared a cache
                one, two = runs[name, 1, "teachkit"][close], runs[name, 2, "teachkit"][close]
                efficiency, speedup = two[:, 0].mean() / one[:, 0].mean(), two[:, 1].mean() / one[:, 1].mean()
                parts.append(f"the {close.sum()} seed(s) with the cores close (at most {CLOSE_NS} ns): words per "
                             f"CPU-second {shown(efficiency, GOALS['cpu_efficiency'])} "
                             f"[{mark(efficiency >= GOALS['cpu_efficiency'])}], wall "
                             f"speed-up {shown(speedup, GOALS['speedup'])}x [{mark(speedup >= GOALS['speedup'])}]")
        print(f"  {name:8} " + "; ".join(parts))

    for workers in workers_list:
        print(f"\nQuality, workers={workers}: mean (sd) over seeds {seeds}; teachkit - gensim"
              + (f" [goal: within {GOALS['quality']}]" if workers == 1 else ""))
        for name in configs:
            t, g = runs[name, workers, "teachkit"], runs[name, workers, "gensim"]
            cells = []
            for k, metric in enumerate(METRICS, start=2):
                difference = t[:, k].mean() - g[:, k].mean()
                cells.append(f"{metric} {t[:, k].mean():.3f} ({t[:, k].std():.3f}) vs {g[:, k].mean():.3f} "
                             f"({g[:, k].std():.3f}) {difference:+.3f}"
                             + (f" [{mark(abs(difference) <= GOALS['quality'])}]" if workers == 1 else ""))
            print(f"  {name:8} " + "; ".join(cells))

    for architecture, (hs_name, ns_name) in PAIRS.items():
        for workers in workers_list:
            if (hs_name, workers, "teachkit") not in runs or (ns_name, workers, "teachkit") not in runs:
                continue
            print(f"\n{architecture}, workers={workers}: hierarchical softmax against negative sampling (5 noise words)")
            for library in ("teachkit", "gensim"):
                # CPU time per word is 1 / rate: HS time / NS time = NS rate / HS rate.
                ratio = rate(ns_name, workers, library, 0) / rate(hs_name, workers, library, 0)
                compared = ", ".join(f"{metric} {rate(hs_name, workers, library, k):.3f} vs "
                                     f"{rate(ns_name, workers, library, k):.3f}"
                                     for k, metric in enumerate(METRICS, start=2))
                print(f"    {library:8} CPU time HS / NS {ratio:.2f}; HS vs NS: {compared}")


def pooled(recorded: list[dict[tuple, list]]) -> None:
    """Over several saved runs, per architecture: teachkit's words per CPU-second with 2 workers against
    the same seed's run with 1 (a ratio per seed, unlike the summary's ratio of means), over all seeds
    and split by where the cores were around the 2-worker run (the larger of the times before and
    after: close at most CLOSE_NS). Mean, range and count of the seeds in each group. Raises
    ValueError when a run has not as many 2-worker seeds as 1-worker ones (the seeds pair by order)."""
    goal = GOALS["cpu_efficiency"]
    print(f"Over the {len(recorded)} runs: teachkit's words per CPU-second, 2 workers / 1, seed by seed; mean "
          f"(range, seeds) over all seeds, with the cores close (at most {CLOSE_NS} ns both before and after the "
          "2-worker run) and apart (more than that before or after):")
    for name in CONFIGS:
        both = [runs for runs in recorded if (name, 1, "teachkit") in runs and (name, 2, "teachkit") in runs]
        if not both:
            continue
        if any(len(runs[name, 1, "teachkit"]) != len(runs[name, 2, "teachkit"]) for runs in both):
            raise ValueError(f"{name}: a run has not as many 2-worker seeds as 1-worker ones; pool only runs "
                             "that --save wrote with both worker counts")
        one = np.concatenate([np.array(runs[name, 1, "teachkit"], dtype=float) for runs in both])
        two = np.concatenate([np.array(runs[name, 2, "teachkit"], dtype=float) for runs in both])
        ratio, transfers = two[:, 0] / one[:, 0], two[:, -2]
        groups = (("all", np.ones(len(ratio), bool)), ("close", transfers <= CLOSE_NS), ("apart", transfers > CLOSE_NS))
        parts = [f"{group} {shown(ratio[chosen].mean(), goal)} ({ratio[chosen].min():.2f}-{ratio[chosen].max():.2f}, "
                 f"{chosen.sum()})" for group, chosen in groups if chosen.any()]
        if np.isnan(transfers).any():  # a machine where the time could not be measured (one CPU)
            parts.append(f"{np.isnan(transfers).sum()} seed(s) without a core-to-core time")
        print(f"  {name:8} " + "; ".join(parts))


if __name__ == "__main__":
    main()
