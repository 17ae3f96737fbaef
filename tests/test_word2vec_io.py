"""teachkit.word2vec files and training options on real-world input (issue 19, cases 1, 2, 3, 11, 12).

Every bad input gives the right value or a ``Word2VecFormatError`` / ``ValueError`` that names the file
and the row; these tests carry the ``bad_input`` marker.
"""
import numpy as np
import numba
import pytest

from teachkit import word2vec
from teachkit.corpus import EOS, Vocab

bad_input = pytest.mark.bad_input
W2VError = word2vec.Word2VecFormatError

RNG = np.random.default_rng(19)
CYRILLIC_50 = "абвгдежзийклмнопрстуфхцчшщъыьэюя" + "абвгдежзийклмнопрс"  # 50 letters, 2 bytes each


def write_binary(path, words, vectors, newline=True, header=None):
    """A binary file laid out as word2vec.c (newline after each vector) or gensim (none) writes it,
    from raw word bytes: it can hold what save_word2vec_format refuses to write."""
    vectors = np.asarray(vectors, dtype="<f4")
    with open(path, "wb") as f:
        f.write(header if header is not None else f"{len(words)} {vectors.shape[1]}\n".encode())
        for word, row in zip(words, vectors):
            f.write((word if isinstance(word, bytes) else word.encode()) + b" " + row.tobytes()
                    + (b"\n" if newline else b""))
    return path


# --- case 1: words that are not valid UTF-8 -------------------------------------------------------

def test_fifty_cyrillic_letters_make_100_bytes_and_the_c_code_keeps_99():
    # word2vec.c's ReadWord: MAX_STRING 100, `if (a >= MAX_STRING - 1) a--;` keeps 99 bytes + NUL.
    assert len(CYRILLIC_50) == 50 and len(CYRILLIC_50.encode()) == 100
    cut = CYRILLIC_50.encode()[:99]
    with pytest.raises(UnicodeDecodeError):
        cut.decode("utf-8")


@bad_input
@pytest.mark.parametrize("newline", [True, False], ids=["c-layout", "gensim-layout"])
def test_binary_word_cut_mid_character_is_an_error_naming_file_and_row(tmp_path, newline):
    vectors = RNG.normal(size=(3, 4))
    file = write_binary(tmp_path / "cut.bin", [b"the", CYRILLIC_50.encode()[:99], b"of"], vectors, newline)
    with pytest.raises(W2VError, match=r"cut\.bin, word 2: the word .* is not valid utf-8 .*unicode_errors='ignore'"):
        word2vec.load_word2vec_format(file, binary=True)


@bad_input
def test_binary_word_cut_mid_character_reads_with_unicode_errors_as_gensim_does(tmp_path):
    vectors = RNG.normal(size=(3, 4)).astype(np.float32)
    file = write_binary(tmp_path / "cut.bin", [b"the", CYRILLIC_50.encode()[:99], b"of"], vectors)
    words, got = word2vec.load_word2vec_format(file, binary=True, unicode_errors="ignore")
    assert words == ["the", CYRILLIC_50[:49], "of"] and np.array_equal(got, vectors)
    words, _ = word2vec.load_word2vec_format(file, binary=True, unicode_errors="replace")
    assert words[1] == CYRILLIC_50[:49] + "\ufffd"
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(file), binary=True, unicode_errors="ignore")
    assert list(kv.index_to_key) == ["the", CYRILLIC_50[:49], "of"]


@bad_input
def test_text_word_in_latin1_is_an_error_naming_the_line_and_its_advice_works(tmp_path):
    file = tmp_path / "latin1.txt"
    file.write_bytes(b"3 2\nthe 0.1 0.2\ncaf\xe9 0.3 0.4\nof 0.5 0.6\n")
    with pytest.raises(W2VError, match=r"latin1\.txt, line 3: the word b'caf\\xe9' is not valid utf-8"
                                       r".*encoding='latin-1'"):
        word2vec.load_word2vec_format(file)
    words, vectors = word2vec.load_word2vec_format(file, encoding="latin-1")
    assert words == ["the", "café", "of"] and vectors[1].tolist() == pytest.approx([0.3, 0.4])
    assert word2vec.load_word2vec_format(file, unicode_errors="replace")[0][1] == "caf\ufffd"


