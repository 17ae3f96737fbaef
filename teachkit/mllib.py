"""Spark MLlib's Word2Vec training scheme, imitated in numpy: what 1.6 did and what later versions changed.

MLlib (``mllib/feature/Word2Vec.scala``) trains skip-gram with hierarchical softmax, word2vec.c's
inner loop line for line, but spreads it over ``num_partitions`` *private copies* of the model:

1. the driver counts the words, keeps those with ``count >= min_count``, sorts them by count and
   builds the Huffman tree; it broadcasts the exp table, the vocabulary (codes and points) and the
   word -> index hash;
2. the text becomes arrays of word indices (unknown words dropped), cut at 1000 words, dealt over
   the partitions (``repartition``: round robin);
3. each iteration every partition starts from the current global ``syn0`` / ``syn1``, trains its
   own copy on its own sentences, and emits the rows it touched; the driver merges each row over
   the partitions that emitted it and copies the result back.

Two things changed after 1.6, and this module offers both behaviours:

* **the merge**: 1.6 *summed* the copies of a row (``reduceByKey`` with ``saxpy(1.0f, ...)``), so a
  row that P partitions touched became P times the old row plus P updates; SPARK-24666 (December
  2019, Spark 3.0 and 2.4) divides by the number of copies: an *average*;
* **the learning rate**: in 1.6 each partition computes
  ``alpha = lr * max(1 - P * word_count / (train_words + 1), 1e-4)`` from its own word count, so the
  rate restarts at ``lr`` every iteration (the source says "TODO: discount by iteration?");
  SPARK-22156 (2017) adds the words of the previous iterations:
  ``lr * max(1 - (P * word_count + (k - 1) * T) / (I * T + 1), 1e-4)``.

1.6 also ignored sentence boundaries: it cut the stream of (known) words of each input partition
into 1000-word pieces (``chunking="stream"``); later versions cut each sentence on its own
(``maxSentenceLength``, 2.0; ``chunking="sentence"``).

Public API
----------
``PARAMETERS``: MLlib 1.6's parameters and defaults next to pyspark.ml's names and defaults,
teachkit's arguments and word2vec.c's flags (rows of 7 fields, see the source).

``VERSIONS``: the settings of each version, ``{"1.6": dict(merge="sum", schedule="restart",
chunking="stream"), "3.0": dict(merge="average", schedule="global", chunking="sentence")}``.

``partition_learning_rate(learning_rate, num_partitions, word_count, iteration, num_iterations,
train_words, schedule)``: the rate a partition uses after ``word_count`` of its words in iteration
``iteration`` (1-based); ``learning_rate_curve(...)``: that rate along one partition's training,
for a plot.

``partition_sentences(sentences, vocab, num_partitions, chunking, max_sentence_length=1000)``:
index arrays per partition, as MLlib deals them.

``merge_copies(global_rows, copies, touched, how)``: the driver's merge of the rows the partitions touched
(``how="sum"`` as 1.6, ``"average"`` as today); untouched rows keep the global value.

``train(sentences, *, vector_size=100, learning_rate=0.025, num_partitions=1, num_iterations=1,
seed=1, min_count=5, window=5, version="1.6", merge=None, schedule=None, chunking=None,
max_sentence_length=1000, vocab=None, engine="fast", keep_copies=False, callback=None) ->
MLlibWord2Vec``: ``merge``, ``schedule`` and ``chunking`` override the version's setting;
``callback(iteration, model)`` runs after each iteration's merge (e.g. to score the model). ``engine="reference"`` runs the readable Python
loop (``train_partition_reference``, slow; tests prove the two agree), ``"fast"`` the same loop
compiled by numba.

``heldout_loss(model, sentences, window=5)``: the mean of -log p(centre word | context word) under
the model's hierarchical softmax, over every pair within ``window`` of held-out sentences: the
objective MLlib descends, measured on text it did not train on (much less noisy than WordSim353).

What the imitation does not copy: Spark's random numbers (XORShiftRandom; here word2vec.c's
generator, seeded per partition and iteration as MLlib seeds its own), its tie order among words of
equal count (here ``corpus.Vocab``'s: text order) and the order ``repartition`` gives the sentences
within a partition. Runs therefore match MLlib in distribution, not bit for bit.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real

import numba
import numpy as np

from teachkit import sampling
from teachkit.corpus import Vocab
from teachkit.huffman import HuffmanTree, build_huffman
from teachkit.word2vec import MAX_EXP, EXP_TABLE_SIZE, exp_table, sigmoid

# MLlib 1.6's parameters next to today's pyspark.ml and the other engines of the course:
# (1.6 setter, 1.6 default, what 1.6's scaladoc adds, pyspark.ml param, its default,
#  teachkit.spark / teachkit.mllib argument, word2vec.c flag).
PARAMETERS = [
    ("vectorSize", "100", "", "vectorSize", 100, "vector_size", "-size 100"),
    ("learningRate", "0.025", "", "stepSize", 0.025, "step_size / learning_rate", "-alpha 0.025 (skip-gram)"),
    ("numPartitions", "1", '"Use a small number for accuracy."', "numPartitions", 1, "num_partitions",
     "none (-threads shares one model)"),
    ("numIterations", "1", '"should be smaller than or equal to number of partitions" (a comment: not checked)',
     "maxIter", 1, "num_iterations", "-iter (last commit; the 2013 release has none)"),
    ("seed", "a random long per Word2Vec object", "", "seed", "Python's hash of the class name (changes per process)",
     "seed", "none (thread i starts its generator at i)"),
    ("minCount", "5", "", "minCount", 5, "min_count", "-min-count 5"),
    ("setWindowSize (new in 1.6)", "5", "", "windowSize", 5, "window", "-window 5"),
    ("none: MAX_SENTENCE_LENGTH", "1000", "cuts the stream of words, sentence ends ignored",
     "maxSentenceLength (since 2.0)", 1000, "max_sentence_length", "MAX_SENTENCE_LENGTH 1000"),
]

VERSIONS = {
    "1.6": dict(merge="sum", schedule="restart", chunking="stream"),
    "3.0": dict(merge="average", schedule="global", chunking="sentence"),
}
UPDATE_EVERY = 10_000   # MLlib recomputes alpha when more than this many words passed since the last time
MIN_ALPHA_FRACTION = sampling.MIN_ALPHA_FRACTION  # MLlib: if (alpha < learningRate * 0.0001) ...
MAX_SENTENCE_LENGTH = 1000
_TABLE_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2.0  # Spark: a real division (83.33); word2vec.c's int division gives 83


# --- the learning rate ------------------------------------------------------------------------------


def partition_learning_rate(learning_rate: float, num_partitions: int, word_count, iteration: int,
                            num_iterations: int, train_words: int, schedule: str):
    """The rate a partition sets after ``word_count`` of its own words in iteration ``iteration`` (1-based).

    ``schedule="restart"`` (1.6): ``lr * max(1 - P * word_count / (T + 1), 1e-4)``, the same in every
    iteration. ``"global"`` (since SPARK-22156):
    ``lr * max(1 - (P * word_count + (iteration - 1) * T) / (I * T + 1), 1e-4)``. Each partition
    guesses the global progress as P times its own: the partitions do not talk while they train.
    """
    _check_schedule(schedule)
    word_count = np.asarray(word_count, dtype=np.float64)
    if schedule == "restart":
        progress = num_partitions * word_count / (train_words + 1)
    else:
        progress = ((num_partitions * word_count + (iteration - 1) * train_words)
                    / (num_iterations * train_words + 1))
    return sampling.learning_rate(learning_rate, progress)


def learning_rate_curve(learning_rate: float, num_partitions: int, num_iterations: int,
                        train_words: int, schedule: str, points: int = 200):
    """(global progress in [0, 1], rate) along the training of one partition holding T / P words.

    The rate is piecewise constant between updates; this samples it at ``points`` places per
    iteration, ignoring MLlib's first 10,000 words at the full rate (see ``train``).
    """
    share = train_words / num_partitions
    word_count = np.linspace(0, share, points, endpoint=False)
    progress, rate = [], []
    for k in range(1, num_iterations + 1):
        progress.append(((k - 1) + word_count / share) / num_iterations)
        rate.append(partition_learning_rate(learning_rate, num_partitions, word_count, k, num_iterations,
                                            train_words, schedule))
    return np.concatenate(progress), np.concatenate(rate)


# --- the data, as MLlib cuts and deals it --------------------------------------------------------------


def partition_sentences(sentences: Sequence[Sequence[str]], vocab: Vocab, num_partitions: int,
                        chunking: str, max_sentence_length: int = MAX_SENTENCE_LENGTH) -> list[list[np.ndarray]]:
    """Word-index arrays for each partition. Unknown words are dropped first (as MLlib's hash lookup
    does); ``chunking="stream"`` (1.6) then cuts the whole stream of words into pieces of
    ``max_sentence_length``, ``"sentence"`` cuts each sentence on its own. The pieces are dealt round
    robin over the partitions, as ``RDD.repartition`` deals the elements of one input partition."""
    if chunking not in ("stream", "sentence"):
        raise ValueError(f"chunking must be 'stream' (1.6: sentence ends ignored) or 'sentence' (later "
                         f"versions), got {chunking!r}.")
    _check_int("num_partitions", num_partitions, "MLlib's default is 1.")
    _check_int("max_sentence_length", max_sentence_length, "MLlib uses 1000.")
    index = vocab.index
    encoded = [np.array([index[w] for w in s if w in index], dtype=np.int32) for s in sentences]
    if chunking == "stream":
        stream = np.concatenate(encoded) if encoded else np.zeros(0, np.int32)
        pieces = [stream[i:i + max_sentence_length] for i in range(0, len(stream), max_sentence_length)]
    else:
        pieces = [s[i:i + max_sentence_length] for s in encoded for i in range(0, len(s), max_sentence_length)]
    pieces = [p for p in pieces if len(p)]
    return [pieces[p::num_partitions] for p in range(num_partitions)]


def _flatten(pieces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.zeros(len(pieces) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(p) for p in pieces])
    corpus = np.concatenate(pieces).astype(np.int32) if pieces else np.zeros(0, np.int32)
    return corpus, starts


# --- one partition's training: the reference loop and the compiled one ----------------------------


def _lcg(state: int) -> int:
    return (state * 25214903917 + 11) % 2 ** 64


def partition_seed(seed: int, partition: int, iteration: int) -> int:
    """MLlib's per-task seed ``seed ^ ((idx + 1) << 16) ^ ((-k - 1) << 8)``, as an unsigned 64-bit int."""
    return (seed ^ ((partition + 1) << 16) ^ ((-iteration - 1) << 8)) % 2 ** 64


