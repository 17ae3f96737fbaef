"""The vocabulary as word2vec.c keeps it: an array of ``vocab_word`` structs and a hash table.

The C code stores the vocabulary twice. ``vocab`` is an array of structs, one per word, in the
order the words were first read (sorted by count later); ``vocab_hash`` is a table of
``vocab_hash_size`` ints whose slots hold an index into ``vocab`` or -1 (empty). A word's slot is
``GetWordHash(word)``; when that slot is taken by another word, the C code tries the next slot,
then the next (open addressing with **linear probing**), until it finds the word or an empty slot.
This module ports that machinery, function by function, so that it can be run on a small table
and watched:

- ``VocabWord``: ``struct vocab_word`` (``word``, ``cn`` the count; ``point``, ``code`` and
  ``codelen``, filled in by the Huffman tree, see ``huffman.build_huffman``).
- ``get_word_hash(word, hash_size)``: ``hash = hash * 257 + ch`` over the bytes of the word, each
  read as a *signed* char (bytes >= 0x80, e.g. UTF-8 letters outside ASCII, enter negative), in
  unsigned 64-bit arithmetic, then ``% hash_size``.
- ``read_words(text)``: ``ReadWord`` over a whole text: words end at space, tab or newline,
  ``\\r`` is ignored, a newline is the word ``</s>``, a longer word is cut to its first
  MAX_STRING - 2 = 98 bytes (the C code keeps overwriting byte 98, then ends the word there).
- ``VocabHash(hash_size, min_count)``: the two arrays and the functions on them:
  ``search_vocab`` (SearchVocab), ``add_word_to_vocab`` (AddWordToVocab), ``reduce_vocab``
  (ReduceVocab: drop words seen ``min_reduce`` times or fewer, then ``min_reduce += 1``; called
  when the table is more than 70 % full), ``sort_vocab`` (SortVocab: ``</s>`` stays at index 0,
  the rest by count, most frequent first, words below ``min_count`` dropped, the table rebuilt),
  ``learn_vocab(words)`` (LearnVocabFromTrainFile). ``probes`` counts the slots looked at, for
  the collision demo; ``reductions`` records each ReduceVocab (min_reduce, words before, after).
- ``signed_bytes(word)``: the UTF-8 bytes of a word as C's signed ``char`` reads them.

Tie rule: C's ``qsort`` makes no promise about words of equal count. ``sort_vocab`` uses a stable
sort, so equal counts keep the order in which the words were first read. That is also
``corpus.Vocab``'s rule, so with ``</s>`` dropped (and no ReduceVocab) both give every word the
same index.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

MAX_STRING = 100                # word2vec.c: longest word, in bytes, with the final 0
MAX_CODE_LENGTH = 40            # word2vec.c: longest Huffman code (the C code does not check it)
VOCAB_HASH_SIZE = 30_000_000    # word2vec.c: slots in vocab_hash ("maximum 30 * 0.7 = 21M words")
FILL_LIMIT = 0.7                # word2vec.c: ReduceVocab once vocab_size > 0.7 * vocab_hash_size
EOS = "</s>"
_UINT64 = 2 ** 64


@dataclass
class VocabWord:
    """``struct vocab_word { long long cn; int *point; char *word, *code, codelen; }``."""

    word: str
    cn: int = 0                                      # the count
    point: list[int] = field(default_factory=list)   # syn1 rows on the path from the root
    code: list[int] = field(default_factory=list)    # the Huffman code, root first
    codelen: int = 0


def signed_bytes(word: str) -> list[int]:
    """The bytes of ``word`` in UTF-8 as C's (signed) ``char`` reads them: 0x80..0xFF -> -128..-1."""
    return [b - 256 if b >= 0x80 else b for b in word.encode("utf-8")]


def get_word_hash(word: str, hash_size: int = VOCAB_HASH_SIZE) -> int:
    """``GetWordHash``: ``hash = hash * 257 + word[a]`` in unsigned long long, then ``% hash_size``.

    ``word[a]`` is a ``char``, signed on x86: a byte of 0x80 or more adds a negative number. In
    64-bit unsigned arithmetic that is the same as adding ``2**64 + ch``, i.e. wrapping around.
    """
    h = 0
    for ch in signed_bytes(word):
        h = (h * 257 + ch) % _UINT64
    return h % hash_size


def read_words(text: str) -> list[str]:
    """``ReadWord`` applied until the end of ``text``: the words as the C code reads them.

    Space, tab and newline end a word; ``\\r`` is skipped; every newline is read as ``</s>``
    (after the word it ends, if any). A word longer than MAX_STRING - 2 bytes keeps its first
    MAX_STRING - 2: the C code writes every further byte over position 98 (``a--``), then puts the
    terminating 0 there.
    """
    words, current = [], bytearray()

    def flush():
        if current:
            words.append(bytes(current).decode("utf-8", errors="replace"))
            current.clear()

    for byte in text.encode("utf-8"):
        if byte == 13:
            continue
        if byte in (32, 9, 10):
            flush()
            if byte == 10:
                words.append(EOS)
            continue
        if len(current) < MAX_STRING - 2:    # byte 98 and later: overwritten, then cut off
            current.append(byte)
    flush()
    return words


