"""teachkit.mllib: Spark MLlib's training scheme (1.6 and later) imitated in numpy / numba."""
import math

import numpy as np
import pytest

from teachkit import mllib, sampling, word2vec
from teachkit.corpus import Vocab


def topic_sentences(n_sentences: int, length: int = 8, seed: int = 0):
    """Two topics that never share a sentence: any working skip-gram separates them."""
    rng = np.random.default_rng(seed)
    animals, numbers = ["cat", "dog", "cow", "horse"], ["one", "two", "three", "four"]
    return [list(rng.choice(topic, size=length)) for topic in [animals, numbers] * (n_sentences // 2)]


def topic_gap(model) -> float:
    unit = model.vectors / np.linalg.norm(model.vectors, axis=1, keepdims=True)
    topic = np.array([w in ("cat", "dog", "cow", "horse") for w in model.words])
    cosine = unit @ unit.T
    same = cosine[np.equal.outer(topic, topic) & ~np.eye(len(topic), dtype=bool)].mean()
    return same - cosine[~np.equal.outer(topic, topic)].mean()


# --- the learning rate ---------------------------------------------------------------------------------

def test_restarting_rate_is_the_same_in_every_iteration_and_ends_each_one():
    T, P = 1_000_000, 4
    for k in [1, 2, 3]:
        assert mllib.partition_learning_rate(0.025, P, 0, k, 3, T, "restart") == 0.025
        assert math.isclose(mllib.partition_learning_rate(0.025, P, T / P / 2, k, 3, T, "restart"),
                            0.025 * (1 - 0.5 * T / (T + 1)))
        assert mllib.partition_learning_rate(0.025, P, T / P, k, 3, T, "restart") < 0.025 * 1e-3


def test_global_rate_is_the_formula_since_spark_22156():
    T, I = 1_000_000, 3
    for P in [1, 2, 8]:
        for k in [1, 2, 3]:
            wc = 0.3 * T / P
            expected = sampling.learning_rate(0.025, (P * wc + (k - 1) * T) / (I * T + 1))
            assert mllib.partition_learning_rate(0.025, P, wc, k, I, T, "global") == expected
        assert mllib.partition_learning_rate(0.025, P, T / P, I, I, T, "global") < 0.025 * 1e-3


def test_learning_rate_curves():
    x, restart = mllib.learning_rate_curve(0.025, 2, 3, 100_000, "restart", points=50)
    _, global_ = mllib.learning_rate_curve(0.025, 2, 3, 100_000, "global", points=50)
    assert len(x) == len(restart) == 150 and np.all(np.diff(x) > 0) and x[0] == 0 and x[-1] < 1
    assert np.sum(restart == 0.025) == 3 and np.sum(global_ == 0.025) == 1   # restarts at each iteration
    assert np.all(np.diff(global_) <= 0)


# --- cutting and dealing the text ----------------------------------------------------------------------

def test_partition_sentences_stream_ignores_sentence_ends_and_deals_round_robin():
    vocab = Vocab.build([["a", "b", "c"]], min_count=1)
    sentences = [["a", "b", "zzz"], ["c"], ["a", "b", "c", "a"]]   # zzz is unknown: dropped
    parts = mllib.partition_sentences(sentences, vocab, 2, "stream", max_sentence_length=3)
    idx = vocab.index
    stream = [idx[w] for w in "a b c a b c a".split()]
    assert [list(p) for p in parts[0]] == [stream[0:3], stream[6:7]]
    assert [list(p) for p in parts[1]] == [stream[3:6]]
    parts = mllib.partition_sentences(sentences, vocab, 2, "sentence", max_sentence_length=3)
    assert [list(p) for p in parts[0]] == [[idx["a"], idx["b"]], [idx["a"], idx["b"], idx["c"]]]
    assert [list(p) for p in parts[1]] == [[idx["c"]], [idx["a"]]]


# --- the merge -------------------------------------------------------------------------------------------

def test_merge_sums_or_averages_the_rows_the_partitions_touched():
    start = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], dtype=np.float32)
    a = np.array([[1.5, 1.0], [2.0, 4.0], [9.0, 9.0]], dtype=np.float32)   # touched rows 0 and 1
    b = np.array([[0.5, 3.0], [7.0, 7.0], [9.0, 9.0]], dtype=np.float32)   # touched row 0 only
    touched = [np.array([2, 1, 0]), np.array([1, 0, 0])]
    summed = mllib.merge_copies(start, [a, b], touched, "sum")
    averaged = mllib.merge_copies(start, [a, b], touched, "average")
    np.testing.assert_array_equal(summed, [[2.0, 4.0], [2.0, 4.0], [3.0, 3.0]])
    np.testing.assert_array_equal(averaged, [[1.0, 2.0], [2.0, 4.0], [3.0, 3.0]])
    assert summed.dtype == averaged.dtype == np.float32
    np.testing.assert_array_equal(start[2], [3.0, 3.0])  # the input is not modified


