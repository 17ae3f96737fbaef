import math

import numpy as np
import pytest

from teachkit import corpus, data, nplm
from teachkit.gradcheck import check_gradients

WORDS = ["a", "b", "</s>"]


def tiny_model(direct: bool = False) -> nplm.NPLM:
    """V = 3, one context word, m = h = 1, weights chosen so the loss can be worked out by hand."""
    model = nplm.init_model(WORDS, order=2, dim=1, hidden=1, direct=direct,
                            rng=np.random.default_rng(0), dtype=np.float64)
    model.C[:] = [[0.0], [1.0], [2.0], [0.0]]  # rows a, b, </s>, <s>
    model.H[:] = [[1.0]]
    model.d[:] = 0.0
    model.U[:] = [[0.0, 1.0, 2.0]]
    model.b[:] = 0.0
    if direct:
        model.W[:] = [[1.0, 0.0, -1.0]]
    return model


def test_loss_on_a_tiny_problem_worked_out_by_hand():
    # Context "b": x = 1, a = tanh(1) = t, scores y = (0, t, 2t).
    # -log P(</s> | b) = log(1 + e^t + e^2t) - 2t = 0.52173, -log P(a | b) = log(1 + e^t + e^2t) = 2.04492.
    model = tiny_model()
    X, y = np.array([[1], [1]]), np.array([2, 0])
    loss, _ = nplm.loss_and_gradients(model, X, y)
    assert loss == pytest.approx((0.5217282713697315 + 2.0449165832812612) / 2, abs=1e-12)
    assert nplm.example_gradients(model, [1], 2)[0] == pytest.approx(0.5217282713697315, abs=1e-12)
    # Weight decay 0.1 adds 0.05 * (|C|^2 + |H|^2 + |U|^2) = 0.05 * (5 + 1 + 5); biases exempt.
    loss_wd, _ = nplm.loss_and_gradients(model, X, y, weight_decay=0.1)
    assert loss_wd == pytest.approx(1.2833224273254964 + 0.55, abs=1e-12)
    # The <s> pad row is zero, so a = 0 and all three words are equally likely: log 3.
    assert nplm.loss_and_gradients(model, np.array([[3]]), np.array([1]))[0] == pytest.approx(math.log(3))
    # Direct connections x W = (1, 0, -1) shift the scores to (1, t, 2t - 1).
    direct = tiny_model(direct=True)
    assert nplm.example_gradients(direct, [1], 2)[0] == pytest.approx(1.355874908918109, abs=1e-12)


@pytest.mark.parametrize("direct", [False, True])
def test_gradient_check_every_parameter(direct):
    rng = np.random.default_rng(1)
    model = nplm.init_model([f"w{i}" for i in range(7)], order=4, dim=3, hidden=5, direct=direct,
                            rng=rng, dtype=np.float64)
    X = rng.integers(0, 8, size=(6, 3))  # index 7 is the <s> pad
    X[0] = [2, 2, 7]                     # a repeated context word: its gradient must add up
    y = rng.integers(0, 7, size=6)
    loss, grads = nplm.loss_and_gradients(model, X, y, weight_decay=0.01)
    errors = check_gradients(lambda: nplm.loss_and_gradients(model, X, y, 0.01)[0], model.params, grads)
    assert set(errors) == set(model.params)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("direct", [False, True])
def test_reference_step_and_batch_path_agree(direct):
    rng = np.random.default_rng(2)
    model = nplm.init_model([f"w{i}" for i in range(9)], order=3, dim=4, hidden=6, direct=direct,
                            rng=rng, dtype=np.float64)
    X, y = rng.integers(0, 10, size=(8, 2)), rng.integers(0, 9, size=8)
    losses, total = [], {name: np.zeros_like(p) for name, p in model.params.items()}
    for context, target in zip(X, y):
        loss, grads = nplm.example_gradients(model, context, target)
        losses.append(loss)
        for name in total:
            total[name] += grads[name]
    batch_loss, batch_grads = nplm.loss_and_gradients(model, X, y)
    assert batch_loss == pytest.approx(np.mean(losses), abs=1e-12)
    for name in total:
        np.testing.assert_allclose(batch_grads[name], total[name] / len(y), atol=1e-14, err_msg=name)
    assert np.exp(nplm.log_probs(model, X, y)).tolist() == pytest.approx(np.exp(-np.array(losses)).tolist())


def test_contexts_pad_with_bos_and_end_with_eos():
    vocab = corpus.Vocab.build([["a", "b", "a"]], unk=True, extra=[corpus.EOS])  # a, b, </s>, <unk>
    X, y = nplm.contexts([["a", "b"], ["zzz"]], vocab, order=3)
    pad = len(vocab)
    assert X.tolist() == [[pad, pad], [pad, 0], [0, 1], [pad, pad], [pad, 3]]
    assert vocab.decode(y) == ["a", "b", "</s>", "<unk>", "</s>"]


def tiny_corpus():
    # Apart from the first word of a sentence, the two previous words mostly determine the next.
    sentences = [["a", "b", "c", "d"], ["b", "c", "d"], ["c", "d", "a", "b"]] * 30
    vocab = corpus.Vocab.build(sentences, extra=[corpus.EOS])
    return sentences, vocab


