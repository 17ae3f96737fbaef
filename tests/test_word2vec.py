"""teachkit.word2vec: the reference step against the maths (gradient checks, fixed loss values,
probabilities summing to 1), the fast path against the reference step, the C exp table, training,
word2vec files read and written with gensim, and bad input."""
import math

import numpy as np
import pytest

from teachkit import evaluate, word2vec
from teachkit.corpus import Vocab
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


def test_exp_table_is_the_c_table_read_with_the_c_integer_scale():
    table = word2vec.exp_table()
    assert table.shape == (1000,) and table.dtype == np.float32
    # expTable[i] = exp((i / 1000 * 2 - 1) * 6) / (exp(...) + 1): entry 0 is sigmoid(-6), entry 500 is 0.5
    assert table[0] == pytest.approx(1 / (1 + math.exp(6)), rel=1e-6) and table[500] == 0.5
    x = np.linspace(-5.999, 5.999, 100_001)
    error = np.abs(word2vec.table_sigmoid(x, table) - word2vec.sigmoid(x))
    # C's EXP_TABLE_SIZE / MAX_EXP / 2 is 83 (integer division): x is read 0.004 (x + 6) to the left,
    # plus the truncation: about (0.024 + 0.012) / 4 near x = 0; entries 996-999 are never read
    assert 8e-3 < error.max() < 9.5e-3
    assert word2vec.table_sigmoid(np.array([5.999]), table)[0] == table[995]
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
    dict(cbow=1, hs=1, negative=2, cbow_mean=0),
    dict(cbow=0, hs=1, negative=2, init="output"),
    dict(cbow=1, hs=0, negative=2, sample=0),
]


def lines_with_a_long_one():
    """Short lines, empty lines (no known word) and one line of 2,500 words (three C sentences)."""
    sentences = zipf_sentences()
    return sentences[:20] + [[], ["unknown-word"]] + [sum(zipf_sentences(400, seed=1), [])[:2500]] + sentences[20:]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_fast_path_makes_the_same_updates_as_the_reference_step(case):
    settings = {**dict(size=8, window=3, min_count=2, iter=2, seed=3, sample=1e-2, alpha=0.1, progress=False),
                **case}
    sentences = lines_with_a_long_one()
    reference = word2vec.train(sentences, engine="reference", **settings)
    fast = word2vec.train(sentences, engine="fast", **settings)
    untrained = word2vec.train(sentences, **{**settings, "alpha": 1e-30})
    assert reference.history["alpha"] == pytest.approx(fast.history["alpha"], rel=1e-12)
    for name in ("syn0", "syn1", "syn1neg"):
        ref, got = getattr(reference, name), getattr(fast, name)
        if ref is None:
            continue
        moved = np.abs(ref - getattr(untrained, name)).max()
        assert moved > 0.1  # the case is not trivial: training changed the weights a lot ...
        # ... and both engines changed them alike (float32 sums in another order; with the exp
        # table a lookup can land in the next bin, hence the looser bound there)
        if case.get("sigmoid") == "table":
            assert np.abs(got - ref).max() < 0.01 * moved
        else:
            np.testing.assert_allclose(got, ref, atol=1e-5)


# --- sentences as word2vec.c reads them ------------------------------------------------------------

def recorded_sentences(monkeypatch, sentences, **settings):
    """Train with the reference engine and record, for every centre word, (sentence, alpha)."""
    calls = []
    real = word2vec.train_word

    def spy(sen, position, model, alpha, state):
        calls.append((tuple(sen), position, float(alpha)))
        return real(sen, position, model, alpha, state)

    monkeypatch.setattr(word2vec, "train_word", spy)
    model = word2vec.train(sentences, engine="reference", progress=False, **settings)
    return model, calls