def test_merge_bad_input():
    start = np.zeros((3, 2), np.float32)
    with pytest.raises(ValueError, match="'sum' \\(Spark 1.6\\) or 'average'"):
        mllib.merge_copies(start, [start], [np.ones(3)], "mean")
    with pytest.raises(ValueError, match="one touched-row mask per copy"):
        mllib.merge_copies(start, [start, start], [np.ones(3)], "sum")
    with pytest.raises(ValueError, match="global shape"):
        mllib.merge_copies(start, [np.zeros((2, 2), np.float32)], [np.ones(2)], "sum")


# --- training -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["1.6", "3.0"])
def test_fast_path_agrees_with_the_reference_loop(version):
    # 24,000 words over 2 partitions: each passes the 10,000-word mark, so the rate changes too.
    sentences = topic_sentences(3000)
    settings = dict(vector_size=8, window=2, num_partitions=2, num_iterations=2, seed=3, version=version)
    reference = mllib.train(sentences, engine="reference", **settings)
    fast = mllib.train(sentences, engine="fast", **settings)
    np.testing.assert_allclose(fast.syn0, reference.syn0, atol=2e-4)
    np.testing.assert_allclose(fast.syn1, reference.syn1, atol=2e-4)
    np.testing.assert_allclose(fast.history["alpha_end"], reference.history["alpha_end"], rtol=1e-6)
    assert all(a < 0.025 for a in np.ravel(fast.history["alpha_end"]))


@pytest.mark.parametrize("version", ["1.6", "3.0"])
def test_training_separates_two_topics(version):
    model = mllib.train(topic_sentences(600), vector_size=10, window=2, num_partitions=2,
                        num_iterations=2, seed=7, version=version)
    assert model.vectors.shape == (8, 10) and np.all(np.isfinite(model.vectors))
    assert topic_gap(model) > 0.3


def test_same_seed_same_model_and_one_partition_makes_sum_and_average_agree():
    sentences = topic_sentences(400)
    a = mllib.train(sentences, vector_size=6, num_iterations=2, seed=5)
    b = mllib.train(sentences, vector_size=6, num_iterations=2, seed=5)
    c = mllib.train(sentences, vector_size=6, num_iterations=2, seed=5, merge="average")
    np.testing.assert_array_equal(a.syn0, b.syn0)
    np.testing.assert_array_equal(a.syn0, c.syn0)  # one copy: its sum is its average


def test_spark_16_multiplies_rows_by_the_partitions_that_touched_them():
    # With a vanishing learning rate every copy stays at the start: the 1.6 sum returns P x start
    # for every row all P partitions touched; the average returns the start.
    sentences = topic_sentences(400)
    for P in [2, 4]:
        start = mllib.train(sentences, vector_size=6, num_iterations=1, seed=5, learning_rate=1e-30)
        summed = mllib.train(sentences, vector_size=6, num_partitions=P, num_iterations=1, seed=5,
                             learning_rate=1e-30, version="1.6")
        averaged = mllib.train(sentences, vector_size=6, num_partitions=P, num_iterations=1, seed=5,
                               learning_rate=1e-30, version="3.0")
        np.testing.assert_allclose(summed.syn0, P * start.syn0, rtol=1e-6)
        np.testing.assert_allclose(averaged.syn0, start.syn0, rtol=1e-6)