def train_partition_reference(pieces: list[np.ndarray], syn0: np.ndarray, syn1: np.ndarray, tree: HuffmanTree,
                              window: int, learning_rate: float, num_partitions: int, iteration: int,
                              num_iterations: int, train_words: int, schedule: str, seed: int):
    """One partition in one iteration, written like MLlib's ``mapPartitionsWithIndex`` block.

    Trains ``syn0`` / ``syn1`` (this partition's copies) in place. Returns the rows it touched
    (``syn0_touched``, ``syn1_touched``: counts, as MLlib's ``syn0Modify`` / ``syn1Modify``) and the
    rate it ended with.
    """
    table = exp_table()
    state = seed
    alpha = learning_rate          # the closure's value: every partition starts every iteration here
    syn0_touched = np.zeros(len(syn0), dtype=np.int64)
    syn1_touched = np.zeros(len(syn1), dtype=np.int64)
    last_word_count = word_count = 0
    for sentence in pieces:
        if word_count - last_word_count > UPDATE_EVERY:
            last_word_count = word_count
            alpha = partition_learning_rate(learning_rate, num_partitions, word_count, iteration,
                                            num_iterations, train_words, schedule)
        word_count += len(sentence)
        for pos, word in enumerate(sentence):
            state = _lcg(state)
            b = state % window                      # MLlib: random.nextInt(window)
            for a in range(b, 2 * window + 1 - b):  # skip-gram: each context word predicts `word`
                c = pos - window + a
                if a == window or c < 0 or c >= len(sentence):
                    continue
                last_word = sentence[c]
                l1 = syn0[last_word]
                neu1e = np.zeros_like(l1)
                for d in range(tree.code_lengths[word]):
                    inner = tree.points[word, d]
                    f = l1 @ syn1[inner]
                    if f <= -MAX_EXP or f >= MAX_EXP:
                        continue                    # no update, and the row is not marked
                    f = table[int((f + MAX_EXP) * _TABLE_SCALE)]
                    g = np.float32((1 - tree.codes[word, d] - f) * alpha)
                    neu1e += g * syn1[inner]
                    syn1[inner] += g * l1
                    syn1_touched[inner] += 1
                l1 += neu1e
                syn0_touched[last_word] += 1    # marked even when every node was skipped
    return syn0_touched, syn1_touched, float(alpha)