def test_a_line_is_cut_into_sentences_of_1000_words_kept_after_subsampling(monkeypatch):
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(30)]
    long_line = list(rng.choice(words, size=4000))
    kw = dict(size=4, window=2, min_count=1, iter=1, cbow=1, hs=1, negative=0, alpha=1e-6)
    _, calls = recorded_sentences(monkeypatch, [long_line], sample=0, **kw)
    lengths = [len(sen) for sen, position, _ in calls if position == 0]
    assert lengths == [1000, 1000, 1000, 1000]
    # With subsampling the sentences still hold 1000 *kept* words: more than 1000 words are read
    # for each of them, so the 4,000 words give fewer, full sentences and a shorter last one.
    model, calls = recorded_sentences(monkeypatch, [long_line], sample=1e-3, **kw)
    lengths = [len(sen) for sen, position, _ in calls if position == 0]
    assert all(n == 1000 for n in lengths[:-1]) and 0 < lengths[-1] < 1000 and len(lengths) < 4
    assert model.keep.max() < 1  # every word was a candidate for dropping


def test_the_end_of_a_line_is_read_as_a_counted_word(monkeypatch):
    lines = [["a", "b", "c"], ["b", "c"], ["c", "a", "b", "c"], ["d"]]
    model, calls = recorded_sentences(monkeypatch, lines, size=4, window=2, min_count=2, iter=1, sample=0,
                                      cbow=0, hs=1, negative=0)
    sentences = [sen for sen, position, _ in calls if position == 0]
    assert [model.vocab.decode(s) for s in sentences] == [["a", "b", "c"], ["b", "c"], ["c", "a", "b", "c"]]
    # train_words, as the C code computes it: the vocabulary's counts (9) plus one "</s>" per line (4);
    # "d" (below min_count) is not counted, its line's "</s>" is.
    assert model.train_words == 9 + 4


def test_the_learning_rate_changes_only_after_10000_words_at_a_sentence_start(monkeypatch):
    rng = np.random.default_rng(6)
    words = [f"w{i}" for i in range(50)]
    lines = [list(rng.choice(words, size=int(n))) for n in rng.integers(200, 900, size=60)]
    model, calls = recorded_sentences(monkeypatch, lines, size=4, window=2, min_count=1, iter=1, sample=0,
                                      cbow=1, hs=1, negative=0, alpha=0.05)
    counted, changes = 0, []
    for i, (sen, position, alpha) in enumerate(calls):
        if position == 0:
            counted += len(sen) + 1                    # the words of the line and its "</s>"
        if i and alpha != calls[i - 1][2]:
            changes.append((position, counted))
    assert calls[0][2] == pytest.approx(0.05) and len(changes) >= 2
    assert all(position <= 1 for position, _ in changes)  # never inside a sentence
    assert changes[0][1] > 10_000                          # not before 10,000 words were counted
    # between two updates, more than 10,000 words
    assert all(b - a > 10_000 - 900 for (_, a), (_, b) in zip(changes, changes[1:]))
    # the rate follows the C formula: alpha0 * (1 - counted / (iter * train_words + 1))
    assert min(alpha for *_, alpha in calls) == pytest.approx(
        0.05 * (1 - changes[-1][1] / (model.train_words + 1)), rel=0.05)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_one_long_line_decays_the_learning_rate_like_many_short_ones(engine):
    # The case: 200,000 tokens on one line trained a whole epoch at the starting rate.
    n = 200_000 if engine == "fast" else 30_000
    rng = np.random.default_rng(7)
    tokens = list(rng.choice([f"w{i}" for i in range(200)], size=n))
    kw = dict(size=4, window=2, min_count=1, iter=1, cbow=1, hs=1, negative=0, alpha=0.05, sample=0,
              progress=False, engine=engine)
    one_line = word2vec.train([tokens], **kw).history["alpha"][-1]
    short_lines = word2vec.train([tokens[i:i + 1000] for i in range(0, n, 1000)], **kw).history["alpha"][-1]
    # Before the fix the long line ended at the starting rate, 0.05. Now both decay to the last
    # update's rate, at most about two updates (20,000 words) before the end of the text.
    assert one_line < 0.05 * 25_000 / n and short_lines < 0.05 * 25_000 / n


def test_the_progress_bar_ends_at_its_total(monkeypatch):
    bars = []

    class Bar:
        def __init__(self, total, **kwargs):
            self.total, self.n = total, 0
            bars.append(self)

        def update(self, n):
            self.n += n

        def close(self):
            pass

    monkeypatch.setattr(word2vec, "tqdm", Bar)
    sentences = lines_with_a_long_one()
    model = word2vec.train(sentences, size=4, min_count=2, iter=3, progress=True)
    assert bars[0].n == bars[0].total == 3 * model.train_words  # the vocabulary came from this corpus


