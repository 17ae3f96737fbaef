"""word2vec: CBOW and skip-gram, with hierarchical softmax and/or negative sampling.

The C code (word2vec.c, ``TrainModelThread``) is the reference. Its arrays keep their names:
``syn0`` the input vectors (the word vectors you keep), ``syn1`` the inner-node vectors of the
Huffman tree (hierarchical softmax), ``syn1neg`` the output vectors for negative sampling;
``neu1`` the hidden layer (CBOW: the mean of the context vectors), ``neu1e`` the error that flows
back into the input vectors.

Public API
----------
Training, one entry point with word2vec.c's flags (C defaults, except ``alpha=None`` meaning the
C default for the architecture: 0.05 for CBOW, 0.025 for skip-gram)::

    train(sentences, size=100, window=5, sample=1e-3, hs=0, negative=5, cbow=1, alpha=None,
          min_count=5, iter=5, seed=1, workers=1, sigmoid="exact", compute_loss=False,
          engine="fast", progress=True, vocab=None, cbow_mean=1, init="input") -> Word2Vec

  ``sentences`` are token lists; ``engine="fast"`` runs the numba loop (``workers`` > 1: Hogwild
  threads that take jobs of JOB_WORDS words from a queue, each with its own random numbers and
  clock, as word2vec.c's threads; only ``workers=1`` is reproducible from the seed),
  ``engine="reference"`` runs the readable Python loop below with the
  same random numbers (slow; for small corpora and tests). ``sigmoid="table"`` uses the C code's
  exp table with its skip/clip outside +-MAX_EXP. ``vocab`` reuses a ``corpus.Vocab``
  (every word of it must occur ``min_count`` times, else ValueError: nothing is dropped silently).
  ``cbow_mean=0`` sums the CBOW context vectors as the 2013 release of word2vec.c did (1, the
  default, averages them as the C code does at e092540). ``init="output"`` starts the other way
  round from the C code (syn0 zero, syn1 / syn1neg random), as the seed post describes it.

  Sentences are read as the C code reads its training file, one sentence per line: the end of a
  line is ``</s>`` (counted as a word, though teachkit keeps ``</s>`` out of the vocabulary, as
  gensim does), a sentence holds at most MAX_SENTENCE_LENGTH words kept after subsampling, and
  the learning rate is recomputed once more than 10,000 words have been counted since the last
  update: ``alpha * max(1 - counted / (iter * train_words + 1), 1e-4)``.

``Word2Vec`` (the trained model): ``vocab``, ``words``, ``vectors`` (= ``syn0``), ``syn1``,
``syn1neg`` (views of rows padded to whole cache lines, see ``_in_cache_lines``), ``tree`` (``huffman.HuffmanTree`` or None), ``params`` (the flags used),
``train_words`` (the C code's count: the vocabulary's counts plus one ``</s>`` per line),
``history`` (per epoch: ``loss`` (mean loss per prediction if compute_loss), ``alpha`` (rate at the
end), ``words`` (corpus words seen), ``seconds``, ``cpu_seconds``; and ``words_per_second``),
``model[word]`` (vector; unknown word -> ``evaluate.UnknownWordError``),
``most_similar(word, topn=10)``, ``save(path, binary=False)``.

Reference pieces, written like the C loop (numpy arrays, float32 or float64):

- ``sigmoid(x)`` exact and stable; ``exp_table()`` the C table (EXP_TABLE_SIZE 1000, MAX_EXP 6);
  ``table_sigmoid(x, table)`` a lookup (valid for |x| < MAX_EXP).
- ``hs_update(l1, syn1, code, point, alpha, neu1e, table=None)``: one word's path,
  ``g = (1 - code - f) * alpha``; updates ``syn1`` in place, adds to ``neu1e``.
- ``ns_update(l1, syn1neg, targets, labels, alpha, neu1e, table=None)``: ``g = (label - f) * alpha``.
- ``hs_loss(h, syn1, code, point)`` / ``ns_loss(h, syn1neg, targets, labels)``: the negative log
  likelihoods those updates descend (``-dloss/dx * alpha = g``).
- ``hs_probability(h, syn1, code, point)``: p(word | h) as a product of sigmoids;
  ``hs_distribution(h, syn1, tree)``: p(w | h) for every word (sums to 1).
- ``train_lines(corpus, starts, first, last, model, clock, state)``: the C thread loop over
  input lines: reads sentences as the C code reads its file (each line ends with ``</s>``, which
  is counted; a sentence holds at most MAX_SENTENCE_LENGTH = 1000 words kept after subsampling;
  the learning rate in ``clock`` (a ``RateClock``) is recomputed once more than 10,000 words
  have been counted since the last update); ``train_word(sen, position, model, alpha, state)``
  trains one centre word (window shrink, CBOW or skip-gram, HS and/or NS). Both return the new
  random state. ``RateClock`` holds the C code's word_count, last_word_count, word_count_actual
  and alpha.
- ``next_random(state)``: the C code's linear congruential generator (both engines draw from it,
  seeded from ``seed``, so they make identical choices).

Files (word2vec.c's formats; gensim reads them and we read gensim's):

- ``save_word2vec_format(path, words, vectors, binary=False)``; refuses, before writing, a word the
  file could not give back (empty, a space or control character inside, repeated, not UTF-8).
- ``load_word2vec_format(path, binary=False, encoding="utf-8", unicode_errors="strict") -> (words,
  vectors)``; a header that disagrees with the rows, a truncated or malformed row, a binary row that
  does not fit the layout (a word with a space), a repeated word or an undecodable word raises
  ``Word2VecFormatError`` (a ValueError) naming the file and row; ``unicode_errors="ignore"`` or
  ``"replace"`` reads undecodable words anyway, as gensim's option of that name.
"""
from __future__ import annotations

import codecs
import math
import mmap
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from numbers import Integral, Real
from pathlib import Path

import numba
import numpy as np
from tqdm.auto import tqdm

from teachkit import evaluate, sampling
from teachkit.corpus import Vocab
from teachkit.huffman import HuffmanTree, build_huffman

MAX_EXP = 6            # word2vec.c: sigmoid is tabulated on [-MAX_EXP, MAX_EXP]
EXP_TABLE_SIZE = 1000  # word2vec.c: number of table entries
# word2vec.c writes EXP_TABLE_SIZE / MAX_EXP / 2 with two int macros: C divides integers, so the
# scale is 83, not 83.33, and every lookup lands a little to the left of its x (Spark writes 2.0).
_TABLE_SCALE = EXP_TABLE_SIZE // MAX_EXP // 2
BATCH_WORDS = 100_000  # words per call of the fast loop (the progress bar moves once per call)
JOB_WORDS = 10_000     # words per job of a Hogwild thread (gensim's jobs hold as many): small jobs let
                       # the threads end an epoch together
MAX_SENTENCE_LENGTH = 1000  # word2vec.c: a sentence holds at most this many words kept after subsampling
ALPHA_UPDATE_WORDS = 10_000  # word2vec.c: the learning rate is recomputed after more words than this
MIN_ALPHA_FRACTION = sampling.MIN_ALPHA_FRACTION
CACHE_LINE = 64  # bytes the CPU moves between its caches (and between cores) at once
HOT_ROWS = 256  # with workers > 1: rows of each matrix every Hogwild thread trains its own copy of
                # (on the course corpus 256 did better than 1024 and 8192 in short two-worker runs:
                # more rows, more copying per job)

# --- the sigmoid, exact and tabulated ----------------------------------------------------------


