"""The shipped data: sizes from REFERENCE.md, checksums, and clear errors for broken files."""
import gzip
import shutil

import pytest

from teachkit import data
from teachkit.corpus import EOS, Vocab


def test_brown_doc80_sizes_match_the_protocol():
    rows = data.brown_sentences()
    assert len(rows) == 57_340
    assert sum(len(tokens) for _, tokens in rows) == 1_161_192
    assert len({fileid for fileid, _ in rows}) == 500
    sizes = {split: sum(map(len, data.brown(split))) for split in ("train", "valid", "test")}
    assert sizes == {"train": 929_728, "valid": 115_661, "test": 115_803}
    assert rows[0][1][:4] == ["The", "Fulton", "County", "Grand"]  # case and Brown tokens kept


def test_brown_lm_vocabulary():
    vocab = Vocab.build(data.brown("train"), max_size=10_000, unk=True, extra=[EOS])
    assert len(vocab) == 10_002
    assert vocab.words[:3] == ["the", ",", "."]


def test_brown_rejects_unknown_split():
    with pytest.raises(ValueError, match="split must be"):
        data.brown("dev")


def test_mammal_closure():
    closure = data.mammal_closure()
    assert len(closure) == 6_540
    assert len({node for edge in closure for node in edge}) == 1_180
    assert ("dog.n.01", "mammal.n.01") in closure


def test_word2vec_corpus_is_real_english_of_at_least_2m_tokens():
    sentences = data.word2vec_corpus()
    assert sum(map(len, sentences)) >= 2_000_000
    assert all(token == token.lower() for token in sentences[0])
    few = data.word2vec_corpus(max_tokens=1_000)
    assert 1_000 <= sum(map(len, few)) < 1_000 + max(map(len, few))


def test_word_similarity_and_analogy_sets():
    assert len(data.wordsim353()) == 353
    assert len(data.simlex999()) == 999
    assert ("tiger", "cat", 7.35) in data.wordsim353()
    questions = data.analogies()
    assert len(questions) == 19_544
    assert questions[0] == ("capital-common-countries", "athens", "greece", "baghdad", "iraq")
    assert len(data.wordnet_glosses()) == 117_659


def test_read_analogies_skips_and_counts_bad_lines(tmp_path):
    file = tmp_path / "q.txt"
    file.write_text("a b c d\n: sec\nA B C D\nonly three words\n\nw x y z extra\n", encoding="utf-8")
    questions, skipped = data.read_analogies(file)
    assert questions == [("sec", "a", "b", "c", "d")]
    assert skipped == 3  # before any section, three words, five words


def test_fast_switch(monkeypatch):
    monkeypatch.setenv("TEACHKIT_FAST", "1")
    assert data.fast()
    monkeypatch.setenv("TEACHKIT_FAST", "0")
    assert not data.fast()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ so tests can break files without touching the real ones."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    return copy


def test_missing_file_names_it_and_how_to_rebuild(data_copy):
    (data_copy / "mammal_closure.tsv").unlink()
    with pytest.raises(data.DataError, match=r"mammal_closure.tsv is missing.*build_data.py"):
        data.mammal_closure()


def test_corrupted_file_fails_the_checksum(data_copy):
    with open(data_copy / "wordsim353.tsv", "a", encoding="utf-8") as f:
        f.write("extra\tline\t1.0\n")
    with pytest.raises(data.DataError, match=r"wordsim353.tsv is corrupted.*git checkout -- data/wordsim353.tsv"):
        data.wordsim353()


def test_non_utf8_file_is_a_clear_error(data_copy):
    bad = gzip.compress("The caf\xe9\n".encode("latin-1"), mtime=0)
    (data_copy / "brown.tsv.gz").write_bytes(bad)
    data.record_checksum("brown.tsv.gz")  # checksum fine, bytes not UTF-8
    with pytest.raises(data.DataError, match="not valid UTF-8"):
        data.brown()


def test_unknown_data_file_and_missing_checksum_list(data_copy):
    with pytest.raises(data.DataError, match="not a shipped data file"):
        data.path("nope.txt")
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(data.DataError, match="SHA256SUMS is missing"):
        data.path("brown.tsv.gz")