@numba.njit(cache=True, fastmath=True)
def _train_partition(corpus, starts, syn0, syn1, codes, points, code_lengths, table, window,
                     learning_rate, num_partitions, train_words, done_before, total_words, restart,
                     seed, syn0_touched, syn1_touched):
    size = syn0.shape[1]
    neu1e = np.empty(size, dtype=np.float32)
    state = np.uint64(seed)
    uwindow = np.uint64(window)
    alpha = learning_rate
    last_word_count = 0
    word_count = 0
    for s in range(len(starts) - 1):
        if word_count - last_word_count > 10_000:
            last_word_count = word_count
            if restart:
                progress = num_partitions * word_count / (train_words + 1.0)
            else:
                progress = (num_partitions * word_count + done_before) / total_words
            alpha = learning_rate * max(1.0 - progress, 1e-4)
        n = starts[s + 1] - starts[s]
        word_count += n
        first = starts[s]
        for pos in range(n):
            word = corpus[first + pos]
            state = state * np.uint64(25214903917) + np.uint64(11)
            b = np.int64(state % uwindow)
            for a in range(b, 2 * window + 1 - b):
                c = pos - window + a
                if a == window or c < 0 or c >= n:
                    continue
                last_word = corpus[first + c]
                neu1e[:] = 0.0
                for d in range(code_lengths[word]):
                    inner = points[word, d]
                    f = np.float32(0.0)
                    for j in range(size):
                        f += syn0[last_word, j] * syn1[inner, j]
                    if f <= -6.0 or f >= 6.0:
                        continue
                    f = table[int((f + 6.0) * (1000 / 6 / 2))]
                    g = np.float32((1 - codes[word, d] - f) * alpha)
                    for j in range(size):
                        neu1e[j] += g * syn1[inner, j]
                        syn1[inner, j] += g * syn0[last_word, j]
                    syn1_touched[inner] += 1
                for j in range(size):
                    syn0[last_word, j] += neu1e[j]
                syn0_touched[last_word] += 1
    return alpha


