"""The shipped data: sizes from docs/references.md, checksums, and clear errors for broken or odd files."""
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


# --- issue 19: text files as people save them (byte-order marks, encodings, headers, bad rows) ----

@pytest.mark.bad_input
def test_analogy_file_with_a_byte_order_mark_loses_no_section(tmp_path):
    # Before: the mark hid the first ': section' line, and every question up to the next one was skipped.
    file = tmp_path / "q.txt"
    file.write_text(": capital\nAthens Greece Baghdad Iraq\n: family\nboy girl man woman\n", encoding="utf-8-sig")
    questions, skipped = data.read_analogies(file)
    assert questions == [("capital", "athens", "greece", "baghdad", "iraq"), ("family", "boy", "girl", "man", "woman")]
    assert skipped == 0


@pytest.mark.bad_input
def test_analogy_file_with_bad_bytes_names_the_line_and_encoding_reads_it(tmp_path):
    # Before: bytes that were not UTF-8 became U+FFFD silently (errors="replace").
    file = tmp_path / "q.txt"
    file.write_bytes(": sec\nparis france rome italy\nCaf\xe9 a b c\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"q.txt, line 3, column 4: the bytes b'\\xe9' are not valid UTF-8"):
        data.read_analogies(file)
    questions, _ = data.read_analogies(file, encoding="latin-1")
    assert questions[-1] == ("sec", "café", "a", "b", "c")


@pytest.mark.bad_input
def test_analogy_file_without_any_question_is_an_error_and_its_advice_works(tmp_path):
    file = tmp_path / "q.txt"
    file.write_text("paris france rome italy\nberlin germany madrid spain\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no analogy question read; 2 line\(s\) skipped, the first is line 1 "
                                         r"'paris france rome italy' \(before any ': section' line\)"):
        data.read_analogies(file)
    file.write_text(": capitals\n" + file.read_text(encoding="utf-8"), encoding="utf-8")  # the advice
    assert len(data.read_analogies(file)[0]) == 2
    file.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="holds no analogy questions"):
        data.read_analogies(file)


@pytest.mark.parametrize("text", [
    "# a comment\ntiger\tcat\t7.35\n\nBook\tPaper\t7.46\tnoun\n",   # the shipped layout, an extra column
    "\ufefftiger\tcat\t7.35\r\nBook\tPaper\t7.46\r\n",               # byte-order mark, Windows line ends
])
def test_word_pairs_read_right(tmp_path, text):
    file = tmp_path / "pairs.tsv"
    file.write_text(text, encoding="utf-8", newline="")
    assert data.read_word_pairs(file) == [("tiger", "cat", 7.35), ("book", "paper", 7.46)]


@pytest.mark.bad_input
def test_word_pairs_with_a_header_or_spaces_give_errors_whose_advice_works(tmp_path):
    file = tmp_path / "pairs.txt"
    file.write_text("word1\tword2\tSimLex999\nold\tnew\t1.58\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.txt, line 1: expected word, word and a score separated by a "
                                         r"tab, got 'word1\\tword2\\tSimLex999'\. Start a header row with '#'"):
        data.read_word_pairs(file)
    file.write_text("#" + file.read_text(encoding="utf-8"), encoding="utf-8")
    assert data.read_word_pairs(file) == [("old", "new", 1.58)]
    file.write_text("sun sunlight 50.0\nold new 1.58\n", encoding="utf-8")  # MEN-style, spaces
    with pytest.raises(ValueError, match="line 1: .*pass delimiter=None"):
        data.read_word_pairs(file)
    assert data.read_word_pairs(file, delimiter=None) == [("sun", "sunlight", 50.0), ("old", "new", 1.58)]


@pytest.mark.bad_input
@pytest.mark.parametrize("text, message", [
    ("a\tb\tnan\n", "line 1: expected word, word and a score"),
    ("a\tb\t1\nc\td\n", "line 2: expected word, word and a score"),
    ("# only a comment\n", "holds no word pairs"),
])
def test_word_pairs_malformed_rows_name_the_line(tmp_path, text, message):
    file = tmp_path / "pairs.tsv"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        data.read_word_pairs(file)


@pytest.mark.bad_input
def test_utf16_file_with_its_byte_order_mark_is_read(tmp_path):
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark.
    file = tmp_path / "pairs.txt"
    file.write_text("tiger\tcat\t7.35\nnaïve\tnew\t1\n", encoding="utf-16")
    assert data.read_word_pairs(file) == [("tiger", "cat", 7.35), ("naïve", "new", 1.0)]


@pytest.mark.bad_input
def test_shipped_file_with_a_malformed_row_names_the_line(data_copy):
    with open(data_copy / "mammal_closure.tsv", "a", encoding="utf-8") as f:
        f.write("no_tab_here\n")
    data.record_checksum("mammal_closure.tsv")
    with pytest.raises(data.DataError, match=r"mammal_closure.tsv, line 6541: expected 2 tab-separated columns"):
        data.mammal_closure()


@pytest.mark.bad_input
def test_shipped_file_with_bad_bytes_names_the_line(data_copy):
    with open(data_copy / "wordsim353.tsv", "ab") as f:
        f.write(b"caf\xe9\tcat\t1.0\n")
    data.record_checksum("wordsim353.tsv")
    with pytest.raises(data.DataError, match=r"wordsim353.tsv, line 356, column 4: .*not valid UTF-8.*build_data.py"):
        data.wordsim353()
