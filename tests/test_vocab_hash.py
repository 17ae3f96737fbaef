"""teachkit.vocab_hash: word2vec.c's vocabulary hash table, ported function by function, checked
against values from the C function compiled with gcc, on tiny tables where every slot can be
seen, and against corpus.Vocab."""
import numpy as np
import pytest

from teachkit import data
from teachkit.corpus import Vocab
from teachkit.vocab_hash import (EOS, MAX_STRING, VocabHash, VocabWord, c_words, get_word_hash,
                                 read_words)


def test_get_word_hash_reads_bytes_as_signed_chars():
    # Values printed by GetWordHash compiled with gcc on x86-64 (char is signed there), table size 30M.
    assert get_word_hash("the") == 7688513
    assert get_word_hash("</s>") == 1609500
    assert get_word_hash("naïve") == 27095452   # UTF-8 c3 af: both bytes enter as negative numbers
    assert get_word_hash("café") == 7826454
    assert get_word_hash("日本") == 26509008
    # Reading the bytes as unsigned (0..255) would give another slot for every non-ASCII word.
    unsigned = 0
    for b in "naïve".encode("utf-8"):
        unsigned = (unsigned * 257 + b) % 2 ** 64
    assert unsigned % 30_000_000 != get_word_hash("naïve")
    assert get_word_hash("a", 10) == 97 % 10


def test_read_words_turns_newlines_into_end_of_sentence_words():
    assert read_words("the cat\tsat\r\non the mat\n\nend") == ["the", "cat", "sat", EOS, "on", "the", "mat",
                                                               EOS, EOS, "end"]
    long_word = "x" * 150 + "yz"
    (cut,) = read_words(long_word)
    assert cut == "x" * (MAX_STRING - 2)  # the first 98 bytes, as the C code leaves them
    assert c_words([["a", "b"], [], ["c"]]) == ["a", "b", EOS, EOS, "c", EOS]


def test_linear_probing_on_a_tiny_table():
    table = VocabHash(hash_size=7, min_count=1)
    words = ["a", "h", "o", "b"]  # 97, 104, 111 are all 6 mod 7: one slot for three words; b is 98 -> 0
    assert [get_word_hash(w, 7) for w in words] == [6, 6, 6, 0]
    for w in words:
        table.add_word_to_vocab(w)
    # "a" takes slot 6; "h" and "o" wrap around to 0 and 1; "b" hashes to 0, finds it taken, takes 2.
    assert table.slots() == ["h", "o", "b", None, None, None, "a"]
    table.probes = 0
    assert table.search_vocab("o") == 2 and table.probes == 3  # slots 6, 0, 1
    table.probes = 0
    assert table.search_vocab("v") == -1 and table.probes == 5  # 118 % 7 = 6: 6, 0, 1, 2, then empty 3


def test_reduce_vocab_drops_rare_words_and_raises_its_threshold():
    table = VocabHash(hash_size=11, min_count=1)
    for word, count in [("</s>", 3), ("a", 1), ("b", 2), ("c", 1), ("d", 5)]:
        table.add_word_to_vocab(word)
        table.vocab[-1].cn = count
    table.reduce_vocab()                      # min_reduce = 1: keep counts > 1
    assert table.words == ["</s>", "b", "d"] and table.min_reduce == 2
    assert [table.search_vocab(w) for w in ["</s>", "a", "b", "c", "d"]] == [0, -1, 1, -1, 2]
    table.reduce_vocab()                      # min_reduce = 2: keep counts > 2
    assert table.words == ["</s>", "d"] and table.min_reduce == 3
    assert sorted(w for w in table.slots() if w) == ["</s>", "d"]  # the table was rebuilt


def test_learn_vocab_reduces_when_the_table_is_70_percent_full():
    table = VocabHash(hash_size=10, min_count=1)
    words = ["a", "b", "a", "c", "d", "e", "f", "g", "a", "b", "h", "i", "a"]
    table.learn_vocab(words + [EOS, EOS])
    # After "g" the vocabulary holds </s> + 7 words (8 > 7 = 0.7 * 10): ReduceVocab keeps only
    # "a" (count 2). "</s>", not read yet (count 0), goes too: ReduceVocab has no exception for it,
    # so "a" now sits at index 0, where SortVocab leaves it. Then b, h, i and </s> come back.
    assert table.min_reduce == 2
    assert table.words == ["a", EOS, "b", "h", "i"] and table.counts.tolist() == [4, 2, 1, 1, 1]


def test_sort_vocab_keeps_end_of_sentence_first_and_applies_min_count():
    table = VocabHash(hash_size=101, min_count=2)
    table.learn_vocab(c_words([["x", "y", "y", "z"], ["y", "z", "w"]]))
    assert table.words == [EOS, "y", "z"]           # x and w (once) dropped; </s> (twice) first
    assert table.counts.tolist() == [2, 3, 2] and table.train_words == 7
    assert [table.search_vocab(w) for w in table.words] == [0, 1, 2]
    rare_end = VocabHash(hash_size=101, min_count=5)
    rare_end.learn_vocab(c_words([["y"] * 6]))
    assert rare_end.words == [EOS, "y"]              # </s> (once) is never dropped by min_count


def test_the_c_vocabulary_gives_corpus_vocab_indices_with_end_of_sentence_dropped():
    sentences = data.word2vec_corpus(max_tokens=30_000)
    table = VocabHash(hash_size=100_003, min_count=3)
    table.learn_vocab(c_words(sentences))
    vocab = Vocab.build(sentences, min_count=3)
    assert table.words[0] == EOS and table.words[1:] == vocab.words
    assert table.counts[1:].tolist() == vocab.counts.tolist()
    assert table.counts[0] == len(sentences) and table.train_words == vocab.counts.sum() + len(sentences)


def test_vocab_word_holds_the_c_fields_and_bad_tables_are_refused():
    entry = VocabWord("cat", cn=3)
    assert (entry.word, entry.cn, entry.point, entry.code, entry.codelen) == ("cat", 3, [], [], 0)
    with pytest.raises(ValueError, match="hash_size"):
        VocabHash(hash_size=1)
    with pytest.raises(ValueError, match="min_count"):
        VocabHash(hash_size=10, min_count=0)
    assert VocabHash(hash_size=10).vocab_hash.dtype == np.int64
