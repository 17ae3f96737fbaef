"""n-gram language models: counts, MLE, add-k, Jelinek-Mercer, Kneser-Ney, modified Kneser-Ney.

API (used by notebook 01 and by notebook 02, which mixes its neural LM with these models)::

    from teachkit import corpus, data, ngram
    train, valid = data.brown("train"), data.brown("valid")
    vocab = corpus.Vocab.build(train, max_size=10_000, unk=True, extra=[corpus.EOS])
    counts = ngram.count_ngrams(train, vocab, order=5)      # count once, fit many models
    kn3 = ngram.KneserNey(counts, order=3)                  # one discount D per order
    mkn5 = ngram.ModifiedKneserNey(counts, order=5)         # Chen & Goodman D1, D2, D3+ (as KenLM lmplz)
    # or in one call from token lists: ngram.ModifiedKneserNey.fit(train, vocab, order=5)
    lp = kn3.token_logprobs(valid)   # numpy float64 array: ln p of every predicted token of every
                                     # sentence in order (its words, then one "</s>"), OOV -> <unk>
    ngram.perplexity(kn3, valid)     # == exp(-lp.mean())

Every model has ``.fit(sentences, vocab, order, ...)``, ``token_logprobs(sentences)``,
``prob(word, context)``, ``logprob(word, context)`` and ``distribution(context)`` (p over
``vocab.words``). Other models: ``MLE``, ``AddK(counts, order, k)``,
``JelinekMercer(counts, order, heldout=...)``. Also ``sample(model, rng=..., temperature=...)`` and
``write_arpa(model, path)`` (KenLM / SRILM format) for the Kneser-Ney models.

Conventions (KenLM's): each sentence is padded with one ``<s>`` that is context only, and predicts its
words and one final ``</s>``. The vocabulary is ``vocab.words`` (which must contain ``</s>``);
``<s>`` gets an extra index ``len(vocab)`` that is never predicted. Sentences come without
``<s>`` and ``</s>`` (teachkit adds them; ``strip_padding`` removes those that nltk's padding
helpers put in), as KenLM's ``lmplz`` refuses them in its input.

Estimates are checked as KenLM checks them: a discount outside [0, k] for adjusted count k is an
error, unless fixed fallback discounts are asked for (``discount_fallback=``, lmplz's
``--discount_fallback``); no model ever gives a negative or NaN probability.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from teachkit.corpus import BOS, EOS, Vocab

Sentences = Sequence[Sequence[str]]


# --- counting -------------------------------------------------------------------------------------

_NOT_SENTENCES = ("Expected a list of sentences, each a list of tokens, got a list of str. If it is one sentence, "
                  "wrap it in a list: `[tokens]`; if each str is a sentence, split them: "
                  "`[s.split() for s in sentences]`.")

class _Text:
    """Sentences as one index array: ``<s> w1 .. wk </s>`` per sentence, back to back.

    ``depth[j]`` is how many tokens of the same sentence precede position j (0 at ``<s>``), so the
    m-gram ending at j exists when ``depth[j] >= m - 1``: a single ``<s>`` pad, as KenLM counts.
    """

    def __init__(self, sentences: Sentences, vocab: Vocab):
        if isinstance(sentences, str) or (len(sentences) > 0 and isinstance(sentences[0], str)):
            raise TypeError(_NOT_SENTENCES)
        if EOS not in vocab:
            raise ValueError(f"The vocabulary has no {EOS!r}; build it with "
                             "`corpus.Vocab.build(sentences, extra=[corpus.EOS])` (plus your other options).")
        if BOS in vocab:
            raise ValueError(
                f"The vocabulary lists {BOS!r} as a word: it was built from sentences that already carry "
                f"{BOS!r} (e.g. from nltk's pad_both_ends). teachkit pads every sentence itself with one {BOS!r} "
                f"and one {EOS!r}; take them out and build the vocabulary again: "
                "`sentences = ngram.strip_padding(sentences)`, then "
                "`vocab = corpus.Vocab.build(sentences, extra=[corpus.EOS])` (plus your other options).")
        bos = len(vocab)
        eos = vocab.index[EOS]
        pieces, lengths = [], []
        for i, sentence in enumerate(sentences):
            if isinstance(sentence, str):
                raise TypeError(f"Sentence {i} is a str, not a list of tokens; split it first: "
                                "`[s.split() if isinstance(s, str) else s for s in sentences]`.")
            if BOS in sentence or EOS in sentence:
                symbol = BOS if BOS in sentence else EOS
                raise ValueError(
                    f"Sentence {i} already contains {symbol!r} (at position {list(sentence).index(symbol)}): "
                    f"teachkit pads every sentence itself with one {BOS!r} and one {EOS!r}, so these would be "
                    "counted twice (KenLM's lmplz refuses them too). Remove them first: "
                    "`sentences = ngram.strip_padding(sentences)`.")
            pieces.append(np.concatenate(([bos], vocab.encode(sentence), [eos])))
            lengths.append(len(sentence) + 2)
        if not pieces:
            raise ValueError("No sentences given: the text is empty. Pass at least one sentence, "
                             "e.g. `[['the', 'cat', 'sat']]`.")
        self.tokens = np.concatenate(pieces).astype(np.int64)
        lengths = np.asarray(lengths)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        self.depth = np.arange(len(self.tokens)) - starts
        self.predicted = self.depth > 0          # every token but <s>


class NgramCounts:
    """Counts of every n-gram of order 1..``order`` in the training sentences.

    Order m is a table of its distinct m-grams, sorted by ``key = context_id * base + word``, where
    ``context_id`` is the row of the (m-1)-gram prefix in the order m-1 table (the unigram table
    is indexed by word, ``<s>`` = ``len(vocab)``). Ids instead of word tuples keep any order in int64.
    Per m-gram: ``context[m]``, ``word[m]``, ``count[m]``, ``suffix[m]`` (row of its last m-1 words
    in table m-1) and ``starts_bos[m]`` (it begins with ``<s>``, so nothing can stand to its left).
    """

    def __init__(self, sentences: Sentences, vocab: Vocab, order: int):
        _check_order(order)
        text = _Text(sentences, vocab)
        if np.all(text.tokens[text.predicted] == vocab.index[EOS]):
            raise ValueError("The training text is empty (no words, only sentence ends); pass sentences "
                             "with words, e.g. `data.brown('train')`.")
        self.vocab, self.order = vocab, order
        self.base = len(vocab) + 1
        self.bos = len(vocab)
        self.n_tokens = int(text.predicted.sum())
        self.context, self.word, self.count, self.suffix, self.starts_bos, self.keys = ({} for _ in range(6))
        # Order 1: the table is indexed by word id directly; <s> counts as a context only.
        self.word[1] = np.arange(self.base)
        self.context[1] = np.zeros(self.base, dtype=np.int64)
        self.keys[1] = self.word[1].copy()
        self.count[1] = np.bincount(text.tokens, minlength=self.base)
        self.suffix[1] = np.zeros(self.base, dtype=np.int64)
        self.starts_bos[1] = self.word[1] == self.bos
        ids = text.tokens.copy()               # ids[j] = row of the (m-1)-gram ending at j
        for m in range(2, order + 1):
            at = np.flatnonzero(text.depth >= m - 1)
            keys = ids[at - 1] * self.base + text.tokens[at]
            unique, first, inverse, count = np.unique(keys, return_index=True, return_inverse=True,
                                                      return_counts=True)
            self.keys[m], self.count[m] = unique, count
            self.context[m], self.word[m] = np.divmod(unique, self.base)
            self.suffix[m] = ids[at[first]]
            self.starts_bos[m] = text.depth[at[first]] == m - 1
            ids = np.full(len(text.tokens), -1, dtype=np.int64)
            ids[at] = inverse

    def __repr__(self) -> str:
        sizes = ", ".join(f"{m}: {len(self.keys[m]):,}" for m in range(1, self.order + 1))
        return f"NgramCounts(order={self.order}, {self.n_tokens:,} predicted tokens; distinct n-grams {sizes})"

    def lookup(self, m: int, context_ids: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Row of each m-gram (context, word) in table m, or -1 where it was never seen."""
        if m == 1:
            return words.copy()
        keys = np.where(context_ids >= 0, context_ids * self.base + words, -1)
        rows = np.searchsorted(self.keys[m], keys)
        rows = np.minimum(rows, len(self.keys[m]) - 1)
        return np.where((keys >= 0) & (self.keys[m][rows] == keys), rows, -1)

    def text_queries(self, sentences: Sentences, order: int) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """For every predicted token of ``sentences``: its word and, per order m, the row of its
        (m-1)-word context in table m-1: -1 if unseen in training, -2 if the sentence so far is too
        short to have m-1 words of context (then the model uses its highest order that fits)."""
        text = _Text(sentences, self.vocab)
        ids = text.tokens.copy()
        contexts = {1: np.zeros(len(ids), dtype=np.int64)}
        for m in range(2, order + 1):
            previous = np.concatenate(([-1], ids[:-1]))
            contexts[m] = np.where(text.depth >= m - 1, previous, -2)
            ids = self.lookup(m, contexts[m], text.tokens)
        keep = text.predicted
        return text.tokens[keep], {m: c[keep] for m, c in contexts.items()}

    def context_queries(self, context: Sequence[str], order: int) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Queries for every vocabulary word after one context (a list of words; "<s>" may lead it)."""
        if isinstance(context, str):
            raise TypeError("context must be a list of words, not a str: e.g. `['of', 'the']`, "
                            "or `context.split()`.")
        if len(context) > order - 1:
            raise ValueError(f"The context has {len(context)} words but an order-{order} model looks at "
                             f"most {order - 1} back; pass its last words, `context[-{order - 1}:]`, or "
                             "use a higher order." if order > 1 else
                             f"A unigram model takes no context, got {len(context)} words; pass `[]`.")
        context = list(context)
        if BOS in context[1:]:
            raise ValueError(f"{BOS!r} can only start a context (it pads the sentence start); keep the "
                             f"words after it: `context[context.index({BOS!r}) + 1:]`.")
        if EOS in context:
            raise ValueError(f"{EOS!r} ends a sentence, so it cannot be part of a context; a new sentence "
                             f"starts with {BOS!r}: `[{BOS!r}] + context[context.index({EOS!r}) + 1:]`.")
        ids = [self.bos if w == BOS else self.vocab[w] for w in context]
        words = np.arange(len(self.vocab))
        contexts = {1: np.zeros(len(words), dtype=np.int64)}
        for m in range(2, order + 1):
            # the (m-1)-word context is the last m-1 words of `context`, if it has that many
            if m - 1 > len(ids):
                contexts[m] = np.full(len(words), -2)
                continue
            row = ids[-(m - 1)]
            for step in range(2, m):
                row = int(self.lookup(step, np.array([row]), np.array([ids[-(m - 1) + step - 1]]))[0])
                if row < 0:
                    break
            contexts[m] = np.full(len(words), row)
        return words, contexts


def count_ngrams(sentences: Sentences, vocab: Vocab, order: int) -> NgramCounts:
    """Count all n-grams of order 1..``order`` (one ``<s>`` pad, one ``</s>`` per sentence)."""
    return NgramCounts(sentences, vocab, order)


def _check_order(order: int) -> None:
    if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order < 1:
        raise ValueError(f"order must be an integer >= 1 (1 = unigram, 3 = trigram), got {order!r}.")


def strip_padding(sentences: Sentences) -> list[list[str]]:
    """The sentences without the ``<s>`` that lead them and the ``</s>`` that end them (as nltk's
    ``pad_both_ends`` adds, any number of each): teachkit adds one of each to every sentence itself.

    A ``<s>`` or ``</s>`` *inside* a sentence (two sentences joined into one) is an error that says
    where: split the sentence there.
    """
    if isinstance(sentences, str) or (len(sentences) > 0 and isinstance(sentences[0], str)):
        raise TypeError(_NOT_SENTENCES)
    stripped = []
    for i, sentence in enumerate(sentences):
        words = list(sentence)
        start, end = 0, len(words)
        while start < end and words[start] == BOS:
            start += 1
        while end > start and words[end - 1] == EOS:
            end -= 1
        inside = [j for j in range(start, end) if words[j] in (BOS, EOS)]
        if inside:
            raise ValueError(f"Sentence {i} has {words[inside[0]]!r} inside it, at position {inside[0]}: it "
                             "looks like two sentences joined into one. Split it there into two sentences, "
                             f"e.g. `[words[:{inside[0]}], words[{inside[0] + 1}:]]`, before stripping.")
        stripped.append(words[start:end])
    return stripped


# --- models ---------------------------------------------------------------------------------------

class NgramModel:
    """What every model shares: its counts, its order, and the ways to ask it for probabilities.

    A subclass only says how to turn one order's counts into p(word | context) for a batch of
    queries (``_probs``); everything else (per-token log-probabilities of a text, the distribution
    after one context, perplexity, sampling) is written once here.
    """

    def __init__(self, counts: NgramCounts, order: int | None = None):
        if not isinstance(counts, NgramCounts):
            raise TypeError(f"Expected NgramCounts, got {type(counts).__name__}: count first, "
                            "`counts = ngram.count_ngrams(sentences, vocab, order)`, or build the model in one "
                            f"call: `ngram.{type(self).__name__}.fit(sentences, vocab, order)`.")
        order = counts.order if order is None else order
        _check_order(order)
        if order > counts.order:
            raise ValueError(f"The counts go up to order {counts.order}, so they cannot make an "
                             f"order-{order} model; count with "
                             f"`counts = ngram.count_ngrams(sentences, vocab, order={order})`.")
        self.counts, self.order, self.vocab = counts, order, counts.vocab

    @classmethod
    def fit(cls, sentences: Sentences, vocab: Vocab, order: int = 3, **options) -> "NgramModel":
        """Count ``sentences`` (token lists) with ``vocab`` and build the model in one call."""
        _check_order(order)
        return cls(count_ngrams(sentences, vocab, order), order=order, **options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(order={self.order}, vocab={len(self.vocab):,} words)"

    def _probs(self, words: np.ndarray, contexts: dict[int, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def token_logprobs(self, sentences: Sentences) -> np.ndarray:
        """ln p of every predicted token (each sentence's words, then ``</s>``), in text order."""
        words, contexts = self.counts.text_queries(sentences, self.order)
        with np.errstate(divide="ignore"):
            return np.log(self._probs(words, contexts))

    def distribution(self, context: Sequence[str] = ()) -> np.ndarray:
        """p(w | context) for every w in ``vocab.words`` (sums to 1 for every smoothed model)."""
        words, contexts = self.counts.context_queries(context, self.order)
        return self._probs(words, contexts)

    def prob(self, word: str, context: Sequence[str] = ()) -> float:
        """p(word | context); a word outside the vocabulary is scored as ``<unk>``."""
        if word == BOS:
            raise ValueError(f"{BOS!r} is context only, never predicted; ask about a word or {EOS!r}, "
                             f"e.g. `model.prob({EOS!r}, context)`.")
        return float(self.distribution(context)[self.vocab[word]])

    def logprob(self, word: str, context: Sequence[str] = ()) -> float:
        """ln p(word | context)."""
        p = self.prob(word, context)
        return math.log(p) if p > 0 else -math.inf


def perplexity(model: NgramModel, sentences: Sentences) -> float:
    """exp(mean negative log-likelihood) over every predicted token (words + ``</s>``)."""
    return float(np.exp(-model.token_logprobs(sentences).mean()))


def _context_totals(counts: NgramCounts, m: int, per_gram: np.ndarray) -> np.ndarray:
    """Sum of ``per_gram`` (a count per m-gram) over the m-grams that share each (m-1)-word context."""
    if m == 1:
        return np.array([per_gram[:counts.bos].sum()], dtype=np.float64)   # <s> is never predicted
    return np.bincount(counts.context[m], weights=per_gram, minlength=len(counts.keys[m - 1]))


def _top_order(contexts: dict[int, np.ndarray], order: int) -> np.ndarray:
    """Per query, the highest order whose context fits in the sentence (context id != -2)."""
    top = np.ones(len(contexts[1]), dtype=np.int64)
    for m in range(2, order + 1):
        top[contexts[m] != -2] = m
    return top


class AddK(NgramModel):
    """Add-k (Lidstone; k = 1 is Laplace): p(w | h) = (c(h w) + k) / (c(h) + k V).

    Uses the longest context that fits (``<s>`` pads once); an unseen context gets 1 / V.
    """

    def __init__(self, counts: NgramCounts, order: int | None = None, k: float = 1.0):
        super().__init__(counts, order)
        if not np.isfinite(k) or k < 0:
            raise ValueError(f"k must be a finite number >= 0 (k = 1 is Laplace, 0 is MLE), got {k!r}; "
                             f"e.g. `AddK(counts, {self.order}, k=0.01)`.")
        self.k = float(k)
        self._totals = {m: _context_totals(counts, m, counts.count[m]) for m in range(1, self.order + 1)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(order={self.order}, k={self.k:g}, vocab={len(self.vocab):,} words)"

    def _probs(self, words, contexts):
        top = _top_order(contexts, self.order)
        count = np.zeros(len(words))
        total = np.zeros(len(words))
        for m in range(1, self.order + 1):
            at = np.flatnonzero((top == m) & (contexts[m] >= 0))
            rows = self.counts.lookup(m, contexts[m][at], words[at])
            seen = rows >= 0
            count[at[seen]] = self.counts.count[m][rows[seen]]
            total[at] = self._totals[m][contexts[m][at]]
        with np.errstate(invalid="ignore", divide="ignore"):
            return (count + self.k) / (total + self.k * len(self.vocab))


class MLE(AddK):
    """Maximum likelihood: p(w | h) = c(h w) / c(h). Zero for every unseen n-gram, so the perplexity
    of held-out text is infinite (and p is 0 after a context never seen in training)."""

    def __init__(self, counts: NgramCounts, order: int | None = None):
        super().__init__(counts, order, k=0.0)

    def _probs(self, words, contexts):
        return np.nan_to_num(super()._probs(words, contexts), nan=0.0)   # 0 / 0 after unseen contexts


def _mle_levels(model: NgramModel, words, contexts) -> tuple[np.ndarray, np.ndarray]:
    """Per order m (rows) and query: the MLE p(w | m-1 words) and whether that context was seen."""
    counts = model.counts
    mle = np.zeros((model.order + 1, len(words)))
    seen = np.zeros((model.order + 1, len(words)), dtype=bool)
    for m in range(1, model.order + 1):
        known = np.flatnonzero(contexts[m] >= 0)
        totals = model._totals[m][contexts[m][known]]
        known = known[totals > 0]
        rows = counts.lookup(m, contexts[m][known], words[known])
        found = rows >= 0
        mle[m, known[found]] = counts.count[m][rows[found]] / model._totals[m][contexts[m][known[found]]]
        seen[m, known] = True
    return mle, seen


class JelinekMercer(NgramModel):
    """Jelinek-Mercer interpolation, one weight per order, fitted by EM on held-out text:

        p_m(w | h) = lambda_m q_m(w | h) + (1 - lambda_m) p_{m-1}(w | h),   p_0(w) = 1 / V,
        q_m(w | h) = p_MLE(w | last m-1 words of h), or q_{m-1}(w | h) where that (m-1)-word
                     context was never seen in training (or the sentence so far is shorter).

    An unseen context's estimate backs off to the next shorter context's MLE, and lambda_m still
    applies to it, so every held-out token takes part in fitting every weight. (After the first
    word, where one ``<s>`` pad gives no two-word context, the trigram estimate is thus the
    bigram's p_MLE(w | <s>), as it would be with two pads.) This is the variant of the
    docs/references.md figure, 159.6 / 157.9 on Brown doc80; letting p_m = p_{m-1} after an unseen
    context instead lands about 0.5 lower.
    """

    def __init__(self, counts: NgramCounts, order: int | None = None, heldout: Sentences | None = None,
                 lambdas: Sequence[float] | None = None, iterations: int = 50):
        super().__init__(counts, order)
        self._totals = {m: _context_totals(counts, m, counts.count[m]) for m in range(1, self.order + 1)}
        if (heldout is None) == (lambdas is None):
            raise ValueError("Pass either held-out text to fit the weights by EM, e.g. "
                             f"`JelinekMercer(counts, {self.order}, heldout=data.brown('valid'))`, or the weights, "
                             f"unigram first, e.g. `JelinekMercer(counts, {self.order}, lambdas=[0.5] * {self.order})`.")
        if lambdas is not None:
            lambdas = np.asarray(lambdas, dtype=np.float64)
            if lambdas.shape != (self.order,) or not np.all((lambdas >= 0) & (lambdas <= 1)):   # NaN fails too
                raise ValueError(f"lambdas must be {self.order} numbers in [0, 1] (unigram first), got {lambdas}; "
                                 f"e.g. `JelinekMercer(counts, {self.order}, lambdas=[0.5] * {self.order})`.")
            self.lambdas, self.history = lambdas, []
        else:
            self.lambdas, self.history = self._em(heldout, iterations)

    def _estimates(self, words, contexts):
        """q_m for every level m (rows 1..order): the MLE, or the level below's where unseen."""
        q, seen = _mle_levels(self, words, contexts)
        for m in range(2, self.order + 1):
            q[m] = np.where(seen[m], q[m], q[m - 1])
        return q

    def _mix(self, q, lambdas):
        """p_m for every level m (rows 0..order), from the bottom up."""
        levels = np.empty_like(q)
        levels[0] = 1.0 / len(self.vocab)
        for m in range(1, self.order + 1):
            levels[m] = lambdas[m - 1] * q[m] + (1 - lambdas[m - 1]) * levels[m - 1]
        return levels

    def _em(self, heldout, iterations):
        words, contexts = self.counts.text_queries(heldout, self.order)
        q = self._estimates(words, contexts)
        lambdas = np.full(self.order, 0.5)
        history = []
        for _ in range(iterations):
            levels = self._mix(q, lambdas)
            # Posterior that level m produced the token, given the model "reached" level m:
            # reach_M = 1; chose_m = reach_m lambda_m q_m / p_m and reach_{m-1} = reach_m - chose_m.
            reach = np.ones(len(words))
            for m in range(self.order, 0, -1):
                chose = reach * lambdas[m - 1] * q[m] / levels[m]
                if reach.sum() > 0:               # else the levels above took every token: keep it
                    lambdas[m - 1] = chose.sum() / reach.sum()
                reach = reach - chose
            history.append(float(np.exp(-np.log(levels[self.order]).mean())))
        return lambdas, history

    def _probs(self, words, contexts):
        return self._mix(self._estimates(words, contexts), self.lambdas)[self.order]


class KneserNey(NgramModel):
    """Interpolated Kneser-Ney with one absolute discount D per order (``ModifiedKneserNey`` has three).

        p_m(w | h) = (a(h w) - D(a(h w)))_+ / A(h) + gamma(h) p_{m-1}(w | h'),   p_0(w) = 1 / V,
        gamma(h) = sum_w D(a(h w)) / A(h),   A(h) = sum_w a(h w),   h' = h without its first word,

    where a is the *adjusted* count: the raw count for the highest order and for n-grams that start
    with ``<s>``; otherwise the continuation count, the number of distinct words (``<s>`` included)
    seen just before the n-gram. After a context never seen in training, p_m = p_{m-1}.
    ``discount=None`` estimates D = n1 / (n1 + 2 n2) per order from the counts of adjusted counts
    (n_r: how many m-grams have adjusted count r); it needs n1 > 0 and n2 > 0, and always lands in
    (0, 1). ``discount=d`` uses one fixed D in [0, 1] for every order.
    """

    def __init__(self, counts: NgramCounts, order: int | None = None, discount: float | None = None):
        super().__init__(counts, order)
        self.adjusted = self._adjusted_counts()
        if discount is None:
            self.discounts = self._estimate_discounts()
        else:
            if isinstance(discount, bool) or not isinstance(discount, (int, float, np.floating, np.integer)) \
                    or not 0 <= discount <= 1:
                raise ValueError(f"discount must be a number in [0, 1] (one D for every order), got {discount!r}; "
                                 f"e.g. `KneserNey(counts, {self.order}, discount=0.75)`.")
            self.discounts = np.full((self.order, 3), float(discount))
        self._fit()

    def _adjusted_counts(self) -> dict[int, np.ndarray]:
        c, adjusted = self.counts, {}
        for m in range(1, self.order + 1):
            if m == self.order:
                a = c.count[m].astype(np.float64)
            else:
                # every m-gram not starting with <s> has a word to its left: count the distinct ones
                left = np.bincount(c.suffix[m + 1], minlength=len(c.keys[m])).astype(np.float64)
                a = np.where(c.starts_bos[m], c.count[m], left)
            if m == 1:
                a[c.bos] = 0.0        # <s> is never predicted
            adjusted[m] = a
        return adjusted

    def _count_of_counts(self, m: int) -> np.ndarray:
        """n_1..n_4: how many m-grams have adjusted count exactly 1, 2, 3, 4 (``<s>`` excluded)."""
        return np.bincount(np.minimum(self.adjusted[m], 5).astype(np.int64), minlength=6)[1:5]

    def _estimate_discounts(self) -> np.ndarray:
        discounts = np.empty((self.order, 3))
        for m in range(1, self.order + 1):
            n = self._count_of_counts(m)
            if np.any(n[:2] == 0):
                missing = 1 if n[0] == 0 else 2
                raise ValueError(
                    f"Cannot estimate the Kneser-Ney discount for order {m}: no {m}-gram has adjusted count "
                    f"{missing} (counts of counts n1..n4 = {n.tolist()}), and D = n1 / (n1 + 2 n2) needs both. "
                    "The text is too small or artificial; use more text, or a fixed discount, e.g. "
                    f"`KneserNey(counts, {self.order}, discount=0.75)`.")
            discounts[m - 1] = n[0] / (n[0] + 2 * n[1])
        return discounts

    def _discount(self, m: int, a: np.ndarray) -> np.ndarray:
        """D_m(a): the amount taken from an adjusted count a (0 for a = 0)."""
        d = np.concatenate(([0.0], self.discounts[m - 1]))
        return d[np.minimum(a, 3).astype(np.int64)]

    def _fit(self) -> None:
        c = self.counts
        self._kept, self._gamma, self._is_context = {}, {}, {}
        for m in range(1, self.order + 1):
            a = self.adjusted[m]
            taken = self._discount(m, a)
            totals = _context_totals(c, m, a)
            with np.errstate(invalid="ignore", divide="ignore"):
                self._is_context[m] = totals > 0
                safe = np.where(totals > 0, totals, 1.0)
                self._kept[m] = (a - taken) / safe[c.context[m]]
                self._gamma[m] = np.where(totals > 0, _context_totals(c, m, taken) / safe, 1.0)

    def _probs(self, words, contexts):
        c = self.counts
        p = self._kept[1][words] + self._gamma[1][0] / len(self.vocab)   # the bottom: uniform 1 / V
        for m in range(2, self.order + 1):
            ctx = contexts[m]
            use = np.flatnonzero(ctx >= 0)
            use = use[self._is_context[m][ctx[use]]]
            rows = c.lookup(m, ctx[use], words[use])
            kept = np.where(rows >= 0, self._kept[m][np.maximum(rows, 0)], 0.0)
            p[use] = kept + self._gamma[m][ctx[use]] * p[use]
        return p

    def ngram_logprobs(self, m: int) -> np.ndarray:
        """ln p_m(w | h) of every m-gram in the counts (what an ARPA file lists for order m)."""
        c = self.counts
        with np.errstate(divide="ignore"):                 # p = 0 (a zero discount) gives -inf
            if m == 1:
                return np.log(self._kept[1][:c.bos] + self._gamma[1][0] / len(self.vocab))
            lower = self.ngram_logprobs(m - 1)             # p_{m-1}(w | h') for the suffix n-gram
            return np.log(self._kept[m] + self._gamma[m][c.context[m]] * np.exp(lower[c.suffix[m]]))


class ModifiedKneserNey(KneserNey):
    """Interpolated modified Kneser-Ney (Chen & Goodman 1998): three discounts per order,
    D1, D2 and D3+ for adjusted counts 1, 2 and 3 or more, estimated as KenLM's lmplz does:

        Y = n1 / (n1 + 2 n2),  D1 = 1 - 2 Y n2 / n1,  D2 = 2 - 3 Y n3 / n2,  D3+ = 3 - 4 Y n4 / n3.

    As in lmplz, the estimate needs n1, n2 and n3 > 0, and each D_k must land in [0, k] (a larger
    discount than the count would make probabilities negative): otherwise it is an error that names
    the order, unless ``discount_fallback=(D1, D2, D3+)`` is given, which replaces the discounts of
    the orders whose estimate fails (lmplz's ``--discount_fallback``, whose default is
    ``FALLBACK = (0.5, 1.0, 1.5)``). ``discounts=[[D1, D2, D3+], ...]`` fixes every order instead.
    ``fallback_orders`` lists the orders that took the fallback.
    """

    FALLBACK = (0.5, 1.0, 1.5)   # lmplz --discount_fallback with no values

    def __init__(self, counts: NgramCounts, order: int | None = None,
                 discounts: Sequence[Sequence[float]] | None = None,
                 discount_fallback: Sequence[float] | None = None):
        NgramModel.__init__(self, counts, order)
        self.adjusted = self._adjusted_counts()
        if discount_fallback is not None:
            discount_fallback = self._checked((discount_fallback,), "discount_fallback", one_row=True)[0]
        self.fallback_orders: list[int] = []
        if discounts is None:
            self.discounts = self._estimate_discounts(discount_fallback)
        else:
            if discount_fallback is not None:
                raise ValueError("Pass either discounts=[...] (every order fixed) or discount_fallback=(D1, D2, D3+) "
                                 "(estimated discounts, with a fallback where the estimate fails), not both; e.g. "
                                 f"`ModifiedKneserNey(counts, {self.order}, discount_fallback=(0.5, 1.0, 1.5))`.")
            self.discounts = self._checked(discounts, "discounts")
        self._fit()

    def __repr__(self) -> str:
        fallback = f", fallback discounts for orders {self.fallback_orders}" if self.fallback_orders else ""
        return f"{type(self).__name__}(order={self.order}, vocab={len(self.vocab):,} words{fallback})"

    def _checked(self, discounts, name: str, one_row: bool = False) -> np.ndarray:
        """``discounts`` as an array of rows (D1, D2, D3+), each D_k a finite number in [0, k]."""
        rows = 1 if one_row else self.order
        try:
            array = np.asarray(discounts, dtype=np.float64)
        except (TypeError, ValueError):
            array = np.empty(0)
        example = (f"`ModifiedKneserNey(counts, {self.order}, "
                   + ("discount_fallback=(0.5, 1.0, 1.5))`" if one_row else f"discounts=[[0.5, 1.0, 1.5]] * {self.order})`"))
        if array.shape != (rows, 3):
            raise ValueError(f"{name} must be {'three numbers' if one_row else f'{rows} rows of three numbers'} "
                             f"(D1, D2, D3+{'' if one_row else ', one row per order'}), got {discounts!r}; "
                             f"e.g. {example}.")
        if not np.all(np.isfinite(array) & (array >= 0) & (array <= [1, 2, 3])):
            raise ValueError(f"{name} out of range: D1 must be in [0, 1], D2 in [0, 2] and D3+ in [0, 3] (a "
                             f"discount larger than the count would make probabilities negative), got {discounts!r}; "
                             f"e.g. {example}.")
        return array

    def _estimate_discounts(self, fallback: np.ndarray | None = None) -> np.ndarray:
        discounts = np.empty((self.order, 3))
        for m in range(1, self.order + 1):
            n = self._count_of_counts(m).astype(np.float64)
            problem = None
            if np.any(n[:3] == 0):
                k = 1 + int(np.argmax(n[:3] == 0))
                problem = (f"no {m}-gram has adjusted count {k} (counts of counts n1..n4 = "
                           f"{n.astype(int).tolist()}), and the estimate divides by n{k}")
            else:
                y = n[0] / (n[0] + 2 * n[1])
                estimate = np.array([k - (k + 1) * y * n[k] / n[k - 1] for k in (1, 2, 3)])
                outside = np.flatnonzero((estimate < 0) | (estimate > [1, 2, 3]))
                if len(outside):
                    k = int(outside[0]) + 1
                    name = "D3+" if k == 3 else f"D{k}"
                    problem = (f"the discount {name} = {estimate[k - 1]:.4g} is out of range [0, {k}] (counts of "
                               f"counts n1..n4 = {n.astype(int).tolist()}); it would make probabilities negative")
            if problem is None:
                discounts[m - 1] = estimate
            elif fallback is not None:
                discounts[m - 1] = fallback
                self.fallback_orders.append(m)
            else:
                raise ValueError(
                    f"Cannot estimate modified Kneser-Ney discounts for order {m}: {problem}. The text is too "
                    "small or artificial for the closed-form estimate (KenLM's lmplz stops here too). Use more "
                    "text, or fixed discounts where the estimate fails, as lmplz --discount_fallback does: "
                    f"`ModifiedKneserNey(counts, {self.order}, discount_fallback=(0.5, 1.0, 1.5))`.")
        return discounts


# --- using a model --------------------------------------------------------------------------------

def sample(model: NgramModel, rng: np.random.Generator | int, temperature: float = 1.0,
           max_words: int = 40) -> list[str]:
    """Generate one sentence word by word from ``<s>`` until ``</s>`` (not returned) or ``max_words``.

    ``temperature`` reshapes each step's distribution as p ** (1 / temperature): below 1 sharper,
    above 1 flatter. ``rng`` is a numpy Generator or a seed.
    """
    if not temperature > 0 or not np.isfinite(temperature):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}; 1 samples the model "
                         "as it is, e.g. `sample(model, rng=0, temperature=1.0)`.")
    rng = np.random.default_rng(rng)
    eos = model.vocab.index[EOS]
    history = [BOS]
    while len(history) <= max_words:
        context = history[len(history) - (model.order - 1):] if model.order > 1 else []
        p = model.distribution(context) ** (1.0 / temperature)
        word = int(rng.choice(len(p), p=p / p.sum()))
        if word == eos:
            break
        history.append(model.vocab.words[word])
    return history[1:]


