"""The random choices word2vec.c makes around each training pair, one function each.

Public API (``counts`` is a vocabulary's count array, e.g. ``Vocab.counts``, most frequent first;
``rng`` is always an explicit ``numpy.random.Generator``):

Noise distribution for negative sampling, P(w) proportional to count(w) ** power:

- ``noise_distribution(counts, power=0.75) -> p``: float64 probabilities, sum 1.
- ``unigram_table(counts, power=0.75, table_size=TABLE_SIZE) -> table``: the C code's
  ``InitUnigramTable``: an int32 array of word indices in which word w fills about
  ``p[w] * table_size`` slots; a negative is ``table[uniform slot]``. ``TABLE_SIZE`` is 1e8 as in
  the C code (400 MB); pass a smaller size (e.g. 1e6) for quick work.
- ``draw_from_table(table, size, rng) -> indices``: uniform slots of the table.
- ``cumulative_distribution(counts, power=0.75) -> cum``: running sum of ``p``, last entry 1.0.
- ``draw_from_cumulative(cum, size, rng) -> indices``: inverse-CDF draws with ``searchsorted``
  (exact probabilities, no table memory).
- ``guide_table(cum, bits=None) -> guide`` and ``draw_with_guide(cum, guide, u) -> word``: the
  C code's table idea without its memory: ``guide[slice of u]`` says where in ``cum`` the word
  drawn by u starts to be searched; the same word as ``searchsorted`` in a step or two
  (numba-compiled, for the fast word2vec loop).
- ``draw_negatives(cum, n_examples, negative, rng) -> (n_examples, negative) indices``.

Frequent-word subsampling (``-sample``):

- ``keep_probability(counts, sample=1e-3, total=None) -> keep``: the C code's
  ``(sqrt(f / (s*T)) + 1) * (s*T) / f`` with f = count, T = total tokens (``counts.sum()`` unless
  given), capped at 1; ``sample=0`` keeps everything.
- ``subsample(indices, keep, rng) -> kept_indices``: keep each token with its word's probability.

Window and learning rate:

- ``window_reach(window, size, rng) -> reach``: the random window shrink ``b = rng.integers(window)``,
  reach ``window - b`` (1..window words each side).
- ``learning_rate(alpha, progress) -> alpha * max(1 - progress, MIN_ALPHA_FRACTION)``: linear decay
  with the C code's floor (``MIN_ALPHA_FRACTION = 1e-4``). word2vec.c uses
  ``progress = words_processed / (iter * train_words + 1)``.

Bad input (negative power, sample or negative; counts that are negative, NaN or all zero; a table
size or window below 1; something other than a Generator as ``rng``) raises ``ValueError`` or
``TypeError`` with a message that names the argument and says what to pass instead.
"""
from __future__ import annotations

import math
from numbers import Integral, Real

import numba
import numpy as np

TABLE_SIZE = 100_000_000  # word2vec.c: const int table_size = 1e8
MIN_ALPHA_FRACTION = 1e-4  # word2vec.c: if (alpha < starting_alpha * 0.0001) alpha = starting_alpha * 0.0001


# --- checks shared by the functions below --------------------------------------------------------

def _check_generator(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}; "
                        "pass rng=np.random.default_rng(seed) and reuse it between calls.")
    return rng


def _check_counts(counts) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array of word counts, got shape {counts.shape}; "
                         "pass e.g. vocab.counts.")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("counts must be finite and >= 0 (one count per vocabulary word); "
                         f"got min {np.nanmin(counts)} and {int(np.sum(~np.isfinite(counts)))} non-finite values.")
    if not np.any(counts > 0):
        raise ValueError("counts are all zero: there is no word to sample; build the vocabulary from a "
                         "non-empty corpus.")
    return counts


def _check_non_negative(name: str, value, hint: str) -> float:
    if not isinstance(value, Real) or math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}; {hint}")
    return float(value)


def _check_size(size) -> tuple[int, ...]:
    shape = (size,) if isinstance(size, Integral) else tuple(size)
    if not all(isinstance(n, Integral) and n >= 0 for n in shape):
        raise ValueError(f"size must be an int >= 0 or a tuple of them, got {size!r}.")
    return shape


# --- the noise distribution -----------------------------------------------------------------------

def noise_distribution(counts, power: float = 0.75) -> np.ndarray:
    """P(w) = count(w)**power / sum_v count(v)**power; words with count 0 get probability 0.

    power = 1 is the unigram distribution, power = 0 the uniform one; 0.75 (the C code's choice)
    lies between: it flattens the unigram distribution, giving rare words more negatives.
    """
    counts = _check_counts(counts)
    power = _check_non_negative("power", power, "the C code uses 0.75 (1 = unigram, 0 = uniform).")
    # Mask zero counts so that 0 ** 0 = 1 does not give an unseen word mass when power = 0.
    weights = np.where(counts > 0, counts ** power, 0.0)
    return weights / weights.sum()


