"""Bengio et al. (2003), "A Neural Probabilistic Language Model", in numpy.

The model reads the n-1 previous words w_{t-n+1} .. w_{t-1} and gives a distribution over the next:

    x = [C[w_{t-n+1}], ..., C[w_{t-1}]]      concatenated rows of the lookup table C   ((n-1) m)
    a = tanh(d + x H)                          the hidden layer                          (h)
    y = b + a U  (+ x W, the optional direct connections from the words to the output)   (V)
    P(w_t = i | context) = softmax(y)_i

Training minimises the mean cross-entropy -log P(w_t | context) plus a weight-decay penalty
(weight_decay / 2) * sum of squared weights (C, H, U, W; not the biases d, b).

Two faces, as everywhere in teachkit: ``example_gradients`` is the backward pass for one example,
written line by line like the derivation; ``loss_and_gradients`` is the same maths over a
minibatch of contexts at once, which ``train`` uses. The tests prove they agree.

Sentence boundaries: each sentence predicts its words and one final ``</s>``, exactly the tokens
that notebook 01's n-gram models predict, so the perplexities compare. The context before the
first word is padded with ``<s>`` (n-1 of them: the network's input has a fixed width, where a
KenLM-style n-gram model needs one). ``<s>`` is never predicted, so it gets a row in C (index
``len(words)``, the last row) but no output unit: the softmax ranges over exactly the events the
n-gram models assign probability to.
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from teachkit.corpus import EOS, Vocab

WEIGHTS = ("C", "H", "U", "W")  # what weight decay applies to; the biases d and b are exempt


@dataclass
class NPLM:
    """Parameters of a trained (or freshly initialised) model, and the words its outputs stand for.

    C: (V + 1, m) word features, the last row is the ``<s>`` pad; H: ((n-1) m, h); d: (h,);
    U: (h, V); b: (V,); W: ((n-1) m, V) direct connections, or None without them.
    """
    words: list[str]
    order: int
    C: np.ndarray
    H: np.ndarray
    d: np.ndarray
    U: np.ndarray
    b: np.ndarray
    W: np.ndarray | None = None

    @property
    def params(self) -> dict[str, np.ndarray]:
        names = ("C", "H", "d", "U", "b") + (("W",) if self.W is not None else ())
        return {name: getattr(self, name) for name in names}

    @property
    def pad(self) -> int:
        """Index of the ``<s>`` row of C."""
        return len(self.words)

    def __repr__(self) -> str:
        m, h = self.C.shape[1], self.H.shape[1]
        direct = ", direct connections" if self.W is not None else ""
        n_params = sum(p.size for p in self.params.values())
        return (f"NPLM(order={self.order}, V={len(self.words)}, m={m}, h={h}{direct}; "
                f"{n_params:,} parameters, {self.C.dtype})")


def init_model(vocab: Vocab | Sequence[str], order: int = 5, dim: int = 30, hidden: int = 100,
               direct: bool = False, *, rng: np.random.Generator, unigram: np.ndarray | None = None,
               dtype=np.float32) -> NPLM:
    """A fresh model over ``vocab``'s words with context of ``order - 1`` words.

    Weights start small and random (scaled by 1/sqrt(fan-in) so tanh starts in its linear part).
    ``unigram``, the training counts of each predicted word, sets the output bias b to their log
    frequencies: the untrained model then already predicts as well as a unigram model instead of
    starting from the uniform 1/V.
    """
    words = list(vocab.words if isinstance(vocab, Vocab) else vocab)
    if order < 2:
        raise ValueError(f"order must be >= 2 (a context of at least one word), got {order}; "
                         "order=5 reads the 4 previous words.")
    if dim < 1 or hidden < 1:
        raise ValueError(f"dim and hidden must be >= 1, got dim={dim}, hidden={hidden}.")
    if not words:
        raise ValueError("The vocabulary is empty; build it from a non-empty corpus.")
    V, n_in = len(words), (order - 1) * dim
    C = rng.normal(0.0, 0.1, size=(V + 1, dim))
    H = rng.uniform(-1, 1, size=(n_in, hidden)) / math.sqrt(n_in)
    U = rng.uniform(-1, 1, size=(hidden, V)) / math.sqrt(hidden)
    W = rng.uniform(-1, 1, size=(n_in, V)) / math.sqrt(n_in) if direct else None
    b = np.zeros(V)
    if unigram is not None:
        unigram = np.asarray(unigram, dtype=np.float64)
        if unigram.shape != (V,):
            raise ValueError(f"unigram has shape {unigram.shape}, expected ({V},): one count per word.")
        b = np.log((unigram + 1) / (unigram + 1).sum())  # add-one keeps unseen outputs finite
    cast = (lambda a: None if a is None else a.astype(dtype))
    return NPLM(words, order, cast(C), cast(H), np.zeros(hidden, dtype=dtype), cast(U), cast(b), cast(W))


def contexts(sentences: Sequence[Sequence[str]], vocab: Vocab, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Every predicted token of ``sentences`` with the ``order - 1`` word indices before it.

    Returns (X, y): X of shape (N, order - 1), padded on the left with ``len(vocab)`` (``<s>``),
    and y of shape (N,), the target indices: each sentence's words, then ``</s>``.
    """
    if order < 2:
        raise ValueError(f"order must be >= 2 (a context of at least one word), got {order}.")
    if EOS not in vocab:
        raise ValueError(f"The vocabulary has no {EOS!r}; build it with extra=[corpus.EOS].")
    n_ctx, pad, eos = order - 1, len(vocab), vocab[EOS]
    X_parts, y_parts = [], []
    for sentence in sentences:
        if isinstance(sentence, str):
            raise TypeError("contexts expects sentences as lists of tokens, got a str; split it first.")
        targets = np.append(vocab.encode(sentence), eos)
        padded = np.concatenate([np.full(n_ctx, pad), targets])
        # row t of the window view holds the n-1 indices before target t
        X_parts.append(np.lib.stride_tricks.sliding_window_view(padded[:-1], n_ctx))
        y_parts.append(targets)
    if not y_parts:
        raise ValueError("No sentences given: nothing to predict.")
    return np.concatenate(X_parts).astype(np.int32), np.concatenate(y_parts).astype(np.int32)


