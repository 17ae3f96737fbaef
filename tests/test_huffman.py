"""teachkit.huffman: the tree of word2vec.c's CreateBinaryTree, checked by hand, by Kraft's
equality, by prefix-freeness and against a heap-built Huffman tree (optimality)."""
import heapq
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teachkit.huffman import build_huffman


def heap_huffman_cost(counts) -> int:
    """Weighted path length of a textbook (heap) Huffman tree: the sum of all merged weights."""
    heap = [int(c) for c in counts]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


def code_strings(tree) -> list[str]:
    return ["".join(map(str, tree.code(w))) for w in range(tree.n_words)]


def test_tiny_tree_written_out_by_hand():
    # counts 5, 3, 2, 1. The pass merges 1+2 -> node 4 (count 3); then node 4 (3) and word 1 (3):
    # on a tie the C code takes the inner node first, so node 5 = {4, word 1} with word 1 the
    # "1" branch; then word 0 (5) and node 5 (6) -> the root, node 6.
    tree = build_huffman([5, 3, 2, 1])
    assert code_strings(tree) == ["0", "11", "101", "100"]
    # Inner node 4 + i is syn1 row i: root = row 2, node 5 = row 1, node 4 = row 0.
    assert [tree.point(w).tolist() for w in range(4)] == [[2], [2, 1], [2, 1, 0], [2, 1, 0]]
    assert tree.parent.tolist() == [6, 5, 4, 4, 5, 6]
    assert tree.counts.tolist() == [5, 3, 2, 1, 3, 6, 11]
    assert tree.weighted_path_length() == 5 * 1 + 3 * 2 + 2 * 3 + 1 * 3 == heap_huffman_cost([5, 3, 2, 1])


def test_two_words_give_one_inner_node():
    tree = build_huffman([2, 1])
    assert code_strings(tree) == ["1", "0"]  # the larger of the two merged nodes is the "1" branch
    assert tree.point(0).tolist() == tree.point(1).tolist() == [0]


def check_tree(counts) -> None:
    tree = build_huffman(counts)
    V = len(counts)
    codes = code_strings(tree)
    # Prefix-free: sorted, a code that is a prefix of another sits right before one it prefixes.
    ordered = sorted(codes)
    assert all(not b.startswith(a) for a, b in zip(ordered, ordered[1:]))
    # Kraft equality (a full binary tree): sum 2^-len == 1 exactly.
    assert sum(Fraction(1, 2 ** len(c)) for c in codes) == 1
    # Optimal: the same weighted path length as a heap-built Huffman tree.
    assert tree.weighted_path_length() == heap_huffman_cost(counts)
    # Every path starts at the root (syn1 row V - 2) and uses valid rows; every inner node is used.
    assert all(tree.point(w)[0] == V - 2 for w in range(V))
    used = np.concatenate([tree.point(w) for w in range(V)])
    assert used.min() >= 0 and set(used.tolist()) == set(range(V - 1))
    # A word's points are its ancestors: following parent links from the leaf gives the same rows.
    for w in range(V):
        node, ancestors = w, []
        while node != 2 * V - 2:
            node = tree.parent[node]
            ancestors.append(node - V)
        assert ancestors[::-1] == tree.point(w).tolist()
    # Frequent words never get longer codes than rarer ones.
    assert np.all(np.diff(tree.code_lengths) >= 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=2, max_size=300))
def test_random_counts_give_a_prefix_free_kraft_tight_optimal_tree(counts):
    check_tree(sorted(counts, reverse=True))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=2, max_value=200), st.integers(min_value=1, max_value=5))
def test_equal_counts_give_balanced_codes(n, count):
    tree = build_huffman([count] * n)
    lengths = tree.code_lengths
    assert lengths.max() - lengths.min() <= 1  # all ties: a (nearly) complete binary tree
    check_tree([count] * n)


def test_zipf_vocabulary():
    check_tree(np.round(1e6 / np.arange(1, 2001)).astype(int).tolist())


@pytest.mark.parametrize("counts, message", [
    ([], "empty"),
    ([7], "single-word"),
    ([3, 0], "> 0"),
    ([3, -1], "> 0"),
    ([1, 3], "sorted"),
    ([3.0, float("nan")], "finite"),
])
def test_bad_counts_are_refused_with_a_clear_error(counts, message):
    with pytest.raises(ValueError, match=message):
        build_huffman(counts)
