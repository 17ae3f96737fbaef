"""Evaluation on plain arrays and word lists: neighbours, word similarity, analogies, and
reconstruction mean rank / MAP for embedded hierarchies. Imports no model module.

Word vectors (``vectors`` is a (V, D) array, ``words`` the list of its row labels, most frequent
first as ``corpus.Vocab`` orders them):

- ``unit_vectors(vectors)``: rows scaled to length 1 (zero rows stay zero).
- ``most_similar(vectors, words, positive, negative=(), topn=10, restrict_vocab=None)``:
  [(word, cosine)] nearest to the sum of the unit vectors of ``positive`` minus ``negative``
  (the query words themselves excluded), as gensim's ``most_similar``. An unknown word raises
  ``UnknownWordError`` (a ``KeyError`` whose message names the word).
- ``analogy_accuracy(vectors, words, questions, restrict_vocab=300_000) -> AnalogyResult``:
  3CosAdd (``b - a + c``) over the ``restrict_vocab`` most frequent words, as gensim's
  ``evaluate_word_analogies``; questions (section, a, b, c, d) from ``data.analogies()`` /
  ``data.read_analogies``; questions with a word outside that vocabulary are skipped and counted.
- ``word_similarity(vectors, words, pairs, restrict_vocab=300_000) -> SimilarityResult``: Spearman
  correlation between cosine and human scores over the pairs in the vocabulary (pairs from
  ``data.wordsim353()`` / ``data.simlex999()``), with the out-of-vocabulary rate.
- ``spearman(x, y)``: rank correlation (ties get their average rank).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


# --- word vectors: neighbours, analogies, word similarity (notebooks 03, 04) ---


class UnknownWordError(KeyError):
    """A query word that has no vector; the message names it and says what to do."""

    def __init__(self, word: str, vocab_size: int):
        self.word = word
        super().__init__(f"{word!r} is not in the vocabulary ({vocab_size} words); check the spelling "
                         "(the corpus is lowercased) or train with a lower min_count.")

    def __str__(self) -> str:  # KeyError would print the message with extra quotes
        return self.args[0]


def unit_vectors(vectors: np.ndarray) -> np.ndarray:
    """Each row divided by its length, so that a dot product is a cosine; zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a (words, dimension) array, got shape {vectors.shape}.")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.finfo(np.float64).tiny)


def _word_index(words: Sequence[str], vectors: np.ndarray) -> dict[str, int]:
    if len(words) != len(vectors):
        raise ValueError(f"Need one word per vector row: {len(words)} words, {len(vectors)} rows.")
    return {w: i for i, w in enumerate(words)}


def most_similar(vectors: np.ndarray, words: Sequence[str], positive: Sequence[str],
                 negative: Sequence[str] = (), topn: int = 10,
                 restrict_vocab: int | None = None) -> list[tuple[str, float]]:
    """Words nearest by cosine to sum(unit(positive)) - sum(unit(negative)), query words excluded."""
    if isinstance(positive, str) or isinstance(negative, str):
        raise TypeError("positive and negative are lists of words, e.g. positive=['king', 'woman'].")
    if not positive and not negative:
        raise ValueError("Give at least one word in positive (or negative).")
    index = _word_index(words, vectors)
    for word in [*positive, *negative]:
        if word not in index:
            raise UnknownWordError(word, len(words))
    unit = unit_vectors(vectors)
    query_ids = [index[w] for w in [*positive, *negative]]
    signs = np.r_[np.ones(len(positive)), -np.ones(len(negative))]
    query = signs @ unit[query_ids]
    cosines = unit[:restrict_vocab] @ (query / max(np.linalg.norm(query), np.finfo(np.float64).tiny))
    ranked = np.argsort(-cosines, kind="stable")
    best = [i for i in ranked[:topn + len(query_ids)] if i not in query_ids][:topn]  # never a query word
    return [(words[i], float(cosines[i])) for i in best]


@dataclass
class AnalogyResult:
    """3CosAdd analogy accuracy: ``correct / answered``; ``skipped`` questions had an unknown word."""

    accuracy: float
    correct: int
    answered: int
    skipped: int
    sections: dict[str, tuple[int, int]]  # section -> (correct, answered)


