"""Spark MLlib's numPartitions and numIterations, measured over several seeds (notebook 06, issue 16).

    python benchmarks/spark_partitions.py                  # the recorded study (numpy imitation, ~20 min)
    python benchmarks/spark_partitions.py --spark          # also real pyspark in local mode
    python benchmarks/spark_partitions.py --tokens 100000 --seeds 1 --partitions 1 2 --iterations 1 2

The question. MLlib's scaladoc says numIterations "should be smaller than or equal to number of
partitions" and numPartitions should be "a small number for accuracy"; the first is a comment, not
a check (the setter only stores the value). Does either describe what happens?

What runs. ``teachkit.mllib`` trains skip-gram + hierarchical softmax the way MLlib does: P private
copies of the model, each on its share of the sentences, merged after every iteration. Three
variants: "1.6" (copies summed, learning rate restarting every iteration, sentence ends ignored),
"1.6 averaged" (1.6 with only the merge changed to the average of SPARK-24666) and "3.0" (average,
one learning-rate decay over all iterations, as Spark 3 and 4 do). Training text: the first
``--tokens`` tokens of ``data.word2vec_corpus()``; held out: the next ``--heldout`` tokens. For
every (variant, P, I, seed): the held-out loss (mean -log p(centre | context) over every pair
within the window, ``mllib.heldout_loss``; lower is better, and much steadier than the similarity
scores), WordSim353 and SimLex-999 Spearman, and the largest |syn0| entry. Tables give the mean
+- standard deviation over seeds.

``--spark`` adds real pyspark (local[2]) runs of P in {1, 2}. In local mode the driver and both
task threads share one JVM, and the broadcast syn0 / syn1 the tasks read *are the driver's arrays*
(TorrentBroadcast keeps the driver's own object for tasks that run on the driver), so the two
partitions write into one model at once instead of training private copies: local mode cannot
show what partitions do on a cluster. It still shows what iterations do.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from teachkit import data, evaluate, mllib
from teachkit.corpus import Vocab

VARIANTS = {
    "1.6": dict(version="1.6"),
    "1.6 averaged": dict(version="1.6", merge="average"),
    "3.0": dict(version="3.0"),
}


def split(tokens: int, heldout: int):
    sentences = data.word2vec_corpus(tokens + heldout)
    total = 0
    for i, s in enumerate(sentences):
        total += len(s)
        if total >= tokens:
            return sentences[:i + 1], sentences[i + 1:]
    raise SystemExit(f"the corpus has fewer than {tokens:,} tokens")


def scores(vectors, words, ws, sl) -> tuple[float, float]:
    return (evaluate.word_similarity(vectors, words, ws).spearman,
            evaluate.word_similarity(vectors, words, sl).spearman)


def mean_sd(values) -> str:
    if not values:
        return "–"   # not run
    values = [v for v in values if np.isfinite(v)]
    if not values:
        return "inf"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_imitation(args, train, held, vocab, ws, sl) -> dict:
    results = {}
    for name, settings in VARIANTS.items():
        for P in args.partitions:
            for I in args.iterations:
                for seed in args.seeds:
                    if name == "1.6 averaged" and P == 1:   # one copy: its sum is its average
                        results[name, P, I, seed] = results["1.6", P, I, seed]
                        continue
                    start = time.perf_counter()
                    model = mllib.train(train, num_partitions=P, num_iterations=I, seed=seed, vocab=vocab,
                                        vector_size=args.size, **settings)
                    loss = mllib.heldout_loss(model, held)
                    finite = np.all(np.isfinite(model.vectors))
                    ws_rho, sl_rho = scores(model.vectors, model.words, ws, sl) if finite else (np.nan, np.nan)
                    results[name, P, I, seed] = dict(loss=loss, ws=ws_rho, sl=sl_rho,
                                                     max_abs=model.history["max_abs"][-1])
                    print(f"{name:<13} P={P} I={I} seed={seed}: held-out loss {loss:.4f}  WS353 {ws_rho:.3f}  "
                          f"SimLex {sl_rho:.3f}  max|syn0| {model.history['max_abs'][-1]:.3g}  "
                          f"({time.perf_counter() - start:.0f} s, load {loadavg()})", flush=True)
    return results


def table(results, args, metric: str, variants) -> str:
    head = "| variant | P | " + " | ".join(f"I = {I}" for I in args.iterations) + " |"
    lines = [head, "|" + "---|" * (2 + len(args.iterations))]
    for name in variants:
        for P in args.partitions:
            if not any((name, P, I, s) in results for I in args.iterations for s in args.seeds):
                continue
            cells = []
            for I in args.iterations:
                values = [results[name, P, I, s][metric] for s in args.seeds if (name, P, I, s) in results]
                cell = mean_sd(values)
                cells.append(f"**{cell}**" if I > P else cell)   # bold: the cells the "rule" forbids
            lines.append(f"| {name} | {P} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(results, args, variants) -> str:
    """Where do more iterations make the held-out loss worse than one iteration (beyond 2 sd)?"""
    out = []
    for name in variants:
        hurt, help_ = [], []
        for P in args.partitions:
            base = [results[name, P, 1, s]["loss"] for s in args.seeds]
            for I in args.iterations:
                if I == 1:
                    continue
                now = [results[name, P, I, s]["loss"] for s in args.seeds]
                diff = [b - a for a, b in zip(base, now)]          # > 0: worse than one iteration
                noise = 2 * (statistics.stdev(diff) if len(diff) > 1 else 0.0)
                mean = statistics.mean(diff) if np.all(np.isfinite(diff)) else np.inf
                tag = f"P={P} I={I}{' (I > P)' if I > P else ''}"
                if mean > noise:
                    hurt.append(tag)
                elif mean < -noise:
                    help_.append(tag)
        out.append(f"{name}, held-out loss: more iterations than one hurt at {', '.join(hurt) or 'no cell'}; "
                   f"helped at {', '.join(help_) or 'no cell'}.")
    return "\n".join(out)


def run_spark(args, train, ws, sl) -> dict:
    from teachkit import spark
    session = spark.local_session(cores=2)
    corpus = spark.write_sentences(train, Path(tempfile.mkdtemp(prefix="teachkit_bench_")) / "corpus.txt")
    spark.train_word2vec(corpus, vector_size=10, num_partitions=2, spark=session)  # warm-up
    results = {}
    for P in [p for p in args.partitions if p <= 2]:
        for I in args.iterations:
            for seed in args.seeds:
                r = spark.train_word2vec(corpus, vector_size=args.size, num_partitions=P, num_iterations=I,
                                         seed=seed, spark=session)
                ws_rho, sl_rho = scores(r.vectors, r.words, ws, sl)
                results["pyspark local[2]", P, I, seed] = dict(ws=ws_rho, sl=sl_rho, loss=np.nan, max_abs=np.nan)
                print(f"pyspark local[2] P={P} I={I} seed={seed}: WS353 {ws_rho:.3f}  SimLex {sl_rho:.3f}  "
                      f"({r.seconds:.0f} s, load {loadavg()})", flush=True)
    session.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=500_000, help="training tokens (default 500,000)")
    parser.add_argument("--heldout", type=int, default=100_000, help="held-out tokens (default 100,000)")
    parser.add_argument("--size", type=int, default=100, help="vector size (default 100)")
    parser.add_argument("--partitions", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--iterations", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--spark", action="store_true", help="also run pyspark in local mode (P <= 2)")
    args = parser.parse_args()
    if 1 not in args.iterations:
        args.iterations = [1] + args.iterations

    train, held = split(args.tokens, args.heldout)
    vocab = Vocab.build(train, min_count=5)
    ws, sl = data.wordsim353(), data.simlex999()
    print(f"{sum(map(len, train)):,} training tokens ({len(vocab):,} words with count >= 5), "
          f"{sum(map(len, held)):,} held out; size {args.size}, window 5, learning rate 0.025; "
          f"seeds {args.seeds}; load {loadavg()}", flush=True)
    start = time.perf_counter()
    results = run_imitation(args, train, held, vocab, ws, sl)
    variants = list(VARIANTS)
    if args.spark:
        results.update(run_spark(args, train, ws, sl))
    print(f"\nwall time {time.perf_counter() - start:.0f} s, load {loadavg()}")
    print("\nHeld-out loss (mean ± sd over seeds; lower is better; bold: numIterations > numPartitions)\n")
    print(table(results, args, "loss", variants))
    print("\nWordSim353 Spearman\n")
    print(table(results, args, "ws", variants + (["pyspark local[2]"] if args.spark else [])))
    print("\nSimLex-999 Spearman\n")
    print(table(results, args, "sl", variants + (["pyspark local[2]"] if args.spark else [])))
    print("\nLargest |syn0| entry after training\n")
    print(table(results, args, "max_abs", variants))
    print("\n" + verdict(results, args, variants))


if __name__ == "__main__":
    main()
