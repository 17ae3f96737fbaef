"""Text -> sentences of tokens, and the vocabulary built from them.

``Vocab`` orders words the way word2vec.c's ``SortVocab`` does: by count, most frequent first,
with ties kept in the order the words were first seen (a stable sort). Index 0 is the most
frequent word, which is what the Huffman tree and the unigram table expect.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

UNK = "<unk>"
EOS = "</s>"
BOS = "<s>"

_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")


def tokenize(text: str) -> list[str]:
    """Lowercase words and numbers; punctuation dropped ("Don't stop." -> ["don't", "stop"])."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}; decode bytes first "
                        "with bytes.decode('utf-8').")
    return _TOKEN.findall(text.lower())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences at . ! ? followed by a capital (good enough for prose)."""
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


class Vocab:
    """Word counts, word <-> index, sorted by count as word2vec.c sorts its vocabulary.

    ``Vocab.build(sentences, min_count=5)`` keeps the words seen at least ``min_count`` times;
    ``max_size`` keeps only the most frequent ones. With ``unk=True`` a ``<unk>`` entry takes the
    place of every dropped word (its count is their total), so held-out text always has an index.
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int], unk: str | None = None):
        if len(words) != len(counts):
            raise ValueError(f"{len(words)} words but {len(counts)} counts; pass one count per word.")
        if len(set(words)) != len(words):
            raise ValueError("Vocab words must be unique.")
        self.words = list(words)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.unk = unk

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], min_count: int = 1,
              max_size: int | None = None, unk: bool = False,
              extra: Sequence[str] = ()) -> "Vocab":
        """Count tokens and keep the frequent ones. ``extra`` words (e.g. ``</s>``) are always kept."""
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}.")
        counts: Counter[str] = Counter()
        for sentence in sentences:
            if isinstance(sentence, str):
                raise TypeError("Vocab.build expects sentences as lists of tokens, got a str; "
                                "split it first, e.g. [tokenize(s) for s in texts].")
            counts.update(sentence)
        if not counts:
            raise ValueError("The corpus is empty: no tokens to build a vocabulary from.")
        # Counter keeps first-seen order, and sorted() is stable: ties stay in text order.
        ranked = sorted(counts.items(), key=lambda wc: -wc[1])
        kept = [(w, c) for w, c in ranked if c >= min_count and w not in extra]
        if max_size is not None:
            kept = kept[:max_size]
        if not kept and not extra:
            raise ValueError(
                f"Every word occurs fewer than min_count={min_count} times "
                f"(the most frequent, {ranked[0][0]!r}, occurs {ranked[0][1]} times); "
                "lower min_count or use a larger corpus.")
        kept += [(w, counts.get(w, 0)) for w in extra]
        unk_word = None
        if unk:
            unk_word = UNK
            dropped = sum(counts.values()) - sum(c for w, c in kept if w in counts)
            kept.append((UNK, dropped))
        words, word_counts = zip(*kept)
        return cls(words, word_counts, unk=unk_word)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        top = ", ".join(self.words[:5])
        return f"Vocab({len(self)} words, {int(self.counts.sum()):,} tokens; top: {top}, ...)"

    def __getitem__(self, word: str) -> int:
        """Index of ``word``; unknown words map to ``<unk>`` if the vocabulary has one."""
        i = self.index.get(word)
        if i is not None:
            return i
        if self.unk is not None:
            return self.index[self.unk]
        raise KeyError(f"{word!r} is not in the vocabulary ({len(self)} words) and it has no "
                       "<unk>; build it with unk=True or check the spelling.")

    def encode(self, tokens: Sequence[str], drop_unknown: bool = False) -> np.ndarray:
        """Token list -> index array. ``drop_unknown`` skips words not in the vocabulary (as word2vec does)."""
        if drop_unknown:
            return np.array([self.index[t] for t in tokens if t in self.index], dtype=np.int64)
        return np.array([self[t] for t in tokens], dtype=np.int64)

    def decode(self, indices: Iterable[int]) -> list[str]:
        return [self.words[i] for i in indices]


def doc80_split(fileids: Sequence[str]) -> dict[str, str]:
    """Brown "doc80": files sorted by id; file i -> train if i % 10 < 8, valid if 8, test if 9."""
    def part(i: int) -> str:
        return "train" if i % 10 < 8 else "valid" if i % 10 == 8 else "test"
    return {f: part(i) for i, f in enumerate(sorted(fileids))}
