"""teachkit.ngram: the docs/references.md n-gram table on Brown doc80, KenLM's discounts and ARPA
round trip, probabilities that sum to one, a plain-Python Kneser-Ney to check the vectorised one,
sampling, and every bad input the issue lists."""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from teachkit import corpus, data, ngram
from teachkit.corpus import BOS, EOS


# --- small synthetic corpora ----------------------------------------------------------------------

def markov_sentences(n_sentences=400, n_words=300, seed=0):
    """Sentences from a random bigram chain mixed with a Zipf law over w0..w299: structure for
    n-grams to find, rare words for the discounts to see, and no data files."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n_words)]
    zipf = 1 / np.arange(1, n_words + 1) ** 1.2
    zipf /= zipf.sum()
    transition = 0.3 * rng.dirichlet(np.full(n_words, 0.3), size=n_words) + 0.7 * zipf
    sentences = []
    for _ in range(n_sentences):
        w = int(rng.choice(n_words, p=zipf))
        sentence = []
        for _ in range(int(rng.integers(2, 10))):
            sentence.append(words[w])
            w = int(rng.choice(n_words, p=transition[w]))
        sentences.append(sentence)
    return sentences


@pytest.fixture(scope="module")
def small():
    train = markov_sentences(seed=0)
    heldout = markov_sentences(n_sentences=100, seed=1) + [["never", "seen", "w1"]]
    vocab = corpus.Vocab.build(train, max_size=260, unk=True, extra=[EOS])   # the rarest -> <unk>
    return train, heldout, vocab, ngram.count_ngrams(train, vocab, order=4)


def smoothed_models(counts, order, heldout):
    return {
        "add-1": ngram.AddK(counts, order, k=1.0),
        "add-0.01": ngram.AddK(counts, order, k=0.01),
        "jelinek-mercer": ngram.JelinekMercer(counts, order, heldout=heldout),
        "kneser-ney": ngram.KneserNey(counts, order),
        "modified-kneser-ney": ngram.ModifiedKneserNey(counts, order),
    }


# --- Brown doc80: the docs/references.md table (counted once per session) ----------------------

@pytest.fixture(scope="module")
def doc80():
    train = data.brown("train")
    vocab = corpus.Vocab.build(train, max_size=10_000, unk=True, extra=[corpus.EOS])
    counts = ngram.count_ngrams(train, vocab, order=5)
    return {"vocab": vocab, "counts": counts, "valid": data.brown("valid"), "test": data.brown("test")}


REFERENCE_TABLE = [   # model, valid, test (docs/references.md, "n-gram models")
    ("unigram MLE", lambda c, d: ngram.MLE(c, 1), 416.7, 423.0),
    ("bigram add-1", lambda c, d: ngram.AddK(c, 2, k=1), 546.1, 543.4),
    ("trigram add-1", lambda c, d: ngram.AddK(c, 3, k=1), 2801.2, 2754.5),
    ("trigram Jelinek-Mercer", lambda c, d: ngram.JelinekMercer(c, 3, heldout=d["valid"]), 159.6, 157.9),
    ("trigram KN, one D per order", lambda c, d: ngram.KneserNey(c, 3), 143.3, 142.2),
    ("trigram modified KN (lmplz -o 3)", lambda c, d: ngram.ModifiedKneserNey(c, 3), 139.8, 138.8),
    ("4-gram modified KN", lambda c, d: ngram.ModifiedKneserNey(c, 4), 139.5, 138.4),
    ("5-gram modified KN", lambda c, d: ngram.ModifiedKneserNey(c, 5), 139.3, 138.3),
]


def test_doc80_vocabulary_and_token_counts(doc80):
    vocab = doc80["vocab"]
    assert len(vocab) == 10_002 and vocab.words[-2:] == [EOS, corpus.UNK]
    n_words = sum(len(s) for s in data.brown("train"))
    assert n_words == 929_728
    assert doc80["counts"].n_tokens == n_words + len(data.brown("train"))   # words + one </s> each
    assert sum(len(s) for s in doc80["valid"]) == 115_661
    assert sum(len(s) for s in doc80["test"]) == 115_803


@pytest.mark.parametrize("name, make, valid, test", REFERENCE_TABLE)
def test_reference_perplexity_table(doc80, name, make, valid, test):
    model = make(doc80["counts"], doc80)
    assert ngram.perplexity(model, doc80["valid"]) == pytest.approx(valid, abs=0.1)
    assert ngram.perplexity(model, doc80["test"]) == pytest.approx(test, abs=0.1)


def test_jelinek_mercer_em_finds_the_best_weights_on_heldout(doc80):
    model = ngram.JelinekMercer(doc80["counts"], 3, heldout=doc80["valid"])
    assert np.all(np.diff(model.history) <= 1e-9)               # EM never makes held-out worse
    best = ngram.perplexity(model, doc80["valid"])
    for i in range(3):
        for step in (-0.03, 0.03):
            lambdas = model.lambdas.copy()
            lambdas[i] = np.clip(lambdas[i] + step, 0, 1)
            assert ngram.perplexity(ngram.JelinekMercer(doc80["counts"], 3, lambdas=lambdas),
                                    doc80["valid"]) > best


def test_modified_kneser_ney_discounts_match_lmplz(doc80):
    lmplz = [[0.2445, 1.0772, 1.5635], [0.7158, 1.1092, 1.4711], [0.8439, 1.2011, 1.4507]]
    model = ngram.ModifiedKneserNey(doc80["counts"], 3)
    np.testing.assert_allclose(model.discounts, lmplz, atol=1e-4)


def test_arpa_file_read_by_kenlm_gives_the_same_scores(doc80, tmp_path):
    kenlm = pytest.importorskip("kenlm")
    model = ngram.ModifiedKneserNey(doc80["counts"], 3)
    arpa = ngram.write_arpa(model, tmp_path / "mkn3.arpa")
    lm = kenlm.Model(str(arpa))
    vocab = doc80["vocab"]
    sentences = doc80["test"]
    theirs = np.array([score for s in sentences
                       for score, _, _ in lm.full_scores(" ".join(w if w in vocab else corpus.UNK for w in s))])
    ours = model.token_logprobs(sentences)
    assert len(theirs) == len(ours)
    np.testing.assert_allclose(theirs * math.log(10), ours, atol=1e-4)   # the ARPA file stores 7 digits
    assert math.exp(-theirs.mean() * math.log(10)) == pytest.approx(ngram.perplexity(model, sentences), abs=0.1)


def test_kneser_ney_trigram_fits_in_one_call_for_notebook_02(doc80):
    sentences = doc80["valid"][:50]
    kn3 = ngram.KneserNey(doc80["counts"], 3)
    lp = kn3.token_logprobs(sentences)
    assert lp.dtype == np.float64 and lp.shape == (sum(len(s) + 1 for s in sentences),)
    assert np.all(lp < 0)
    assert ngram.perplexity(kn3, sentences) == pytest.approx(math.exp(-lp.mean()))


# --- probabilities that sum to one ----------------------------------------------------------------

@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_every_smoothed_model_sums_to_one_after_seen_and_unseen_contexts(small, order):
    train, heldout, vocab, counts = small
    rng = np.random.default_rng(order)
    sentence = train[int(rng.integers(len(train)))]
    contexts = [[BOS] + sentence[:order - 2],                     # seen, at a sentence start
                sentence[-(order - 1):],                          # seen, mid-sentence
                ["never", "seen", "words"][:order - 1],           # unseen (all <unk>)
                [str(w) for w in rng.choice(vocab.words[:260], size=order - 1)]]   # random, mostly unseen
    if order == 1:
        contexts = [[]]                                           # a unigram model has no context
    for name, model in smoothed_models(counts, order, heldout).items():
        for context in contexts:
            p = model.distribution(context)
            assert p.shape == (len(vocab),) and np.all(p > 0), (name, context)
            assert abs(p.sum() - 1) < 1e-9, (name, context, p.sum())


def test_mle_gives_infinite_perplexity_on_unseen_ngrams_but_not_on_its_training_text(small):
    train, heldout, vocab, counts = small
    mle = ngram.MLE(counts, 3)
    assert np.isfinite(ngram.perplexity(mle, train))
    assert ngram.perplexity(mle, heldout) == math.inf
    assert ngram.perplexity(ngram.AddK(counts, 3, k=0.1), heldout) < math.inf


# --- the vectorised models against plain Python written like the formulas ---------------------------

def plain_kneser_ney(train, vocab, order, discounts):
    """Interpolated (modified) Kneser-Ney with dicts of word tuples, one probability at a time."""
    grams = [Counter() for _ in range(order + 1)]
    for s in train:
        tokens = [BOS] + [w if w in vocab else corpus.UNK for w in s] + [EOS]
        for j in range(1, len(tokens)):
            for m in range(1, order + 1):
                if j - m + 1 >= 0:
                    grams[m][tuple(tokens[j - m + 1:j + 1])] += 1
    adjusted = [Counter() for _ in range(order + 1)]
    adjusted[order] = Counter(grams[order])
    for m in range(1, order):
        for g, c in grams[m].items():
            if g[0] == BOS:
                adjusted[m][g] = 0 if m == 1 else c
        for g in grams[m + 1]:
            adjusted[m][g[1:]] += 1              # one more distinct word to the left of g[1:]
    by_context = [defaultdict(dict) for _ in range(order + 1)]
    for m in range(1, order + 1):
        for g, a in adjusted[m].items():
            by_context[m][g[:-1]][g[-1]] = a

    def d(m, a):
        return 0.0 if a == 0 else discounts[m - 1][min(a, 3) - 1]

    def p(word, context):
        m = len(context) + 1
        if m == 1:
            lower = 1 / len(vocab)
        else:
            lower = p(word, context[1:])
        followers = by_context[m].get(tuple(context))
        if not followers:
            return lower
        total = sum(followers.values())
        gamma = sum(d(m, a) for a in followers.values()) / total
        a = followers.get(word, 0)
        return max(a - d(m, a), 0) / total + gamma * lower
    return p


@pytest.mark.parametrize("model_class", [ngram.KneserNey, ngram.ModifiedKneserNey])
def test_vectorised_kneser_ney_matches_plain_python(small, model_class):
    train, heldout, vocab, counts = small
    model = model_class(counts, 3)
    plain = plain_kneser_ney(train, vocab, 3, model.discounts)
    ours = model.token_logprobs(heldout)
    expected = []
    for s in heldout:
        tokens = [BOS] + [w if w in vocab else corpus.UNK for w in s] + [EOS]
        expected += [math.log(plain(tokens[j], tokens[max(0, j - 2):j])) for j in range(1, len(tokens))]
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_add_k_matches_the_formula(small):
    train, heldout, vocab, counts = small
    model = ngram.AddK(counts, 2, k=0.5)
    mapped = [[w if w in vocab else corpus.UNK for w in s] for s in train]
    pairs = Counter((a, b) for s in mapped for a, b in zip([BOS] + s, s + [EOS]))
    before = Counter(a for a, _ in pairs.elements())
    word, context = "w3", "w7"
    expected = (pairs[(context, word)] + 0.5) / (before[context] + 0.5 * len(vocab))
    assert model.prob(word, [context]) == pytest.approx(expected, rel=1e-12)
    assert model.prob("w3", ["unheard-of"]) == pytest.approx(
        (pairs[(corpus.UNK, "w3")] + 0.5) / (before[corpus.UNK] + 0.5 * len(vocab)), rel=1e-12)


def test_jelinek_mercer_matches_the_formula(small):
    """p_m = lambda_m q_m + (1 - lambda_m) p_{m-1}, where q_m is the MLE after the last m-1 words, or
    q_{m-1} when that context was never seen (or is cut short by <s>): the docs/references.md variant."""
    train, heldout, vocab, counts = small
    lambdas = [0.9, 0.6, 0.3]
    model = ngram.JelinekMercer(counts, 3, lambdas=lambdas)
    grams = Counter()
    for s in train:
        tokens = [BOS] + [w if w in vocab else corpus.UNK for w in s] + [EOS]
        for j in range(1, len(tokens)):
            for m in (1, 2, 3):
                if j - m + 1 >= 0:
                    grams[tuple(tokens[j - m + 1:j + 1])] += 1
    contexts = Counter()
    for g, c in grams.items():
        contexts[g[:-1]] += c

    def q(word, context):
        if context and contexts[tuple(context)] == 0:
            return q(word, context[1:])                # unseen context: the shorter context's MLE
        return grams[tuple(context) + (word,)] / contexts[tuple(context)]

    expected = []
    for s in heldout:
        tokens = [BOS] + [w if w in vocab else corpus.UNK for w in s] + [EOS]
        for j in range(1, len(tokens)):
            history = tokens[max(0, j - 2):j]
            p = 1 / len(vocab)
            for m in (1, 2, 3):
                p = lambdas[m - 1] * q(tokens[j], history[len(history) - (m - 1):] if m > 1 else []) \
                    + (1 - lambdas[m - 1]) * p
            expected.append(math.log(p))
    np.testing.assert_allclose(model.token_logprobs(heldout), expected, rtol=1e-12)


def test_discounts_follow_chen_and_goodman(small):
    *_, counts = small
    model = ngram.ModifiedKneserNey(counts, 2)
    n = np.bincount(np.minimum(model.adjusted[2], 5).astype(int), minlength=6)[1:5]
    y = n[0] / (n[0] + 2 * n[1])
    assert model.discounts[1] == pytest.approx([1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1],
                                               3 - 4 * y * n[3] / n[2]])
    assert ngram.KneserNey(counts, 2).discounts[1] == pytest.approx([y] * 3)


def test_logprob_and_prob_agree_with_token_logprobs(small):
    *_, counts = small
    model = ngram.ModifiedKneserNey(counts, 3)
    sentence = ["w1", "w2", "w3"]
    lp = model.token_logprobs([sentence])
    assert lp[0] == pytest.approx(model.logprob("w1", [BOS]))
    assert lp[2] == pytest.approx(model.logprob("w3", ["w1", "w2"]))
    assert lp[3] == pytest.approx(math.log(model.prob(EOS, ["w2", "w3"])))


# --- sampling ---------------------------------------------------------------------------------------

def test_sampling_is_reproducible_and_follows_the_counts():
    vocab = corpus.Vocab.build([["a", "b", "c"]], extra=[EOS])
    counts = ngram.count_ngrams([["a", "b", "c"]], vocab, 3)
    assert ngram.sample(ngram.MLE(counts, 3), rng=0) == ["a", "b", "c"]   # only one path has p > 0


def test_sampling_seed_and_temperature(small):
    *_, counts = small
    model = ngram.KneserNey(counts, 3)
    assert ngram.sample(model, rng=7) == ngram.sample(model, rng=7)
    assert len(ngram.sample(model, rng=np.random.default_rng(1), max_words=3)) <= 3
    # a low temperature concentrates on the most likely word
    first = [ngram.sample(model, rng=s, temperature=0.05, max_words=1) for s in range(5)]
    best = model.vocab.words[int(np.argmax(model.distribution([BOS])))]
    assert all(f == ([] if best == EOS else [best]) for f in first)


# --- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", [0, -1, 1.5, True])
def test_bad_order(small, order):
    train, _, vocab, counts = small
    with pytest.raises(ValueError, match="order must be an integer >= 1"):
        ngram.count_ngrams(train, vocab, order)
    with pytest.raises(ValueError, match="order must be an integer >= 1"):
        ngram.KneserNey(counts, order)


def test_model_order_above_the_counts(small):
    *_, counts = small
    with pytest.raises(ValueError, match="count with `counts = ngram.count_ngrams"):
        ngram.KneserNey(counts, 5)


@pytest.mark.parametrize("k", [-0.5, float("nan")])
def test_bad_k(small, k):
    *_, counts = small
    with pytest.raises(ValueError, match="k must be a finite number >= 0"):
        ngram.AddK(counts, 2, k=k)


@pytest.mark.parametrize("text", [[], [[], []]])
def test_empty_training_text(small, text):
    vocab = small[2]
    with pytest.raises(ValueError, match="empty"):
        ngram.count_ngrams(text, vocab, 2)


def test_text_as_strings_instead_of_token_lists(small):
    vocab = small[2]
    with pytest.raises(TypeError, match="list of sentences"):
        ngram.count_ngrams(["w1 w2 w3"], vocab, 2)


def test_vocabulary_without_end_of_sentence(small):
    train = small[0]
    with pytest.raises(ValueError, match="extra=\\[corpus.EOS\\]"):
        ngram.count_ngrams(train, corpus.Vocab.build(train, unk=True), 2)


def test_context_longer_than_the_order(small):
    *_, counts = small
    model = ngram.KneserNey(counts, 3)
    with pytest.raises(ValueError, match="looks at most 2 back"):
        model.prob("w1", ["w1", "w2", "w3"])
    with pytest.raises(ValueError, match="unigram model takes no context"):
        ngram.AddK(counts, 1).prob("w1", ["w2"])


def test_bos_and_eos_in_the_wrong_place(small):
    *_, counts = small
    model = ngram.KneserNey(counts, 3)
    with pytest.raises(ValueError, match="only start a context"):
        model.distribution(["w1", BOS])
    with pytest.raises(ValueError, match="cannot be part of a context"):
        model.distribution([EOS, "w1"])
    with pytest.raises(ValueError, match="never predicted"):
        model.prob(BOS, ["w1"])


def test_arpa_path_that_cannot_be_written(small, tmp_path):
    *_, counts = small
    with pytest.raises(OSError, match="Cannot write the ARPA file .* folder exists"):
        ngram.write_arpa(ngram.KneserNey(counts, 2), tmp_path / "no such folder" / "lm.arpa")
    with pytest.raises(TypeError, match="KneserNey"):
        ngram.write_arpa(ngram.AddK(counts, 2), tmp_path / "lm.arpa")


def test_discounts_on_a_text_too_small_to_estimate_them():
    vocab = corpus.Vocab.build([["a", "b"]], extra=[EOS])
    counts = ngram.count_ngrams([["a", "b"]] * 3, vocab, 2)
    with pytest.raises(ValueError, match="too small or artificial"):
        ngram.ModifiedKneserNey(counts, 2)
    model = ngram.KneserNey(counts, 2, discount=0.75)                 # a fixed D still works
    assert model.distribution(["a"]).sum() == pytest.approx(1, abs=1e-12)


def test_jelinek_mercer_needs_heldout_or_lambdas(small):
    *_, counts = small
    with pytest.raises(ValueError, match="heldout=data.brown"):
        ngram.JelinekMercer(counts, 2)
    with pytest.raises(ValueError, match="2 numbers in \\[0, 1\\]"):
        ngram.JelinekMercer(counts, 2, lambdas=[0.5, 1.5])


@pytest.mark.parametrize("temperature", [0, -1, float("inf")])
def test_bad_temperature(small, temperature):
    *_, counts = small
    with pytest.raises(ValueError, match="temperature must be"):
        ngram.sample(ngram.KneserNey(counts, 2), rng=0, temperature=temperature)