def sigmoid(x):
    """1 / (1 + exp(-x)) without overflow: exp is only ever taken of a non-positive number."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def exp_table() -> np.ndarray:
    """word2vec.c's table: entry i is sigmoid((i / EXP_TABLE_SIZE * 2 - 1) * MAX_EXP), float32."""
    e = np.exp((np.arange(EXP_TABLE_SIZE) / EXP_TABLE_SIZE * 2 - 1) * MAX_EXP)
    return (e / (e + 1)).astype(np.float32)


def table_sigmoid(x, table: np.ndarray):
    """The C lookup ``expTable[(int)((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]``, |x| < MAX_EXP.

    As in C, ``EXP_TABLE_SIZE / MAX_EXP / 2`` is an integer division (83, not 83.33): entry i holds
    the sigmoid at 0.012 i - 6, but x is looked up at index int((x + 6) * 83), so the value read
    belongs to a point 0.004 (x + 6) left of x, plus up to one bin (0.012) for the truncation: up
    to 0.06 left of x near x = +6. Where the sigmoid is steepest, near x = 0, that is an error of
    about 0.009 (notebook 03, section 7). Entries 996-999 are never read.
    """
    x = np.asarray(x)
    if np.any(np.abs(x) >= MAX_EXP):
        raise ValueError(f"table_sigmoid covers |x| < MAX_EXP = {MAX_EXP}; the C code skips (HS) or "
                         "clips (NS) outside it, see hs_update / ns_update.")
    return table[((x + MAX_EXP) * _TABLE_SCALE).astype(np.int64)]


# --- the reference step: word2vec.c's inner loops, one word at a time ----------------------------


def hs_update(l1, syn1, code, point, alpha, neu1e, table=None) -> None:
    """Hierarchical softmax for one target word: walk its path, as the ``if (hs)`` block of the C code.

    At inner node ``point[d]`` the model says "go right" (code 1) with probability 1 - f and "go
    left" (code 0) with probability f = sigmoid(l1 . syn1[point[d]]). ``g = (1 - code - f) * alpha``
    is minus the gradient of -log p(code) w.r.t. the dot product, times the learning rate.
    """
    for d in range(len(code)):
        l2 = point[d]
        f = l1 @ syn1[l2]
        if table is not None:
            if f <= -MAX_EXP or f >= MAX_EXP:
                continue  # the C code silently skips this node: no update at all
            f = table[int((f + MAX_EXP) * _TABLE_SCALE)]
        else:
            f = sigmoid(f)
        g = (1 - code[d] - f) * alpha
        neu1e += g * syn1[l2]  # propagate errors output -> hidden (before syn1 changes)
        syn1[l2] += g * l1     # learn weights hidden -> output


def ns_update(l1, syn1neg, targets, labels, alpha, neu1e, table=None) -> None:
    """Negative sampling for one target word: the ``if (negative > 0)`` block of the C code.

    ``targets[0]`` is the true word (label 1), the rest are noise words (label 0).
    ``g = (label - f) * alpha`` with f = sigmoid(l1 . syn1neg[target]).
    """
    for target, label in zip(targets, labels):
        f = l1 @ syn1neg[target]
        if table is not None:  # outside the table the C code clips the sigmoid to 0 or 1
            if f > MAX_EXP:
                g = (label - 1) * alpha
            elif f < -MAX_EXP:
                g = (label - 0) * alpha
            else:
                g = (label - table[int((f + MAX_EXP) * _TABLE_SCALE)]) * alpha
        else:
            g = (label - sigmoid(f)) * alpha
        neu1e += g * syn1neg[target]
        syn1neg[target] += g * l1


def _softplus(x):
    """log(1 + exp(x)) without overflow; -log sigmoid(x) = softplus(-x)."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def hs_loss(h, syn1, code, point) -> float:
    """-log p(word | h) = -sum_d log sigmoid((1 - 2 code_d) * h . syn1[point_d])."""
    x = syn1[np.asarray(point)] @ h
    return float(np.sum(_softplus(-(1 - 2 * np.asarray(code, dtype=np.float64)) * x)))


def ns_loss(h, syn1neg, targets, labels) -> float:
    """-log sigmoid(h . v_word) - sum_noise log sigmoid(-h . v_noise) (the NEG objective, negated)."""
    x = syn1neg[np.asarray(targets)] @ h
    sign = 2 * np.asarray(labels, dtype=np.float64) - 1  # +1 for the word, -1 for noise
    return float(np.sum(_softplus(-sign * x)))


def hs_probability(h, syn1, code, point) -> float:
    """p(word | h) = prod_d sigmoid((1 - 2 code_d) * h . syn1[point_d]): one sigmoid per inner node."""
    x = syn1[np.asarray(point)] @ h
    return float(np.prod(sigmoid((1 - 2 * np.asarray(code, dtype=np.float64)) * x)))


def hs_distribution(h, syn1, tree: HuffmanTree) -> np.ndarray:
    """p(w | h) for every word w at once (padding positions contribute a factor 1)."""
    x = syn1 @ h                                   # one dot product per inner node
    signs = 1 - 2 * tree.codes.astype(np.float64)  # code 0 -> sigmoid(x), code 1 -> sigmoid(-x)
    factors = sigmoid(signs * x[tree.points])
    on_path = np.arange(tree.codes.shape[1]) < tree.code_lengths[:, None]
    return np.prod(np.where(on_path, factors, 1.0), axis=1)


# --- the C code's random numbers -------------------------------------------------------------------

_LCG_MULTIPLIER = 25214903917
_LCG_INCREMENT = 11
_UINT64 = 2 ** 64


def next_random(state: int) -> int:
    """word2vec.c: ``next_random = next_random * (unsigned long long)25214903917 + 11``."""
    return (state * _LCG_MULTIPLIER + _LCG_INCREMENT) % _UINT64


def _draw_noise_word(state: int, cum: np.ndarray) -> int:
    """A noise word for state's top 48 bits read as u in [0, 1) (inverse CDF, as sampling.draw_from_cumulative)."""
    return int(np.searchsorted(cum, (state >> 16) / 2.0 ** 48, side="right"))


# --- the trained model ----------------------------------------------------------------------------


@dataclass
class Word2Vec:
    """A trained (or training) model: the vocabulary, the three weight arrays and the flags used."""

    vocab: Vocab
    syn0: np.ndarray
    syn1: np.ndarray | None
    syn1neg: np.ndarray | None
    tree: HuffmanTree | None
    keep: np.ndarray   # subsampling keep-probability per word
    cum: np.ndarray    # cumulative noise distribution for negatives
    params: dict
    history: dict = field(default_factory=dict)
    train_words: int = 0  # word2vec.c's train_words: the vocabulary's counts + one "</s>" per line

    @property
    def words(self) -> list[str]:
        return self.vocab.words

    @property
    def vectors(self) -> np.ndarray:
        return self.syn0

    def __getitem__(self, word: str) -> np.ndarray:
        if word not in self.vocab.index:
            raise evaluate.UnknownWordError(word, len(self.vocab))
        return self.syn0[self.vocab.index[word]]

    def most_similar(self, word: str, topn: int = 10) -> list[tuple[str, float]]:
        """The ``topn`` words closest to ``word`` by cosine (``evaluate.most_similar``)."""
        return evaluate.most_similar(self.syn0, self.words, positive=[word], topn=topn)

    def save(self, path, binary: bool = False) -> None:
        save_word2vec_format(path, self.words, self.syn0, binary=binary)


