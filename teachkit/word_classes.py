"""Word classes: the K-means that word2vec.c runs on the word vectors when given ``-classes k``.

With ``-classes k`` (k > 0) the C code does not save the vectors: it clusters them and writes one
line ``word class`` per vocabulary word instead. Its K-means, read from ``TrainModel``:

1. start round-robin: word ``a`` goes to class ``a % k`` (no random start);
2. each centroid is the sum of its words' vectors divided by (1 + their number) (the counters
   start at 1, not 0), then scaled to unit length;
3. each word goes to the class whose centroid has the largest **dot product** with the word's
   vector (not the smallest distance: the word vectors are not normalised); ties go to the lower
   class, and a dot product must beat -10 to count (a word whose every dot product is <= -10
   goes to class 0);
4. steps 2-3 ten times, whatever happens (no convergence test).

Public API:

- ``word_classes(vectors, k, iterations=10) -> labels``: the loop above, vectorised with numpy
  (one matrix product per iteration), in float64.
- ``word_classes_c_loop(vectors, k, iterations=10, count_per_dimension=False) -> labels``: the
  C loops transcribed line by line (slow; for tests on small arrays). ``count_per_dimension``
  reproduces the 2013 release, which increments a class's counter once per *dimension* of every
  word instead of once per word; the centroid is then scaled by a different positive number
  before being normalised, so the labels are the same.
- ``save_word_classes(path, words, labels)``: the C output, ``word class`` per line, vocabulary
  order (the C file starts with ``</s>``, which teachkit keeps out of the vocabulary).

Bad input (k < 1 or more classes than words, vectors that are not a 2-D finite array) raises
``ValueError``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

ITERATIONS = 10          # word2vec.c: int iter = 10 in the K-means block
NO_CLASS_SCORE = -10.0   # word2vec.c: closev = -10 before the search for the best class


def _check(vectors, k: int, iterations: int) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or not np.all(np.isfinite(vectors)):
        raise ValueError(f"vectors must be a finite 2-D array (one row per word), got shape {vectors.shape}.")
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= len(vectors):
        raise ValueError(f"k must be an int between 1 and the number of words ({len(vectors)}), got {k!r}; "
                         "the C code's demo uses -classes 500 on a large vocabulary.")
    if not isinstance(iterations, (int, np.integer)) or iterations < 1:
        raise ValueError(f"iterations must be an int >= 1 (the C code runs {ITERATIONS}), got {iterations!r}.")
    return vectors


def word_classes(vectors, k: int, iterations: int = ITERATIONS) -> np.ndarray:
    """word2vec.c's ``-classes`` K-means, vectorised: returns one class (0..k-1) per row of ``vectors``."""
    vectors = _check(vectors, k, iterations)
    labels = np.arange(len(vectors)) % k                     # round-robin start
    for _ in range(iterations):
        centroids = np.zeros((k, vectors.shape[1]))
        np.add.at(centroids, labels, vectors)                 # sum of each class's vectors
        centroids /= (1 + np.bincount(labels, minlength=k))[:, None]  # counters start at 1
        with np.errstate(invalid="ignore", divide="ignore"):  # an empty class: 0 / 0, as in C
            centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        scores = vectors @ centroids.T                        # dot products, words x classes
        scores = np.where(np.isnan(scores), -np.inf, scores)  # NaN never wins a comparison in C
        best = scores.argmax(axis=1)                          # first of equal maxima, as x > closev
        labels = np.where(scores[np.arange(len(vectors)), best] > NO_CLASS_SCORE, best, 0)
    return labels


def word_classes_c_loop(vectors, k: int, iterations: int = ITERATIONS,
                        count_per_dimension: bool = False) -> np.ndarray:
    """The K-means block of word2vec.c's ``TrainModel``, one C statement per line (variable names
    as in the C code: ``cl`` labels, ``cent`` centroids, ``centcn`` counters, ``closev`` best score)."""
    syn0 = _check(vectors, k, iterations)
    vocab_size, layer1_size = syn0.shape
    clcn = k
    cl = [a % clcn for a in range(vocab_size)]
    cent = [0.0] * (clcn * layer1_size)
    centcn = [0] * clcn
    for _ in range(iterations):
        for b in range(clcn * layer1_size):
            cent[b] = 0.0
        for b in range(clcn):
            centcn[b] = 1
        for c in range(vocab_size):
            for d in range(layer1_size):
                cent[layer1_size * cl[c] + d] += syn0[c, d]
                if count_per_dimension:          # the 2013 release: inside the loop over d
                    centcn[cl[c]] += 1
            if not count_per_dimension:          # e092540: once per word
                centcn[cl[c]] += 1
        for b in range(clcn):
            closev = 0.0
            for c in range(layer1_size):
                cent[layer1_size * b + c] /= centcn[b]
                closev += cent[layer1_size * b + c] * cent[layer1_size * b + c]
            closev = math.sqrt(closev)
            for c in range(layer1_size):
                cent[layer1_size * b + c] = cent[layer1_size * b + c] / closev if closev else math.nan
        for c in range(vocab_size):
            closev = NO_CLASS_SCORE
            closeid = 0
            for d in range(clcn):
                x = 0.0
                for b in range(layer1_size):
                    x += cent[layer1_size * d + b] * syn0[c, b]
                if x > closev:
                    closev = x
                    closeid = d
            cl[c] = closeid
    return np.array(cl)


def save_word_classes(path, words: Sequence[str], labels) -> None:
    """word2vec.c's ``-classes`` output: ``fprintf(fo, "%s %d\\n", vocab[a].word, cl[a])`` per word."""
    labels = np.asarray(labels)
    if len(words) != len(labels):
        raise ValueError(f"Need one class per word: {len(words)} words, {len(labels)} labels.")
    with open(path, "w", encoding="utf-8") as f:
        for word, label in zip(words, labels.tolist()):
            f.write(f"{word} {label}\n")
