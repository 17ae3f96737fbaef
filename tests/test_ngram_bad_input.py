"""teachkit.ngram on input as users feed it (issue 19, cases 4-6, and the whole kind): every estimate
is checked as KenLM's lmplz checks it, and every error says what to do, in code that works.

Each error message of ``teachkit.ngram`` writes its advice as code in backticks; ``follow`` runs that
code, so a test fails when the advice does not work (as ``discount=0.75`` once did for
``ModifiedKneserNey``, which has no such argument).
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from teachkit import corpus, data, ngram
from teachkit.corpus import BOS, EOS

pytestmark = pytest.mark.bad_input

NAMESPACE = {"ngram": ngram, "corpus": corpus, "data": data, **{name: getattr(ngram, name) for name in (
    "KneserNey", "ModifiedKneserNey", "AddK", "MLE", "JelinekMercer", "write_arpa", "sample")}}


def advice(error: pytest.ExceptionInfo) -> list[str]:
    """The code snippets (in backticks) of an error message."""
    snippets = re.findall(r"`([^`]+)`", str(error.value))
    assert snippets, f"the message gives no advice in code: {error.value}"
    return snippets


def follow(error: pytest.ExceptionInfo, **names):
    """Run every snippet of the error's advice with ``names`` in scope; return the value of the last
    one that is an expression (statements like ``x = ...`` update the names)."""
    scope = {**NAMESPACE, **names}
    value = None
    for snippet in advice(error):
        try:
            value = eval(snippet, scope)
        except SyntaxError:
            exec(snippet, scope)
            value = scope
    return value


def kenlm_scores(arpa, sentences):
    """KenLM's natural-log score of every predicted token, or skip when KenLM is not installed."""
    kenlm = pytest.importorskip("kenlm")
    config = kenlm.Config()
    config.show_progress = False
    lm = kenlm.Model(str(arpa), config)
    return np.array([s for sentence in sentences for s, _, _ in lm.full_scores(" ".join(sentence))]) * math.log(10)


def assert_a_proper_model(model, contexts):
    for context in contexts:
        p = model.distribution(context)
        assert np.all(np.isfinite(p)) and np.all(p > 0), context
        assert abs(p.sum() - 1) < 1e-12, context


# --- case 4: closed-form discounts out of range ------------------------------------------------------

# Four short sentences (34 words): every count of counts n1..n4 of the bigram model is non-zero, but
# the unigram order's D3+ = 3 - 4 Y n4 / n3 comes out at -3, so p(w | h) < 0 for some words.
CASE4 = [s.split() for s in ("b c f e b g a a", "g f b b a f b g a", "g e f g b e b a", "d a f e d a g b a")]


@pytest.fixture()
def case4():
    vocab = corpus.Vocab.build(CASE4, extra=[EOS])
    return vocab, ngram.count_ngrams(CASE4, vocab, 2)


def test_a_discount_out_of_range_is_refused_as_kenlm_refuses_it(case4, tmp_path):
    vocab, counts = case4
    with pytest.raises(ValueError, match=r"order 1: the discount D3\+ = -3 is out of range \[0, 3\]") as error:
        ngram.ModifiedKneserNey(counts, 2)
    assert "n1..n4 = [" in str(error.value) and "--discount_fallback" in str(error.value)
    model = follow(error, counts=counts)
    # lmplz --discount_fallback: the order whose estimate failed takes (0.5, 1, 1.5); the other keeps its own
    assert model.fallback_orders == [1]
    np.testing.assert_allclose(model.discounts[0], (0.5, 1.0, 1.5))
    assert np.all((model.discounts[1] >= 0) & (model.discounts[1] <= [1, 2, 3]))
    assert_a_proper_model(model, [[BOS], ["a"], ["g"], ["never-seen"]] if vocab.unk else [[BOS], ["a"], ["g"]])
    assert np.isfinite(ngram.perplexity(model, CASE4))
    theirs = kenlm_scores(ngram.write_arpa(model, tmp_path / "case4.arpa"), CASE4)
    np.testing.assert_allclose(theirs, model.token_logprobs(CASE4), atol=1e-5)