def train_word(sen: list, position: int, model: Word2Vec, alpha: float, state: int) -> int:
    """Train the word at ``sen[position]``: the body of the C loop after a sentence has been read.

    Draw the window shrink ``b``, then CBOW (``neu1`` = mean, or sum with ``cbow_mean=0``, of the
    context vectors) or skip-gram (each context word in turn), the HS and/or NS block, and add
    ``neu1e`` back into the input vectors. Returns the new random state.
    """
    p = model.params
    window, negative, hs = p["window"], p["negative"], p["hs"]
    syn0, syn1, syn1neg, tree = model.syn0, model.syn1, model.syn1neg, model.tree
    table = exp_table() if p["sigmoid"] == "table" else None
    word = sen[position]

    def negatives_for(word, state):
        targets, labels = [word], [1]
        for _ in range(negative):
            state = next_random(state)
            target = _draw_noise_word(state, model.cum)
            if target != word:  # a noise word equal to the target is skipped, as in the C code
                targets.append(target)
                labels.append(0)
        return targets, labels, state

    state = next_random(state)
    b = state % window  # random window shrink: look window - b words each side
    context = [sen[c] for c in range(position - window + b, position + window - b + 1)
               if c != position and 0 <= c < len(sen)]
    if p["cbow"]:
        if not context:
            return state
        neu1 = syn0[context].sum(axis=0)  # hidden layer: the sum of the context vectors ...
        if p["cbow_mean"]:
            neu1 /= len(context)          # ... or their mean (word2vec.c at e092540, gensim's default)
        neu1e = np.zeros_like(neu1)
        if hs:
            hs_update(neu1, syn1, tree.code(word), tree.point(word), alpha, neu1e, table)
        if negative > 0:
            targets, labels, state = negatives_for(word, state)
            ns_update(neu1, syn1neg, targets, labels, alpha, neu1e, table)
        for last_word in context:  # hidden -> in: every context word gets the whole error
            syn0[last_word] += neu1e
    else:
        for last_word in context:  # skip-gram: each context word predicts the centre word
            l1 = syn0[last_word]
            neu1e = np.zeros_like(l1)
            if hs:
                hs_update(l1, syn1, tree.code(word), tree.point(word), alpha, neu1e, table)
            if negative > 0:
                targets, labels, state = negatives_for(word, state)
                ns_update(l1, syn1neg, targets, labels, alpha, neu1e, table)
            syn0[last_word] += neu1e
    return state


@dataclass
class RateClock:
    """word2vec.c's learning-rate bookkeeping: ``word_count`` / ``last_word_count`` (words counted
    in this epoch, and at the last update), ``word_count_actual`` (counted over all epochs, as of
    the last update) and the current ``alpha``."""

    word_count: float
    last_word_count: float
    word_count_actual: float
    alpha: float

    def as_array(self) -> np.ndarray:
        return np.array([self.word_count, self.last_word_count, self.word_count_actual, self.alpha])

    @classmethod
    def from_array(cls, a) -> "RateClock":
        return cls(*(float(x) for x in a))


def train_lines(corpus: np.ndarray, starts: np.ndarray, first: int, last: int, model: Word2Vec,
                clock: RateClock, state: int) -> int:
    """word2vec.c's TrainModelThread over input lines ``first .. last - 1``, in Python.

    ``corpus[starts[s]:starts[s + 1]]`` holds the vocabulary indices of line ``s`` (words outside
    the vocabulary already dropped: the C code skips them before counting). The loop reads the
    lines as the C code reads its file:

    * every word read is counted (``word_count``), kept or not by subsampling;
    * the end of a line is the C code's ``</s>``: counted as a word, and it ends the sentence;
    * a sentence also ends once it holds ``MAX_SENTENCE_LENGTH`` (1000) words *kept* after
      subsampling; the rest of the line becomes the next sentence;
    * once more than 10,000 words have been counted since the last update, the learning rate is
      recomputed from all the words counted so far; the test sits at the top of the loop, so it
      fires between two centre words, right after a sentence was read.

    Updates ``clock`` in place and returns the new random state. The fast path (``_train_lines``)
    is the same loop compiled by numba, tested against this one.
    """
    p = model.params
    line, k = first, starts[first]           # reading position: word k, in line `line`
    sen: list[int] = []
    sentence_length, sentence_position = 0, 0
    while True:
        if clock.word_count - clock.last_word_count > ALPHA_UPDATE_WORDS:
            clock.word_count_actual += clock.word_count - clock.last_word_count
            clock.last_word_count = clock.word_count
            clock.alpha = sampling.learning_rate(
                p["alpha"], clock.word_count_actual / (p["iter"] * model.train_words + 1))
        if sentence_length == 0:             # read the next sentence
            if line == last:
                break                        # end of the file (of this batch of lines)
            sen = []
            while True:
                if k == starts[line + 1]:    # newline: the C code reads the word "</s>"
                    clock.word_count += 1
                    line += 1
                    break
                word = int(corpus[k])
                k += 1
                clock.word_count += 1
                if p["sample"] > 0:          # subsampling: keep word with probability keep[word]
                    state = next_random(state)
                    if model.keep[word] < ((state >> 16) & 0xFFFF) / 65536:
                        continue
                sen.append(word)
                if len(sen) >= MAX_SENTENCE_LENGTH:
                    break
            sentence_length, sentence_position = len(sen), 0
        if sentence_length == 0:             # an empty sentence: the C code still draws a window
            state = next_random(state)       # shrink for a stale word, and trains nothing
        else:
            state = train_word(sen, sentence_position, model, np.float32(clock.alpha), state)
        sentence_position += 1
        if sentence_position >= sentence_length:
            sentence_length = 0
    return state


# --- the fast path: the same loop compiled by numba ------------------------------------------------
# float32 throughout, no allocation inside the loop, the random state as a uint64 that wraps like
# the C code's unsigned long long. What made it fast, each measured (docs/benchmarks.md, issue 20):
# * a noise word is found through sampling.guide_table (the C code's idea of indexing a table with
#   the random number, at 1/1000 of its memory) instead of a binary search over V words: the
#   search's unpredictable branches took a quarter of skip-gram's time;
# * the noise words are drawn before the updates (_ns_layer), so their rows load in parallel;
# * the vector loops are small helpers over (matrix, row) that LLVM turns into SIMD instructions;
#   written inline in the CBOW branch, they had stayed scalar;
# * the exact sigmoid has no branch on the sign of its argument.

_U16 = np.uint64(16)
_MASK16 = np.uint64(0xFFFF)
_LCG_A = np.uint64(_LCG_MULTIPLIER)
_LCG_C = np.uint64(_LCG_INCREMENT)


_JIT = dict(cache=True, fastmath=True, error_model="numpy")  # numpy's error model: no ZeroDivisionError checks


@numba.njit(**_JIT, inline="always")
def _sigmoid_exact(x):
    """sigmoid(x) = 1 / (1 + exp(-x)) in float32, with x raised to at least -80 so that exp cannot
    overflow (sigmoid(-80) = 2e-35: the clip changes nothing that training could see). No branch
    on the sign of x, a coin flip that the CPU would mispredict half the time."""
    return np.float32(1.0) / (np.float32(1.0) + np.exp(-max(x, np.float32(-80.0))))


@numba.njit(**_JIT, inline="always")
def _neg_log_sigmoid(x):
    return max(-x, 0.0) + math.log1p(math.exp(-abs(x)))


# The vector helpers take a matrix and a row number, as the C code takes an array and an offset
# (``syn0[c + l1]``): a row view such as ``syn1[l2]`` would cost numba a reference count update,
# twice per inner node, which is more than the arithmetic of a short vector.


@numba.njit(**_JIT, inline="always")
def _dot(x, i, y, k):
    """BLAS sdot of rows x[i] and y[k], in float32 (LLVM turns the loop into SIMD instructions)."""
    f = np.float32(0.0)
    for j in range(x.shape[1]):
        f += x[i, j] * y[k, j]
    return f


@numba.njit(**_JIT, inline="always")
def _axpy(a, x, i, y, k):
    """BLAS saxpy on rows: y[k] += a * x[i]."""
    for j in range(x.shape[1]):
        y[k, j] += a * x[i, j]