def _check_data(model: NPLM, X: np.ndarray, y: np.ndarray) -> None:
    if X.ndim != 2 or X.shape[1] != model.order - 1:
        raise ValueError(f"X has shape {X.shape}, but this order-{model.order} model needs "
                         f"(N, {model.order - 1}) contexts; make them with "
                         f"nplm.contexts(sentences, vocab, order={model.order}).")
    if len(X) != len(y):
        raise ValueError(f"{len(X)} contexts but {len(y)} targets; pass one target per context.")
    if len(y) and (y.max() >= len(model.words) or X.max() > model.pad or min(X.min(), y.min()) < 0):
        raise ValueError(f"Word indices out of range for this model's {len(model.words)}-word "
                         "vocabulary (contexts up to index V for <s>, targets below V): the data "
                         "was encoded with another vocabulary; use the vocabulary the model was built with.")


def _check_vocab(model: NPLM, vocab: Vocab) -> None:
    if list(vocab.words) != model.words:
        raise ValueError(f"Vocabulary mismatch: the model has {len(model.words)} words, the data's "
                         f"vocabulary {len(vocab)}, and they differ (first model words "
                         f"{model.words[:3]}, vocab {vocab.words[:3]}); encode the data with the "
                         "vocabulary the model was built with.")


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax; subtracting the row maximum keeps exp from overflowing."""
    e = logits - logits.max(axis=-1, keepdims=True)
    np.exp(e, out=e)                       # in place: B x V arrays are the biggest cost after U
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _penalty(model: NPLM, weight_decay: float) -> float:
    return 0.5 * weight_decay * sum(float(np.sum(p * p)) for name, p in model.params.items()
                                    if name in WEIGHTS)


def example_gradients(model: NPLM, context: Sequence[int], target: int) -> tuple[float, dict[str, np.ndarray]]:
    """Loss -log P(target | context) and its gradient for ONE example, step by step (no penalty).

    Read it next to the derivation in notebook 02: forward top to bottom, then backward bottom to top.
    """
    m = model.C.shape[1]
    # forward
    x = np.concatenate([model.C[w] for w in context])    # look up and concatenate the features
    a = np.tanh(model.d + x @ model.H)                     # hidden layer
    y = model.b + a @ model.U                              # one score per word
    if model.W is not None:
        y = y + x @ model.W                                # direct connections
    p = _softmax(y)
    loss = -math.log(p[target])
    # backward: dloss/dy = p - onehot(target), then the chain rule layer by layer
    dy = p.copy()
    dy[target] -= 1.0
    grads = {"U": np.outer(a, dy), "b": dy}
    da = model.U @ dy
    do = (1.0 - a * a) * da                                # tanh'(o) = 1 - tanh(o)^2
    grads["H"], grads["d"] = np.outer(x, do), do
    dx = model.H @ do
    if model.W is not None:
        grads["W"] = np.outer(x, dy)
        dx = dx + model.W @ dy
    dC = np.zeros_like(model.C)
    for k, w in enumerate(context):                        # each context word gets its slice of dx
        dC[w] += dx[k * m:(k + 1) * m]                     # += : a word may appear twice
    grads["C"] = dC
    return loss, grads


def logits(model: NPLM, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward pass over a batch: returns (x, a, y), the inputs, hidden activations and scores."""
    x = model.C[X].reshape(len(X), -1)
    a = np.tanh(model.d + x @ model.H)
    y = a @ model.U + model.b
    if model.W is not None:
        y += x @ model.W
    return x, a, y


