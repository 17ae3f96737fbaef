"""teachkit.word2vec against gensim, in one run: words per second and the quality of the vectors.

    python benchmarks/word2vec.py                 # SGNS and CBOW+HS, workers=1, whole shipped corpus
    python benchmarks/word2vec.py --configs SG+HS SGNS CBOW+HS CBOW+NS   # HS against NS, like for like
    python benchmarks/word2vec.py --workers 1 2   # also Hogwild with 2 threads against gensim's 2 workers
    python benchmarks/word2vec.py --seeds 1 2 3   # quality as mean +- sd over seeds
    python benchmarks/word2vec.py --max-tokens 300000 --epochs 1   # a quick look

Settings as the issue asks: dim 100, window 5, sample 1e-3, 5 epochs, min_count 5; SGNS with
negative 5 (alpha 0.025), CBOW+HS with hs=1, negative=0 (alpha 0.05 for both libraries). SG+HS and
CBOW+NS complete the square: the same architecture with the other output layer, so that
hierarchical softmax and negative sampling can be compared like for like (same architecture, same
epochs, same alpha); the summary then prints, per library and architecture, the CPU time of HS
divided by that of NS, measured in this one process.
Each pair is trained back to back in this process. Speed counts the corpus tokens times the
epochs, divided by the training time only (vocabulary building excluded for both), from CPU time
(``time.process_time()``, all threads of the process) and wall time. Quality: WordSim353 and
SimLex-999 Spearman and 3CosAdd analogy accuracy (top 300,000 words, as gensim), all computed by
``teachkit.evaluate`` on both libraries' vectors. Changing only the seed moves these scores by a
few hundredths, so compare means over several seeds (``--seeds``) before calling a gap real.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from gensim.models import Word2Vec as GensimWord2Vec

from teachkit import data, evaluate, word2vec

CONFIGS = {
    "SGNS": dict(cbow=0, hs=0, negative=5, alpha=0.025),
    "SG+HS": dict(cbow=0, hs=1, negative=0, alpha=0.025),
    "CBOW+HS": dict(cbow=1, hs=1, negative=0, alpha=0.05),
    "CBOW+NS": dict(cbow=1, hs=0, negative=5, alpha=0.05),
}
DEFAULT_CONFIGS = ["SGNS", "CBOW+HS"]
PAIRS = {"skip-gram": ("SG+HS", "SGNS"), "CBOW": ("CBOW+HS", "CBOW+NS")}  # (HS, NS)
COMMON = dict(size=100, window=5, sample=1e-3, min_count=5)


def quality(vectors, words) -> dict[str, float]:
    return {
        "WS353": evaluate.word_similarity(vectors, words, data.wordsim353()).spearman,
        "SimLex": evaluate.word_similarity(vectors, words, data.simlex999()).spearman,
        "analogy": evaluate.analogy_accuracy(vectors, words, data.analogies()).accuracy,
    }


def run_gensim(sentences, n_tokens, config, epochs, workers, seed):
    model = GensimWord2Vec(vector_size=COMMON["size"], window=COMMON["window"], sample=COMMON["sample"],
                           min_count=COMMON["min_count"], sg=1 - config["cbow"], hs=config["hs"],
                           negative=config["negative"], alpha=config["alpha"], workers=workers,
                           seed=seed, epochs=epochs)
    model.build_vocab(sentences)
    wall, cpu = time.perf_counter(), time.process_time()
    model.train(sentences, total_examples=model.corpus_count, epochs=epochs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return model.wv.vectors, list(model.wv.index_to_key), epochs * n_tokens / cpu, epochs * n_tokens / wall


def run_teachkit(sentences, n_tokens, config, epochs, workers, seed):
    model = word2vec.train(sentences, **COMMON, **config, iter=epochs, workers=workers, seed=seed,
                           progress=False)
    cpu, wall = sum(model.history["cpu_seconds"]), sum(model.history["seconds"])
    return model.vectors, model.words, epochs * n_tokens / cpu, epochs * n_tokens / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-tokens", type=int, default=None, help="use only the first N corpus tokens")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--configs", nargs="+", default=DEFAULT_CONFIGS, choices=list(CONFIGS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()

    sentences = data.word2vec_corpus(args.max_tokens)
    n_tokens = sum(map(len, sentences))
    print(f"corpus: {len(sentences):,} sentences, {n_tokens:,} tokens; epochs {args.epochs}; {COMMON}")
    # Compile (or load from numba's cache) before timing anything.
    word2vec.train(sentences[:500], **{**COMMON, "min_count": 1}, cbow=0, iter=1, progress=False)
    word2vec.train(sentences[:500], **{**COMMON, "min_count": 1}, cbow=1, hs=1, negative=0, iter=1,
                   workers=2, progress=False)

    header = f"{'config':8} {'workers':>7} {'library':9} {'words/s CPU':>12} {'words/s wall':>13} " \
             f"{'WS353':>6} {'SimLex':>6} {'analogy':>7}"
    print(header)
    summary = []
    for name in args.configs:
        for workers in args.workers:
            results = {"gensim": [], "teachkit": []}
            for seed in args.seeds:
                for library, run in (("gensim", run_gensim), ("teachkit", run_teachkit)):
                    vectors, words, cpu_rate, wall_rate = run(sentences, n_tokens, CONFIGS[name], args.epochs,
                                                              workers, seed)
                    scores = quality(np.asarray(vectors), words)
                    results[library].append([cpu_rate, wall_rate, *scores.values()])
                    print(f"{name:8} {workers:>7} {library:9} {cpu_rate:12,.0f} {wall_rate:13,.0f} "
                          f"{scores['WS353']:6.3f} {scores['SimLex']:6.3f} {scores['analogy']:7.3f}"
                          f"   seed {seed}", flush=True)
            summary.append((name, workers, {k: np.array(v) for k, v in results.items()}))

    print(f"\nteachkit / gensim over seeds {args.seeds}: speed ratio of the mean rates; quality mean (sd)")
    for name, workers, results in summary:
        g, t = results["gensim"], results["teachkit"]
        cpu_ratio, wall_ratio = t[:, 0].mean() / g[:, 0].mean(), t[:, 1].mean() / g[:, 1].mean()
        print(f"{name:8} workers={workers}: CPU {cpu_ratio:.2f}x, wall {wall_ratio:.2f}x")
        for k, metric in enumerate(("WS353", "SimLex", "analogy"), start=2):
            print(f"    {metric:8} teachkit {t[:, k].mean():.3f} ({t[:, k].std():.3f})  "
                  f"gensim {g[:, k].mean():.3f} ({g[:, k].std():.3f})  "
                  f"difference {t[:, k].mean() - g[:, k].mean():+.3f}")

    rates = {(name, workers): results for name, workers, results in summary}
    for architecture, (hs_name, ns_name) in PAIRS.items():
        for workers in args.workers:
            if (hs_name, workers) not in rates or (ns_name, workers) not in rates:
                continue
            hs, ns = rates[(hs_name, workers)], rates[(ns_name, workers)]
            print(f"\n{architecture}, workers={workers}: hierarchical softmax against negative sampling (5 noise words)")
            for library in ("teachkit", "gensim"):
                # CPU time per word is 1 / rate: HS time / NS time = NS rate / HS rate.
                ratio = ns[library][:, 0].mean() / hs[library][:, 0].mean()
                compared = ", ".join(f"{metric} {hs[library][:, k].mean():.3f} vs {ns[library][:, k].mean():.3f}"
                                    for k, metric in enumerate(("WS353", "SimLex", "analogy"), start=2))
                print(f"    {library:8} CPU time HS / NS {ratio:.2f}; HS vs NS: {compared}")

if __name__ == "__main__":
    main()