def test_cbow_mean_and_init_switches():
    sentences = zipf_sentences()
    summed = word2vec.train(sentences, size=6, min_count=1, iter=1, cbow=1, cbow_mean=0, progress=False)
    mean = word2vec.train(sentences, size=6, min_count=1, iter=1, cbow=1, cbow_mean=1, progress=False)
    assert not np.allclose(summed.syn0, mean.syn0)
    swapped = word2vec.train(sentences, size=6, min_count=1, iter=1, hs=1, negative=0, init="output",
                             alpha=1e-30, progress=False)
    assert np.abs(swapped.syn0).max() < 1e-20 and np.abs(swapped.syn1).max() > 0
    c_init = word2vec.train(sentences, size=6, min_count=1, iter=1, hs=1, negative=0, alpha=1e-30, progress=False)
    assert np.abs(c_init.syn1).max() < 1e-20 and 0 < np.abs(c_init.syn0).max() <= 0.5 / 6


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


def test_input_and_output_vectors_sit_in_rows_of_whole_cache_lines():
    model = word2vec.train(zipf_sentences(), size=20, min_count=1, iter=1, hs=1, negative=2, progress=False)
    for rows in (model.vectors, model.syn1, model.syn1neg):
        assert rows.shape[1] == 20 and rows.dtype == np.float32
        # 20 floats = 80 bytes, padded to 128: no two rows share a 64-byte line
        assert rows.ctypes.data % word2vec.CACHE_LINE == 0 and rows.strides == (128, 4)
    padded, view = word2vec._in_cache_lines(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert np.array_equal(view, [[0, 1, 2], [3, 4, 5]]) and padded.shape == (2, 16)
    assert np.all(padded[:, 3:] == 0) and padded.flags.c_contiguous


@pytest.mark.parametrize("cbow", [0, 1])
def test_a_thread_trains_its_copies_of_the_hot_rows_as_it_would_train_the_shared_rows(small_corpus, monkeypatch, cbow):
    # Catch the arguments of one job of a one-worker run (no hot rows), then train the same job
    # again, with 3 hot rows per matrix copied after the shared ones (as a Hogwild thread does it:
    # take them, train, give them back): the steps are the same, only made on the copies, so the
    # shared rows end as before (up to float32 rounding of base + (copy - base)); the copies hold
    # the trained rows.
    calls = []
    real = word2vec._train_lines

    def spy(*args):
        if not calls:
            calls.append([a.copy() if isinstance(a, np.ndarray) else a for a in args])
        return real(*args)

    monkeypatch.setattr(word2vec, "_train_lines", spy)
    word2vec.train(small_corpus[:300], cbow=cbow, hs=1, negative=5, iter=1, size=16, seed=3, progress=False)
    args = calls[0]
    syn0, syn1, syn1neg, hot = args[4], args[5], args[9], args[22]
    assert not np.any(hot[:, 0] < hot[:, 1])  # one worker: no hot rows
    plain = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    plain_result = real(*plain)
    n = 3
    with_copies = list(args)
    with_copies[4], with_copies[5], with_copies[9] = (np.vstack([m, np.zeros((n, m.shape[1]), m.dtype)])
                                                      for m in (syn0, syn1, syn1neg))
    v, inner = len(syn0), len(syn1)
    with_copies[22] = np.array([[0, n, v], [inner - n, inner, n], [0, n, v]], dtype=np.int64)
    matrices = (with_copies[4], with_copies[5], with_copies[9])
    bases = [word2vec._take_hot_rows(x, with_copies[22], m) for m, x in enumerate(matrices)]
    copied_result = real(*with_copies)
    for m, x in enumerate(matrices):
        word2vec._give_back_hot_rows(x, with_copies[22], m, bases[m])
    assert copied_result[1:] == plain_result[1:]  # the same predictions and random numbers
    for k, rows in ((4, slice(0, n)), (5, slice(inner - n, inner)), (9, slice(0, n))):
        trained, shared = plain[k], with_copies[k][:len(plain[k])]
        assert not np.array_equal(trained[rows], args[k][rows])  # the job changed the hot rows
        np.testing.assert_allclose(shared, trained, atol=1e-6)
        np.testing.assert_array_equal(with_copies[k][len(plain[k]):], trained[rows])


def test_the_end_of_a_job_adds_the_threads_changes_to_what_the_other_threads_wrote():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)  # rows 0, 1 hot; this thread's copies at rows 4, 5
    hot = np.array([[0, 2, 4], [0, 0, 0], [0, 0, 0]], dtype=np.int64)
    base = word2vec._take_hot_rows(x, hot, 0)
    assert np.array_equal(x[4:], x[:2]) and np.array_equal(base, x[:2])
    x[4:] += 1.0   # this thread's steps
    x[:2] += 10.0  # another thread's job ended meanwhile
    word2vec._give_back_hot_rows(x, hot, 0, base)
    assert np.array_equal(x[:2], base + 11.0)
    assert word2vec._own(1, hot, 0) == 5 and word2vec._own(2, hot, 0) == 2


