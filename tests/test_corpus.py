import pytest

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