def analogy_accuracy(vectors: np.ndarray, words: Sequence[str], questions, restrict_vocab: int = 300_000,
                     batch: int = 1024) -> AnalogyResult:
    """"a is to b as c is to d": predict argmax_w cos(w, b - a + c) over the top ``restrict_vocab`` words.

    As gensim's ``evaluate_word_analogies``: a question is skipped unless all four words are among
    the ``restrict_vocab`` most frequent; a, b and c themselves are never the answer.
    """
    unit = unit_vectors(vectors)[:restrict_vocab]
    index = {w: i for i, w in enumerate(words[:restrict_vocab])}
    kept = [(q[0], *(index[w] for w in q[1:])) for q in questions if all(w in index for w in q[1:])]
    skipped = len(questions) - len(kept)
    sections: dict[str, list[int]] = {}
    correct = 0
    for start in range(0, len(kept), batch):
        chunk = kept[start:start + batch]
        a, b, c, d = (np.array([q[k] for q in chunk]) for k in range(1, 5))
        scores = (unit[b] - unit[a] + unit[c]) @ unit.T
        rows = np.arange(len(chunk))
        for excluded in (a, b, c):
            scores[rows, excluded] = -np.inf
        hits = scores.argmax(axis=1) == d
        correct += int(hits.sum())
        for q, hit in zip(chunk, hits):
            tally = sections.setdefault(q[0], [0, 0])
            tally[0] += int(hit)
            tally[1] += 1
    answered = len(kept)
    return AnalogyResult(correct / answered if answered else float("nan"), correct, answered, skipped,
                         {name: (c, n) for name, (c, n) in sections.items()})


def _average_ranks(values) -> np.ndarray:
    """Ranks 1..n; a run of equal values gets the mean of the ranks it spans."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts_run = np.r_[True, ordered[1:] != ordered[:-1]]
    run = np.cumsum(starts_run) - 1
    first = np.flatnonzero(starts_run)
    last = np.r_[first[1:], len(values)] - 1
    ranks = np.empty(len(values))
    ranks[order] = ((first + last) / 2 + 1)[run]
    return ranks


def spearman(x, y) -> float:
    """Spearman's rank correlation: the Pearson correlation of the ranks (ties share their mean rank)."""
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"spearman needs two equally long sequences of at least 2 values, got {len(x)} and {len(y)}.")
    return float(np.corrcoef(_average_ranks(x), _average_ranks(y))[0, 1])


@dataclass
class SimilarityResult:
    """Spearman correlation of cosine vs human scores over ``pairs`` in-vocabulary pairs."""

    spearman: float
    pairs: int
    oov_pairs: int

    @property
    def oov_rate(self) -> float:
        return self.oov_pairs / (self.pairs + self.oov_pairs)


def word_similarity(vectors: np.ndarray, words: Sequence[str], pairs, restrict_vocab: int = 300_000
                    ) -> SimilarityResult:
    """Spearman(cosine, human score) over the (a, b, score) pairs whose words both have vectors."""
    unit = unit_vectors(vectors)[:restrict_vocab]
    index = {w: i for i, w in enumerate(words[:restrict_vocab])}
    known = [(index[a], index[b], s) for a, b, s in pairs if a in index and b in index]
    if len(known) < 2:
        raise ValueError(f"Only {len(known)} of {len(pairs)} pairs have both words in the vocabulary; "
                         "train on a larger corpus or lower min_count.")
    a, b, human = (np.array(col) for col in zip(*known))
    cosines = np.sum(unit[a] * unit[b], axis=1)
    return SimilarityResult(spearman(human, cosines), len(known), len(pairs) - len(known))


# --- 05 Poincare: reconstruction mean rank and MAP of an embedded hierarchy ---
#
# Protocol (facebookresearch's ``eval_reconstruction``, see docs/references.md): the neighbours of a node
# u are its ancestors, the closure rows u -> v. Every node except u itself is ranked by distance to
# u; the rank of an ancestor v is 1 + the number of NON-ancestors closer to u than v (other
# ancestors never count against it). Mean rank is over all closure rows; MAP is the mean, over nodes
# with at least one ancestor, of the average precision of u's ancestors in that ranking.


