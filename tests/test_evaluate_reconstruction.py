"""teachkit.evaluate.reconstruction against a brute-force version of the protocol in docs/references.md."""
from __future__ import annotations

import numpy as np
import pytest

from teachkit import evaluate, poincare


def euclidean(x, points):
    return np.linalg.norm(points - x, axis=1)


def brute_force(vectors, edges, distance):
    """Spelled out: rank every node but u by distance; rank of ancestor v = 1 + non-ancestors closer;
    AP = mean over u's ancestors of (ancestors at or above it) / (position in the full ranking)."""
    n = len(vectors)
    ancestors = {}
    for u, v in edges:
        ancestors.setdefault(int(u), set()).add(int(v))
    ranks, aps = [], []
    for u, anc in sorted(ancestors.items()):
        d = {w: float(distance(vectors[u], vectors[w][None])[0]) for w in range(n) if w != u}
        for v in anc:
            ranks.append(1 + sum(1 for w in d if w not in anc and d[w] < d[v]))
        ranking = sorted(d, key=d.get)
        hits, precisions = 0, []
        for position, w in enumerate(ranking, start=1):
            if w in anc:
                hits += 1
                precisions.append(hits / position)
        aps.append(np.mean(precisions))
    return np.mean(ranks), np.mean(aps)


def random_dag_edges(rng, n, n_edges):
    pairs = set()
    while len(pairs) < n_edges:
        a, b = sorted(rng.choice(n, size=2, replace=False))
        pairs.add((int(b), int(a)))  # child has the larger index: acyclic
    return np.array(sorted(pairs))


@pytest.mark.parametrize("seed", range(5))
def test_matches_brute_force_on_random_embeddings(seed):
    rng = np.random.default_rng(seed)
    n = 40
    vectors = poincare.project(rng.normal(size=(n, 3)) * 0.5)
    edges = random_dag_edges(rng, n, 120)
    for distance in (poincare.distance, poincare.distances_from, euclidean):
        result = evaluate.reconstruction(vectors, edges, distance)
        mean_rank, map_ = brute_force(vectors, edges, distance)
        assert result.mean_rank == pytest.approx(mean_rank, rel=1e-12)
        assert result.map == pytest.approx(map_, rel=1e-12)
        assert result.n_edges == len(edges) and result.n_nodes == len(set(edges[:, 0]))


def test_a_hand_computed_example():
    # Chain 0 <- 1 <- 2 <- 3 (closure rows below); points on a line at 0, 10, 1, 2.
    vectors = np.array([[0.0], [10.0], [1.0], [2.0]])
    edges = np.array([(1, 0), (2, 1), (2, 0), (3, 2), (3, 1), (3, 0)])
    result = evaluate.reconstruction(vectors, edges, euclidean, nodes=[2])
    # u = 2 (at 1): ancestor 0 at distance 1, ancestor 1 at distance 9, non-ancestor 3 at distance 1.
    # 3 is not strictly closer than 0 -> rank 1; 3 is closer than 1 -> rank 2.
    # AP: ancestor 0 first (precision 1/1), ancestor 1 third (2 ancestors among 3 nodes: 2/3).
    assert result.mean_rank == 1.5 and result.map == pytest.approx((1 / 1 + 2 / 3) / 2)
    perfect = evaluate.reconstruction(np.array([[0.0], [1.0], [2.0], [3.0]]), edges[:1], euclidean)
    assert perfect.mean_rank == 1.0 and perfect.map == 1.0


def test_the_query_node_itself_is_not_ranked():
    # If u were left in the ranking (gensim's own evaluator), every rank would be one higher.
    vectors = np.array([[0.0], [1.0], [3.0]])
    edges = np.array([(1, 0)])
    assert evaluate.reconstruction(vectors, edges, euclidean).mean_rank == 1.0


def test_per_node_average_precisions_average_to_map():
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(30, 2))
    edges = random_dag_edges(rng, 30, 60)
    result = evaluate.reconstruction(vectors, edges, euclidean)
    assert len(result.average_precisions) == result.n_nodes
    assert result.average_precisions.mean() == pytest.approx(result.map)


@pytest.mark.parametrize("edges,message", [
    (np.zeros((0, 2), dtype=int), "non-empty"),
    (np.array([[1.0, 0.0]]), "integer"),
    (np.array([1, 0]), r"\(n_edges, 2\)"),
    (np.array([[5, 0]]), "only 3 vectors"),
    (np.array([[1, 1]]), "self-loop"),
])
def test_bad_edges_are_rejected(edges, message):
    with pytest.raises(ValueError, match=message):
        evaluate.reconstruction(np.zeros((3, 2)), edges, euclidean)


def test_bad_distance_function_and_vectors_are_rejected():
    edges = np.array([(1, 0)])
    with pytest.raises(ValueError, match="finite distances"):
        evaluate.reconstruction(np.zeros((3, 2)), edges, lambda x, y: np.full(len(y), np.nan))
    with pytest.raises(ValueError, match="finite distances"):
        evaluate.reconstruction(np.zeros((3, 2)), edges, lambda x, y: np.zeros(2))
    with pytest.raises(ValueError, match=r"\(nodes, dimension\)"):
        evaluate.reconstruction(np.zeros(3), edges, euclidean)