def test_discounts_given_by_hand_are_checked_too(case4):
    _, counts = case4
    for bad in ([[0.5, 1.0, -3.0]] * 2, [[1.5, 1.0, 1.5]] * 2, [[0.5, 1.0, float("nan")]] * 2):
        with pytest.raises(ValueError, match=r"discounts out of range: D1 must be in \[0, 1\]") as error:
            ngram.ModifiedKneserNey(counts, 2, discounts=bad)
        assert_a_proper_model(follow(error, counts=counts), [["a"]])
    with pytest.raises(ValueError, match="2 rows of three numbers") as error:
        ngram.ModifiedKneserNey(counts, 2, discounts=[0.5, 1.0, 1.5])
    assert_a_proper_model(follow(error, counts=counts), [["a"]])
    with pytest.raises(ValueError, match="discount_fallback out of range") as error:
        ngram.ModifiedKneserNey(counts, 2, discount_fallback=(0.5, 3.0, 1.5))
    assert_a_proper_model(follow(error, counts=counts), [["a"]])
    with pytest.raises(ValueError, match="not both") as error:
        ngram.ModifiedKneserNey(counts, 2, discounts=[[0.5, 1.0, 1.5]] * 2, discount_fallback=(0.5, 1.0, 1.5))
    assert_a_proper_model(follow(error, counts=counts), [["a"]])
    for bad in (1.5, -0.1, float("nan"), "0.5"):
        with pytest.raises(ValueError, match=r"discount must be a number in \[0, 1\]") as error:
            ngram.KneserNey(counts, 2, discount=bad)
        assert_a_proper_model(follow(error, counts=counts), [["a"]])


def test_the_estimates_that_kenlm_accepts_are_kept():
    """lmplz needs n1, n2, n3 > 0 but not n4: with no 4 (D3+ = 3) the estimate stands."""
    sentences = [["a", "b"], ["a", "b"], ["a", "c"], ["b", "c"], ["c", "a"], ["c", "a"], ["c", "a"], ["b", "b"]]
    vocab = corpus.Vocab.build(sentences, extra=[EOS])
    counts = ngram.count_ngrams(sentences, vocab, 2)
    model = ngram.ModifiedKneserNey(counts, 2, discount_fallback=(0.5, 1.0, 1.5))
    n = model._count_of_counts(2)
    assert n[3] == 0 and np.all(n[:3] > 0)
    assert 2 not in model.fallback_orders and model.discounts[1, 2] == pytest.approx(3.0)


# --- case 5: the advice of every error works ----------------------------------------------------------

FOUR_LINES = [s.split() for s in ("the cat sat", "the cat sat", "the cat sat", "the cat sat")]


def test_too_little_text_for_the_estimates_gives_advice_that_works(tmp_path):
    vocab = corpus.Vocab.build(FOUR_LINES, extra=[EOS])
    counts = ngram.count_ngrams(FOUR_LINES, vocab, 2)
    with pytest.raises(ValueError, match="too small or artificial") as error:
        ngram.ModifiedKneserNey(counts, 2)
    assert "discount=" not in str(error.value).replace("discount_fallback=", "")   # not KneserNey's argument
    mkn = follow(error, counts=counts)
    assert mkn.fallback_orders == [1, 2]
    with pytest.raises(ValueError, match="too small or artificial") as error:
        ngram.KneserNey(counts, 2)
    kn = follow(error, counts=counts)
    for model in (mkn, kn):
        assert_a_proper_model(model, [[BOS], ["cat"], ["sat"]])
        theirs = kenlm_scores(ngram.write_arpa(model, tmp_path / "four.arpa"), FOUR_LINES)
        np.testing.assert_allclose(theirs, model.token_logprobs(FOUR_LINES), atol=1e-5)


def test_a_zero_discount_cannot_go_to_an_arpa_file_and_the_advice_works(tmp_path):
    vocab = corpus.Vocab.build(FOUR_LINES + [["a", "dog", "sat"]], extra=[EOS], unk=True)
    counts = ngram.count_ngrams(FOUR_LINES + [["a", "dog", "sat"]], vocab, 2)
    for model in (ngram.KneserNey(counts, 2, discount=0.0),
                  ngram.ModifiedKneserNey(counts, 2, discounts=[[0.0, 0.0, 0.0]] * 2)):
        with pytest.raises(ValueError, match="ARPA readers such as KenLM need finite numbers") as error:
            ngram.write_arpa(model, tmp_path / "zero.arpa")
        for snippet in advice(error):
            fixed = eval(snippet, {**NAMESPACE, "counts": counts})
            path = ngram.write_arpa(fixed, tmp_path / "fixed.arpa")
            assert "inf" not in path.read_text() and "nan" not in path.read_text()


@pytest.fixture(scope="module")
def small():
    sentences = [s.split() for s in ("the cat sat on the mat", "a dog sat on a log", "the dog saw the cat",
                                     "a cat saw a dog on the mat", "the mat was red", "a log was on the mat")]
    vocab = corpus.Vocab.build(sentences, extra=[EOS], unk=True)
    return sentences, vocab, ngram.count_ngrams(sentences, vocab, 3)


