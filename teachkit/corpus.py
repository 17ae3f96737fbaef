"""Text -> sentences of tokens, and the vocabulary built from them.

``Vocab`` orders words the way word2vec.c's ``SortVocab`` does: by count, most frequent first,
with ties kept in the order the words were first seen (a stable sort). Index 0 is the most
frequent word, which is what the Huffman tree and the unigram table expect.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

UNK = "<unk>"
EOS = "</s>"
BOS = "<s>"

_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")

# Scripts written without spaces between words: Han (Chinese, Japanese kanji), Japanese kana, Thai,
# Lao, Khmer, Myanmar. Splitting at spaces cannot find their words.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff"
                       "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
                       "\U00020000-\U0003134f]+")
UNSPACED_CHOICES = ("error", "spaces", "chars")


@functools.cache
def _unicode_token() -> re.Pattern:
    """A letter or digit, then letters, digits and combining marks (so Hindi's vowel signs and
    decomposed accents stay inside their word); ' or . between two such runs, as in the ASCII rule."""
    marks, start = [], None
    for cp in [*range(0x20000), *range(0xE0000, 0xE1000)]:  # no combining mark lies elsewhere
        is_mark = unicodedata.category(chr(cp)).startswith("M")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    run = f"[^\\W_](?:[^\\W_]|[{''.join(marks)}])*"
    return re.compile(f"{run}(?:['.]{run})*")


def tokenize(text: str, unspaced: str = "error", ascii: bool = False) -> list[str]:
    """Lowercase words and numbers of any alphabet; punctuation dropped.

    ``"Don't stop, 3.5 Miles!"`` -> ``["don't", "stop", "3.5", "miles"]``; ``"Café naïve résumé"`` ->
    ``["café", "naïve", "résumé"]``; Cyrillic, Greek, Arabic, Hindi, Korean... alike. A token is a run
    of letters, digits and combining marks, with ``'`` or ``.`` allowed between two runs; the text is
    NFC-normalised first (a decomposed "e" + accent becomes "é") and ’ is read as '.

    Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without spaces between words, so
    splitting at spaces and punctuation cannot find their words. ``unspaced`` says what to do:

    - ``"error"`` (default): raise ``ValueError`` naming the text. Segment it first with a word
      segmenter (for Chinese e.g. the jieba package), then pass the words to ``Vocab.build``, or
      join them with spaces and call ``tokenize(..., unspaced="spaces")``.
    - ``"spaces"``: the text is already segmented; each run between spaces or punctuation is a word
      (``"我 爱 北京"`` -> ``["我", "爱", "北京"]``).
    - ``"chars"``: one token per character of those scripts (character-level models;
      ``"我爱北京"`` -> ``["我", "爱", "北", "京"]``).

    ``ascii=True`` is the rule the course corpus was built with (``scripts/build_data.py``): only
    ``a-z`` and ``0-9`` make words, any other character splits them ("Gödel" -> "g", "del"), and
    text in other scripts gives no token at all. Kept so that the shipped corpus rebuilds byte for byte.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}; decode bytes first "
                        "with bytes.decode('utf-8').")
    if unspaced not in UNSPACED_CHOICES:
        raise ValueError(f"unspaced must be one of {UNSPACED_CHOICES}, got {unspaced!r}.")
    if ascii:
        return _ASCII_TOKEN.findall(text.lower())
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").lower()
    if unspaced == "error" and (run := _UNSPACED.search(text)):
        raise ValueError(
            f"tokenize cannot find the words of {run.group()[:20]!r}: its script is written without "
            "spaces between words. Segment the text first with a word segmenter (for Chinese e.g. "
            "the jieba package) and join the words with spaces, then call tokenize(text, "
            "unspaced='spaces'); or pass unspaced='chars' for one token per character.")
    if unspaced == "chars":
        text = _UNSPACED.sub(_one_token_per_character, text)
    return _unicode_token().findall(text)


def _one_token_per_character(run: re.Match) -> str:
    """Spaces around each character of the run, combining marks kept with the character before."""
    characters: list[str] = []
    for ch in run.group():
        if characters and unicodedata.category(ch).startswith("M"):
            characters[-1] += ch
        else:
            characters.append(ch)
    return " " + " ".join(characters) + " "


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences at . ! ? followed by a capital (good enough for prose).

    The capital is an ASCII one (or a quote or parenthesis), the rule the course corpus was built
    with: "... fin. Émile" stays one sentence, and Chinese or Japanese 。！？ (no space after) do not
    split. For those, split with a tool that knows the language.
    """
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
        not_str = [w for w in counts if not isinstance(w, str)]
        if not_str:
            raise TypeError(f"Tokens must be strings, got {not_str[0]!r} ({type(not_str[0]).__name__}); pass "
                            "sentences as lists of words, e.g. [tokenize(s) for s in texts].")
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