@dataclass
class ReconstructionResult:
    """Mean rank over ``n_edges`` closure rows and MAP over ``n_nodes`` query nodes."""

    mean_rank: float
    map: float
    n_edges: int
    n_nodes: int
    average_precisions: np.ndarray  # one per query node, in query order (their mean is ``map``)


def _ancestor_lists(edges: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR grouping of closure rows by child: ancestors of u are ``targets[starts[u]:starts[u+1]]``."""
    edges = np.asarray(edges)
    if edges.ndim != 2 or edges.shape[1] != 2 or len(edges) == 0 or not np.issubdtype(edges.dtype, np.integer):
        raise ValueError(f"edges must be a non-empty (n_edges, 2) integer array of (child, ancestor) rows, "
                         f"got shape {edges.shape} and dtype {edges.dtype}; see hierarchy.index_edges().")
    if edges.min() < 0 or edges.max() >= n_nodes:
        raise ValueError(f"edges refer to node {edges.max()} (or {edges.min()}) but there are only "
                         f"{n_nodes} vectors; index the closure and the vectors the same way.")
    if np.any(edges[:, 0] == edges[:, 1]):
        raise ValueError("edges contain a self-loop (u, u); drop them first (hierarchy.clean_edges).")
    edges = np.unique(edges, axis=0)  # sorted by child; repeated rows would be ranked twice
    return np.searchsorted(edges[:, 0], np.arange(n_nodes + 1)), edges[:, 1]


def reconstruction(vectors: np.ndarray, edges: np.ndarray, distance, nodes=None) -> ReconstructionResult:
    """Reconstruction mean rank and MAP of the closure ``edges`` from embedded ``vectors``.

    ``distance(x, Y)`` returns the distances from one vector ``x`` to every row of ``Y`` (e.g.
    ``teachkit.poincare.distance``, which broadcasts). ``nodes`` restricts the queries to a subset
    (e.g. a random sample of a large hierarchy); by default every node with an ancestor is a query.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a (nodes, dimension) array, got shape {vectors.shape}.")
    n = len(vectors)
    starts, targets = _ancestor_lists(edges, n)
    queries = np.flatnonzero(np.diff(starts)) if nodes is None else np.asarray(nodes, dtype=np.int64)
    ranks_total, n_ranked, precisions = 0.0, 0, []
    for u in queries:
        ancestors = targets[starts[u]:starts[u + 1]]
        if len(ancestors) == 0:
            continue
        d = np.asarray(distance(vectors[u], vectors), dtype=np.float64)
        if d.shape != (n,) or not np.all(np.isfinite(d)):
            raise ValueError(f"distance(x, Y) must return {n} finite distances; got shape {d.shape} "
                             f"with {np.sum(~np.isfinite(d))} non-finite values (node {u}).")
        is_other = np.ones(n, dtype=bool)
        is_other[ancestors] = False
        is_other[u] = False  # u itself is never ranked
        ancestor_d = np.sort(d[ancestors])
        # For each non-ancestor, how many ancestors are at its distance or nearer; ancestor i (0-based,
        # nearest first) is beaten by the non-ancestors with strictly fewer than i + 1 of those.
        beaten_at = np.searchsorted(ancestor_d, d[is_other], side="right")
        closer_others = np.cumsum(np.bincount(beaten_at, minlength=len(ancestors) + 1))[:len(ancestors)]
        ranks = 1 + closer_others
        ranks_total += ranks.sum()
        n_ranked += len(ranks)
        # Precision at ancestor i = (i + 1) ancestors among the i + 1 + closer_others[i] nodes ranked so far.
        hits = np.arange(1, len(ancestors) + 1)
        precisions.append(np.mean(hits / (hits + closer_others)))
    if n_ranked == 0:
        raise ValueError("No query node has an ancestor in edges; nothing to rank.")
    return ReconstructionResult(float(ranks_total / n_ranked), float(np.mean(precisions)), n_ranked,
                                len(precisions), np.array(precisions))
