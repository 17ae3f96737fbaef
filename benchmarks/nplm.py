"""Benchmark: Bengio's NPLM on Brown doc80 against the Kneser-Ney n-gram models of notebook 01.

Trains ``teachkit.nplm`` within a wall-clock budget (default 30 minutes) on one thread, keeps the
checkpoint with the best validation perplexity, and reports its test perplexity next to the
interpolated Kneser-Ney trigram and the 5-gram modified Kneser-Ney from ``teachkit.ngram``, plus
Bengio's "mix": P = 0.5 P_NPLM + 0.5 P_KN3, token by token.

    OPENBLAS_NUM_THREADS=1 python benchmarks/nplm.py                  # train (30 min), save, evaluate
    OPENBLAS_NUM_THREADS=1 python benchmarks/nplm.py --evaluate-only  # re-score the shipped model

Training writes ``data/nplm_brown.npz`` (float32) with the command that made it, its validation
and test perplexity and its training history, and records its SHA-256 in data/SHA256SUMS so that
``teachkit.data.path("nplm_brown.npz")`` verifies it; tests/test_nplm.py recomputes the test
perplexity from it. Set OPENBLAS_NUM_THREADS=1 before starting: the figures are single-threaded.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
import time

import numpy as np

from teachkit import corpus, data, ngram, nplm

MODEL_FILE = "nplm_brown.npz"
MKN5_REFERENCE = 138.3  # docs/references.md: KenLM lmplz -o 5 on the same split and vocabulary


def brown_vocab() -> corpus.Vocab:
    """The vocabulary of notebook 01: 10,000 most frequent train types + </s> + <unk>."""
    return corpus.Vocab.build(data.brown("train"), max_size=10_000, unk=True, extra=[corpus.EOS])


def perplexity(log_probs: np.ndarray) -> float:
    return float(np.exp(-np.mean(log_probs)))


def train(args: argparse.Namespace, vocab: corpus.Vocab) -> None:
    train_data = nplm.contexts(data.brown("train"), vocab, args.order)
    valid_data = nplm.contexts(data.brown("valid"), vocab, args.order)
    unigram = np.bincount(train_data[1], minlength=len(vocab))
    model = nplm.init_model(vocab, args.order, args.dim, args.hidden, direct=args.direct,
                            rng=np.random.default_rng(args.seed), unigram=unigram)
    print(model, flush=True)
    command = "OPENBLAS_NUM_THREADS=1 python benchmarks/nplm.py " + shlex.join(sys.argv[1:])
    out = data.DATA_DIR / MODEL_FILE
    history = nplm.train(model, train_data, valid_data, epochs=args.epochs, batch_size=args.batch_size,
                         lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay,
                         evals_per_epoch=args.evals_per_epoch, max_seconds=args.minutes * 60,
                         seed=args.seed, checkpoint=out, checkpoint_info={"command": command},
                         progress=args.progress)
    for row in zip(history.epoch, history.train_loss, history.valid_perplexity, history.lr,
                   history.seconds, history.cpu_seconds):
        print("epoch {:5.2f}  train loss {:.3f}  valid ppl {:7.2f}  lr {:.3f}  {:6.0f} s wall  "
              "{:6.0f} s cpu".format(*row), flush=True)
    test_ppl = nplm.perplexity(model, data.brown("test"), vocab)
    info = {"command": command, "valid_perplexity": history.best_valid, "epoch": history.best_epoch,
            "test_perplexity": test_ppl, "train_minutes_wall": history.seconds[-1] / 60,
            "train_minutes_cpu": history.cpu_seconds[-1] / 60,
            "words_per_second_wall": history.words_per_second,
            "history": {"epoch": history.epoch, "train_loss": history.train_loss,
                        "valid_perplexity": history.valid_perplexity, "lr": history.lr,
                        "seconds": history.seconds, "cpu_seconds": history.cpu_seconds}}
    nplm.save(model, out, info)
    data.record_checksum(MODEL_FILE)
    print(f"saved {out}: best valid {history.best_valid:.2f} at epoch {history.best_epoch:.2f}, "
          f"test {test_ppl:.2f}; {history.seconds[-1] / 60:.1f} min wall, "
          f"{history.cpu_seconds[-1] / 60:.1f} min CPU", flush=True)


def evaluate(vocab: corpus.Vocab) -> None:
    model, info = nplm.load(data.path(MODEL_FILE))
    run = info["history"]
    trained_tokens = run["epoch"][-1] * len(nplm.contexts(data.brown("train"), vocab, model.order)[1])
    print(f"{model}\nmade by: {info['command']}\ntrained {info['train_minutes_wall']:.1f} min wall "
          f"({info['train_minutes_cpu']:.1f} min CPU), {run['epoch'][-1]:.2f} epochs, best valid at epoch "
          f"{info['epoch']:.2f}; {trained_tokens / run['cpu_seconds'][-1]:,.0f} words/s CPU, "
          f"{trained_tokens / run['seconds'][-1]:,.0f} words/s wall (validation passes included)")
    rows = {}
    for split in ("valid", "test"):
        rows.setdefault("NPLM", {})[split] = nplm.token_log_probs(model, data.brown(split), vocab)
    _ngram_rows(vocab, rows)
    print(f"\n{'model (Brown doc80)':34s} {'valid':>8s} {'test':>8s}")
    for name, scores in rows.items():
        print(f"{name:34s} {perplexity(scores['valid']):8.2f} {perplexity(scores['test']):8.2f}")
    print(f"{'references.md: KenLM 5-gram MKN':34s} {'':8s} {MKN5_REFERENCE:8.2f}")
    for name in ("NPLM", "0.5 NPLM + 0.5 KN3 (mix)"):
        change = perplexity(rows[name]["test"]) / MKN5_REFERENCE - 1
        print(f"{name} test vs the 5-gram MKN reference: {100 * change:+.1f} %")


def _ngram_rows(vocab: corpus.Vocab, rows: dict) -> None:
    """Kneser-Ney trigram, 5-gram modified KN, and the 0.5/0.5 mix of the NPLM with the trigram."""
    counts = ngram.count_ngrams(data.brown("train"), vocab, order=5)
    models = {"interpolated KN trigram": ngram.KneserNey(counts, order=3),
              "modified KN 5-gram (teachkit.ngram)": ngram.ModifiedKneserNey(counts, order=5)}
    for name, model in models.items():
        rows[name] = {split: model.token_logprobs(data.brown(split)) for split in ("valid", "test")}
    rows["0.5 NPLM + 0.5 KN3 (mix)"] = {
        split: nplm.mix(rows["NPLM"][split], rows["interpolated KN trigram"][split])
        for split in ("valid", "test")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluate-only", action="store_true", help="skip training; score the shipped model")
    parser.add_argument("--minutes", type=float, default=30.0, help="wall-clock training budget")
    parser.add_argument("--epochs", type=float, default=8.0, help="epochs if the budget lasts")
    parser.add_argument("--order", type=int, default=5)
    parser.add_argument("--dim", type=int, default=60)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--direct", action="store_true", help="direct connections x W to the output")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=3e-5)
    parser.add_argument("--evals-per-epoch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    args = parser.parse_args()
    vocab = brown_vocab()
    if not args.evaluate_only:
        train(args, vocab)
    evaluate(vocab)


if __name__ == "__main__":
    main()