# --- the driver's merge -------------------------------------------------------------------------------


def merge_copies(global_rows: np.ndarray, copies: Sequence[np.ndarray], touched: Sequence[np.ndarray],
          how: str) -> np.ndarray:
    """The new global matrix after one iteration: each row the partitions touched becomes the sum
    (``how="sum"``, 1.6) or the mean (``"average"``, SPARK-24666) of the touching partitions' copies;
    a row no partition touched keeps its global value. ``touched[p]`` is a count or boolean per row."""
    if how not in ("sum", "average"):
        raise ValueError(f"how must be 'sum' (Spark 1.6) or 'average' (SPARK-24666, Spark 2.4.5 / 3.0), got {how!r}.")
    if len(copies) != len(touched) or not copies:
        raise ValueError(f"one touched-row mask per copy, got {len(copies)} copies and {len(touched)} masks.")
    total = np.zeros_like(global_rows)
    count = np.zeros(len(global_rows), dtype=np.int64)
    for rows, mask in zip(copies, touched):
        mask = np.asarray(mask) > 0
        if rows.shape != global_rows.shape or mask.shape != (len(global_rows),):
            raise ValueError(f"every copy must have the global shape {global_rows.shape} and every mask "
                             f"{len(global_rows)} entries; got {rows.shape} and {mask.shape}.")
        total[mask] += rows[mask]
        count += mask
    out = global_rows.copy()
    hit = count > 0
    out[hit] = total[hit] if how == "sum" else total[hit] / count[hit, None].astype(global_rows.dtype)
    return out


# --- training -------------------------------------------------------------------------------------------


@dataclass
class MLlibWord2Vec:
    """What the imitation trained: the vocabulary, syn0 (the vectors), syn1, the tree and a history."""
    vocab: Vocab
    syn0: np.ndarray
    syn1: np.ndarray
    tree: HuffmanTree
    params: dict
    history: dict = field(default_factory=dict)
    copies: dict | None = None  # keep_copies=True: the last iteration's start and partition copies

    @property
    def words(self) -> list[str]:
        return self.vocab.words

    @property
    def vectors(self) -> np.ndarray:
        return self.syn0

    def with_weights(self, syn0: np.ndarray, syn1: np.ndarray) -> "MLlibWord2Vec":
        """The same vocabulary and tree with other weights (e.g. one partition's copy, for heldout_loss)."""
        return MLlibWord2Vec(self.vocab, syn0, syn1, self.tree, self.params)