@pytest.mark.parametrize("cbow", [0, 1])
def test_the_hogwild_driver_gives_each_matrix_its_hot_rows_back(small_corpus, monkeypatch, cbow):
    # Catch the arguments of a two-worker epoch, then run the driver on them with one thread (so
    # the order of the jobs is fixed): thread 0 takes, trains and gives back the hot rows of syn0,
    # syn1 and syn1neg at every job. The result must be that of the same jobs trained on the shared
    # rows with no hot rows (up to float32 rounding of base + (copy - base)); hot rows given back to
    # the wrong matrix, or not at all, would change it.
    calls = []
    real = word2vec._train_lines_hogwild

    def spy(corpus, starts, jobs, arrays, matrices, clocks, hots, counted, alpha0, denominator, states, *rest):
        if not calls:
            arrays_now = [a.copy() if isinstance(a, np.ndarray) else a for a in arrays]
            # where train put syn0, syn1 and syn1neg among the loop's arguments (0, 1, 5), as it passed them
            places = [next(i for i, a in enumerate(arrays) if a is x) for x in matrices]
            calls.append((corpus, starts, jobs, arrays_now, places, clocks.copy(), hots.copy(), counted.copy(),
                          alpha0, denominator, list(states)))
        return real(corpus, starts, jobs, arrays, matrices, clocks, hots, counted, alpha0, denominator, states, *rest)

    monkeypatch.setattr(word2vec, "_train_lines_hogwild", spy)
    word2vec.train(small_corpus[:600], workers=2, cbow=cbow, hs=1, negative=5, iter=1, size=12, seed=4,
                   min_count=2, progress=False)
    corpus, starts, jobs, arrays, places, clocks, hots, counted, alpha0, denominator, states = calls[0]
    assert places == [0, 1, 5]  # the loop's syn0, syn1, syn1neg: the order of hots' rows
    assert np.all(hots[0, :, 0] < hots[0, :, 1])  # every matrix has hot rows
    results = {}
    for name, thread_hots in (("copies", hots[:1]), ("shared", np.zeros_like(hots[:1]))):
        run = [a.copy() if isinstance(a, np.ndarray) else a for a in arrays]
        out = real(corpus, starts, jobs, run, [run[i] for i in places], clocks[:1].copy(), thread_hots,
                   counted.copy(), alpha0, denominator, states[:1], True, lambda words: None)
        results[name] = out, run
    (copies_out, copies), (shared_out, shared) = results["copies"], results["shared"]
    assert copies_out[1] == shared_out[1] and copies_out[0] == pytest.approx(shared_out[0], rel=1e-5)
    for m, k in enumerate(places):  # syn0, syn1, syn1neg: hots' rows 0, 1, 2
        assert not np.array_equal(shared[k], arrays[k])  # the jobs trained this matrix
        rows = len(arrays[k]) - 2 * (hots[0, m, 1] - hots[0, m, 0])  # the shared rows; then 2 threads' copies
        np.testing.assert_allclose(copies[k][:rows], shared[k][:rows], atol=1e-5)