@bad_input
def test_unknown_encoding_or_error_handler_is_a_clear_error(tmp_path):
    file = tmp_path / "v.txt"
    word2vec.save_word2vec_format(file, ["a"], np.ones((1, 2)))
    with pytest.raises(ValueError, match="encoding is e.g."):
        word2vec.load_word2vec_format(file, encoding="utf-9")
    with pytest.raises(ValueError, match="unicode_errors 'strict', 'ignore' or 'replace'"):
        word2vec.load_word2vec_format(file, unicode_errors="skip")


# --- case 2: a word with a space in a binary file -------------------------------------------------

NEW_YORK = ["the", "new york", "city", "of", "dreams"]


@bad_input
@pytest.mark.parametrize("unicode_errors", ["strict", "ignore", "replace"])
@pytest.mark.parametrize("newline", [True, False], ids=["c-layout", "gensim-layout"])
def test_binary_word_with_a_space_is_refused_and_never_loads_garbage(tmp_path, newline, unicode_errors):
    # gensim 4.4 loads some of these files silently, with a garbled word list and values near 1e29.
    for seed in range(60):
        rng = np.random.default_rng(seed)
        vectors = rng.normal(size=(5, 10)) * [0.1, 1.0, 10.0][seed % 3]
        file = write_binary(tmp_path / f"ny{seed}.bin", NEW_YORK, vectors, newline)
        with pytest.raises(W2VError, match="does not follow the binary layout.*contains a space"):
            word2vec.load_word2vec_format(file, binary=True, unicode_errors=unicode_errors)


@bad_input
def test_binary_word_with_a_space_names_the_row(tmp_path):
    file = write_binary(tmp_path / "ny.bin", NEW_YORK, np.full((5, 10), 0.25))
    with pytest.raises(W2VError, match=r"ny\.bin: word 2 of 5 \(byte \d+\): the vector of 'new' holds 2\.93e\+26"):
        word2vec.load_word2vec_format(file, binary=True)


@bad_input
def test_text_word_with_a_space_is_refused_naming_the_line(tmp_path):
    file = tmp_path / "ny.txt"
    file.write_text("2 3\nthe 1 2 3\nnew york 1 2 3\n", encoding="utf-8")
    with pytest.raises(W2VError, match=r"ny\.txt, line 3: expected a word and 3 numbers, got 4 numbers\. "
                                       r"A word with a space"):
        word2vec.load_word2vec_format(file)


@bad_input
@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("word, why", [
    ("new york", "whitespace"), ("tab\there", "whitespace"), ("nbsp\u00a0x", "whitespace"),
    ("bell\x07", "control character"), ("", "empty"), ("\udce9t\u00e9", "cannot be encoded as UTF-8"),
])
def test_saving_refuses_words_it_could_not_read_back_and_writes_nothing(tmp_path, binary, word, why):
    file = tmp_path / "out.bin"
    with pytest.raises(ValueError, match=f"Word 1 .* cannot be saved in a word2vec file: .*{why}"):
        word2vec.save_word2vec_format(file, ["ok", word], np.zeros((2, 3)), binary=binary)
    assert not file.exists()


@bad_input
@pytest.mark.parametrize("binary", [False, True])
def test_saving_refuses_repeated_words_empty_lists_and_broken_values(tmp_path, binary):
    file = tmp_path / "out.bin"
    with pytest.raises(ValueError, match=r"'a' appears twice \(rows 0 and 2\)"):
        word2vec.save_word2vec_format(file, ["a", "b", "a"], np.zeros((3, 2)), binary=binary)
    with pytest.raises(ValueError, match="No words to save"):
        word2vec.save_word2vec_format(file, [], np.zeros((0, 2)), binary=binary)
    with pytest.raises(ValueError, match=r"word 1 \('b'\) holds nan.*Did training diverge"):
        word2vec.save_word2vec_format(file, ["a", "b"], [[0, 1], [np.nan, 1]], binary=binary)
    with pytest.raises(ValueError, match="shape"):
        word2vec.save_word2vec_format(file, ["a", "b"], np.zeros((2, 0)), binary=binary)
    assert not file.exists()


