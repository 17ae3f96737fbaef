"""The Huffman tree of hierarchical softmax, built the way word2vec.c's ``CreateBinaryTree`` does.

Every word is a leaf; every inner node holds one output vector (a row of ``syn1``). A word's
probability is the product of one sigmoid per inner node on the path from the root to its leaf,
so frequent words (short codes) are cheap. Public API:

- ``build_huffman(counts) -> HuffmanTree``: ``counts`` sorted most frequent first (as
  ``corpus.Vocab`` sorts them). The tree has ``V`` leaves (nodes ``0..V-1``, the words) and
  ``V - 1`` inner nodes (nodes ``V..2V-2``; inner node ``V + i`` is row ``i`` of ``syn1``;
  the root is ``2V - 2``, row ``V - 2``).
- ``HuffmanTree.code(w)``: the bits from the root down to word w (0 = left, 1 = right);
  ``HuffmanTree.point(w)``: the ``syn1`` rows of the inner nodes on that path, root first.
  ``codes`` / ``points`` hold the same for every word as padded ``(V, max_len)`` arrays with
  ``code_lengths`` (the form the fast training loop reads).
- ``HuffmanTree.weighted_path_length()``: sum over words of count * code length (what Huffman
  minimises).

Bad input (an empty or single-word vocabulary, a count that is zero, negative or not finite,
counts not sorted descending) raises ``ValueError`` saying what to pass instead.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class HuffmanTree:
    """A Huffman tree over ``V`` words: parents and bits of all ``2V - 1`` nodes, and each word's path."""

    counts: np.ndarray        # (2V - 1,) leaf counts, then the inner nodes' summed counts
    parent: np.ndarray        # (2V - 2,) node -> its parent node (the root has none)
    binary: np.ndarray        # (2V - 2,) 1 if the node is its parent's second (right) child
    codes: np.ndarray         # (V, max_len) uint8, each word's code padded with 0
    points: np.ndarray        # (V, max_len) int32, each word's inner-node rows padded with 0
    code_lengths: np.ndarray  # (V,) int32

    @property
    def n_words(self) -> int:
        return len(self.code_lengths)

    def code(self, word: int) -> np.ndarray:
        """Bits from the root to leaf ``word`` (index into the vocabulary)."""
        return self.codes[word, :self.code_lengths[word]]

    def point(self, word: int) -> np.ndarray:
        """``syn1`` rows of the inner nodes on the path from the root to leaf ``word``."""
        return self.points[word, :self.code_lengths[word]]

    def weighted_path_length(self) -> int:
        """sum_w count(w) * len(code(w)): the expected code length times the number of tokens."""
        return int(np.dot(self.counts[:self.n_words], self.code_lengths))


def _check_counts(counts) -> np.ndarray:
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError("The vocabulary is empty: a Huffman tree needs at least two word counts; "
                         "build the vocabulary from a non-empty corpus (or lower min_count).")
    if counts.size == 1:
        raise ValueError("A single-word vocabulary gives a tree of one leaf with no inner node, so "
                         "hierarchical softmax has nothing to learn; use at least two words.")
    if not np.issubdtype(counts.dtype, np.number) or not np.all(np.isfinite(counts)):
        raise ValueError("Huffman counts must be finite numbers, one per word.")
    if np.any(counts <= 0):
        bad = int(np.flatnonzero(counts <= 0)[0])
        raise ValueError(f"Huffman counts must be > 0, but word {bad} has count {counts[bad]}; "
                         "drop unseen words from the vocabulary (Vocab.build does).")
    if np.any(np.diff(counts) > 0):
        raise ValueError("Huffman counts must be sorted most frequent first (the two-pointer pass "
                         "relies on it); use a corpus.Vocab or sort the words by count, descending.")
    return counts.astype(np.int64)


def build_huffman(counts) -> HuffmanTree:
    """word2vec.c's CreateBinaryTree: one O(V) pass with two pointers instead of a heap.

    The leaves, sorted by count descending, are a queue read from the right (smallest first);
    new inner nodes are created in non-decreasing order of count, so they form a second sorted
    queue read from the left. The two smallest nodes are always at the heads of these queues.
    """
    leaf_counts = _check_counts(counts)
    V = len(leaf_counts)
    # Python lists, not numpy arrays, inside the loops: reading one element of a list is several
    # times faster than of an array (no numpy scalar is made), and the loops run about 30 V times.
    count = leaf_counts.tolist() + [np.iinfo(np.int64).max // 4] * (V - 1)  # C: 1e15, "not made yet"
    parent = [0] * (2 * V - 2)
    binary = [0] * (2 * V - 2)

    pos1, pos2 = V - 1, V  # pos1: next unused leaf (moving left); pos2: next unused inner node
    for a in range(V - 1):
        smallest = []
        for _ in range(2):  # find the two smallest nodes: min1i, then min2i
            if pos1 >= 0 and count[pos1] < count[pos2]:
                smallest.append(pos1)
                pos1 -= 1
            else:
                smallest.append(pos2)
                pos2 += 1
        min1i, min2i = smallest
        count[V + a] = count[min1i] + count[min2i]
        parent[min1i] = parent[min2i] = V + a
        binary[min2i] = 1  # the larger of the two is the "1" branch

    # Each word's code, read root first: the C code climbs from each leaf to the root, one word at a
    # time, then reverses the bits. Here every word climbs at once, one level per step (numpy), so
    # the loop runs max_len times, not once per node of every word's path. Knowing each
    # word's depth first (a parent is made after its children, so one pass from the root down gives
    # them), the bit read s levels above a leaf is written at its place from the end, depth - 1 - s.
    root = 2 * V - 2
    depth = [0] * (2 * V - 1)
    for node in range(root - 1, -1, -1):
        depth[node] = depth[parent[node]] + 1
    lengths = np.array(depth[:V], dtype=np.int32)
    parents, bits = np.array(parent, dtype=np.int64), np.array(binary, dtype=np.uint8)
    codes = np.zeros((V, lengths.max()), dtype=np.uint8)
    points = np.zeros((V, lengths.max()), dtype=np.int32)
    node = np.arange(V)  # each word's node on its climb, s levels above its leaf
    for s in range(lengths.max()):
        w = np.flatnonzero(lengths > s)  # the words whose climb has not reached the root
        place = lengths[w] - 1 - s
        codes[w, place] = bits[node[w]]
        node[w] = parents[node[w]]
        points[w, place] = node[w] - V  # inner node V + i is row i of syn1
    return HuffmanTree(np.array(count, dtype=np.int64), parents, bits, codes, points, lengths)