def loss_and_gradients(model: NPLM, X: np.ndarray, y: np.ndarray,
                       weight_decay: float = 0.0) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy over the batch (plus the weight-decay penalty) and its gradients.

    The same maths as ``example_gradients``, with every outer product summed over the batch as a
    matrix product, and the lookup table's gradient accumulated by a scatter-add.
    """
    B, m = len(X), model.C.shape[1]
    x, a, scores = logits(model, X)
    p = _softmax(scores)
    rows = np.arange(B)
    loss = -float(np.mean(np.log(p[rows, y]))) + _penalty(model, weight_decay)
    dy = p                                                 # reuse the buffer: dy = (p - onehot) / B
    dy[rows, y] -= 1.0
    dy /= B
    grads = {"U": a.T @ dy, "b": dy.sum(axis=0)}
    do = (dy @ model.U.T) * (1.0 - a * a)
    grads["H"], grads["d"] = x.T @ do, do.sum(axis=0)
    dx = do @ model.H.T
    if model.W is not None:
        grads["W"] = x.T @ dy
        dx += dy @ model.W.T
    dC = np.zeros_like(model.C)
    np.add.at(dC, X.reshape(-1), dx.reshape(-1, m))       # scatter-add: repeated words accumulate
    grads["C"] = dC
    if weight_decay:
        for name in WEIGHTS:
            if name in grads:
                grads[name] += weight_decay * getattr(model, name)
    return loss, grads


def log_probs(model: NPLM, X: np.ndarray, y: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """Natural log P(y_i | X_i) for every example, in batches (float64 result)."""
    X, y = np.asarray(X), np.asarray(y)
    _check_data(model, X, y)
    out = np.empty(len(y))
    for start in range(0, len(y), batch_size):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        scores = logits(model, Xb)[2]
        scores -= scores.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(scores).sum(axis=1, dtype=np.float64))  # sum in float64: V terms
        out[start:start + len(yb)] = scores[np.arange(len(yb)), yb] - log_z
    return out


def token_log_probs(model: NPLM, sentences: Sequence[Sequence[str]], vocab: Vocab) -> np.ndarray:
    """Natural log probability of every predicted token (words, then ``</s>``, per sentence)."""
    _check_vocab(model, vocab)
    return log_probs(model, *contexts(sentences, vocab, model.order))


def perplexity(model: NPLM, sentences: Sequence[Sequence[str]], vocab: Vocab) -> float:
    """exp(mean negative log-likelihood) over every predicted token, as for the n-gram models."""
    return float(np.exp(-token_log_probs(model, sentences, vocab).mean()))


def mix(log_p: np.ndarray, log_q: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """log(weight * p + (1 - weight) * q) token by token: Bengio's "mix" of NPLM and n-gram.

    Both arguments are natural log probabilities of the same tokens in the same order. The two
    models err on different tokens, so the average is better than either; ``np.logaddexp``
    adds the probabilities without leaving log space (no underflow for rare tokens).
    """
    log_p, log_q = np.asarray(log_p, dtype=np.float64), np.asarray(log_q, dtype=np.float64)
    if log_p.shape != log_q.shape:
        raise ValueError(f"Cannot mix {log_p.shape} with {log_q.shape} log probabilities: both models "
                         "must score the same tokens (same sentences, each ending with </s>).")
    if not 0 < weight < 1:
        raise ValueError(f"weight must be strictly between 0 and 1, got {weight}.")
    return np.logaddexp(np.log(weight) + log_p, np.log1p(-weight) + log_q)


@dataclass
class History:
    """What happened during training, one entry per evaluation on the validation data."""
    epoch: list[float] = field(default_factory=list)          # fraction of epochs done
    train_loss: list[float] = field(default_factory=list)     # mean minibatch loss since last evaluation
    valid_perplexity: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)        # wall time since the start
    cpu_seconds: list[float] = field(default_factory=list)    # process CPU time since the start
    best_valid: float = math.inf
    best_epoch: float = 0.0
    words_per_second: float = 0.0                             # training tokens / wall second, evaluations included


def train(model: NPLM, train_data: tuple[np.ndarray, np.ndarray], valid_data: tuple[np.ndarray, np.ndarray],
          *, epochs: float = 5, batch_size: int = 256, lr: float = 0.5, momentum: float = 0.9,
          weight_decay: float = 0.0, final_lr: float = 0.0, evals_per_epoch: int = 2,
          max_seconds: float | None = None, seed: int | np.random.Generator = 0,
          checkpoint: str | Path | None = None, checkpoint_info: dict | None = None,
          progress: bool = True) -> History:
    """Minibatch SGD with momentum; returns a History and leaves ``model`` at its best validation point.

    The learning rate falls linearly from ``lr`` to ``final_lr`` over the run: over ``epochs``, or
    over ``max_seconds`` of wall time if that ends the run sooner (for time-budgeted benchmarks;
    leave it None for reproducible runs). Every 1/``evals_per_epoch`` epoch the model is scored on
    ``valid_data``; the best parameters are kept (early stopping) and, with ``checkpoint``, saved.
    Raises FloatingPointError, naming the learning rate, as soon as the loss stops being finite.
    """
    X, y = train_data
    Xv, yv = valid_data
    _check_data(model, X, y)
    _check_data(model, Xv, yv)
    if not (lr > 0 and 0 <= momentum < 1 and weight_decay >= 0 and epochs > 0 and batch_size >= 1):
        raise ValueError(f"Need lr > 0, 0 <= momentum < 1, weight_decay >= 0, epochs > 0, batch_size >= 1; "
                         f"got lr={lr}, momentum={momentum}, weight_decay={weight_decay}, "
                         f"epochs={epochs}, batch_size={batch_size}.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    steps_per_epoch = math.ceil(len(y) / batch_size)
    total_steps = max(1, round(epochs * steps_per_epoch))
    velocity = {name: np.zeros_like(p) for name, p in model.params.items()}
    best = {name: p.copy() for name, p in model.params.items()}
    history = History()
    start, cpu_start = time.perf_counter(), time.process_time()
    order, losses = np.empty(0, dtype=np.int64), []
    bar = tqdm(total=total_steps, desc="training NPLM", unit="batch", disable=not progress)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # caught below by name
        for step in range(total_steps):
            position = step % steps_per_epoch
            if position == 0:
                order = rng.permutation(len(y))            # a fresh shuffle every epoch
            batch = order[position * batch_size:(position + 1) * batch_size]
            done = step / total_steps
            if max_seconds is not None:
                done = max(done, (time.perf_counter() - start) / max_seconds)
            rate = lr + (final_lr - lr) * min(done, 1.0)
            loss, grads = loss_and_gradients(model, X[batch], y[batch], weight_decay)
            if not math.isfinite(loss):
                bar.close()
                raise FloatingPointError(
                    f"The training loss became {loss} at step {step} (epoch {step / steps_per_epoch:.2f}) "
                    f"with learning rate {rate:.3g} (lr={lr:g}): the updates diverged. Lower the "
                    f"learning rate (try lr={lr / 10:g}) and start again from a fresh model.")
            losses.append(loss)
            for name, p in model.params.items():
                v = velocity[name]
                v *= momentum
                v -= rate * grads[name]
                p += v
            bar.update(1)
            out_of_time = max_seconds is not None and time.perf_counter() - start >= max_seconds
            # evaluate evals_per_epoch times per epoch, the last time on the epoch's last step
            due = (step + 1) * evals_per_epoch // steps_per_epoch > step * evals_per_epoch // steps_per_epoch
            if due or step + 1 == total_steps or out_of_time:
                valid_ppl = float(np.exp(-log_probs(model, Xv, yv).mean()))
                history.epoch.append((step + 1) / steps_per_epoch)
                history.train_loss.append(float(np.mean(losses)))
                history.valid_perplexity.append(valid_ppl)
                history.lr.append(rate)
                history.seconds.append(time.perf_counter() - start)
                history.cpu_seconds.append(time.process_time() - cpu_start)
                losses = []
                if valid_ppl < history.best_valid:
                    history.best_valid, history.best_epoch = valid_ppl, history.epoch[-1]
                    for name, p in model.params.items():
                        best[name][...] = p
                    if checkpoint is not None:
                        save(model, checkpoint, {**(checkpoint_info or {}), "valid_perplexity": valid_ppl,
                                                 "epoch": history.epoch[-1],
                                                 "train_seconds": history.seconds[-1]})
                bar.set_postfix(loss=f"{history.train_loss[-1]:.3f}", valid_ppl=f"{valid_ppl:.1f}")
            if out_of_time:
                break
    bar.close()
    history.words_per_second = (step + 1) * batch_size / max(time.perf_counter() - start, 1e-9)
    for name, p in model.params.items():
        p[...] = best[name]
    return history


def save(model: NPLM, path: str | Path, info: dict | None = None) -> None:
    """Write the model to ``.npz`` (no pickle): arrays, the word list, and ``info`` as JSON."""
    arrays = {name: p for name, p in model.params.items()}
    np.savez_compressed(path, words=np.array(model.words), order=np.array(model.order),
                        info=np.array(json.dumps(info or {})), **arrays)


def load(path: str | Path) -> tuple[NPLM, dict]:
    """Read a model written by ``save``; returns (model, info)."""
    with np.load(path, allow_pickle=False) as f:
        model = NPLM(words=[str(w) for w in f["words"]], order=int(f["order"]),
                     C=f["C"], H=f["H"], d=f["d"], U=f["U"], b=f["b"],
                     W=f["W"] if "W" in f.files else None)
        info = json.loads(str(f["info"]))
    return model, info