def _check_int(name: str, value, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}; {hint}")
    return int(value)


def _check_schedule(schedule: str) -> None:
    if schedule not in ("restart", "global"):
        raise ValueError(f"schedule must be 'restart' (Spark 1.6: the rate restarts every iteration) or "
                         f"'global' (SPARK-22156: one decay over all iterations), got {schedule!r}.")


def train(sentences: Sequence[Sequence[str]], *, vector_size: int = 100, learning_rate: float = 0.025,
          num_partitions: int = 1, num_iterations: int = 1, seed: int = 1, min_count: int = 5,
          window: int = 5, version: str = "1.6", merge: str | None = None, schedule: str | None = None,
          chunking: str | None = None, max_sentence_length: int = MAX_SENTENCE_LENGTH,
          vocab: Vocab | None = None, engine: str = "fast", keep_copies: bool = False,
          callback=None) -> MLlibWord2Vec:
    """Train skip-gram + hierarchical softmax the way MLlib does: private copies per partition, merged
    after every iteration. See the module docstring for what each setting means. ``keep_copies``
    keeps the last iteration's partition copies in ``model.copies`` (see ``MLlibWord2Vec``);
    ``callback(k, model)`` is called after the merge of iteration k with the model as it stands."""
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {sorted(VERSIONS)}, got {version!r}.")
    settings = dict(VERSIONS[version])
    for name, value in (("merge", merge), ("schedule", schedule), ("chunking", chunking)):
        if value is not None:
            settings[name] = value
    _check_schedule(settings["schedule"])
    if settings["merge"] not in ("sum", "average"):
        raise ValueError(f"merge must be 'sum' (1.6) or 'average' (later), got {settings['merge']!r}.")
    vector_size = _check_int("vector_size", vector_size, "MLlib's default is 100.")
    num_partitions = _check_int("num_partitions", num_partitions, "MLlib's default is 1.")
    num_iterations = _check_int("num_iterations", num_iterations, "MLlib's default is 1.")
    window = _check_int("window", window, "MLlib's default is 5.")
    min_count = _check_int("min_count", min_count, "MLlib's default is 5.")
    if not isinstance(learning_rate, Real) or not 0 < learning_rate < np.inf:
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}; MLlib's default is 0.025.")
    if engine not in ("fast", "reference"):
        raise ValueError(f"engine must be 'fast' (numba) or 'reference' (Python loop), got {engine!r}.")
    sentences = list(sentences)
    if vocab is None:
        vocab = Vocab.build(sentences, min_count=min_count)
    if len(vocab) < 2:
        raise ValueError(f"hierarchical softmax needs at least 2 words in the vocabulary, got {len(vocab)}; "
                         "lower min_count or use a larger corpus.")
    parts = partition_sentences(sentences, vocab, num_partitions, settings["chunking"], max_sentence_length)
    train_words = int(vocab.counts.sum())   # MLlib: the sum of the kept words' counts

    rng = np.random.default_rng(seed)
    V = len(vocab)
    syn0 = ((rng.random((V, vector_size)) - 0.5) / vector_size).astype(np.float32)  # MLlib: (nextFloat - 0.5) / size
    tree = build_huffman(vocab.counts)
    syn1 = np.zeros((V - 1, vector_size), dtype=np.float32)
    table = exp_table()
    flat = [_flatten(p) for p in parts]
    copies = None
    history = {"alpha_end": [], "seconds": [], "max_abs": [], "mean_norm": [], "shared_rows": []}
    for k in range(1, num_iterations + 1):
        start = time.perf_counter()
        copies0, copies1, touched0, touched1, alphas = [], [], [], [], []
        for p in range(num_partitions):
            local0, local1 = syn0.copy(), syn1.copy()
            task_seed = partition_seed(seed, p, k)
            if engine == "reference":
                t0, t1, alpha = train_partition_reference(parts[p], local0, local1, tree, window, learning_rate,
                                                          num_partitions, k, num_iterations, train_words,
                                                          settings["schedule"], task_seed)
            else:
                t0 = np.zeros(V, dtype=np.int64)
                t1 = np.zeros(V - 1, dtype=np.int64)
                corpus, starts = flat[p]
                alpha = _train_partition(corpus, starts, local0, local1, tree.codes, tree.points,
                                         tree.code_lengths, table, window, float(learning_rate),
                                         num_partitions, train_words, float((k - 1) * train_words),
                                         float(num_iterations * train_words + 1),
                                         settings["schedule"] == "restart", np.uint64(task_seed), t0, t1)
            copies0.append(local0)
            copies1.append(local1)
            touched0.append(t0)
            touched1.append(t1)
            alphas.append(float(alpha))
        if keep_copies and k == num_iterations:
            copies = dict(start=(syn0, syn1), syn0=copies0, syn1=copies1, touched0=touched0, touched1=touched1)
        syn0 = merge_copies(syn0, copies0, touched0, settings["merge"])
        syn1 = merge_copies(syn1, copies1, touched1, settings["merge"])
        history["alpha_end"].append(alphas)
        history["seconds"].append(time.perf_counter() - start)
        history["max_abs"].append(float(np.max(np.abs(syn0))) if np.all(np.isfinite(syn0)) else float("inf"))
        history["mean_norm"].append(float(np.linalg.norm(syn0, axis=1).mean()))
        history["shared_rows"].append(float(np.mean(np.sum([t > 0 for t in touched0], axis=0) > 1)))
        if callback is not None:
            callback(k, MLlibWord2Vec(vocab, syn0, syn1, tree, dict(settings)))
    params = dict(vector_size=vector_size, learning_rate=learning_rate, num_partitions=num_partitions,
                  num_iterations=num_iterations, seed=seed, min_count=min_count, window=window,
                  version=version, max_sentence_length=max_sentence_length, train_words=train_words,
                  **settings)
    return MLlibWord2Vec(vocab, syn0, syn1, tree, params, history, copies)