def test_keep_copies_gives_the_last_iterations_copies_and_merge_rebuilds_the_model():
    sentences = topic_sentences(400)
    for version in ["1.6", "3.0"]:
        model = mllib.train(sentences, vector_size=6, num_partitions=3, num_iterations=2, seed=5,
                            version=version, keep_copies=True)
        c = model.copies
        assert len(c["syn0"]) == len(c["touched0"]) == 3
        how = mllib.VERSIONS[version]["merge"]
        np.testing.assert_array_equal(mllib.merge_copies(c["start"][0], c["syn0"], c["touched0"], how), model.syn0)
        np.testing.assert_array_equal(mllib.merge_copies(c["start"][1], c["syn1"], c["touched1"], how), model.syn1)


def test_history_records_the_growth_of_the_sum():
    sentences = topic_sentences(400)
    summed = mllib.train(sentences, vector_size=6, num_partitions=4, num_iterations=4, seed=5, version="1.6")
    averaged = mllib.train(sentences, vector_size=6, num_partitions=4, num_iterations=4, seed=5, version="3.0")
    assert summed.history["max_abs"][-1] > 10 * averaged.history["max_abs"][-1]
    assert len(summed.history["seconds"]) == 4 and summed.history["shared_rows"][0] == 1.0


def test_unknown_version_and_settings_are_refused():
    sentences = topic_sentences(10)
    with pytest.raises(ValueError, match="version must be one of"):
        mllib.train(sentences, version="2.0")
    with pytest.raises(ValueError, match="schedule must be 'restart'"):
        mllib.train(sentences, schedule="cosine")
    with pytest.raises(ValueError, match="merge must be 'sum'"):
        mllib.train(sentences, merge="max")
    with pytest.raises(ValueError, match="chunking must be 'stream'"):
        mllib.train(sentences, chunking="lines")
    for name in ["num_partitions", "num_iterations", "vector_size", "window", "min_count"]:
        with pytest.raises(ValueError, match=f"{name} must be an int >= 1"):
            mllib.train(sentences, **{name: 0})
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        mllib.train(sentences, learning_rate=-0.1)
    with pytest.raises(ValueError, match="at least 2 words"):
        mllib.train([["a"] * 10], min_count=1)


# --- held-out loss ------------------------------------------------------------------------------------

def test_heldout_loss_is_the_mean_hs_loss_of_every_pair():
    sentences = topic_sentences(200)
    model = mllib.train(sentences, vector_size=6, window=2, num_iterations=1, seed=5)
    held = [["cat", "dog", "one", "unknownword", "cow"]]
    idx = model.vocab.index
    words = [idx[w] for w in held[0] if w in idx]
    losses = [word2vec.hs_loss(model.syn0[words[c]].astype(np.float64), model.syn1.astype(np.float64),
                               model.tree.code(words[p]), model.tree.point(words[p]))
              for p in range(len(words)) for c in range(max(0, p - 2), min(len(words), p + 3)) if c != p]
    assert math.isclose(mllib.heldout_loss(model, held, window=2), np.mean(losses), rel_tol=1e-6)
    assert math.isclose(-math.log(mllib.pair_probability(model, "dog", "cat")),
                        word2vec.hs_loss(model.syn0[idx["dog"]].astype(np.float64), model.syn1.astype(np.float64),
                                         model.tree.code(idx["cat"]), model.tree.point(idx["cat"])), rel_tol=1e-6)


def test_an_untrained_model_scores_log_2_per_node_and_training_lowers_it():
    sentences = topic_sentences(400)
    untrained = mllib.train(sentences, vector_size=6, seed=5, learning_rate=1e-30)
    trained = mllib.train(sentences, vector_size=6, seed=5, num_iterations=2)
    held = topic_sentences(40, seed=1)
    assert math.isclose(mllib.heldout_loss(untrained, held), math.log(2) * 3, rel_tol=1e-4)  # 8 words: codes of 3
    assert mllib.heldout_loss(trained, held) < math.log(2) * 3 - 0.3
    with pytest.raises(ValueError, match="two known words"):
        mllib.heldout_loss(trained, [["zzz"]])