@pytest.mark.parametrize("binary", [False, True])
def test_unicode_words_round_trip_and_gensim_reads_them(tmp_path, binary):
    words = ["the", CYRILLIC_50, "北京", "naïve", "नमस्ते", "new_york"]
    vectors = RNG.normal(size=(len(words), 5)).astype(np.float32)
    file = tmp_path / "u.bin"
    word2vec.save_word2vec_format(file, words, vectors, binary=binary)
    got_words, got = word2vec.load_word2vec_format(file, binary=binary)
    assert got_words == words and np.array_equal(got, vectors)
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(file), binary=binary)
    assert list(kv.index_to_key) == words and np.array_equal(kv.vectors, vectors)


# --- case 3: what the header promises is checked against the rows ---------------------------------

@bad_input
@pytest.mark.parametrize("content, match", [
    (b"3 2\na 1.5 2.5\nb 3.5 4.5\n", r"2 rows but the header promises 3; the file is truncated, or the header's count"),
    (b"1 2\na 1 2\nb 3 4\n", r"the header promises 1 rows, but more follow \(line 3: b'b 3 4'"),
    (b"2 3\na 1 2\nb 3 4\n", r"header promises 2 words of dimension 3, at least 14 bytes, but 12"),
    (b"2 1\na 1 2\nb 3 4\n", r"line 2: expected a word and 1 numbers, got 2 numbers"),
    (b"3000000000 300\na 1 2\n", r"header promises 3,000,000,000 words of dimension 300"),
    (b"0 2\n", "the first line must be"),
    (b"", "is empty"),
    (b"a 1 2\nb 3 4\n", "GloVe files have no header"),
    (b"1 2\na 1 nan\n", r"line 2: the vector of 'a' holds NaN or infinity"),
    (b"2 2\na 1 2\na 3 4\n", r"the word 'a' appears twice \(line 2 and line 3\)"),
])
def test_text_header_is_checked_against_the_rows(tmp_path, content, match):
    file = tmp_path / "h.txt"
    file.write_bytes(content)
    with pytest.raises(W2VError, match=match):
        word2vec.load_word2vec_format(file)


@bad_input
def test_binary_header_is_checked_against_the_rows(tmp_path):
    vectors = RNG.normal(size=(3, 4))
    words = ["a", "b", "c"]
    fewer = write_binary(tmp_path / "fewer.bin", words, vectors, header=b"2 4\n")
    with pytest.raises(W2VError, match=r"word 2 of 2 .*bytes remain after the 2 words the header promises"):
        word2vec.load_word2vec_format(fewer, binary=True)
    more = write_binary(tmp_path / "more.bin", words, vectors, header=b"4 4\n")
    with pytest.raises(W2VError, match="at least 72 bytes, but 57 bytes follow"):
        word2vec.load_word2vec_format(more, binary=True)
    wrong_dim = write_binary(tmp_path / "dim.bin", words, vectors, header=b"3 3\n")
    with pytest.raises(W2VError, match="does not follow the binary layout"):
        word2vec.load_word2vec_format(wrong_dim, binary=True)
    repeated = write_binary(tmp_path / "rep.bin", ["a", "b", "a"], vectors)
    with pytest.raises(W2VError, match=r"'a' appears twice \(word 1 and word 3\)"):
        word2vec.load_word2vec_format(repeated, binary=True)


@bad_input
def test_text_and_binary_mixed_up_say_which_to_pass(tmp_path):
    words, vectors = ["a", "b"], RNG.normal(size=(2, 3))
    text, binary = tmp_path / "v.txt", tmp_path / "v.bin"
    word2vec.save_word2vec_format(text, words, vectors)
    word2vec.save_word2vec_format(binary, words, vectors, binary=True)
    with pytest.raises(W2VError, match="binary=False"):
        word2vec.load_word2vec_format(text, binary=True)
    with pytest.raises(W2VError, match="binary=True"):
        word2vec.load_word2vec_format(binary, binary=False)