@numba.njit(**_JIT, inline="always")
def _learn(g, x, l1, out, l2, neu1e):
    """The C code's two loops after g, in one pass over the output row: ``neu1e += g * out[l2]``
    (the error for the input side, with the output vector as it was) and ``out[l2] += g * x[l1]``."""
    for j in range(x.shape[1]):
        neu1e[0, j] += g * out[l2, j]
        out[l2, j] += g * x[l1, j]


@numba.njit(**_JIT, inline="always")
def _own(i, hot, m):
    """The row this thread reads and writes for row i of matrix m (0 syn0, 1 syn1, 2 syn1neg): its
    own copy, row ``i + hot[m, 2]``, when i is one of the matrix's hot rows ``hot[m, 0] <= i <
    hot[m, 1]``; else the shared row i. One worker has no hot rows: every row is the shared one."""
    return i + hot[m, 2] if hot[m, 0] <= i < hot[m, 1] else i


def _take_hot_rows(x, hot, m):
    """Start of a job: this thread's copies of matrix m's hot rows become the shared rows as they
    are now; returns those rows (the base ``_give_back_hot_rows`` subtracts). Plain numpy, run once
    per job (tens of microseconds): compiled with numba, these two functions took about 4 s to
    compile, paid in the first two-worker epoch on a machine without numba's cache."""
    lo, hi, shift = hot[m, 0], hot[m, 1], hot[m, 2]
    base = x[lo:hi].copy()
    x[lo + shift:hi + shift] = base
    return base


def _give_back_hot_rows(x, hot, m, base):
    """End of a job: add what this thread's steps changed in its copies to the shared rows (the
    other threads' changes made meanwhile stay: a sum, not an overwrite). Two threads must not do
    this at once, or one's sum could overwrite the other's: the caller holds a lock."""
    lo, hi, shift = hot[m, 0], hot[m, 1], hot[m, 2]
    x[lo:hi] += x[lo + shift:hi + shift] - base


@numba.njit(**_JIT, inline="always")
def _hs_layer(x, l1, word, neu1e, alpha, syn1, codes, points, code_lengths, table, use_table, compute_loss,
              hot):
    """hs_update for the input vector x[l1]: one step per inner node on word's path; returns the
    loss (0 unless compute_loss)."""
    loss = 0.0
    for d in range(code_lengths[word]):
        l2 = _own(points[word, d], hot, 1)
        dot = _dot(x, l1, syn1, l2)
        if compute_loss:
            loss += _neg_log_sigmoid((1 - 2 * codes[word, d]) * dot)
        if use_table:
            if dot <= -MAX_EXP or dot >= MAX_EXP:
                continue  # the C code skips the node
            f = table[int((dot + MAX_EXP) * _TABLE_SCALE)]
        else:
            f = _sigmoid_exact(dot)
        _learn((np.float32(1 - codes[word, d]) - f) * alpha, x, l1, syn1, l2, neu1e)
    return loss


@numba.njit(**_JIT, inline="always")
def _ns_layer(x, l1, word, neu1e, alpha, syn1neg, cum, guide, negative, targets, table, use_table, state,
              compute_loss, hot):
    """ns_update for the input vector x[l1]: the word (label 1) and ``negative`` noise words
    (label 0); returns (loss, state).

    The noise words are drawn first, into ``targets`` (the C code draws each one just before its
    update: the same random numbers and the same words, since an update does not touch them);
    with all the rows known up front, the CPU fetches them from memory while it computes.
    """
    targets[0] = word
    n = 1
    for d in range(negative):
        state = state * _LCG_A + _LCG_C
        target = sampling.draw_with_guide(cum, guide, np.float64(state >> _U16) / 2.0 ** 48)
        if target != word:  # a noise word equal to the word is skipped, as in the C code
            targets[n] = target
            n += 1
    loss = 0.0
    for d in range(n):
        l2 = _own(targets[d], hot, 2)
        label = np.float32(1.0) if d == 0 else np.float32(0.0)
        dot = _dot(x, l1, syn1neg, l2)
        if compute_loss:
            loss += _neg_log_sigmoid((2 * label - 1) * dot)
        if use_table:  # outside the table the C code clips the sigmoid to 0 or 1
            if dot > MAX_EXP:
                f = np.float32(1.0)
            elif dot < -MAX_EXP:
                f = np.float32(0.0)
            else:
                f = table[int((dot + MAX_EXP) * _TABLE_SCALE)]
        else:
            f = _sigmoid_exact(dot)
        _learn((label - f) * alpha, x, l1, syn1neg, l2, neu1e)
    return loss, state


@numba.njit(**_JIT, nogil=True)
def _train_lines(corpus, starts, first, last, syn0, syn1, codes, points, code_lengths, syn1neg, cum,
                 guide, keep, subsample, window, negative, cbow, cbow_mean, hs, table, use_table, clock,
                 hot, counted, alpha0, rate_denominator, seed, compute_loss):
    """Lines first..last-1, read and trained as ``train_lines`` does; returns (loss, predictions,
    random state). ``clock`` is this thread's (word_count, last_word_count, alpha), float64, updated
    in place; ``counted[0]`` is the C code's word_count_actual, the words counted by all threads up
    to their last rate update: one array shared by the Hogwild threads (as the C code's global, read
    and written without a lock). ``hot`` (int64, 3 x 3: syn0, syn1, syn1neg x first hot row, end,
    shift to this thread's copies) names the rows this thread reads and writes in its own copies
    (see ``_own``; the caller fills them before and adds them back after); all empty for one worker."""
    size = syn0.shape[1]
    sen = np.empty(MAX_SENTENCE_LENGTH, dtype=np.int32)  # buffers allocated once per call
    neu1 = np.empty((1, size), dtype=np.float32)   # one-row matrices, for the row helpers
    neu1e = np.empty((1, size), dtype=np.float32)
    targets = np.empty(negative + 1, dtype=np.int64)
    state = np.uint64(seed)
    uwindow = np.uint64(window)
    word_count, last_word_count, alpha = clock[0], clock[1], clock[2]
    min_alpha = alpha0 * MIN_ALPHA_FRACTION
    loss = 0.0
    predictions = 0
    line = first
    k = starts[first]
    sentence_length = 0
    sentence_position = 0
    while True:
        if word_count - last_word_count > ALPHA_UPDATE_WORDS:
            counted[0] += word_count - last_word_count
            last_word_count = word_count
            alpha = max(alpha0 * (1.0 - counted[0] / rate_denominator), min_alpha)
        if sentence_length == 0:
            if line == last:
                break
            while True:
                if k == starts[line + 1]:  # "</s>"
                    word_count += 1
                    line += 1
                    break
                word = corpus[k]
                k += 1
                word_count += 1
                if subsample:
                    state = state * _LCG_A + _LCG_C
                    if keep[word] < np.float64((state >> _U16) & _MASK16) / 65536.0:
                        continue
                sen[sentence_length] = word
                sentence_length += 1
                if sentence_length >= MAX_SENTENCE_LENGTH:
                    break
            sentence_position = 0
        state = state * _LCG_A + _LCG_C
        b = np.int64(state % uwindow)
        if sentence_length > 0:
            position = sentence_position
            word = sen[position]
            lo = max(position - window + b, 0)
            hi = min(position + window - b + 1, sentence_length)
            alpha32 = np.float32(alpha)
            if cbow:
                cw = 0
                neu1[:] = 0.0
                for c in range(lo, hi):
                    if c != position:
                        _axpy(np.float32(1.0), syn0, _own(sen[c], hot, 0), neu1, 0)
                        cw += 1
                if cw > 0:
                    if cbow_mean:
                        for j in range(size):
                            neu1[0, j] /= cw
                    neu1e[:] = 0.0
                    if hs:
                        loss += _hs_layer(neu1, 0, word, neu1e, alpha32, syn1, codes, points, code_lengths,
                                          table, use_table, compute_loss, hot)
                    if negative > 0:
                        step_loss, state = _ns_layer(neu1, 0, word, neu1e, alpha32, syn1neg, cum, guide,
                                                     negative, targets, table, use_table, state, compute_loss,
                                                     hot)
                        loss += step_loss
                    predictions += 1
                    for c in range(lo, hi):
                        if c != position:
                            _axpy(np.float32(1.0), neu1e, 0, syn0, _own(sen[c], hot, 0))
            else:
                for c in range(lo, hi):
                    if c == position:
                        continue
                    l1 = _own(sen[c], hot, 0)  # the input vector is row l1 of syn0
                    neu1e[:] = 0.0
                    if hs:
                        loss += _hs_layer(syn0, l1, word, neu1e, alpha32, syn1, codes, points, code_lengths,
                                          table, use_table, compute_loss, hot)
                    if negative > 0:
                        step_loss, state = _ns_layer(syn0, l1, word, neu1e, alpha32, syn1neg, cum, guide,
                                                     negative, targets, table, use_table, state, compute_loss,
                                                     hot)
                        loss += step_loss
                    predictions += 1
                    _axpy(np.float32(1.0), neu1e, 0, syn0, l1)
        sentence_position += 1
        if sentence_position >= sentence_length:
            sentence_length = 0
    clock[0], clock[1], clock[2] = word_count, last_word_count, alpha
    return loss, predictions, state