def test_training_learns_a_predictable_language_and_keeps_the_best_point():
    sentences, vocab = tiny_corpus()
    train_data = nplm.contexts(sentences, vocab, order=3)
    model = nplm.init_model(vocab, order=3, dim=8, hidden=16, rng=np.random.default_rng(0))
    start = nplm.perplexity(model, sentences, vocab)
    history = nplm.train(model, train_data, train_data, epochs=30, batch_size=16, lr=0.5,
                         final_lr=0.05, evals_per_epoch=1, seed=0, progress=False)
    assert start > 3.5  # about uniform over 5 words
    assert history.valid_perplexity[-1] < 2.0
    assert history.best_valid == min(history.valid_perplexity)
    assert nplm.perplexity(model, sentences, vocab) == pytest.approx(history.best_valid, rel=1e-5)
    # the learning rate falls linearly from lr towards final_lr
    steps_per_epoch = math.ceil(len(train_data[1]) / 16)
    first_eval_step = steps_per_epoch - 1
    assert history.lr[0] == pytest.approx(0.5 - 0.45 * first_eval_step / (30 * steps_per_epoch))
    assert np.all(np.diff(history.lr) < 0) and history.lr[-1] == pytest.approx(0.05, abs=0.01)
    assert len(history.epoch) == len(history.train_loss) == len(history.seconds) == 30


def test_training_with_the_same_seed_is_reproducible():
    sentences, vocab = tiny_corpus()
    train_data = nplm.contexts(sentences, vocab, order=2)
    runs = []
    for _ in range(2):
        model = nplm.init_model(vocab, order=2, dim=4, hidden=4, rng=np.random.default_rng(5))
        runs.append(nplm.train(model, train_data, train_data, epochs=2, seed=3, progress=False).valid_perplexity)
    assert runs[0] == runs[1]


def test_save_and_load_round_trip(tmp_path):
    model = nplm.init_model(WORDS, order=3, dim=2, hidden=3, direct=True, rng=np.random.default_rng(0))
    nplm.save(model, tmp_path / "m.npz", {"note": "hello"})
    loaded, info = nplm.load(tmp_path / "m.npz")
    assert info == {"note": "hello"} and loaded.words == WORDS and loaded.order == 3
    for name, p in model.params.items():
        np.testing.assert_array_equal(loaded.params[name], p)


def test_mix_averages_probabilities():
    p, q = np.log([0.2, 0.5]), np.log([0.4, 0.1])
    np.testing.assert_allclose(np.exp(nplm.mix(p, q)), [0.3, 0.3])
    np.testing.assert_allclose(np.exp(nplm.mix(p, q, weight=0.75)), [0.25, 0.4])


# --- bad input ----------------------------------------------------------------------------------

def test_context_size_below_one_is_refused():
    with pytest.raises(ValueError, match="order must be >= 2"):
        nplm.init_model(WORDS, order=1, rng=np.random.default_rng(0))
    vocab = corpus.Vocab.build([["a"]], extra=[corpus.EOS])
    with pytest.raises(ValueError, match="order must be >= 2"):
        nplm.contexts([["a"]], vocab, order=1)


def test_vocabulary_mismatch_is_refused():
    sentences, vocab = tiny_corpus()
    model = nplm.init_model(vocab, order=3, dim=2, hidden=2, rng=np.random.default_rng(0))
    other = corpus.Vocab.build(sentences + [["e", "e"]], extra=[corpus.EOS])
    with pytest.raises(ValueError, match="Vocabulary mismatch"):
        nplm.perplexity(model, sentences, other)
    X, y = nplm.contexts(sentences + [["e", "e"]], other, order=3)  # indices up to len(other)
    with pytest.raises(ValueError, match="another vocabulary"):
        nplm.log_probs(model, X, y)
    with pytest.raises(ValueError, match="order-3 model needs"):
        nplm.log_probs(model, X[:, :1], y)
    with pytest.raises(ValueError, match="mix"):
        nplm.mix(np.zeros(3), np.zeros(4))


def test_a_diverging_learning_rate_stops_with_a_message_naming_it():
    sentences, vocab = tiny_corpus()
    train_data = nplm.contexts(sentences, vocab, order=3)
    model = nplm.init_model(vocab, order=3, dim=4, hidden=4, rng=np.random.default_rng(0))
    with pytest.raises(FloatingPointError, match=r"learning rate .*lr=1e\+06"):
        nplm.train(model, train_data, train_data, epochs=3, lr=1e6, progress=False)


def test_bad_hyperparameters_are_refused():
    sentences, vocab = tiny_corpus()
    d = nplm.contexts(sentences, vocab, order=2)
    model = nplm.init_model(vocab, order=2, dim=2, hidden=2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="momentum"):
        nplm.train(model, d, d, momentum=1.0, progress=False)
    with pytest.raises(ValueError, match="one count per word"):
        nplm.init_model(vocab, order=2, rng=np.random.default_rng(0), unigram=np.ones(2))


# --- the shipped long-run model -------------------------------------------------------------------

def test_shipped_model_reproduces_its_recorded_test_perplexity():
    model, info = nplm.load(data.path("nplm_brown.npz"))  # data.path checks its SHA-256
    assert model.C.dtype == np.float32 and model.order == 5
    vocab = corpus.Vocab.build(data.brown("train"), max_size=10_000, unk=True, extra=[corpus.EOS])
    test_ppl = nplm.perplexity(model, data.brown("test"), vocab)
    assert test_ppl == pytest.approx(info["test_perplexity"], rel=1e-4)
    assert "benchmarks/nplm.py" in info["command"]
    assert test_ppl < 138.3  # it beats docs/references.md's 5-gram modified Kneser-Ney