# --- held-out loss --------------------------------------------------------------------------------------


@numba.njit(cache=True, fastmath=True)
def _pairs_loss(corpus, starts, syn0, syn1, codes, points, code_lengths, window):
    total = 0.0
    pairs = 0
    size = syn0.shape[1]
    for s in range(len(starts) - 1):
        first, n = starts[s], starts[s + 1] - starts[s]
        for pos in range(n):
            word = corpus[first + pos]
            for c in range(max(0, pos - window), min(n, pos + window + 1)):
                if c == pos:
                    continue
                last_word = corpus[first + c]
                loss = 0.0
                for d in range(code_lengths[word]):
                    inner = points[word, d]
                    f = 0.0
                    for j in range(size):
                        f += np.float64(syn0[last_word, j]) * syn1[inner, j]
                    x = (1 - 2 * codes[word, d]) * f   # log-odds of the right turn
                    loss += max(-x, 0.0) + np.log1p(np.exp(-abs(x)))
                total += loss
                pairs += 1
    return total, pairs


def heldout_loss(model, sentences: Sequence[Sequence[str]], window: int = 5) -> float:
    """Mean -log p(centre | context word) over every pair within ``window`` of ``sentences`` (known
    words only), under ``model``'s hierarchical softmax (``syn0``, ``syn1``, ``tree``; a teachkit
    ``word2vec.Word2Vec`` with ``hs=1`` works too). Lower is better; a model that has learnt
    nothing scores about ``log 2`` times the mean code length."""
    if getattr(model, "syn1", None) is None or getattr(model, "tree", None) is None:
        raise ValueError("heldout_loss needs a hierarchical-softmax model (syn1 and tree); train with hs=1.")
    _check_int("window", window, "e.g. 5.")
    index = model.vocab.index
    encoded = [np.array([index[w] for w in s if w in index], dtype=np.int32) for s in sentences]
    corpus, starts = _flatten([e for e in encoded if len(e) > 1])
    if len(corpus) == 0:
        raise ValueError("no held-out sentence has two known words; pass more text.")
    if not (np.all(np.isfinite(model.syn0)) and np.all(np.isfinite(model.syn1))):
        return float("inf")
    tree = model.tree
    total, pairs = _pairs_loss(corpus, starts, model.syn0, model.syn1, tree.codes, tree.points,
                               tree.code_lengths, window)
    return total / pairs


def pair_probability(model, context_word: str, word: str) -> float:
    """p(word | context_word) under the model's hierarchical softmax, exact sigmoid (for checks)."""
    i, o = model.vocab.index[context_word], model.vocab.index[word]
    h = model.syn0[i].astype(np.float64)
    code, point = model.tree.code(o), model.tree.point(o)
    return float(np.prod(sigmoid((1 - 2 * code.astype(np.float64)) * (model.syn1[point] @ h))))