def _train_lines_hogwild(corpus, starts, jobs, arrays, matrices, clocks, hots, counted, alpha0, rate_denominator,
                         states, compute_loss, report):
    """One epoch on ``len(states)`` threads, Hogwild, as word2vec.c's threads train: all of them
    read and write syn0, syn1 and syn1neg without locks (two threads rarely touch the same row at
    once, and a lost update is one small step; notebook 06 counts how rarely).

    One difference from the C threads: the hot rows (``hots[k]``, see ``train``) are rows that
    every step reads and writes (the root of the Huffman tree, the most frequent words). Shared,
    each write would take the row's cache lines from the other core, a wait of 30 to 200 ns per line
    that costs more than the arithmetic. So thread k trains its own copies of them during a job and
    adds what it changed to the shared rows at the job's end, one thread at a time (a lock).

    Thread k takes the next job (a run of lines, ``jobs``) from a shared queue and trains it with
    ``_train_lines`` (arguments ``arrays``), with its own random state ``states[k]``, clock
    ``clocks[k]`` and hot rows ``hots[k]`` of ``matrices`` (syn0, syn1, syn1neg: hots[k]'s rows
    0, 1, 2), and the shared word count ``counted``. The compiled loop releases the GIL, so the threads run on
    separate cores; a thread waits for nothing until the queue is empty (no barrier between jobs),
    and a thread that gets less CPU simply takes fewer jobs. This thread hands the bar the words
    of each finished job (``report``) and returns (loss, predictions) summed over the jobs.
    """
    todo, done = queue.SimpleQueue(), queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    give_back = threading.Lock()  # one thread at a time adds its hot rows back

    def stop_all():  # empty the queue: every thread stops after the job it is training
        while True:
            try:
                todo.get_nowait()
            except queue.Empty:
                return

    def work(k):
        try:
            while True:
                try:
                    first, last = todo.get_nowait()
                except queue.Empty:
                    return
                bases = [_take_hot_rows(x, hots[k], m) for m, x in enumerate(matrices)]
                loss, predictions, states[k] = _train_lines(
                    corpus, starts, first, last, *arrays, clocks[k], hots[k], counted, alpha0, rate_denominator,
                    np.uint64(states[k]), compute_loss)
                with give_back:
                    for m, x in enumerate(matrices):
                        _give_back_hot_rows(x, hots[k], m, bases[m])
                done.put((loss, predictions, int(starts[last] - starts[first]) + (last - first)))
        except BaseException as error:  # stop the others and hand the error to the calling thread
            stop_all()
            done.put(error)

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(len(states))]
    for thread in threads:
        thread.start()
    loss, predictions = 0.0, 0
    try:
        for _ in jobs:
            result = done.get()
            if isinstance(result, BaseException):
                raise result
            loss, predictions = loss + result[0], predictions + result[1]
            report(result[2])
    finally:  # also on Ctrl-C in this thread
        stop_all()
        for thread in threads:
            thread.join()
    return loss, predictions


# --- the training entry point ----------------------------------------------------------------------


def _check_int(name: str, value, low: int, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}; {hint}")
    return int(value)


def _encode(sentences: Sequence[Sequence[str]], vocab: Vocab) -> tuple[np.ndarray, np.ndarray, int]:
    """Sentences -> (flat int32 indices, line start offsets, raw token count); unknown words dropped.

    Each sentence is one line of the C code's training file, so every one keeps its place (even
    with no known word): its end is read as ``</s>`` and counted. One dictionary lookup per token,
    the rest in numpy: this runs before the threads start, so every second here is a second of
    one core only (about 0.3 s for the 3 M tokens of ``data.word2vec_corpus()``, most of it the
    lookups).
    """
    if any(issubclass(kind, str) for kind in set(map(type, sentences))):  # the kinds of line, a str subclass too
        raise TypeError("train expects sentences as lists of tokens, got a str; "
                        "split it first, e.g. [s.split() for s in texts].")
    lengths = np.array(list(map(len, sentences)), dtype=np.int64)
    raw = int(lengths.sum())
    # index.get(word, -1) for every token of every line, in one pass
    ids = np.fromiter(map(vocab.index.get, chain.from_iterable(sentences), repeat(-1, raw)), np.int32, count=raw)
    # -1: not in the vocabulary (seen fewer than min_count times), dropped as the C code drops it
    unknown = np.flatnonzero(ids < 0)
    first_token = np.concatenate([[0], np.cumsum(lengths)])  # where each line starts among all tokens
    # A line starts, among the known words, as many places earlier as unknown words come before it.
    return ids[ids >= 0], first_token - np.searchsorted(unknown, first_token), raw


