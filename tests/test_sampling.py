"""teachkit.sampling: the noise distribution, subsampling, window shrink and learning rate.

Draws are checked with a chi-square goodness-of-fit test at a fixed seed, and each such check is
shown to have teeth: the same test rejects draws from a slightly wrong distribution.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teachkit import sampling

stats = pytest.importorskip("scipy.stats")

# A Zipf-like vocabulary: counts fall as 1 / rank, most frequent first (as Vocab sorts them).
ZIPF_COUNTS = np.round(10_000 / np.arange(1, 51)).astype(np.int64)
N_DRAWS = 200_000
P_REJECT = 1e-3


def chi_square_p(draws: np.ndarray, probabilities: np.ndarray) -> float:
    observed = np.bincount(draws, minlength=probabilities.size)
    return stats.chisquare(observed, probabilities * draws.size).pvalue


# --- noise distribution ---------------------------------------------------------------------------

def test_noise_distribution_is_count_to_the_power_normalised():
    p = sampling.noise_distribution([16, 1, 0], power=0.75)
    np.testing.assert_allclose(p, [8 / 9, 1 / 9, 0.0])  # 16 ** 0.75 = 8
    np.testing.assert_allclose(sampling.noise_distribution([3, 1, 0], power=0), [0.5, 0.5, 0.0])
    np.testing.assert_allclose(sampling.noise_distribution([3, 1], power=1), [0.75, 0.25])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=40), st.floats(0.0, 1.0))
def test_noise_distribution_sums_to_one_and_keeps_the_frequency_order(counts, power):
    p = sampling.noise_distribution(counts, power)
    assert p.sum() == pytest.approx(1.0)
    order = np.argsort(counts, kind="stable")
    assert np.all(np.diff(p[order]) >= -1e-15)


def test_unigram_table_follows_the_c_loop_including_its_late_step():
    # Traced by hand through InitUnigramTable: cumulative 0.5, 0.75, 1.0 over 8 slots; the word
    # changes one slot after a / 8 passes the running total, so the last word gets no slot.
    table = sampling.unigram_table([2, 1, 1], power=1, table_size=8)
    assert table.tolist() == [0, 0, 0, 0, 0, 0, 1, 1]
    assert table.dtype == np.int32


def test_unigram_table_gives_each_word_its_share_of_slots():
    table_size = 1_000_000
    p = sampling.noise_distribution(ZIPF_COUNTS)
    slots = np.bincount(sampling.unigram_table(ZIPF_COUNTS, table_size=table_size), minlength=p.size)
    assert slots.sum() == table_size
    # One slot late per word boundary: every word is within 2 slots of p * table_size.
    assert np.max(np.abs(slots - p * table_size)) <= 2


def test_table_draws_follow_the_noise_distribution():
    table = sampling.unigram_table(ZIPF_COUNTS, table_size=1_000_000)
    draws = sampling.draw_from_table(table, N_DRAWS, np.random.default_rng(0))
    assert chi_square_p(draws, sampling.noise_distribution(ZIPF_COUNTS, 0.75)) > P_REJECT
    # The same test tells 0.75 from 0.7: it is able to fail.
    assert chi_square_p(draws, sampling.noise_distribution(ZIPF_COUNTS, 0.7)) < P_REJECT


def test_cumulative_draws_follow_the_noise_distribution_and_skip_unseen_words():
    counts = np.append(ZIPF_COUNTS, 0)  # an unseen word must never be drawn
    cum = sampling.cumulative_distribution(counts)
    assert cum[-1] == 1.0
    draws = sampling.draw_from_cumulative(cum, N_DRAWS, np.random.default_rng(1))
    assert not np.any(draws == counts.size - 1)
    p = sampling.noise_distribution(counts)
    seen = counts > 0
    observed = np.bincount(draws, minlength=counts.size)[seen]
    assert stats.chisquare(observed, p[seen] * N_DRAWS).pvalue > P_REJECT
    wrong = sampling.noise_distribution(counts, 0.8)[seen]
    assert stats.chisquare(observed, wrong * N_DRAWS).pvalue < P_REJECT


def test_draw_negatives_shape_and_reproducibility():
    cum = sampling.cumulative_distribution(ZIPF_COUNTS)
    a = sampling.draw_negatives(cum, 7, 5, np.random.default_rng(3))
    b = sampling.draw_negatives(cum, 7, 5, np.random.default_rng(3))
    assert a.shape == (7, 5) and a.dtype == np.int64
    assert np.array_equal(a, b)
    assert a.min() >= 0 and a.max() < ZIPF_COUNTS.size
    assert sampling.draw_negatives(cum, 7, 0, np.random.default_rng(3)).shape == (7, 0)


def test_cumulative_distribution_matches_gensims_cum_table():
    gensim = pytest.importorskip("gensim.models")
    sentences = [[f"w{i}"] * int(c) for i, c in enumerate(ZIPF_COUNTS)]
    model = gensim.Word2Vec(vector_size=4, min_count=1, negative=5, ns_exponent=0.75)
    model.build_vocab(sentences)
    counts = np.array([model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key])
    ours = sampling.cumulative_distribution(counts, 0.75)
    np.testing.assert_allclose(model.cum_table / model.cum_table[-1], ours, atol=1e-9)


@pytest.mark.parametrize("bits", [0, 1, 3, None])
def test_guide_table_draws_the_same_word_as_the_binary_search(bits):
    # A long Zipf tail (many words share a slice) and an unseen word (an empty interval).
    counts = np.append(np.round(1e6 / np.arange(1, 30_001) ** 1.1), 0)
    cum = sampling.cumulative_distribution(counts)
    guide = sampling.guide_table(cum, bits)
    size = 2 ** bits if bits is not None else 2 ** 16  # first power of two >= 2 V
    assert guide.shape == (size,) and guide.dtype == np.int32
    # u on every edge: slice starts, the interval ends cum[w] and the floats just below them, 0 and
    # the largest u < 1, and random u read from 48 bits as the fast loop does.
    below_one = np.nextafter(1.0, 0.0)
    u = np.concatenate([np.arange(size) / size, cum[:-1], np.nextafter(cum[:-1], 0.0), [0.0, below_one],
                        np.random.default_rng(0).integers(0, 2 ** 48, 100_000) / 2.0 ** 48])
    u = u[u < 1]  # cum ends in 1.0 twice (the unseen word)
    expected = np.searchsorted(cum, u, side="right")
    got = np.array([sampling.draw_with_guide(cum, guide, x) for x in u])
    assert np.array_equal(got, expected)
    assert counts[got].min() > 0  # the unseen word is never drawn


def test_guide_table_is_small_and_saves_most_of_the_search():
    counts = np.round(1e7 / np.arange(1, 1_000_001) ** 1.05)  # a million words
    cum = sampling.cumulative_distribution(counts)
    guide = sampling.guide_table(cum)
    assert guide.nbytes <= 8 * 2 ** 20  # 8 MB for a million words (the C table: 400 MB)
    u = np.random.default_rng(1).random(200_000)
    steps = np.searchsorted(cum, u, side="right") - guide[(u * guide.size).astype(np.int64)]
    assert steps.min() >= 0 and steps.mean() < 1  # a binary search takes log2(V) = 20 steps


# --- subsampling ----------------------------------------------------------------------------------

def test_keep_probability_is_the_c_formula_capped_at_one():
    counts = np.array([100_000, 10_000, 1_000, 10, 0])
    total, sample = 1_000_000, 1e-3
    keep = sampling.keep_probability(counts, sample, total=total)
    f = counts[:2].astype(float)
    np.testing.assert_allclose(keep[:2], (np.sqrt(f / (sample * total)) + 1) * (sample * total) / f)
    assert keep[0] < keep[1] < 1.0
    assert np.all(keep[2:] == 1.0)  # count 1000 = s*T gives 2 before the cap; 10 and 0 are rare
    # The cap sits at count = golden ratio squared * s * T.
    edge = (1 + 5 ** 0.5) ** 2 / 4 * sample * total
    assert sampling.keep_probability([edge * 1.01], sample, total=total)[0] < 1.0
    assert sampling.keep_probability([edge * 0.99], sample, total=total)[0] == 1.0
    np.testing.assert_array_equal(sampling.keep_probability(counts, 0.0), 1.0)


def test_keep_probability_matches_gensims_sample_int():
    gensim = pytest.importorskip("gensim.models")
    sentences = [[f"w{i}"] * int(c) for i, c in enumerate(ZIPF_COUNTS)]
    model = gensim.Word2Vec(vector_size=4, min_count=1, sample=1e-2)
    model.build_vocab(sentences)
    words = model.wv.index_to_key
    counts = np.array([model.wv.get_vecattr(w, "count") for w in words])
    theirs = np.array([model.wv.get_vecattr(w, "sample_int") for w in words]) / 2**32
    np.testing.assert_allclose(sampling.keep_probability(counts, 1e-2), theirs, atol=1e-9)


def test_subsample_keeps_each_word_with_its_probability():
    keep = np.array([0.1, 0.5, 0.9, 1.0])
    tokens = np.repeat(np.arange(4), 20_000)
    kept = sampling.subsample(tokens, keep, np.random.default_rng(2))
    kept_per_word = np.bincount(kept, minlength=4)
    assert kept_per_word[3] == 20_000
    # Binomial(20000, q): each count within 4 standard deviations.
    sd = np.sqrt(20_000 * keep * (1 - keep))
    assert np.all(np.abs(kept_per_word - 20_000 * keep) <= 4 * sd + 1e-9)
    # Survivors stay in text order: shuffled input comes out as a subsequence of itself.
    shuffled = np.random.default_rng(5).permutation(tokens)
    survivors = sampling.subsample(shuffled, keep, np.random.default_rng(6))
    remaining = iter(shuffled.tolist())
    assert all(word in remaining for word in survivors.tolist())  # consumes in order: a subsequence
    assert survivors.size < shuffled.size


# --- window shrink and learning rate --------------------------------------------------------------

def test_window_reach_is_uniform_on_one_to_window():
    reach = sampling.window_reach(5, N_DRAWS, np.random.default_rng(4))
    assert reach.min() == 1 and reach.max() == 5
    uniform = np.full(5, 0.2)
    assert chi_square_p(reach - 1, uniform) > P_REJECT
    assert chi_square_p(reach - 1, np.array([0.19, 0.2, 0.2, 0.2, 0.21])) < P_REJECT


def test_learning_rate_decays_linearly_to_its_floor():
    alpha = 0.025
    assert sampling.learning_rate(alpha, 0.0) == alpha
    assert sampling.learning_rate(alpha, 0.5) == pytest.approx(alpha / 2)
    assert sampling.learning_rate(alpha, 1.0) == pytest.approx(alpha * 1e-4)
    assert sampling.learning_rate(alpha, 3.0) == pytest.approx(alpha * 1e-4)
    # word2vec.c: alpha = starting_alpha * (1 - word_count_actual / (iter * train_words + 1)).
    iters, train_words = 5, 1_000_000
    done = np.arange(0, iters * train_words + 1, 10_000)
    rates = sampling.learning_rate(alpha, done / (iters * train_words + 1))
    c_rates = np.maximum(alpha * (1 - done / (iters * train_words + 1)), alpha * 1e-4)
    np.testing.assert_allclose(rates, c_rates)
    assert np.all(np.diff(rates) <= 0)


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: sampling.noise_distribution([3, 1], power=-0.5), "power must be a number >= 0"),
    (lambda: sampling.noise_distribution([3, 1], power=float("nan")), "power must be a number >= 0"),
    (lambda: sampling.noise_distribution([3, -1]), "counts must be finite and >= 0"),
    (lambda: sampling.noise_distribution([3, np.nan]), "counts must be finite and >= 0"),
    (lambda: sampling.noise_distribution([]), "non-empty 1-D array"),
    (lambda: sampling.noise_distribution([0, 0]), "counts are all zero"),
    (lambda: sampling.unigram_table([3, 1], table_size=0), "table_size must be an int >= 1"),
    (lambda: sampling.unigram_table([3, 1], table_size=1.5e6), "table_size must be an int >= 1"),
    (lambda: sampling.unigram_table([3, 1, 1], table_size=2), "smaller than the vocabulary"),
    (lambda: sampling.guide_table(np.array([0.5, 0.9])), "ending in 1.0"),
    (lambda: sampling.guide_table(np.array([0.5, 1.0]), bits=40), "bits must be an int from 0 to 30"),
    (lambda: sampling.draw_negatives(np.array([1.0]), 3, -1, np.random.default_rng(0)),
     "negative must be an int >= 0"),
    (lambda: sampling.draw_from_cumulative(np.array([1.0]), -2, np.random.default_rng(0)),
     "size must be an int >= 0"),
    (lambda: sampling.keep_probability([3, 1], sample=-1e-3), "sample must be a number >= 0"),
    (lambda: sampling.keep_probability([3, 1], total=0), "total must be the number of training tokens"),
    (lambda: sampling.subsample([0, 5], np.ones(3), np.random.default_rng(0)), "indices must lie in 0..2"),
    (lambda: sampling.window_reach(0, 3, np.random.default_rng(0)), "window must be an int >= 1"),
    (lambda: sampling.learning_rate(0.0, 0.5), "alpha must be a finite number > 0"),
    (lambda: sampling.learning_rate(0.025, -0.1), "progress must be >= 0"),
])
def test_bad_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda rng: sampling.draw_from_table(np.zeros(4, np.int32), 3, rng),
    lambda rng: sampling.draw_from_cumulative(np.array([1.0]), 3, rng),
    lambda rng: sampling.subsample([0], np.ones(1), rng),
    lambda rng: sampling.window_reach(5, 3, rng),
])
@pytest.mark.parametrize("not_a_generator", [0, None, np.random.RandomState(0)])
def test_random_draws_need_an_explicit_generator(call, not_a_generator):
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        call(not_a_generator)
