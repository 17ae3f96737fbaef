import pytest
from hypothesis import given
from hypothesis import strategies as st

from teachkit.corpus import EOS, UNK, Vocab, doc80_split, split_sentences, tokenize


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("Don't stop, 3.5 Miles!") == ["don't", "stop", "3.5", "miles"]


def test_tokenize_rejects_bytes_with_a_hint():
    with pytest.raises(TypeError, match="decode"):
        tokenize("caf\xe9".encode("latin-1"))


def test_split_sentences():
    assert split_sentences("One dog. Two cats! Three?\nFour") == ["One dog.", "Two cats!", "Three?", "Four"]


def test_vocab_sorted_by_count_ties_in_first_seen_order():
    vocab = Vocab.build([["b", "a", "c", "a"], ["c", "d", "b"]])
    # a, b, c all occur twice: they keep the order of first appearance (b, a, c); d once.
    assert vocab.words == ["b", "a", "c", "d"]
    assert vocab.counts.tolist() == [2, 2, 2, 1]
    assert vocab["c"] == 2 and vocab.decode([3, 0]) == ["d", "b"]


def test_vocab_min_count_max_size_unk_and_extra():
    sentences = [["x", "x", "x", "y", "y", "z"]]
    vocab = Vocab.build(sentences, min_count=2, unk=True, extra=[EOS])
    assert vocab.words == ["x", "y", EOS, UNK]
    assert vocab.counts.tolist() == [3, 2, 0, 1]  # <unk> counts the dropped tokens (z)
    assert vocab["never-seen"] == vocab[UNK]
    assert vocab.encode(["x", "q"]).tolist() == [0, 3]
    assert Vocab.build(sentences, max_size=1).words == ["x"]


def test_vocab_unknown_word_without_unk_names_the_word():
    vocab = Vocab.build([["a"]])
    with pytest.raises(KeyError, match="'zebra' is not in the vocabulary"):
        vocab["zebra"]
    assert vocab.encode(["a", "zebra", "a"], drop_unknown=True).tolist() == [0, 0]


def test_vocab_empty_corpus_is_a_clear_error():
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocab.build([])
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocab.build([[], []])


def test_vocab_every_word_below_min_count_is_a_clear_error():
    with pytest.raises(ValueError, match="fewer than min_count=5.*lower min_count"):
        Vocab.build([["a", "b", "a"]], min_count=5)


def test_vocab_rejects_strings_instead_of_token_lists():
    with pytest.raises(TypeError, match="lists of tokens"):
        Vocab.build(["a sentence as a string"])


def test_vocab_bad_arguments():
    with pytest.raises(ValueError, match="min_count"):
        Vocab.build([["a"]], min_count=0)
    with pytest.raises(ValueError, match="counts"):
        Vocab(["a", "b"], [1])
    with pytest.raises(ValueError, match="unique"):
        Vocab(["a", "a"], [1, 1])


def test_doc80_split_protocol():
    ids = [f"c{i:03d}" for i in range(20)][::-1]  # order of the input must not matter
    part = doc80_split(ids)
    assert [part[f"c{i:03d}"] for i in range(10)] == ["train"] * 8 + ["valid", "test"]
    assert sum(p == "train" for p in part.values()) == 16


# --- issue 19, case 10: text in other scripts ----------------------------------------------------

bad_input = pytest.mark.bad_input


@bad_input
@pytest.mark.parametrize("text, tokens", [
    ("Café naïve résumé", ["café", "naïve", "résumé"]),
    ("Привет, мир! Ёлка 2024.", ["привет", "мир", "ёлка", "2024"]),
    ("Η γλώσσα μου", ["η", "γλώσσα", "μου"]),
    ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),          # vowel signs are combining marks: they stay in the word
    ("cafe\u0301 de\u0301ja\u0300", ["café", "déjà"]),  # decomposed accents: NFC first
    ("Don’t stop", ["don't", "stop"]),              # a typographic apostrophe reads as '
    ("한국어 문장입니다", ["한국어", "문장입니다"]),    # Korean is written with spaces
    ("x_y  3.5", ["x", "y", "3.5"]),
])
def test_tokenize_keeps_the_letters_of_every_alphabet(text, tokens):
    assert tokenize(text) == tokens