def test_errors_about_the_text_give_advice_that_works(small):
    sentences, vocab, _ = small
    with pytest.raises(TypeError, match="list of str") as error:
        ngram.count_ngrams(["the cat sat", "a dog sat"], vocab, 2)
    assert isinstance(follow(error, sentences=["the cat sat", "a dog sat"], tokens=["the", "cat"]), list)
    fixed = eval(advice(error)[1], {"sentences": ["the cat sat", "a dog sat"]})
    assert ngram.count_ngrams(fixed, vocab, 2).n_tokens == 8
    fixed = eval(advice(error)[0], {"tokens": ["the", "cat", "sat"]})
    assert ngram.count_ngrams(fixed, vocab, 2).n_tokens == 4
    with pytest.raises(TypeError, match="Sentence 1 is a str") as error:
        ngram.count_ngrams([["the", "cat"], "a dog sat"], vocab, 2)
    assert ngram.count_ngrams(eval(advice(error)[0], {"sentences": [["the", "cat"], "a dog sat"]}), vocab,
                              2).n_tokens == 7
    with pytest.raises(ValueError, match="has no '</s>'") as error:
        ngram.count_ngrams(sentences, corpus.Vocab.build(sentences, unk=True), 2)
    scope = {**NAMESPACE, "sentences": sentences}
    assert ngram.count_ngrams(sentences, eval(advice(error)[0], scope), 2).order == 2
    for empty in ([], [[], []]):
        with pytest.raises(ValueError, match="empty") as error:
            ngram.count_ngrams(empty, vocab, 2)
        example = eval(advice(error)[0], {"data": data})
        assert ngram.count_ngrams(example[:50], corpus.Vocab.build(example[:50], extra=[EOS]), 2).n_tokens > 0


def test_errors_about_models_and_queries_give_advice_that_works(small, tmp_path):
    sentences, vocab, counts = small
    with pytest.raises(TypeError, match="Expected NgramCounts") as error:
        ngram.KneserNey(sentences, 2)
    scope = {**NAMESPACE, "sentences": sentences, "vocab": vocab, "order": 2}
    assert isinstance(eval(advice(error)[0].split(" = ")[1], scope), ngram.NgramCounts)
    assert_a_proper_model(eval(advice(error)[1], scope), [["the"]])
    with pytest.raises(ValueError, match="count with") as error:
        ngram.KneserNey(counts, 4)
    exec(advice(error)[0], scope)
    assert_a_proper_model(ngram.KneserNey(scope["counts"], 4, discount=0.75), [["the", "cat", "sat"]])
    model = ngram.KneserNey(counts, 3, discount=0.75)
    context = ["on", "the", "mat"]
    with pytest.raises(ValueError, match="looks at most 2 back") as error:
        model.prob("was", context)
    assert model.prob("was", eval(advice(error)[0], {"context": context})) > 0
    with pytest.raises(ValueError, match="unigram model takes no context") as error:
        ngram.AddK(counts, 1).prob("cat", ["the"])
    assert ngram.AddK(counts, 1).prob("cat", eval(advice(error)[0])) > 0
    with pytest.raises(TypeError, match="not a str") as error:
        model.distribution("the cat")
    assert_a_proper_model(model, [eval(advice(error)[0]), eval(advice(error)[1], {"context": "the cat"})])
    for bad, match in ((["the", BOS], "only start a context"), ([EOS, "the"], "cannot be part of a context")):
        with pytest.raises(ValueError, match=match) as error:
            model.distribution(bad)
        assert_a_proper_model(model, [eval(advice(error)[0], {"context": bad})])
    with pytest.raises(ValueError, match="never predicted") as error:
        model.prob(BOS, ["the"])
    assert eval(advice(error)[0], {"model": model, "context": ["the"]}) > 0
    with pytest.raises(ValueError, match="k must be") as error:
        ngram.AddK(counts, 2, k=-1)
    assert_a_proper_model(follow(error, counts=counts), [["the"]])
    with pytest.raises(ValueError, match="Pass either held-out text") as error:
        ngram.JelinekMercer(counts, 2)
    for snippet in advice(error):
        assert_a_proper_model(eval(snippet, {**NAMESPACE, "counts": counts}), [["the"]])
    for bad in ([0.5, 1.5], [0.5, float("nan")]):
        with pytest.raises(ValueError, match=r"2 numbers in \[0, 1\]") as error:
            ngram.JelinekMercer(counts, 2, lambdas=bad)
        assert_a_proper_model(follow(error, counts=counts), [["the"]])
    with pytest.raises(ValueError, match="temperature must be") as error:
        ngram.sample(model, rng=0, temperature=0)
    assert isinstance(follow(error, model=model), list)
    with pytest.raises(TypeError, match="needs a KneserNey") as error:
        ngram.write_arpa(ngram.AddK(counts, 2), tmp_path / "lm.arpa")
    assert follow(error, model=ngram.AddK(counts, 2), path=tmp_path / "lm.arpa").exists()
    with pytest.raises(OSError, match="folder exists"):
        ngram.write_arpa(model, tmp_path / "no such folder" / "lm.arpa")
    (tmp_path / "no such folder").mkdir()                  # the advice: make the folder
    assert ngram.write_arpa(model, tmp_path / "no such folder" / "lm.arpa").exists()