@numba.njit(cache=True)
def _fill_table(probabilities, table):
    # InitUnigramTable, line by line: walk the slots, move on to the next word once the slot's
    # position a / table_size has passed the running total d1 of the words so far.
    table_size = table.shape[0]
    vocab_size = probabilities.shape[0]
    i = 0
    d1 = probabilities[0]
    for a in range(table_size):
        table[a] = i
        if a / table_size > d1:
            i += 1
            if i < vocab_size:
                d1 += probabilities[i]
        if i >= vocab_size:
            i = vocab_size - 1


def unigram_table(counts, power: float = 0.75, table_size: int = TABLE_SIZE) -> np.ndarray:
    """word2vec.c's unigram table: ``table_size`` slots, word w in about ``p[w] * table_size`` of them.

    Drawing a uniform slot draws a word from ``noise_distribution(counts, power)``, up to a
    quantisation of 1 / table_size. A quirk kept from the C code: the test ``a / table_size > d1``
    moves on one slot late, so the first word gets about one slot more than its share and the last
    word about one fewer (invisible at 1e8 slots, visible in a table of 8).
    """
    if not isinstance(table_size, Integral) or table_size < 1:
        raise ValueError(f"table_size must be an int >= 1, got {table_size!r}; the C code uses 1e8, "
                         "1e6 is plenty for a small vocabulary.")
    probabilities = noise_distribution(counts, power)
    if table_size < probabilities.size:
        raise ValueError(f"table_size={table_size} is smaller than the vocabulary ({probabilities.size} "
                         "words), so some words could never be drawn; use at least 100x the vocabulary size.")
    table = np.empty(int(table_size), dtype=np.int32)
    _fill_table(probabilities, table)
    return table


def draw_from_table(table: np.ndarray, size, rng: np.random.Generator) -> np.ndarray:
    """Words at uniformly drawn slots of a unigram table (the C code: ``table[(next_random >> 16) % table_size]``)."""
    shape = _check_size(size)
    slots = _check_generator(rng).integers(len(table), size=shape)
    return table[slots].astype(np.int64)


def cumulative_distribution(counts, power: float = 0.75) -> np.ndarray:
    """Running sum of ``noise_distribution(counts, power)``; the last entry is exactly 1.0."""
    cum = np.cumsum(noise_distribution(counts, power))
    return cum / cum[-1]  # remove rounding so that every uniform u in [0, 1) falls inside


def draw_from_cumulative(cum: np.ndarray, size, rng: np.random.Generator) -> np.ndarray:
    """Inverse-CDF sampling: for u ~ U[0, 1) the word is the first w with cum[w] > u.

    Word w owns the interval [cum[w-1], cum[w]) of length p[w], so it is drawn with probability
    exactly p[w]; ``searchsorted`` finds the interval in log2(V) steps. Same distribution as the
    table, without its 400 MB.
    """
    shape = _check_size(size)
    u = _check_generator(rng).random(shape)
    return np.searchsorted(cum, u, side="right").astype(np.int64)


def guide_table(cum: np.ndarray, bits: int | None = None) -> np.ndarray:
    """Where the inverse-CDF search may start, for each of ``2 ** bits`` equal slices of [0, 1).

    ``guide[s]`` is the word drawn by u = s / 2**bits (``searchsorted(cum, s / 2**bits, "right")``).
    Every u in slice s = floor(u * 2**bits) draws that word or a later one, so a draw looks up its
    slice, as the C code looks up ``table[(next_random >> 16) % table_size]``, and then steps along
    ``cum`` while ``cum[w] <= u``: the same word as the binary search, in one or two steps instead
    of log2(V), and from an array of 2**bits int32 (by default the first power of two >= 2 V:
    about 0.5 steps per draw; 256 KB for 30,000 words) instead of the C code's 400 MB.
    """
    cum = np.asarray(cum, dtype=np.float64)
    if cum.ndim != 1 or cum.size == 0 or cum[-1] != 1.0 or np.any(np.diff(cum) < 0):
        raise ValueError("cum must be a non-decreasing 1-D array ending in 1.0; build it with "
                         "cumulative_distribution(counts).")
    if bits is None:
        bits = max(int(math.ceil(math.log2(2 * cum.size))), 1)
    if not isinstance(bits, Integral) or not 0 <= bits <= 30:
        raise ValueError(f"bits must be an int from 0 to 30 (the table has 2**bits entries), got {bits!r}.")
    starts = np.arange(2 ** bits) / 2.0 ** bits
    return np.searchsorted(cum, starts, side="right").astype(np.int32)