@bad_input
def test_odd_but_valid_files_read_right(tmp_path):
    expected = np.array([[1, 2], [3, 4]], dtype=np.float32)
    variants = {
        "bom.txt": b"\xef\xbb\xbf2 2\na 1 2\nb 3 4\n",          # saved by an editor with a byte-order mark
        "crlf.txt": b"2 2\r\na 1 2\r\nb 3 4\r\n",               # Windows line ends
        "c_text.txt": b"2 2\na 1.000000 2.000000 \nb 3.000000 4.000000 \n",  # word2vec.c: a space ends each row
        "no_final_newline.txt": b"2 2\na 1 2\nb 3 4",
        "blank_after.txt": b"2 2\na 1 2\nb 3 4\n\n",
    }
    for name, content in variants.items():
        (tmp_path / name).write_bytes(content)
        assert word2vec.load_word2vec_format(tmp_path / name) == (["a", "b"], pytest.approx(expected)), name
    for newline in (True, False):
        file = write_binary(tmp_path / "b.bin", ["a", "b"], expected, newline=newline)
        words, got = word2vec.load_word2vec_format(file, binary=True)
        assert words == ["a", "b"] and np.array_equal(got, expected)


# --- case 11: training leaves numba's process-wide thread count as it found it --------------------
# (The Hogwild workers are Python threads now, so train never sets the count; these tests keep it so.)

SENTENCES = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"]] * 40


@pytest.fixture
def one_numba_thread():
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


@bad_input
@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs numba with 2 threads")
def test_training_with_two_workers_leaves_numba_its_thread_count(one_numba_thread):
    word2vec.train(SENTENCES, size=8, min_count=1, iter=1, workers=2, progress=False)
    assert numba.get_num_threads() == 1


@bad_input
@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs numba with 2 threads")
def test_thread_count_is_left_alone_when_training_raises(one_numba_thread, monkeypatch):
    seen = []

    def failing_epoch(*args, **kwargs):
        seen.append(numba.get_num_threads())
        raise RuntimeError("stop in the middle of training")

    monkeypatch.setattr(word2vec, "_train_lines_hogwild", failing_epoch)
    with pytest.raises(RuntimeError, match="stop in the middle"):
        word2vec.train(SENTENCES, size=8, min_count=1, iter=1, workers=2, progress=False)
    assert seen == [1] and numba.get_num_threads() == 1


# --- case 12: vocab= with min_count ---------------------------------------------------------------

@bad_input
def test_vocab_with_words_below_min_count_is_refused_and_both_fixes_work():
    vocab = Vocab.build(SENTENCES, min_count=1)  # cat, dog, mat, log: 40 times each; the: 160
    rare = Vocab.build([["a", "b", "a"]] + SENTENCES, min_count=1)
    with pytest.raises(ValueError, match=r"2 word\(s\) seen fewer than min_count=5 times \(e\.g\. 'a', 2 times\).*"
                                         r"Pass min_count=1 .* or build it with Vocab\.build\(sentences, min_count=5\)"):
        word2vec.train(SENTENCES, vocab=rare, min_count=5, size=8, iter=1, progress=False)
    model = word2vec.train(SENTENCES, vocab=rare, min_count=1, size=8, iter=1, progress=False)
    assert model.params["min_count"] == 1 and model.words == rare.words
    rebuilt = Vocab.build([["a", "b", "a"]] + SENTENCES, min_count=5)
    model = word2vec.train(SENTENCES, vocab=rebuilt, min_count=5, size=8, iter=1, progress=False)
    assert model.params["min_count"] == 5 and "b" not in model.words and model.words == vocab.words


@bad_input
def test_vocab_with_an_unseen_extra_word_or_not_a_vocab_is_refused():
    with pytest.raises(ValueError, match=r"'</s>' with count 0.*without extra="):
        word2vec.train(SENTENCES, vocab=Vocab.build(SENTENCES, extra=[EOS]), min_count=1, progress=False)
    with pytest.raises(TypeError, match="vocab must be a corpus.Vocab"):
        word2vec.train(SENTENCES, vocab=["the", "cat"], min_count=1, progress=False)
    with pytest.raises(ValueError, match="min_count must be an int >= 1"):
        word2vec.train(SENTENCES, min_count=0, progress=False)


def test_vocab_built_with_the_same_min_count_trains_as_without_it():
    # The notebooks pass vocab= built with the min_count they train with: same model as building it inside.
    kw = dict(size=8, iter=1, min_count=5, seed=3, progress=False)
    inside = word2vec.train(SENTENCES, **kw)
    given = word2vec.train(SENTENCES, vocab=Vocab.build(SENTENCES, min_count=5), **kw)
    assert given.words == inside.words and np.array_equal(given.vectors, inside.vectors)
    assert given.params == inside.params