class VocabHash:
    """word2vec.c's ``vocab`` array and ``vocab_hash`` table, with the C functions that use them."""

    def __init__(self, hash_size: int = VOCAB_HASH_SIZE, min_count: int = 5):
        if not isinstance(hash_size, int) or hash_size < 2:
            raise ValueError(f"hash_size must be an int >= 2 (the C code uses {VOCAB_HASH_SIZE:,}), "
                             f"got {hash_size!r}.")
        if not isinstance(min_count, int) or min_count < 1:
            raise ValueError(f"min_count must be an int >= 1, got {min_count!r}.")
        self.hash_size = hash_size
        self.min_count = min_count
        self.min_reduce = 1
        self.vocab: list[VocabWord] = []
        self.vocab_hash = np.full(hash_size, -1, dtype=np.int64)
        self.train_words = 0
        self.probes = 0  # slots looked at by search_vocab and add_word_to_vocab
        self.reductions: list[tuple[int, int, int]] = []  # (min_reduce, words before, words after)

    def __len__(self) -> int:
        return len(self.vocab)

    @property
    def words(self) -> list[str]:
        return [v.word for v in self.vocab]

    @property
    def counts(self) -> np.ndarray:
        return np.array([v.cn for v in self.vocab], dtype=np.int64)

    def search_vocab(self, word: str) -> int:
        """``SearchVocab``: the word's index in ``vocab``, or -1. Start at its hash slot; an empty
        slot means "not there"; a slot holding another word means "try the next one"."""
        h = get_word_hash(word, self.hash_size)
        while True:
            self.probes += 1
            if self.vocab_hash[h] == -1:
                return -1
            if self.vocab[self.vocab_hash[h]].word == word:
                return int(self.vocab_hash[h])
            h = (h + 1) % self.hash_size

    def _insert(self, word: str, index: int) -> int:
        """Linear probing: the first free slot from the word's hash on; store ``index`` there."""
        h = get_word_hash(word, self.hash_size)
        self.probes += 1
        while self.vocab_hash[h] != -1:
            h = (h + 1) % self.hash_size
            self.probes += 1
        self.vocab_hash[h] = index
        return h

    def add_word_to_vocab(self, word: str) -> int:
        """``AddWordToVocab``: append a ``vocab_word`` with count 0 and hash it; returns its index."""
        self.vocab.append(VocabWord(word))
        self._insert(word, len(self.vocab) - 1)
        return len(self.vocab) - 1

    def _rehash(self) -> None:
        self.vocab_hash[:] = -1
        for index, entry in enumerate(self.vocab):
            self._insert(entry.word, index)

    def reduce_vocab(self) -> None:
        """``ReduceVocab``: keep only words seen more than ``min_reduce`` times (in their order),
        rebuild the table, and raise ``min_reduce`` so that the next call drops more. ``</s>`` gets
        no exception here: the C code drops it too when it is that rare."""
        before = len(self.vocab)
        self.vocab = [v for v in self.vocab if v.cn > self.min_reduce]
        self.reductions.append((self.min_reduce, before, len(self.vocab)))
        self._rehash()
        self.min_reduce += 1

    def sort_vocab(self) -> None:
        """``SortVocab``: ``</s>`` stays at index 0; the other words are sorted by count, most
        frequent first (stable: equal counts keep their first-read order); words seen fewer than
        ``min_count`` times are dropped (``</s>`` never); the table is rebuilt; ``train_words``
        becomes the sum of the remaining counts."""
        head, rest = self.vocab[:1], sorted(self.vocab[1:], key=lambda v: -v.cn)
        self.vocab = head + [v for v in rest if v.cn >= self.min_count]
        self._rehash()
        self.train_words = int(sum(v.cn for v in self.vocab))

    def learn_vocab(self, words: Iterable[str]) -> None:
        """``LearnVocabFromTrainFile``: ``</s>`` first, then count every word read (``read_words``
        gives them as the C code reads a file), reducing the vocabulary whenever the table is more
        than 70 % full; then ``sort_vocab``."""
        self.vocab, self.min_reduce, self.reductions = [], 1, []
        self.vocab_hash[:] = -1
        self.add_word_to_vocab(EOS)
        for word in words:
            i = self.search_vocab(word)
            if i == -1:
                i = self.add_word_to_vocab(word)
            self.vocab[i].cn += 1
            if len(self.vocab) > self.hash_size * FILL_LIMIT:
                self.reduce_vocab()
        self.sort_vocab()

    def slots(self) -> list[str | None]:
        """The table as words: slot -> the word stored there, or None (for small demo tables)."""
        return [None if i == -1 else self.vocab[i].word for i in self.vocab_hash.tolist()]


def c_words(sentences: Iterable[Iterable[str]]) -> list[str]:
    """Token lists as the C code would read them from a file with one sentence per line."""
    words = []
    for sentence in sentences:
        words.extend(sentence)
        words.append(EOS)
    return words