@numba.njit(cache=True, inline="always")
def draw_with_guide(cum, guide, u):
    """The word ``searchsorted(cum, u, "right")`` for u in [0, 1), found through ``guide_table``."""
    w = guide[int(u * guide.shape[0])]  # exact: u * 2**bits only moves u's binary exponent
    while cum[w] <= u:
        w += 1
    return w


def draw_negatives(cum: np.ndarray, n_examples: int, negative: int, rng: np.random.Generator) -> np.ndarray:
    """``negative`` noise words for each of ``n_examples`` training pairs, shape (n_examples, negative)."""
    if not isinstance(negative, Integral) or negative < 0:
        raise ValueError(f"negative must be an int >= 0 (noise words per pair; the C code uses 5, "
                         f"0 turns negative sampling off), got {negative!r}.")
    return draw_from_cumulative(cum, (n_examples, negative), rng)


# --- frequent-word subsampling --------------------------------------------------------------------

def keep_probability(counts, sample: float = 1e-3, total: float | None = None) -> np.ndarray:
    """Probability that word2vec.c keeps one occurrence of each word (``-sample s``).

    With f = count(w) and T = total tokens: keep = (sqrt(f / (s*T)) + 1) * (s*T) / f, capped at 1.
    Words rarer than about 2.6 * s * T are always kept; a word that makes up a fraction r of the
    text is kept with probability about sqrt(s / r). ``sample = 0`` switches subsampling off.
    """
    counts = _check_counts(counts)
    sample = _check_non_negative("sample", sample, "the C code uses 1e-3 (1e-5 for large corpora); "
                                 "0 switches subsampling off.")
    if total is None:
        total = counts.sum()
    elif not isinstance(total, Real) or not total > 0:
        raise ValueError(f"total must be the number of training tokens (> 0), got {total!r}; "
                         "leave it out to use counts.sum().")
    if sample == 0:
        return np.ones_like(counts)
    threshold = sample * total
    with np.errstate(divide="ignore"):  # count 0: never seen, so keep = 1 (the cap) is harmless
        keep = (np.sqrt(counts / threshold) + 1) * threshold / counts
    return np.minimum(keep, 1.0)


def subsample(indices, keep: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The tokens of ``indices`` (word indices) that survive subsampling, in their original order.

    Each token is kept independently with probability ``keep[word]``, as the C code does while it
    reads a sentence (it drops the token when keep < u for a uniform u).
    """
    indices = np.asarray(indices, dtype=np.int64)
    keep = np.asarray(keep, dtype=np.float64)
    if indices.size and (indices.min() < 0 or indices.max() >= keep.size):
        raise ValueError(f"indices must lie in 0..{keep.size - 1} (one keep probability per vocabulary "
                         f"word), got values from {indices.min()} to {indices.max()}.")
    u = _check_generator(rng).random(indices.shape)
    return indices[u < keep[indices]]


# --- window shrink and learning rate --------------------------------------------------------------

def window_reach(window: int, size, rng: np.random.Generator) -> np.ndarray:
    """How far each centre word looks: ``window - b`` with ``b = rng.integers(window)``, so 1..window.

    The C code draws b once per centre word; near words are inside every shrunken window and far
    ones in few, so a context word at distance d is used with weight (window - d + 1) / window.
    """
    if not isinstance(window, Integral) or window < 1:
        raise ValueError(f"window must be an int >= 1 (words on each side), got {window!r}; the C code uses 5.")
    shape = _check_size(size)
    return window - _check_generator(rng).integers(window, size=shape)


def learning_rate(alpha: float, progress):
    """Linear decay with a floor: ``alpha * max(1 - progress, MIN_ALPHA_FRACTION)``.

    ``progress`` is the fraction of training done (a float or an array); word2vec.c computes it as
    ``word_count_actual / (iter * train_words + 1)`` every 10,000 words. (gensim instead decays
    linearly from alpha to min_alpha = 1e-4 as an absolute value.)
    """
    if not isinstance(alpha, Real) or not alpha > 0 or math.isinf(alpha):
        raise ValueError(f"alpha must be a finite number > 0, got {alpha!r}; the C code uses 0.025 for "
                         "skip-gram and 0.05 for CBOW.")
    progress = np.asarray(progress, dtype=np.float64)
    if np.any(np.isnan(progress)) or np.any(progress < 0):
        raise ValueError("progress must be >= 0 (the fraction of training done, words processed / "
                         f"(iter * train_words + 1)), got {progress!r}.")
    rate = alpha * np.maximum(1.0 - progress, MIN_ALPHA_FRACTION)
    return float(rate) if rate.ndim == 0 else rate