def _in_cache_lines(a: np.ndarray, extra_rows: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A copy of matrix ``a`` whose rows each start a cache line and fill whole lines (zero padding),
    followed by ``extra_rows`` rows (the Hogwild threads' copies of the hot rows): returns (padded,
    the view of its first ``a.shape[0]`` rows and ``a.shape[1]`` columns, equal to ``a``).

    The fast loop gets the padded matrix (it reads ``size`` columns of it), the model the view.
    Why: Hogwild threads write the rows of frequent words and of the top of the Huffman tree all the
    time; where two such rows shared a cache line, two threads updating different rows would still
    take the line from each other. (word2vec.c aligns its arrays to 128 bytes, not its rows.)
    """
    rows, size = a.shape
    per_line = CACHE_LINE // a.itemsize
    width = -(-size // per_line) * per_line
    buffer = np.zeros((rows + extra_rows) * width + per_line, dtype=a.dtype)
    start = (-buffer.ctypes.data % CACHE_LINE) // a.itemsize
    padded = buffer[start:start + (rows + extra_rows) * width].reshape(rows + extra_rows, width)
    padded[:rows, :size] = a
    return padded, padded[:rows, :size]


def _batches(starts: np.ndarray, batch_words: int) -> list[int]:
    """Sentence indices where a new batch of about batch_words words begins (ends included)."""
    cuts = np.searchsorted(starts, np.arange(0, starts[-1], batch_words), side="left")
    return sorted(set(cuts.tolist()) | {len(starts) - 1})


def _check_vocab_min_count(vocab: Vocab, min_count: int) -> None:
    """``vocab=`` with ``min_count``: every word of the vocabulary must occur min_count times."""
    if not isinstance(vocab, Vocab):
        raise TypeError(f"vocab must be a corpus.Vocab, got {type(vocab).__name__}; build one with "
                        "Vocab.build(sentences, min_count=...).")
    if len(vocab) and vocab.counts.min() < 1:
        unseen = vocab.words[int(np.argmin(vocab.counts))]
        raise ValueError(f"vocab= holds {unseen!r} with count 0: word2vec needs every word seen at least once "
                         "(Huffman tree, noise distribution); build the vocabulary without extra= words.")
    rare = np.flatnonzero(vocab.counts < min_count)
    if len(rare):
        raise ValueError(
            f"vocab= holds {len(rare):,} word(s) seen fewer than min_count={min_count} times (e.g. "
            f"{vocab.words[rare[0]]!r}, {vocab.counts[rare[0]]} times); train does not drop words from a "
            f"vocabulary you pass. Pass min_count={int(vocab.counts.min())} (the rarest word's count) to "
            f"train on it as it is, or build it with Vocab.build(sentences, min_count={min_count}).")


def train(sentences, size: int = 100, window: int = 5, sample: float = 1e-3, hs: int = 0,
          negative: int = 5, cbow: int = 1, alpha: float | None = None, min_count: int = 5,
          iter: int = 5, seed: int = 1, workers: int = 1, sigmoid: str = "exact",
          compute_loss: bool = False, engine: str = "fast", progress: bool = True,
          vocab: Vocab | None = None, cbow_mean: int = 1, init: str = "input") -> Word2Vec:
    """Train word2vec with word2vec.c's flags (``iter`` = epochs, as ``-iter``); see the module docstring."""
    size = _check_int("size", size, 1, "the vector dimension, e.g. 100.")
    window = _check_int("window", window, 1, "words on each side of the centre word, e.g. 5.")
    negative = _check_int("negative", negative, 0, "noise words per prediction (5 is usual; 0 = off).")
    iter = _check_int("iter", iter, 1, "the number of passes over the corpus, e.g. 5.")
    workers = _check_int("workers", workers, 1, "the number of threads (1 is reproducible).")
    if hs not in (0, 1) or cbow not in (0, 1):
        raise ValueError(f"hs and cbow are switches, 0 or 1; got hs={hs!r}, cbow={cbow!r}.")
    if not hs and negative == 0:
        raise ValueError("hs=0 and negative=0 leaves no output layer to train; set hs=1 "
                         "(hierarchical softmax) or negative=5 (negative sampling).")
    if not isinstance(sample, Real) or not sample >= 0:
        raise ValueError(f"sample must be a number >= 0, got {sample!r}; the C code uses 1e-3, 0 = off.")
    if alpha is None:
        alpha = 0.05 if cbow else 0.025  # word2vec.c's defaults
    if not isinstance(alpha, Real) or not 0 < alpha < math.inf:
        raise ValueError(f"alpha must be a number > 0, got {alpha!r}; e.g. 0.025 (skip-gram), 0.05 (CBOW).")
    if sigmoid not in ("exact", "table"):
        raise ValueError(f"sigmoid must be 'exact' or 'table' (the C code's exp table), got {sigmoid!r}.")
    if engine not in ("fast", "reference"):
        raise ValueError(f"engine must be 'fast' (numba) or 'reference' (Python loop), got {engine!r}.")
    if cbow_mean not in (0, 1):
        raise ValueError(f"cbow_mean is a switch: 1 averages the context vectors (word2vec.c at e092540), "
                         f"0 sums them (the 2013 release); got {cbow_mean!r}.")
    if init not in ("input", "output"):
        raise ValueError(f"init must be 'input' (word2vec.c: syn0 random, syn1 and syn1neg zero) or "
                         f"'output' (the reverse), got {init!r}.")

    min_count = _check_int("min_count", min_count, 1, "words seen fewer times are dropped, e.g. 5.")
    sentences = list(sentences)
    if vocab is None:
        vocab = Vocab.build(sentences, min_count=min_count)
    else:
        _check_vocab_min_count(vocab, min_count)
    corpus, starts, raw_words = _encode(sentences, vocab)
    if len(corpus) == 0:
        raise ValueError("No word of the corpus is in the vocabulary; check the sentences and min_count.")

    rng = np.random.default_rng(seed)
    V = len(vocab)
    n_lines = len(starts) - 1
    # word2vec.c's train_words: the counts of the vocabulary plus its "</s>", one per line.
    train_words = int(vocab.counts.sum()) + n_lines
    words_per_epoch = len(corpus) + n_lines  # what the reading loop counts in one pass
    random_side = ((rng.random((V, size)) - 0.5) / size).astype(np.float32)  # C: (rand/65536 - 0.5) / size
    tree = build_huffman(vocab.counts) if hs else None
    syn0 = random_side if init == "input" else np.zeros((V, size), dtype=np.float32)
    syn1 = np.zeros((V - 1 if hs else 1, size), dtype=np.float32)
    syn1neg = np.zeros((V if negative else 1, size), dtype=np.float32)
    if init == "output":  # the initialisation the seed post describes: inputs zero, outputs random
        syn1 = random_side[:len(syn1)].copy() if hs else syn1
        syn1neg = random_side.copy() if negative else syn1neg
        if hs and negative:  # two random sides: draw the second one afresh
            syn1neg = ((rng.random((V, size)) - 0.5) / size).astype(np.float32)
    # Hogwild threads train their own copies of each matrix's hot rows (see _train_lines_hogwild):
    # syn0's and syn1neg's are the most frequent words (the vocabulary is sorted by count, so rows
    # 0..HOT_ROWS-1); syn1's are the inner nodes Huffman's algorithm made last, nearest the root,
    # which the most paths visit. Thread k's copy of hot row i is row i + shift, after the V rows.
    hot = HOT_ROWS if workers > 1 else 0
    n0, n1, n_neg = min(hot, len(syn0)), min(hot, len(syn1)) if hs else 0, min(hot, len(syn1neg)) if negative else 0
    hots = np.array([[[0, n0, len(syn0) + k * n0],
                      [len(syn1) - n1, len(syn1), (k + 1) * n1],
                      [0, n_neg, len(syn1neg) + k * n_neg]] for k in range(workers)], dtype=np.int64)
    syn0_lines, syn0 = _in_cache_lines(syn0, workers * n0)  # the vectors, in rows of whole cache lines
    syn1_lines, syn1 = _in_cache_lines(syn1, workers * n1)
    syn1neg_lines, syn1neg = _in_cache_lines(syn1neg, workers * n_neg)
    # word2vec.c: keep-probability from the vocabulary's counts and train_words ("</s>" included).
    keep = sampling.keep_probability(vocab.counts, sample, total=train_words)
    cum = sampling.cumulative_distribution(vocab.counts) if negative else np.ones(1)
    guide = sampling.guide_table(cum)
    params = dict(size=size, window=window, sample=sample, hs=hs, negative=negative, cbow=cbow,
                  alpha=alpha, min_count=min_count, iter=iter, seed=seed, workers=workers,
                  sigmoid=sigmoid, engine=engine, cbow_mean=cbow_mean, init=init)
    model = Word2Vec(vocab, syn0, syn1 if hs else None, syn1neg if negative else None, tree,
                     keep, cum, params, train_words=train_words)

    codes = tree.codes if hs else np.zeros((1, 1), np.uint8)
    points = tree.points if hs else np.zeros((1, 1), np.int32)
    code_lengths = tree.code_lengths if hs else np.zeros(1, np.int32)
    table = exp_table()
    cuts = _batches(starts, BATCH_WORDS if workers == 1 else JOB_WORDS)
    jobs = list(zip(cuts[:-1], cuts[1:]))
    rate_denominator = iter * train_words + 1  # word2vec.c: iter * train_words + 1
    clock = RateClock(0.0, 0.0, 0.0, float(alpha))
    state = int(rng.integers(1, 2 ** 62))      # one random stream, as one C thread has
    # The fast path keeps the clock in arrays: per thread (word_count, last_word_count, alpha), and
    # the words counted by all threads (word_count_actual). Each thread has its own random stream.
    clocks = np.tile([0.0, 0.0, float(alpha)], (workers, 1))
    counted = np.zeros(1)
    states = [state] if workers == 1 else [int(s) for s in rng.integers(1, 2 ** 62, size=workers)]
    arrays = (syn0_lines, syn1_lines, codes, points, code_lengths, syn1neg_lines, cum, guide, keep, sample > 0, window,
              negative, cbow, cbow_mean, hs, table, sigmoid == "table")
    matrices = (syn0_lines, syn1_lines, syn1neg_lines)  # in the order of hots' rows: 0 syn0, 1 syn1, 2 syn1neg
    history = {"loss": [], "alpha": [], "words": [], "seconds": [], "cpu_seconds": []}
    # The bar counts what the reading loop counts (known words and one "</s>" per line), so it
    # ends exactly at its total.
    bar = tqdm(total=iter * words_per_epoch, unit="word", unit_scale=True, disable=not progress,
               desc=f"word2vec {'CBOW' if cbow else 'skip-gram'} {'HS' if hs else ''}"
                    f"{'+' if hs and negative else ''}{'NS' if negative else ''}")
    for epoch in range(iter):
        wall, cpu = time.perf_counter(), time.process_time()
        loss, predictions = 0.0, 0
        if engine == "reference":
            for first, last in jobs:
                state = train_lines(corpus, starts, first, last, model, clock, state)
                bar.update(int(starts[last] - starts[first]) + (last - first))
            loss = math.nan
            # The end of a pass, as in the C code: count the words since the last update, start again.
            clock.word_count_actual += clock.word_count - clock.last_word_count
            clock.word_count = clock.last_word_count = 0.0
            epoch_alpha = clock.alpha
        else:
            if workers == 1:
                for first, last in jobs:
                    batch_loss, batch_predictions, states[0] = _train_lines(
                        corpus, starts, first, last, *arrays, clocks[0], hots[0], counted, float(alpha),
                        float(rate_denominator), np.uint64(states[0]), compute_loss)
                    loss, predictions = loss + batch_loss, predictions + batch_predictions
                    bar.update(int(starts[last] - starts[first]) + (last - first))
            else:
                loss, predictions = _train_lines_hogwild(
                    corpus, starts, jobs, arrays, matrices, clocks, hots, counted, float(alpha), float(rate_denominator),
                    states, compute_loss, bar.update)
            # The end of a pass, in every thread: count its words since its last update, start again.
            counted[0] += np.sum(clocks[:, 0] - clocks[:, 1])
            clocks[:, :2] = 0.0
            epoch_alpha = clocks[:, 2].min()  # the rate of the latest update
        history["seconds"].append(time.perf_counter() - wall)
        history["cpu_seconds"].append(time.process_time() - cpu)
        if not np.all(np.isfinite(syn0)):
            bar.close()
            raise FloatingPointError(f"Training diverged in epoch {epoch + 1} (non-finite vectors); "
                                     f"lower alpha (now {alpha}).")
        history["loss"].append(loss / predictions if compute_loss and predictions else math.nan)
        history["alpha"].append(float(epoch_alpha))
        history["words"].append(raw_words)
    bar.close()
    history["words_per_second"] = iter * raw_words / sum(history["seconds"])
    model.history = history
    return model


# --- word2vec text and binary files ----------------------------------------------------------------


class Word2VecFormatError(ValueError):
    """A word2vec file whose header or rows do not match the format; the message names file and row."""


def _unwritable(word) -> str | None:
    """Why ``word`` cannot be written to a word2vec file and read back the same, or None if it can."""
    if not isinstance(word, str):
        return f"it is a {type(word).__name__}, not a str"
    if not word:
        return "it is empty"
    if any(ch.isspace() or ch < " " for ch in word):
        return ("it contains whitespace or a control character: a space ends a word in both formats (write "
                "phrases with '_' as word2vec.c's and gensim's phrase tools do: 'new_york')")
    try:
        word.encode("utf-8")
    except UnicodeEncodeError as e:
        return f"it cannot be encoded as UTF-8 ({e.reason} at {e.start})"
    return None


def save_word2vec_format(path, words: Sequence[str], vectors: np.ndarray, binary: bool = False) -> None:
    """word2vec.c's output: a header ``V D``, then per word ``word`` and D floats (text or float32 bytes).

    Every word is checked before the file is opened: one that the file could not give back unchanged
    (empty, whitespace or a control character inside, not encodable as UTF-8, or a repeated word)
    raises ``ValueError`` naming it, and nothing is written.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(words) != len(vectors) or vectors.shape[1] == 0:
        raise ValueError(f"Need one vector row per word: {len(words)} words, vectors of shape {vectors.shape}.")
    if len(words) == 0:
        raise ValueError("No words to save; a word2vec file needs at least one word.")
    first_row: dict[str, int] = {}
    for i, word in enumerate(words):
        why = _unwritable(word)
        if why is not None:
            raise ValueError(f"Word {i} ({word!r}) cannot be saved in a word2vec file: {why}.")
        if word in first_row:
            raise ValueError(f"Word {word!r} appears twice (rows {first_row[word]} and {i}); a word2vec file "
                             "holds one vector per word.")
        first_row[word] = i
    limit = _MAX_BINARY_VALUE if binary else np.finfo(np.float32).max
    sound = np.abs(vectors) <= limit  # False for NaN and infinity
    if not sound.all():
        i, j = np.argwhere(~sound)[0]
        raise ValueError(f"The vector of word {i} ({words[i]!r}) holds {vectors[i, j]:.3g}; a word2vec file "
                         f"holds finite values{' up to 1e15 (binary)' if binary else ''}. Did training diverge?")
    with open(path, "wb") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        for word, row in zip(words, vectors):
            if binary:
                f.write(word.encode("utf-8") + b" " + row.astype("<f4").tobytes() + b"\n")
            else:
                f.write((word + " " + " ".join(f"{x:.9g}" for x in row) + "\n").encode("utf-8"))


_BOM = codecs.BOM_UTF8


def _read_header(data, path) -> tuple[int, int, int]:
    """The header ``<number of words> <dimension>`` -> (words, dimension, offset of the first row)."""
    end = data.find(b"\n")
    end = len(data) if end == -1 else end
    header = data[:min(end, 200)]
    if header.startswith(_BOM):  # a text editor or spreadsheet saved the file with a byte-order mark
        header = header[len(_BOM):]
    parts = header.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) < 1 or int(parts[1]) < 1:
        raise Word2VecFormatError(
            f"{path}: the first line must be '<number of words> <dimension>' (two positive integers), "
            f"got {bytes(header[:60])!r}; is this a word2vec file (GloVe files have no header)?")
    return int(parts[0]), int(parts[1]), end + 1


# A trained word vector holds small numbers (|x| below 100 in practice). Bytes of text read as a
# float32 are not small: four lowercase letters make a number above 1e19. A larger value in a binary
# file means its bytes were misread (a word with a space shifts every byte after it).
_MAX_BINARY_VALUE = 1e15


def _decode_word(word: bytes, path, where: str, encoding: str, unicode_errors: str) -> str:
    try:
        return word.decode(encoding, unicode_errors)
    except UnicodeDecodeError as e:
        raise Word2VecFormatError(
            f"{path}, {where}: the word {word!r} is not valid {encoding} ({e.reason} at byte {e.start} of "
            f"{len(word)}). If the file was written in another encoding, pass it (e.g. encoding='latin-1'); "
            "if its words were cut mid-character (word2vec.c cuts words at 99 bytes), pass "
            "unicode_errors='ignore' (drop the broken bytes) or 'replace' (mark them with U+FFFD).") from None


def load_word2vec_format(path, binary: bool = False, encoding: str = "utf-8",
                         unicode_errors: str = "strict") -> tuple[list[str], np.ndarray]:
    """Read a word2vec text or binary file (word2vec.c's, gensim's or ours) -> (words, float32 vectors).

    What the header promises is checked against the rows: too few or too many rows, or a row with
    another number of values, raise ``Word2VecFormatError`` naming the file and the row. So do a
    repeated word, a NaN or infinite value, and a word that is not valid ``encoding`` (unless
    ``unicode_errors`` is "ignore" or "replace", gensim's option of that name).

    A binary file cannot tell a space inside a word ("new york") from the space that ends it, and
    the bytes after it are then misread. The reader refuses a binary row that does not fit the
    layout: a word holding control bytes, a newline after some vectors and not others, bytes left
    after the last row, or a value beyond +-1e15 (letters read as a float32 give 1e19 and more).
    These catch a word with a space followed by letters; save_word2vec_format never writes one.
    """
    path = Path(path)
    try:
        codecs.lookup(encoding)
        codecs.lookup_error(unicode_errors)
    except LookupError as e:
        raise ValueError(f"{e}; encoding is e.g. 'utf-8' or 'latin-1', unicode_errors 'strict', "
                         "'ignore' or 'replace'.") from None
    with open(path, "rb") as f:
        if path.stat().st_size == 0:
            raise Word2VecFormatError(f"{path} is empty; a word2vec file starts with '<number of words> "
                                      "<dimension>'.")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            n_words, dim, pos = _read_header(data, path)
            row_bytes = 2 + 4 * dim if binary else 1 + 2 * dim  # the shortest row: 'w' and the values
            if len(data) - pos < n_words * row_bytes:
                raise Word2VecFormatError(
                    f"{path}: the header promises {n_words:,} words of dimension {dim}, at least "
                    f"{n_words * row_bytes:,} bytes, but {len(data) - pos:,} bytes follow it: the file is "
                    "truncated, or the header is wrong.")
            read = _read_binary_rows if binary else _read_text_rows
            raw_words, vectors, where = read(data, pos, n_words, dim, path)
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        i = int(np.argmin(finite))
        raise Word2VecFormatError(f"{path}, {where(i)}: the vector of {raw_words[i].decode(errors='replace')!r} "
                                  "holds NaN or infinity; the vectors are broken (did training diverge?).")
    words = [_decode_word(w, path, where(i), encoding, unicode_errors) for i, w in enumerate(raw_words)]
    first_row: dict[str, int] = {}
    for i, word in enumerate(words):
        if word in first_row:
            raise Word2VecFormatError(f"{path}: the word {word!r} appears twice ({where(first_row[word])} and "
                                      f"{where(i)}); each word needs one row.")
        first_row[word] = i
    return words, vectors


def _read_text_rows(data, pos, n_words, dim, path):
    """Text rows ``word v1 ... vD`` (values split at any spaces; the C code ends each with a space)."""
    words, vectors = [], np.empty((n_words, dim), dtype=np.float32)
    for i in range(n_words):
        if pos >= len(data):
            raise Word2VecFormatError(f"{path}: {i} rows but the header promises {n_words}; the file is "
                                      "truncated, or the header's count is wrong.")
        end = data.find(b"\n", pos)
        end = len(data) if end == -1 else end
        line, pos = data[pos:end], end + 1
        fields = line.split()
        if len(fields) != dim + 1:
            hint = (" It holds bytes no text file has: a binary file? Pass binary=True."
                    if any(b < 0x20 and b not in b"\t\r" for b in line) else
                    " A word with a space (e.g. 'new york')? A word2vec file cannot hold one."
                    if len(fields) > dim + 1 else " The row is truncated or malformed.")
            raise Word2VecFormatError(f"{path}, line {i + 2}: expected a word and {dim} numbers, got "
                                      f"{max(len(fields) - 1, 0)} numbers.{hint}")
        try:
            vectors[i] = np.array(fields[1:], dtype=np.float32)
        except ValueError:
            raise Word2VecFormatError(f"{path}, line {i + 2}: a value of {fields[0].decode(errors='replace')!r} "
                                      "is not a number.") from None
        words.append(fields[0])
    extra = data[pos:].strip()
    if extra:
        raise Word2VecFormatError(
            f"{path}: the header promises {n_words} rows, but more follow (line {n_words + 2}: "
            f"{extra[:40]!r}...); correct the count in the first line, or remove the extra rows.")
    return words, vectors, lambda i: f"line {i + 2}"


def _read_binary_rows(data, pos, n_words, dim, path):
    """Binary rows: ``word``, a space, D little-endian float32; then a newline (word2vec.c) or not
    (gensim). The first row decides which, and every row must follow it."""
    words, vectors = [], np.empty((n_words, dim), dtype=np.float32)
    newline_after, looks_like_text = None, False

    def misfit(i, offset, what):
        return Word2VecFormatError(
            f"{path}: word {i + 1} of {n_words} (byte {offset}): {what}. The file does not follow the binary "
            f"layout (word, space, {dim} float32 values) there, and nothing is guessed. "
            + ("Its values look like text: is it a text file? Pass binary=False. " if looks_like_text else "")
            + "A word that contains a space causes this (a binary file cannot tell it from the space that "
            "ends a word; write such words as new_york), as does a wrong dimension in the header.")

    for i in range(n_words):
        space = data.find(b" ", pos)
        if space == -1:
            raise Word2VecFormatError(f"{path}: file ends in word {i + 1} of {n_words} (the header promises "
                                      "more rows); the file is truncated.")
        word = data[pos:space]
        if not word or any(b < 0x20 for b in word):
            raise misfit(i, pos, f"the word {word[:40]!r} is empty or holds control bytes")
        values = data[space + 1: space + 1 + 4 * dim]
        if len(values) < 4 * dim:
            raise Word2VecFormatError(f"{path}: the vector of word {i + 1} ({word.decode(errors='replace')!r}) "
                                      f"has {len(values)} of {4 * dim} bytes; the file is truncated.")
        if i == 0:
            looks_like_text = all(b in b"0123456789.-+eE \n" for b in values)
        vectors[i] = np.frombuffer(values, dtype="<f4")
        plausible = np.abs(vectors[i]) <= _MAX_BINARY_VALUE  # False for NaN
        if not plausible.all():
            raise misfit(i, pos, f"the vector of {word.decode(errors='replace')!r} holds "
                         f"{vectors[i, np.argmin(plausible)]:.3g} (a trained word vector holds small finite numbers)")
        words.append(word)
        pos = space + 1 + 4 * dim
        newline = data[pos:pos + 1] == b"\n"
        if i < n_words - 1:
            newline_after = newline if newline_after is None else newline_after
            if newline != newline_after:
                raise misfit(i + 1, pos, "a newline ends some vectors and not others")
        pos += newline
    extra = data[pos:].strip()
    if extra:
        raise misfit(n_words - 1, pos, f"{len(extra)} bytes remain after the {n_words} words the header "
                     f"promises ({extra[:20]!r}...)")
    return words, vectors, lambda i: f"word {i + 1}"
