"""Trigram modified Kneser-Ney on Brown doc80: teachkit's time, and teachkit next to nltk.lm.

    python benchmarks/ngram.py

1. teachkit alone on the full doc80 protocol: count + fit the trigram MKN on train, score valid and
   test (the issue's target: at most 10 s). Loading the corpus is timed separately.
2. teachkit and nltk.lm.KneserNeyInterpolated(3) on the *same* subset, back to back: nltk scores one
   trigram at a time in Python (about 20 ms each here), so the full test set would take over half an
   hour; the subset is the first 5,000 train sentences and the first 40 valid sentences, with words
   outside the subset's 5,000 most frequent mapped to <unk> for both. nltk pads both ends with two
   <s>/</s> and uses one discount of 0.1, so its perplexity differs: only the times are compared.

Times are CPU (time.process_time, one thread) and wall clock, measured in this one run.
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")        # single-threaded numpy, as the CPU times assume
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


from teachkit import corpus, data, ngram  # noqa: E402
from timing import Timer  # noqa: E402


def full_doc80() -> None:
    with Timer() as load:
        train, valid, test = data.brown("train"), data.brown("valid"), data.brown("test")
        vocab = corpus.Vocab.build(train, max_size=10_000, unk=True, extra=[corpus.EOS])
    with Timer() as fit:
        model = ngram.ModifiedKneserNey.fit(train, vocab, order=3)
    with Timer() as score:
        pv, pt = ngram.perplexity(model, valid), ngram.perplexity(model, test)
    print(f"[doc80] load + vocab: {load.cpu:.2f} s CPU / {load.wall:.2f} s wall")
    print(f"[doc80] teachkit MKN-3 fit: {fit.cpu:.2f} s CPU / {fit.wall:.2f} s wall; "
          f"score valid+test ({sum(map(len, valid)) + sum(map(len, test)):,} words): "
          f"{score.cpu:.2f} s CPU / {score.wall:.2f} s wall")
    print(f"[doc80] fit + evaluate: {fit.cpu + score.cpu:.2f} s CPU / {fit.wall + score.wall:.2f} s wall "
          f"(target <= 10 s); perplexity valid {pv:.1f} / test {pt:.1f} (lmplz: 139.8 / 138.8)")


def against_nltk(n_train: int = 5_000, n_eval: int = 40) -> None:
    from nltk.lm import KneserNeyInterpolated
    from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline
    from nltk.util import ngrams

    train, valid = data.brown("train")[:n_train], data.brown("valid")[:n_eval]
    vocab = corpus.Vocab.build(train, max_size=5_000, unk=True, extra=[corpus.EOS])

    def known(sentences):
        return [[w if w in vocab else corpus.UNK for w in s] for s in sentences]

    with Timer() as ours:
        model = ngram.ModifiedKneserNey.fit(train, vocab, order=3)
        ours_ppl = ngram.perplexity(model, valid)
    with Timer() as theirs:
        everygrams, words = padded_everygram_pipeline(3, known(train))
        lm = KneserNeyInterpolated(3)
        lm.fit(everygrams, words)
        trigrams = [g for s in known(valid) for g in ngrams(pad_both_ends(s, n=3), 3)]
        theirs_ppl = lm.perplexity(trigrams)
    n_tokens = sum(len(s) for s in train)
    print(f"[subset] {n_train:,} train sentences ({n_tokens:,} words), {n_eval} valid sentences "
          f"({len(trigrams):,} trigrams scored by nltk)")
    print(f"[subset] teachkit MKN-3 fit + evaluate: {ours.cpu:.3f} s CPU / {ours.wall:.3f} s wall, "
          f"perplexity {ours_ppl:.1f}")
    print(f"[subset] nltk.lm KneserNeyInterpolated(3): {theirs.cpu:.2f} s CPU / {theirs.wall:.2f} s wall, "
          f"perplexity {theirs_ppl:.1f}")
    print(f"[subset] nltk / teachkit time: {theirs.cpu / ours.cpu:.0f}x CPU, {theirs.wall / ours.wall:.0f}x wall")


if __name__ == "__main__":
    full_doc80()
    against_nltk()