@bad_input
def test_text_written_without_spaces_is_an_error_whose_advice_works():
    text = "我爱北京天安门。"
    with pytest.raises(ValueError, match=r"cannot find the words of '我爱北京天安门': its script is written without "
                                         r"spaces.*unspaced='spaces'.*unspaced='chars'"):
        tokenize(text)
    assert tokenize("我 爱 北京 天安门 。", unspaced="spaces") == ["我", "爱", "北京", "天安门"]  # segmented first
    assert tokenize(text, unspaced="chars") == ["我", "爱", "北", "京", "天", "安", "门"]
    with pytest.raises(ValueError, match="cannot find the words"):
        tokenize("English with one name, 毛泽东, inside")
    with pytest.raises(ValueError, match="cannot find the words"):
        tokenize("ภาษาไทย")


@bad_input
def test_one_token_per_character_keeps_marks_with_their_character_and_other_words_whole():
    assert tokenize("東京タワー is tall", unspaced="chars") == ["東", "京", "タ", "ワ", "ー", "is", "tall"]
    assert tokenize("สวัสดี", unspaced="chars") == ["ส", "วั", "ส", "ดี"]
    with pytest.raises(ValueError, match="unspaced must be one of"):
        tokenize("a", unspaced="segment")


def test_ascii_rule_is_the_old_one_and_agrees_on_ascii_text():
    assert tokenize("Gödel's café", ascii=True) == ["g", "del's", "caf"]
    assert tokenize("我爱北京", ascii=True) == []  # documented: only a-z and 0-9 make words
    for text in ["Don't stop, 3.5 Miles!", "U.S.A. e-mail x_y 'quoted' it's 1,000.5"]:
        assert tokenize(text) == tokenize(text, ascii=True)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_on_ascii_text_the_unicode_rule_gives_the_ascii_rule(text):
    assert tokenize(text) == tokenize(text, ascii=True)


def test_brown_and_the_glosses_tokenise_exactly_as_before():
    from teachkit import data
    texts = [" ".join(tokens) for _, tokens in data.brown_sentences()] + data.wordnet_glosses()
    assert all(text.isascii() for text in texts)  # so the Unicode rule cannot change a token (see above)
    sample = "\n".join(texts[::20])
    assert tokenize(sample) == tokenize(sample, ascii=True)


def test_the_shipped_course_corpus_rebuilds_byte_for_byte(tmp_path, monkeypatch):
    """scripts/build_data.py tokenises with ascii=True: its corpus is the shipped one, token for token."""
    import bz2
    import gzip
    import importlib.util
    import io
    from pathlib import Path

    from teachkit import data
    gensim = pytest.importorskip("gensim")
    if gensim.__version__ != "4.4.0":
        pytest.skip("the shipped corpus holds the Wikipedia sample of gensim 4.4.0")
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    spec = importlib.util.spec_from_file_location("build_data", Path(__file__).parent.parent / "scripts/build_data.py")
    build_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_data)
    wiki = Path(gensim.__file__).parent / "test/test_data" / build_data.WIKI
    paragraphs = []  # as build_from_gensim extracts them
    for _, text, _ in extract_pages(io.BytesIO(bz2.decompress(wiki.read_bytes())), filter_namespaces=("0",)):
        plain = filter_wiki(text)
        if not plain.lstrip().lower().startswith("#redirect"):
            paragraphs.extend(p for p in plain.splitlines() if len(p.split()) > 3)
    monkeypatch.setattr(build_data, "DATA", tmp_path)
    build_data.build_word2vec_corpus(data.brown_sentences(), data.wordnet_glosses(), paragraphs)
    rebuilt = gzip.decompress((tmp_path / "word2vec_corpus.txt.gz").read_bytes())
    assert rebuilt == gzip.decompress(data.path("word2vec_corpus.txt.gz").read_bytes())
    sentences = data.word2vec_corpus()
    assert (len(sentences), sum(map(len, sentences))) == (263_081, 2_961_710)


@bad_input
def test_vocab_rejects_tokens_that_are_not_strings():
    with pytest.raises(TypeError, match=r"Tokens must be strings, got 3 \(int\)"):
        Vocab.build([["a", 3]])
    with pytest.raises(TypeError, match=r"got None \(NoneType\)"):
        Vocab.build([["a", None]])