def test_hogwild_threads_get_their_own_copies_of_the_hot_rows(small_corpus, monkeypatch):
    hots = []
    real = word2vec._train_lines

    def spy(*args):
        hots.append(args[22].copy())
        return real(*args)

    monkeypatch.setattr(word2vec, "_train_lines", spy)
    model = word2vec.train(small_corpus, workers=2, cbow=0, hs=1, negative=5, iter=2, size=10, seed=2, progress=False)
    v, h = len(model.words), word2vec.HOT_ROWS
    copies = {tuple(map(tuple, hot)) for hot in hots}
    # syn0 and syn1neg: the h most frequent words; syn1: the last h inner nodes. Thread k's copies
    # are rows k*h..(k+1)*h-1 after the shared ones, so no two threads share a copy. (Which thread
    # ran the jobs is up to the scheduler; each job ran with one of these two.)
    assert copies and copies <= {((0, h, v + k * h), (v - 1 - h, v - 1, (k + 1) * h), (0, h, v + k * h))
                                 for k in (0, 1)}
    assert np.all(np.isfinite(model.vectors)) and model.vectors.shape == (v, 10)


def test_hogwild_threads_share_the_word_count_and_train_every_job_once(small_corpus, monkeypatch):
    kw = dict(cbow=1, hs=1, negative=0, iter=2, size=10, progress=False, seed=2)
    one = word2vec.train(small_corpus, workers=1, **kw)
    jobs = []
    real = word2vec._train_lines

    def spy(corpus, starts, first, last, *rest):
        jobs.append((first, last))
        return real(corpus, starts, first, last, *rest)

    monkeypatch.setattr(word2vec, "_train_lines", spy)
    three = word2vec.train(small_corpus, workers=3, **kw)  # more threads than this machine may have cores
    # Every job once per epoch, and the jobs tile the lines.
    assert len(jobs) == 2 * len(set(jobs)) and sorted(set(jobs))[0][0] == 0
    assert sum(last - first for first, last in set(jobs)) == len(small_corpus)
    # The threads add their words to one count (word2vec.c's word_count_actual), so the rate
    # decays over the words of all of them: each thread last updated it at most about 10,000 of
    # its words before the end (30,000 of the 101,518 counted here). Counting only its own words,
    # a thread would end near alpha * (1 - 1/3).
    assert one.history["alpha"][-1] < 0.01 * 0.05 and three.history["alpha"][-1] < 0.35 * 0.05
    assert np.all(np.isfinite(three.vectors))


def test_an_error_in_a_hogwild_thread_reaches_the_caller_and_stops_the_others(small_corpus, monkeypatch):
    calls = []
    real = word2vec._train_lines

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("a worker failed")
        return real(*args)

    monkeypatch.setattr(word2vec, "_train_lines", failing)
    monkeypatch.setattr(word2vec, "JOB_WORDS", 1000)  # about 65 jobs
    with pytest.raises(RuntimeError, match="a worker failed"):
        word2vec.train(small_corpus, workers=2, iter=1, size=10, progress=False)
    # The failing thread emptied the queue: the other one stopped after its job (or the next one,
    # if it took it in the meantime).
    assert len(calls) <= 5


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
    (dict(cbow_mean=2), "cbow_mean"),
    (dict(init="zeros"), "init"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        word2vec.train(zipf_sentences(), min_count=1, progress=False, **kwargs)


def test_encoding_keeps_every_line_and_drops_unknown_words():
    vocab = Vocab.build([["a", "b", "a"]], min_count=1)  # index: a 0, b 1
    corpus, starts, raw = word2vec._encode([["a", "x", "b"], [], ["y"], ("b", "a")], vocab)
    assert corpus.tolist() == [0, 1, 1, 0] and corpus.dtype == np.int32
    assert starts.tolist() == [0, 2, 2, 2, 4] and starts.dtype == np.int64  # empty and all-unknown lines stay
    assert raw == 6  # every token read, known or not
    corpus, starts, raw = word2vec._encode([], vocab)
    assert len(corpus) == 0 and starts.tolist() == [0] and raw == 0
    for text in ("a b", np.str_("a b")):  # a line given as a str, or a str subclass, among lists
        with pytest.raises(TypeError, match="lists of tokens"):
            word2vec._encode([["a"], text], vocab)


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