# --- case 6: sentences that already carry <s> ... </s> ------------------------------------------------

def nltk_padded(sentences, n=3):
    """Sentences padded as nltk's ``pad_both_ends(sentence, n)`` pads them (n - 1 of each)."""
    try:
        from nltk.lm.preprocessing import pad_both_ends
    except ImportError:
        return [[BOS] * (n - 1) + list(s) + [EOS] * (n - 1) for s in sentences]
    return [list(pad_both_ends(s, n=n)) for s in sentences]


def test_sentences_padded_by_nltk_are_refused_and_the_advice_gives_the_unpadded_model(small, tmp_path):
    sentences, vocab, _ = small
    padded = nltk_padded(sentences)
    assert padded[0][:2] == [BOS, BOS] and padded[0][-2:] == [EOS, EOS]
    reference = ngram.ModifiedKneserNey(ngram.count_ngrams(sentences, vocab, 2), 2,
                                        discount_fallback=ngram.ModifiedKneserNey.FALLBACK)
    # a vocabulary built from the padded text lists <s> as a word
    padded_vocab = corpus.Vocab.build(padded, extra=[EOS], unk=True)
    with pytest.raises(ValueError, match="lists '<s>' as a word") as error:
        ngram.count_ngrams(padded, padded_vocab, 2)
    scope = {**NAMESPACE, "sentences": padded}
    for snippet in advice(error):
        exec(snippet, scope)
    assert BOS not in scope["vocab"] and ngram.count_ngrams(scope["sentences"], scope["vocab"], 2).n_tokens == \
        sum(len(s) + 1 for s in sentences)
    # the vocabulary is fine but the text is padded: refused, in training and in scoring
    with pytest.raises(ValueError, match="Sentence 0 already contains '<s>' \\(at position 0\\)") as error:
        ngram.count_ngrams(padded, vocab, 2)
    stripped = follow(error, sentences=padded)["sentences"]
    assert stripped == [list(s) for s in sentences]
    model = ngram.ModifiedKneserNey(ngram.count_ngrams(stripped, vocab, 2), 2,
                                    discount_fallback=ngram.ModifiedKneserNey.FALLBACK)
    np.testing.assert_array_equal(model.token_logprobs(sentences), reference.token_logprobs(sentences))
    with pytest.raises(ValueError, match="already contains") as error:
        model.token_logprobs(padded)
    np.testing.assert_array_equal(model.token_logprobs(follow(error, sentences=padded)["sentences"]),
                                  reference.token_logprobs(sentences))
    with pytest.raises(ValueError, match="already contains '</s>'"):
        ngram.perplexity(model, [["the", "cat", EOS]])
    # the ARPA file lists <s> once, and KenLM scores it as teachkit does
    arpa = ngram.write_arpa(model, tmp_path / "stripped.arpa")
    unigrams = arpa.read_text().split("\\1-grams:")[1].split("\\2-grams:")[0]
    assert sum(line.split("\t")[1] == BOS for line in unigrams.strip().splitlines()) == 1
    np.testing.assert_allclose(kenlm_scores(arpa, sentences), model.token_logprobs(sentences), atol=1e-5)


def test_strip_padding_takes_off_the_ends_only():
    assert ngram.strip_padding([[BOS, BOS, "a", "b", EOS, EOS], ["c"], [BOS, EOS]]) == [["a", "b"], ["c"], []]
    with pytest.raises(ValueError, match="Sentence 0 has '</s>' inside it, at position 2") as error:
        ngram.strip_padding([[BOS, "a", EOS, BOS, "b", EOS]])
    words = [BOS, "a", EOS, BOS, "b", EOS]
    assert ngram.strip_padding(eval(advice(error)[0], {"words": words})) == [["a"], ["b"]]
    with pytest.raises(TypeError, match="list of str"):
        ngram.strip_padding(["a b"])
