"""teachkit.word2vec: the reference step against the maths (gradient checks, fixed loss values,
probabilities summing to 1), the fast path against the reference step, the C exp table, training,
word2vec files read and written with gensim, and bad input."""
import math

import numpy as np
import pytest

from teachkit import evaluate, word2vec
from teachkit.gradcheck import numerical_gradient, relative_error
from teachkit.huffman import build_huffman

gensim_models = pytest.importorskip("gensim.models")


def zipf_sentences(n_sentences=40, n_words=12, seed=0):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n_words)]
    p = 1 / np.arange(1, n_words + 1)
    return [list(rng.choice(words, size=rng.integers(3, 15), p=p / p.sum())) for _ in range(n_sentences)]


# --- sigmoid and the exp table ---------------------------------------------------------------------

def test_exact_sigmoid_is_stable_and_symmetric():
    x = np.array([-1000.0, -30.0, -1.0, 0.0, 2.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):  # no overflow, no NaN
        s = word2vec.sigmoid(x)
    np.testing.assert_allclose(s[1:5], 1 / (1 + np.exp(-x[1:5])), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(word2vec.sigmoid(-x), 1 - s, atol=1e-15)


def test_exp_table_is_the_c_table_and_its_error_is_about_3e_3():
    table = word2vec.exp_table()
    assert table.shape == (1000,) and table.dtype == np.float32
    # expTable[i] = exp((i / 1000 * 2 - 1) * 6) / (exp(...) + 1): entry 0 is sigmoid(-6), entry 500 is 0.5
    assert table[0] == pytest.approx(1 / (1 + math.exp(6)), rel=1e-6) and table[500] == 0.5
    x = np.linspace(-5.999, 5.999, 100_001)
    error = np.abs(word2vec.table_sigmoid(x, table) - word2vec.sigmoid(x))
    assert 2e-3 < error.max() < 3.1e-3  # half a bin (0.006) times the largest slope (1/4)
    with pytest.raises(ValueError, match="MAX_EXP"):
        word2vec.table_sigmoid(np.array([6.5]), table)


def test_table_option_skips_hs_nodes_and_clips_ns_outside_max_exp():
    l1 = np.array([10.0, 0.0])  # dot product 10 with the unit row below: outside +-6
    table = word2vec.exp_table()
    syn1 = np.array([[1.0, 0.0]])
    neu1e = np.zeros(2)
    word2vec.hs_update(l1, syn1, [1], [0], 0.1, neu1e, table)
    assert np.all(syn1 == [[1.0, 0.0]]) and np.all(neu1e == 0)  # silently skipped
    word2vec.hs_update(l1, syn1, [1], [0], 0.1, neu1e)           # the exact sigmoid learns
    assert syn1[0, 0] < 1.0
    syn1neg = np.array([[1.0, 0.0]])
    neu1e = np.zeros(2)
    word2vec.ns_update(l1, syn1neg, [0], [0], 0.1, neu1e, table)  # clipped: g = (0 - 1) * alpha
    np.testing.assert_allclose(syn1neg, [[1.0 - 0.1 * 10.0, 0.0]])


# --- the reference step against the maths --------------------------------------------------------

def test_hs_update_is_minus_the_gradient_of_hs_loss():
    rng = np.random.default_rng(1)
    h, syn1 = rng.normal(size=5), rng.normal(size=(6, 5))
    code, point = [1, 0, 1, 1], [5, 2, 0, 3]
    neu1e, after = np.zeros(5), syn1.copy()
    word2vec.hs_update(h, after, code, point, 1.0, neu1e)  # alpha = 1: the update is -gradient
    grad_h = numerical_gradient(lambda: word2vec.hs_loss(h, syn1, code, point), h)
    grad_syn1 = numerical_gradient(lambda: word2vec.hs_loss(h, syn1, code, point), syn1)
    assert relative_error(neu1e, -grad_h) < 1e-7
    assert relative_error(after - syn1, -grad_syn1) < 1e-7


def test_ns_update_is_minus_the_gradient_of_ns_loss_with_negatives_frozen():
    rng = np.random.default_rng(2)
    h, syn1neg = rng.normal(size=5), rng.normal(size=(8, 5))
    targets, labels = [3, 6, 1, 7], [1, 0, 0, 0]
    neu1e, after = np.zeros(5), syn1neg.copy()
    word2vec.ns_update(h, after, targets, labels, 1.0, neu1e)
    grad_h = numerical_gradient(lambda: word2vec.ns_loss(h, syn1neg, targets, labels), h)
    grad_out = numerical_gradient(lambda: word2vec.ns_loss(h, syn1neg, targets, labels), syn1neg)
    assert relative_error(neu1e, -grad_h) < 1e-7
    assert relative_error(after - syn1neg, -grad_out) < 1e-7


def test_losses_have_the_values_worked_out_by_hand():
    h = np.array([1.0, 2.0])
    rows = np.array([[0.5, 0.0], [0.0, -1.0], [1.0, 1.0]])  # dot products 0.5, -2, 3
    # HS, code [0, 1] at rows [0, 1]: -log sigmoid(0.5) - log sigmoid(+2)
    assert word2vec.hs_loss(h, rows, [0, 1], [0, 1]) == pytest.approx(0.6010049952230792, rel=1e-12)
    # NS, word row 0, noise rows 1 and 2: -log sigmoid(0.5) - log sigmoid(2) - log sigmoid(-3)
    assert word2vec.ns_loss(h, rows, [0, 1, 2], [1, 0, 0]) == pytest.approx(3.649592346796821, rel=1e-12)
    # All-zero vectors: every node / pair is a coin flip, log 2 each.
    assert word2vec.hs_loss(np.zeros(2), np.zeros((3, 2)), [0, 1, 1], [2, 1, 0]) == pytest.approx(3 * math.log(2))


def test_hs_probabilities_of_all_words_sum_to_one():
    rng = np.random.default_rng(3)
    counts = np.sort(rng.integers(1, 1000, size=300))[::-1]
    tree = build_huffman(counts)
    for _ in range(5):
        h, syn1 = rng.normal(size=10), rng.normal(scale=0.5, size=(299, 10))
        p = word2vec.hs_distribution(h, syn1, tree)
        assert abs(p.sum() - 1) < 1e-12 and np.all(p > 0)
        w = int(rng.integers(300))
        assert word2vec.hs_probability(h, syn1, tree.code(w), tree.point(w)) == pytest.approx(p[w], rel=1e-12)
        assert -math.log(p[w]) == pytest.approx(word2vec.hs_loss(h, syn1, tree.code(w), tree.point(w)))


def test_next_random_is_the_c_generator():
    # next_random = next_random * 25214903917 + 11 in unsigned 64-bit arithmetic.
    assert word2vec.next_random(1) == 25214903928
    assert word2vec.next_random(2 ** 64 - 1) == (-25214903917 + 11) % 2 ** 64


# --- fast path == reference step -------------------------------------------------------------------

CASES = [
    dict(cbow=1, hs=1, negative=0),
    dict(cbow=0, hs=1, negative=0),
    dict(cbow=1, hs=0, negative=3),
    dict(cbow=0, hs=0, negative=3),
    dict(cbow=1, hs=1, negative=2, sigmoid="table"),
    dict(cbow=0, hs=1, negative=2, sigmoid="table"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_fast_path_makes_the_same_updates_as_the_reference_step(case):
    settings = dict(size=8, window=3, min_count=1, iter=2, seed=3, sample=1e-2, alpha=0.5, progress=False,
                    **case)
    sentences = zipf_sentences()
    reference = word2vec.train(sentences, engine="reference", **settings)
    fast = word2vec.train(sentences, engine="fast", **settings)
    untrained = word2vec.train(sentences, **{**settings, "alpha": 1e-30})
    for name in ("syn0", "syn1", "syn1neg"):
        ref, got = getattr(reference, name), getattr(fast, name)
        if ref is None:
            continue
        moved = np.abs(ref - getattr(untrained, name)).max()
        assert moved > 0.1  # the case is not trivial: training changed the weights a lot ...
        np.testing.assert_allclose(got, ref, atol=1e-5)  # ... and both engines changed them alike


def test_fast_loss_is_log_2_per_node_for_untrained_output_weights():
    # Two words: every code has one bit. syn1 starts at zero, so with a vanishing learning rate
    # every prediction costs exactly log 2.
    sentences = [["a", "b", "a", "b", "b"]] * 20
    for cbow in (0, 1):
        model = word2vec.train(sentences, size=4, window=2, hs=1, negative=0, cbow=cbow, min_count=1,
                               alpha=1e-20, iter=1, sample=0, compute_loss=True, progress=False)
        assert model.history["loss"][0] == pytest.approx(math.log(2), rel=1e-6)


# --- training ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_corpus():
    from teachkit import data
    return data.word2vec_corpus(max_tokens=60_000)


def test_training_lowers_the_loss_and_returns_a_history(small_corpus):
    model = word2vec.train(small_corpus, cbow=1, hs=1, negative=0, iter=3, compute_loss=True, progress=False)
    loss = model.history["loss"]
    assert len(loss) == 3 and loss[2] < loss[0]
    assert model.history["alpha"][-1] < model.params["alpha"] * 0.01  # decayed almost to the floor
    assert model.history["words_per_second"] > 0
    assert model.vectors.shape == (len(model.words), 100) and model.vectors.dtype == np.float32


def test_training_is_reproducible_with_a_seed_and_changes_with_it(small_corpus):
    kw = dict(cbow=0, negative=5, iter=1, size=20, progress=False)
    a, b = word2vec.train(small_corpus, seed=5, **kw), word2vec.train(small_corpus, seed=5, **kw)
    c = word2vec.train(small_corpus, seed=6, **kw)
    assert np.array_equal(a.vectors, b.vectors) and not np.array_equal(a.vectors, c.vectors)


def test_hogwild_workers_train_as_well_as_one(small_corpus):
    kw = dict(cbow=0, negative=5, iter=2, size=30, progress=False, compute_loss=True, seed=2)
    one, two = word2vec.train(small_corpus, workers=1, **kw), word2vec.train(small_corpus, workers=2, **kw)
    assert np.all(np.isfinite(two.vectors))
    assert two.history["loss"][-1] == pytest.approx(one.history["loss"][-1], rel=0.05)


def test_model_lookup_and_unknown_word(small_corpus):
    model = word2vec.train(small_corpus, iter=1, size=10, progress=False)
    assert np.array_equal(model["the"], model.vectors[model.vocab.index["the"]])
    assert model.most_similar("the", topn=3)[0][0] != "the"
    with pytest.raises(evaluate.UnknownWordError, match="qwertyuiop"):
        model.most_similar("qwertyuiop")
    with pytest.raises(KeyError, match="qwertyuiop"):
        model["qwertyuiop"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(size=0), "size"),
    (dict(window=0), "window"),
    (dict(negative=-1), "negative"),
    (dict(sample=-1e-3), "sample"),
    (dict(hs=0, negative=0), "no output layer"),
    (dict(alpha=0.0), "alpha"),
    (dict(iter=0), "iter"),
    (dict(workers=0), "workers"),
    (dict(sigmoid="fast"), "sigmoid"),
    (dict(engine="C"), "engine"),
    (dict(hs=2), "switches"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        word2vec.train(zipf_sentences(), min_count=1, progress=False, **kwargs)


def test_bad_corpora_are_refused():
    with pytest.raises(ValueError, match="empty"):
        word2vec.train([], progress=False)
    with pytest.raises(ValueError, match="min_count"):
        word2vec.train([["a", "b"]], min_count=5, progress=False)
    with pytest.raises(TypeError, match="lists of tokens"):
        word2vec.train(["a whole sentence as a string"], min_count=1, progress=False)
    with pytest.raises(ValueError, match="single-word"):
        word2vec.train([["a", "a", "a"]], min_count=1, hs=1, negative=0, progress=False)


def test_too_large_a_learning_rate_is_reported_not_returned_as_nan():
    with pytest.raises(FloatingPointError, match="lower alpha"):
        word2vec.train(zipf_sentences(), min_count=1, alpha=1e30, cbow=0, progress=False)


# --- word2vec files --------------------------------------------------------------------------------

@pytest.fixture
def vectors():
    rng = np.random.default_rng(4)
    return ["the", "cat", "sat", "naïve"], rng.normal(size=(4, 7)).astype(np.float32)


@pytest.mark.parametrize("binary", [False, True])
def test_files_round_trip_and_gensim_reads_ours(tmp_path, vectors, binary):
    words, vecs = vectors
    file = tmp_path / "v.txt"
    word2vec.save_word2vec_format(file, words, vecs, binary=binary)
    got_words, got = word2vec.load_word2vec_format(file, binary=binary)
    assert got_words == words and np.array_equal(got, vecs)
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(file), binary=binary)
    assert list(kv.index_to_key) == words and np.array_equal(kv.vectors, vecs)


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_gensims_files(tmp_path, vectors, binary):
    words, vecs = vectors
    kv = gensim_models.KeyedVectors(vector_size=7)
    kv.add_vectors(words, vecs)
    file = tmp_path / "g.bin"
    kv.save_word2vec_format(str(file), binary=binary)
    got_words, got = word2vec.load_word2vec_format(file, binary=binary)
    assert got_words == words
    np.testing.assert_allclose(got, vecs, rtol=1e-6)


def test_model_save_writes_its_vectors(tmp_path, small_corpus):
    model = word2vec.train(small_corpus[:200], iter=1, size=5, min_count=2, progress=False)
    model.save(tmp_path / "m.bin", binary=True)
    words, vecs = word2vec.load_word2vec_format(tmp_path / "m.bin", binary=True)
    assert words == model.words and np.array_equal(vecs, model.vectors)


@pytest.mark.parametrize("content, binary, message", [
    (b"hello world\n", False, "first line"),
    (b"3\n", False, "first line"),
    (b"2 3\ncat 1 2 3\n", False, "truncated"),
    (b"2 3\ncat 1 2 3\ndog 1 2\n", False, "line 3"),
    (b"1 3\ncat 1 x 3\n", False, "not a number"),
    (b"1 3\ncat \x00\x00\x80?", True, "truncated"),
    (b"2 1\ncat \x00\x00\x80?\ndo", True, "truncated"),
])
def test_malformed_files_give_clear_errors(tmp_path, content, binary, message):
    file = tmp_path / "bad.txt"
    file.write_bytes(content)
    with pytest.raises(word2vec.Word2VecFormatError, match=message):
        word2vec.load_word2vec_format(file, binary=binary)


def test_saving_refuses_words_with_spaces(tmp_path):
    with pytest.raises(ValueError, match="whitespace"):
        word2vec.save_word2vec_format(tmp_path / "x.txt", ["new york"], np.zeros((1, 2)))