def write_arpa(model: KneserNey, path: str | Path) -> Path:
    """Save a Kneser-Ney model as an ARPA file (read by KenLM, SRILM): per n-gram, log10 p and, for
    n-grams that are contexts, log10 of the back-off weight gamma. The model's own probabilities are
    what the file gives back: an n-gram missing from order m is scored as gamma(h) * p(w | h').

    ARPA readers need a finite number in every field, so a model that gives probability 0 to an event
    (a zero discount leaves a context no mass to back off with) is refused with a clear error rather
    than written as a file that KenLM rejects or scores differently."""
    if not isinstance(model, KneserNey):
        advice = (f" Write a Kneser-Ney model of the same counts, e.g. "
                  f"`write_arpa(ModifiedKneserNey(model.counts, {model.order}, discount_fallback=(0.5, 1.0, 1.5)), path)`."
                  if isinstance(model, NgramModel) else "")
        raise TypeError(f"write_arpa needs a KneserNey or ModifiedKneserNey model, got {type(model).__name__}; "
                        f"the other models have no back-off form.{advice}")
    path = Path(path)
    c, names = model.counts, np.array(model.vocab.words + [BOS], dtype=object)
    sizes = [len(model.vocab) + 1] + [len(c.keys[m]) for m in range(2, model.order + 1)]
    texts, logps, backoffs = [], [], []
    text = names.copy()                       # text[row] = the words of each m-gram, space separated
    for m in range(1, model.order + 1):
        if m > 1:
            text = text[c.context[m]] + " " + names[c.word[m]]
        texts.append(text)
        logp = model.ngram_logprobs(m) / math.log(10)
        if m == 1:
            logp = np.append(logp, -99.0)    # <s>: never predicted, the customary ARPA placeholder
        logps.append(logp)
        if m < model.order:
            with np.errstate(divide="ignore"):
                backoffs.append(np.where(model._is_context[m + 1], np.log10(model._gamma[m + 1]), 0.0))
    checks = [(m, logps[m - 1], "log10 p") for m in range(1, model.order + 1)]
    checks += [(m, backoffs[m - 1], "log10 back-off weight") for m in range(1, model.order)]
    for m, values, what in checks:
        text = texts[m - 1]
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            raise ValueError(
                f"Cannot write an ARPA file: the {what} of the {m}-gram {text[bad[0]]!r} is {values[bad[0]]} "
                f"({len(bad)} such {m}-grams), and ARPA readers such as KenLM need finite numbers. The "
                f"model gives probability 0 to some events because its discounts {_discount_summary(model)} "
                f"leave no mass to back off with; use positive discounts, e.g. {_positive_discount_advice(model)}.")
    sections = ["\\data\\\n" + "".join(f"ngram {m}={n}\n" for m, n in enumerate(sizes, start=1))]
    for m in range(1, model.order + 1):
        columns = [np.char.mod("%.7g", logps[m - 1]).astype(object), texts[m - 1]]
        if m < model.order:
            columns.append(np.char.mod("%.7g", backoffs[m - 1]).astype(object))
        rows = columns[0] + "\t" + columns[1] + ("\t" + columns[2] if len(columns) == 3 else "")
        sections.append(f"\n\\{m}-grams:\n" + "\n".join(rows) + "\n")
    sections.append("\n\\end\\\n")
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(sections)
    except OSError as e:
        raise OSError(f"Cannot write the ARPA file {path} ({e.strerror}); check that the folder exists "
                      "and that you may write there.") from None
    return path


def _discount_summary(model: KneserNey) -> str:
    return "(" + "; ".join(f"order {m}: " + ", ".join(f"{d:g}" for d in dict.fromkeys(row))
                           for m, row in enumerate(model.discounts.tolist(), start=1)) + ")"


def _positive_discount_advice(model: KneserNey) -> str:
    if isinstance(model, ModifiedKneserNey):
        return (f"the estimated ones (leave out discounts=) or fixed ones, "
                f"`ModifiedKneserNey(counts, {model.order}, discounts=[[0.5, 1.0, 1.5]] * {model.order})`")
    return f"the estimated ones (leave out discount=) or a fixed one, `KneserNey(counts, {model.order}, discount=0.75)`"
