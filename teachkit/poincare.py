"""Poincare embeddings (Nickel & Kiela 2017): the ball model, its distance, and Riemannian SGD.

Points live in the open unit ball. The distance between u and v is

    d(u, v) = arcosh(1 + 2 |u - v|^2 / ((1 - |u|^2) (1 - |v|^2)))

and it grows without bound near the boundary, which is why a tree (whose number of nodes grows
exponentially with depth) fits in a few dimensions. Training minimises, for every closure row
(u, v) with sampled negatives N(u) (nodes that are neither u nor an ancestor of u),

    loss(u, v) = -log( exp(-d(u, v)) / sum_{v' in {v} + N(u)} exp(-d(u, v')) )

(the paper prints this without the minus sign: maximised, not minimised). The Euclidean gradient
is rescaled by the inverse metric (1 - |theta|^2)^2 / 4, a step is taken, and points that leave
the ball are pulled back to radius 1 - eps by *scaling* (theta / |theta| * (1 - eps)).

Two faces, as elsewhere in teachkit: ``reference_step`` follows the maths one example at a time
in numpy; ``train`` runs the same minibatch update in a numba loop. Tests prove they agree.

``train(closure, dim=5)`` with nothing else uses ``PRESETS["small"]`` (WordNet mammals: MAP ~0.98 in
d=5); ``preset="paper"`` gives the paper's stated settings and ``preset="large"`` the budgeted
settings for the WordNet nouns. ``recenter`` moves a point to the origin by a Mobius translation,
an isometry (for drawing a hierarchy with its root in the middle).
"""
from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
from tqdm.auto import tqdm

from teachkit.hierarchy import clean_edges, index_edges

EPS = 1e-5  # points are kept at norm <= 1 - EPS; 2 artanh(1 - EPS) ~ 12.2 is the largest distance to 0
GRAD_FLOOR = 1e-10  # the distance gradient has sqrt(gamma^2 - 1) below; keep it away from 0 at u = v


def _check_eps(eps: float) -> None:
    if not 0 < eps < 1:
        raise ValueError(f"eps must lie in (0, 1) (points are kept at norm <= 1 - eps); got {eps}.")


def _check_in_ball(x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or inf; Poincare points must be finite vectors in the unit ball.")
    norms = np.linalg.norm(x, axis=-1)
    if np.any(norms >= 1):
        raise ValueError(f"{name} has a point of norm {norms.max():.6g} >= 1, outside the open unit ball; "
                         "project it first with teachkit.poincare.project(x).")
    return x


# --- the geometry -------------------------------------------------------------------------------

def distance(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Poincare distance between u and v along the last axis (broadcasts like numpy).

    arcosh(1 + x) is computed as log1p(x + sqrt(x (x + 2))): the textbook arccosh(1 + x) loses all
    precision for nearby points (1 + x rounds to 1), and its argument is never below 1 here.
    """
    u, v = _check_in_ball(u, "u"), _check_in_ball(v, "v")
    squared_gap = np.sum((u - v) ** 2, axis=-1)
    x = 2 * squared_gap / ((1 - np.sum(u * u, axis=-1)) * (1 - np.sum(v * v, axis=-1)))
    return np.log1p(x + np.sqrt(x * (x + 2)))


def distance_grad(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Gradient of d(u, v) with respect to u (Nickel & Kiela eq. 4), along the last axis.

    With alpha = 1 - |u|^2, beta = 1 - |v|^2, gamma = 1 + 2 |u - v|^2 / (alpha beta):

        dd/du = 4 / (beta sqrt(gamma^2 - 1)) * ((|v|^2 - 2 <u, v> + 1) / alpha^2 * u - v / alpha)
    """
    u, v = _check_in_ball(u, "u"), _check_in_ball(v, "v")
    alpha = 1 - np.sum(u * u, axis=-1, keepdims=True)
    beta = 1 - np.sum(v * v, axis=-1, keepdims=True)
    gamma = 1 + 2 * np.sum((u - v) ** 2, axis=-1, keepdims=True) / (alpha * beta)
    coefficient = 4 / (beta * np.sqrt(np.maximum(gamma**2 - 1, GRAD_FLOOR)))
    uv = np.sum(u * v, axis=-1, keepdims=True)
    return coefficient * ((np.sum(v * v, axis=-1, keepdims=True) - 2 * uv + 1) / alpha**2 * u - v / alpha)


@numba.njit(cache=True, error_model="numpy")
def distances_from(x: np.ndarray, points: np.ndarray) -> np.ndarray:
    """d(x, p) for every row p of ``points``, in one numba loop without input checks.

    The same formula as ``distance`` (tests check they agree); it exists because ranking every node
    of a large hierarchy against every other calls it tens of thousands of times.
    """
    out = np.empty(points.shape[0])
    xx = 0.0
    for k in range(x.shape[0]):
        xx += x[k] * x[k]
    for i in range(points.shape[0]):
        gap2, pp = 0.0, 0.0
        for k in range(x.shape[0]):
            gap2 += (x[k] - points[i, k]) ** 2
            pp += points[i, k] ** 2
        z = 2.0 * gap2 / ((1.0 - xx) * (1.0 - pp))
        out[i] = math.log1p(z + math.sqrt(z * (z + 2.0)))
    return out


def riemannian_scale(theta: np.ndarray) -> np.ndarray:
    """(1 - |theta|^2)^2 / 4: the inverse of the metric factor, turning a Euclidean gradient Riemannian."""
    return (1 - np.sum(np.asarray(theta) ** 2, axis=-1, keepdims=True)) ** 2 / 4


def project(theta: np.ndarray, eps: float = EPS) -> np.ndarray:
    """Pull rows with norm > 1 - eps back to norm 1 - eps, keeping their direction.

    The paper prints theta / |theta| - eps, which subtracts eps from every *coordinate*:
    |theta/|theta| - eps 1|^2 = 1 - 2 eps sum_i theta_i / |theta| + dim eps^2, so every point whose
    coordinates sum to less than about dim eps / 2 (roughly half of them) stays outside the ball.
    Scaling to norm 1 - eps is always inside.
    """
    _check_eps(eps)
    theta = np.array(theta, dtype=np.float64)
    norms = np.linalg.norm(theta, axis=-1, keepdims=True)
    outside = norms > 1 - eps
    return np.where(outside, theta / np.where(outside, norms, 1) * (1 - eps), theta)


def mobius_add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mobius addition x (+) y in the ball: the hyperbolic analogue of a translation by x.

        x (+) y = ((1 + 2 <x, y> + |y|^2) x + (1 - |x|^2) y) / (1 + 2 <x, y> + |x|^2 |y|^2)

    y -> (-a) (+) y is an isometry (every distance stays the same) that sends a to the origin.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    xy = np.sum(x * y, axis=-1, keepdims=True)
    xx, yy = np.sum(x * x, axis=-1, keepdims=True), np.sum(y * y, axis=-1, keepdims=True)
    return ((1 + 2 * xy + yy) * x + (1 - xx) * y) / (1 + 2 * xy + xx * yy)


def recenter(points: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Move ``centre`` to the origin by the isometry y -> (-centre) (+) y (e.g. to draw a trained
    hierarchy with its root in the middle of the disk); distances between the points do not change."""
    return mobius_add(-np.asarray(centre, dtype=np.float64), points)


def rsgd_step(theta: np.ndarray, euclidean_grad: np.ndarray, lr: float, eps: float = EPS) -> np.ndarray:
    """One Riemannian SGD step: theta - lr * (1 - |theta|^2)^2 / 4 * grad, then project into the ball."""
    return project(theta - lr * riemannian_scale(theta) * euclidean_grad, eps)


def example_loss(theta: np.ndarray, u: int, v: int, negatives: np.ndarray) -> float:
    """-log softmax of -d over {v} + negatives, for the closure row (u, v): d(u,v) + log sum exp(-d)."""
    d = distance(theta[u], theta[np.concatenate([[v], negatives])])
    return float(d[0] + np.log(np.sum(np.exp(-(d - d.min())))) - d.min())


def example_grads(theta: np.ndarray, u: int, v: int, negatives: np.ndarray) -> dict[int, np.ndarray]:
    """Euclidean gradient of ``example_loss`` for every row it touches: {row index: gradient}.

    d loss / d d_j = [j is v] - softmax(-d)_j, and each d_j depends on theta_u and theta_j.
    """
    candidates = np.concatenate([[v], negatives]).astype(np.int64)
    d = distance(theta[u], theta[candidates])
    weights = np.exp(-(d - d.min()))
    dloss_dd = -weights / weights.sum()
    dloss_dd[0] += 1
    grads = {u: np.sum(dloss_dd[:, None] * distance_grad(theta[u], theta[candidates]), axis=0)}
    for j, c in enumerate(candidates):
        grads[c] = grads.get(c, 0) + dloss_dd[j] * distance_grad(theta[c], theta[u])
    return grads


def reference_step(theta: np.ndarray, batch: np.ndarray, negatives: np.ndarray, lr: float,
                   eps: float = EPS, reduce: str = "mean", l2: float = 0.0) -> np.ndarray:
    """One minibatch of RSGD written like the maths: returns the updated copy of ``theta``.

    ``batch`` holds closure rows (u, v), ``negatives`` one row of negatives per closure row. All
    gradients are taken at the parameters before the step, added up per row of theta (divided by
    the batch size if ``reduce="mean"``), then each touched row takes one RSGD step. ``l2`` adds
    l2 |theta_r|^2 for each touched row r to the loss (an ablation: it pulls points to the centre).
    """
    total: dict[int, np.ndarray] = {}
    for (u, v), negs in zip(batch, negatives):
        for row, g in example_grads(theta, int(u), int(v), negs).items():
            total[row] = total.get(row, 0) + g
    new = theta.copy()
    scale = 1 / len(batch) if reduce == "mean" else 1.0
    for row, g in total.items():
        new[row] = rsgd_step(theta[row], scale * (g + 2 * l2 * theta[row]), lr, eps)
    return new


# --- negatives ----------------------------------------------------------------------------------

def forbidden_negatives(edges: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR lists of the nodes that may not be a negative for u: u itself and u's ancestors (sorted)."""
    rows = np.concatenate([edges, np.stack([np.arange(n_nodes)] * 2, axis=1)])
    rows = np.unique(rows, axis=0)  # sorted by u, then by the forbidden node
    starts = np.searchsorted(rows[:, 0], np.arange(n_nodes + 1))
    return starts, rows[:, 1].copy()


def descendant_counts(edges: np.ndarray, n_nodes: int) -> np.ndarray:
    """How many closure rows end at each node: its number of descendants (0 for a leaf)."""
    return np.bincount(edges[:, 1], minlength=n_nodes).astype(np.int64)


@numba.njit(cache=True)
def _stretch(cumulative, node, unit):
    """Where ``node``'s stretch of the weight line starts, and its length (its weight)."""
    if unit:
        return node, 1
    start = cumulative[node - 1] if node > 0 else 0
    return start, cumulative[node] - start


@numba.njit(cache=True, parallel=True)
def _allowed_from_uniform(u_of_row, uniforms, starts, forbidden, cumulative, n_nodes):
    # Lay the nodes' integer weights end to end on a line (``cumulative`` is the running total;
    # empty means every node weighs 1). To draw a node not in F(u) (u and its ancestors) without
    # rejection: draw a point on the line with F(u)'s stretches cut out, step it over those stretches
    # in order (F(u) is sorted) so it becomes a point of the whole line, and find whose stretch it is
    # in. With unit weights the point *is* the node. Rows are independent: shared out over threads.
    out = np.empty(uniforms.shape, dtype=np.int64)
    for i in numba.prange(uniforms.shape[0]):
        u = u_of_row[i]
        lo, hi = starts[u], starts[u + 1]
        unit = cumulative.shape[0] == 0
        if not unit:
            allowed = cumulative[-1]
            for f in range(lo, hi):
                allowed -= _stretch(cumulative, forbidden[f], False)[1]
            unit = allowed == 0  # every allowed node weighs 0: draw uniformly instead
        if unit:
            allowed = n_nodes - (hi - lo)
        for k in range(uniforms.shape[1]):
            point = min(int(uniforms[i, k] * allowed), allowed - 1)
            for f in range(lo, hi):
                start, length = _stretch(cumulative, forbidden[f], unit)
                if start > point:
                    break
                point += length
            out[i, k] = point if unit else np.searchsorted(cumulative, point, side="right")
    return out


def sample_negatives(edges: np.ndarray, n_negatives: int, forbidden: tuple[np.ndarray, np.ndarray],
                     n_nodes: int, rng: np.random.Generator, weights: np.ndarray | None = None) -> np.ndarray:
    """``n_negatives`` nodes per closure row (u, v) from the nodes that are not u nor u's ancestors.

    Uniform by default; with ``weights`` (a non-negative integer per node, e.g. ``descendant_counts``)
    in proportion to them, falling back to uniform for a row whose allowed nodes all weigh 0.
    """
    if weights is None:
        cumulative = np.empty(0, dtype=np.int64)
    else:
        weights = np.asarray(weights)
        if weights.shape != (n_nodes,) or not np.issubdtype(weights.dtype, np.integer) or np.any(weights < 0):
            raise ValueError(f"weights must hold one non-negative integer per node ({n_nodes}), "
                             f"got shape {weights.shape} and dtype {weights.dtype}.")
        cumulative = np.cumsum(weights, dtype=np.int64)
    uniforms = rng.random((len(edges), n_negatives))
    return _allowed_from_uniform(edges[:, 0], uniforms, forbidden[0], forbidden[1], cumulative, n_nodes)


@numba.njit(cache=True, parallel=True)
def nearest_candidates(theta: np.ndarray, edges: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """For every closure row (u, v), the ``k`` of its ``candidates`` nearest to u ("hard negatives").

    Once training has the rough layout, almost every uniform negative is already far from u, the
    softmax gives it weight ~0 and it teaches nothing; the few nodes that are wrongly close to u
    (a cousin nearer than u's grandparent) are what the reconstruction ranking counts. Drawing more
    candidates and keeping the nearest spends the gradient on those. Ranking by
    |u - c|^2 / (1 - |c|^2) is ranking by the Poincare distance, which is increasing in it for a fixed u.
    """
    out = np.empty((edges.shape[0], k), dtype=np.int64)
    for i in numba.prange(edges.shape[0]):
        u = edges[i, 0]
        best = np.full(k, np.inf)  # the k smallest gaps so far, ascending; out[i] holds their nodes
        for j in range(candidates.shape[1]):
            c = candidates[i, j]
            g, cc = 0.0, 0.0
            for t in range(theta.shape[1]):
                g += (theta[u, t] - theta[c, t]) ** 2
                cc += theta[c, t] ** 2
            g /= 1.0 - cc
            if g < best[k - 1]:  # insert c in order (insertion sort: k is small)
                p = k - 1
                while p > 0 and best[p - 1] > g:
                    best[p], out[i, p] = best[p - 1], out[i, p - 1]
                    p -= 1
                best[p], out[i, p] = g, c
    return out


# --- the fast path: the same minibatch step in a numba loop ----------------------------------------

@numba.njit(cache=True, error_model="numpy")
def _distance_and_grads(theta, a, b, hyperbolic, gx, gy):
    """d(x, y) for x = theta[a], y = theta[b]; writes dd/dx into gx and dd/dy into gy."""
    dim = theta.shape[1]
    x, y = theta[a], theta[b]
    gap2 = 0.0
    for k in range(dim):
        gap2 += (x[k] - y[k]) ** 2
    if not hyperbolic:
        d = math.sqrt(gap2)
        inv = 1.0 / max(d, 1e-12)
        for k in range(dim):
            gx[k] = (x[k] - y[k]) * inv
            gy[k] = -gx[k]
        return d
    xx, yy, xy = 0.0, 0.0, 0.0
    for k in range(dim):
        xx += x[k] * x[k]
        yy += y[k] * y[k]
        xy += x[k] * y[k]
    alpha, beta = 1.0 - xx, 1.0 - yy
    z = 2.0 * gap2 / (alpha * beta)
    d = math.log1p(z + math.sqrt(z * (z + 2.0)))
    gamma = 1.0 + z
    c = 4.0 / math.sqrt(max(gamma * gamma - 1.0, GRAD_FLOOR))
    for k in range(dim):
        gx[k] = c / beta * ((yy - 2.0 * xy + 1.0) / (alpha * alpha) * x[k] - y[k] / alpha)
        gy[k] = c / alpha * ((xx - 2.0 * xy + 1.0) / (beta * beta) * y[k] - x[k] / beta)
    return d


@numba.njit(cache=True, error_model="numpy")
def train_epoch(theta, edges, negatives, order, lr, batch_size, mean, l2, eps, hyperbolic):
    """One pass over ``edges`` in ``order``; returns the summed loss. Updates theta in place."""
    n_rows, dim = theta.shape
    n_neg = negatives.shape[1]
    grad = np.zeros_like(theta)
    touched = np.zeros(n_rows, dtype=np.bool_)
    touched_rows = np.empty(batch_size * (n_neg + 2), dtype=np.int64)
    candidates = np.empty(n_neg + 1, dtype=np.int64)
    d = np.empty(n_neg + 1)
    weights = np.empty(n_neg + 1)
    gu = np.empty((n_neg + 1, dim))
    gc = np.empty((n_neg + 1, dim))
    total_loss = 0.0
    for start in range(0, order.shape[0], batch_size):
        stop = min(start + batch_size, order.shape[0])
        n_touched = 0
        # 1. gradients of every example in the batch, at the parameters before the step
        for i in range(start, stop):
            e = order[i]
            u = edges[e, 0]
            candidates[0] = edges[e, 1]
            candidates[1:] = negatives[e]
            for j in range(n_neg + 1):
                d[j] = _distance_and_grads(theta, u, candidates[j], hyperbolic, gu[j], gc[j])
            d_min = d[0]
            for j in range(1, n_neg + 1):
                d_min = min(d_min, d[j])
            total = 0.0
            for j in range(n_neg + 1):
                weights[j] = math.exp(d_min - d[j])  # softmax of -d, shifted so exp cannot overflow
                total += weights[j]
            total_loss += d[0] - d_min + math.log(total)
            for j in range(n_neg + 1):
                dloss_dd = (1.0 if j == 0 else 0.0) - weights[j] / total
                c = candidates[j]
                for k in range(dim):
                    grad[u, k] += dloss_dd * gu[j, k]
                    grad[c, k] += dloss_dd * gc[j, k]
                if not touched[c]:
                    touched[c] = True
                    touched_rows[n_touched] = c
                    n_touched += 1
            if not touched[u]:
                touched[u] = True
                touched_rows[n_touched] = u
                n_touched += 1
        # 2. one (Riemannian) SGD step per touched row, then back into the ball
        step = lr / (stop - start) if mean else lr
        for t in range(n_touched):
            r = touched_rows[t]
            norm2 = 0.0
            for k in range(dim):
                norm2 += theta[r, k] ** 2
            scale = (1.0 - norm2) ** 2 / 4.0 if hyperbolic else 1.0
            for k in range(dim):
                theta[r, k] -= step * scale * (grad[r, k] + 2.0 * l2 * theta[r, k])
                grad[r, k] = 0.0
            touched[r] = False
            if hyperbolic:
                norm = 0.0
                for k in range(dim):
                    norm += theta[r, k] ** 2
                norm = math.sqrt(norm)
                if not math.isfinite(norm):
                    theta[r, 0] = math.nan  # the step overflowed: let train() report it, not hide it
                elif norm > 1.0 - eps:
                    for k in range(dim):
                        theta[r, k] *= (1.0 - eps) / norm
    return total_loss


@numba.njit(cache=True, parallel=True)
def train_epoch_threads(theta, edges, negatives, order, lr, batch_size, mean, l2, eps, hyperbolic, workers):
    """``train_epoch`` on ``workers`` threads at once, each over its own slice of ``order``.

    The threads share ``theta`` without locks ("Hogwild", as word2vec.c's threads do): two threads
    rarely touch the same row, and when they do one update may be lost, which SGD shrugs off. The
    result is no longer bit-for-bit repeatable, because the threads interleave differently each run.
    (A separate function because a parallel numba loop costs time even with one worker.)
    """
    bounds = np.linspace(0, order.shape[0], workers + 1).astype(np.int64)
    losses = np.zeros(workers)
    for w in numba.prange(workers):
        losses[w] = train_epoch(theta, edges, negatives, order[bounds[w]:bounds[w + 1]], lr, batch_size,
                                mean, l2, eps, hyperbolic)
    return losses.sum()


# --- training ---------------------------------------------------------------------------------------

@dataclass
class History:
    """What training leaves behind: mean loss per epoch and (optionally) the embedding after each epoch."""
    loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    snapshots: list[np.ndarray] = field(default_factory=list)  # snapshots[0] is the initial embedding


@dataclass
class PoincareModel:
    """A trained embedding: node names, one row of ``vectors`` per name, and the training history."""
    names: list[str]
    vectors: np.ndarray
    edges: np.ndarray  # the closure as (child, ancestor) index rows
    history: History
    hyperbolic: bool = True
    settings: dict = field(default_factory=dict)  # what train() ran with (the preset and any overrides)

    def __post_init__(self) -> None:
        self._position = {name: i for i, name in enumerate(self.names)}

    def index(self, name: str) -> int:
        """The row of ``vectors`` that holds ``name`` (a dictionary look-up, not a scan)."""
        try:
            return self._position[name]
        except KeyError:
            raise KeyError(f"{name!r} is not a node of this hierarchy ({len(self.names)} nodes).") from None

    def distance(self, a: str, b: str) -> float:
        x, y = self.vectors[self.index(a)], self.vectors[self.index(b)]
        return float(distance(x, y) if self.hyperbolic else np.linalg.norm(x - y))


# Named settings for ``train``. Every argument a preset sets can still be passed to override it.
PRESETS: dict[str, dict] = {
    # The default, for hierarchies of a few thousand nodes (WordNet mammals, fish, trees): mammals in
    # d=5 reach MAP ~0.97, mean rank ~1.1 in about 15 s of CPU (docs/benchmarks.md).
    "small": dict(epochs=400, lr=0.5, n_negatives=50, batch_size=10, burn_in=10, burn_in_factor=0.1,
                  burn_in_negatives="descendants", hard_negatives=0, candidates=50, max_seconds=None,
                  keep_snapshots=True),
    # For closures of hundreds of thousands of rows (the 82,115 WordNet nouns): 10 negatives of which
    # 5 mined after burn-in, and a 30-minute wall-clock budget, as benchmarks/poincare.py trains them.
    "large": dict(epochs=1000, lr=1.0, n_negatives=10, batch_size=10, burn_in=20, burn_in_factor=0.1,
                  burn_in_negatives="descendants", hard_negatives=5, candidates=50, max_seconds=1800.0,
                  keep_snapshots=False),
    # What the paper states (Nickel & Kiela 2017): 10 uniform negatives, burn-in 10 epochs at lr/10.
    # It gives no learning rate or epoch count; 1.0 and 50 are ours (gensim-like short runs).
    "paper": dict(epochs=50, lr=1.0, n_negatives=10, batch_size=10, burn_in=10, burn_in_factor=0.1,
                  burn_in_negatives="uniform", hard_negatives=0, candidates=50, max_seconds=None,
                  keep_snapshots=True),
}
LARGE_CLOSURE = 100_000  # closure rows above which train() picks the "large" preset by itself


def train(closure: list[tuple[str, str]], dim: int = 5, preset: str | None = None, *,
          epochs: int | None = None, lr: float | None = None, n_negatives: int | None = None,
          batch_size: int | None = None, burn_in: int | None = None, burn_in_factor: float | None = None,
          burn_in_negatives: str | None = None, hard_negatives: int | None = None,
          candidates: int | None = None, max_seconds: float | None = None,
          keep_snapshots: bool | None = None, reduce: str = "mean", l2: float = 0.0, eps: float = EPS,
          init_range: float = 1e-3, hyperbolic: bool = True, seed: int | np.random.Generator = 0,
          workers: int = 1, progress: bool = True) -> PoincareModel:
    """Train Poincare (or, with ``hyperbolic=False``, Euclidean) embeddings of a closure.

    ``train(closure, dim=5)`` uses the ``"small"`` preset (``PRESETS``), which fits hierarchies of a
    few thousand nodes well; a closure of more than ``LARGE_CLOSURE`` rows gets the ``"large"`` preset
    instead (with a warning), whose 30-minute budget keeps it from running for hours. ``preset="paper"``
    gives the paper's stated settings. Any argument passed explicitly overrides the preset's value;
    ``model.settings`` records what ran.

    The first ``burn_in`` epochs (counted inside ``epochs``) run at ``lr * burn_in_factor`` so
    that the points, all near the origin, find their angles before they move outwards.

    Negatives are uniform over the allowed nodes (the paper). With ``burn_in_negatives="descendants"``
    the burn-in draws them in proportion to their number of descendants instead, as the
    facebookresearch code does (``-dampening 1.0``): they are then mostly the heads of other
    branches (a leaf is never drawn), so the burn-in sends the branches off in different directions
    before anything moves outwards, and fewer nodes end up settled in another branch's region.

    With ``hard_negatives`` > 0, after burn-in that many of each row's ``n_negatives`` are instead
    the nearest to u of ``candidates`` allowed nodes drawn at every epoch's start
    (``nearest_candidates``); the uniform rest keeps the far-away part of the layout in view.

    ``eps`` sets how close to the boundary a point may go (norm <= 1 - eps, hyperbolic distance to the
    origin <= 2 artanh(1 - eps)): in 2-D a thousand nodes need more room than eps = 1e-5 leaves.

    ``max_seconds`` stops after the epoch during which that much wall time has passed (for time
    budgets on large hierarchies; ``float("inf")`` for none); ``len(history.loss)`` says how many
    epochs ran. ``workers`` > 1 trains on that many threads at once (``train_epoch_threads``):
    faster, no longer bit-for-bit repeatable.
    """
    closure = list(closure)
    if preset is None:
        preset = "large" if len(closure) > LARGE_CLOSURE else "small"
        if preset == "large":
            warnings.warn(f"train: the closure has {len(closure):,} rows, more than {LARGE_CLOSURE:,}; using "
                          f"preset='large' ({PRESETS['large']['max_seconds'] / 60:.0f}-minute budget). "
                          "Pass preset= (or epochs=, max_seconds=) to choose.", stacklevel=2)
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}.")
    given = dict(epochs=epochs, lr=lr, n_negatives=n_negatives, batch_size=batch_size, burn_in=burn_in,
                 burn_in_factor=burn_in_factor, burn_in_negatives=burn_in_negatives,
                 hard_negatives=hard_negatives, candidates=candidates, max_seconds=max_seconds,
                 keep_snapshots=keep_snapshots)
    settings = {**PRESETS[preset], **{k: v for k, v in given.items() if v is not None}}
    epochs, lr, n_negatives, batch_size = (settings[k] for k in ("epochs", "lr", "n_negatives", "batch_size"))
    burn_in, burn_in_factor, burn_in_negatives = (settings[k] for k in ("burn_in", "burn_in_factor",
                                                                         "burn_in_negatives"))
    hard_negatives, candidates = settings["hard_negatives"], settings["candidates"]
    max_seconds, keep_snapshots = settings["max_seconds"], settings["keep_snapshots"]
    settings = {"preset": preset, "dim": dim, **settings, "eps": eps, "seed": seed if isinstance(seed, int) else None}
    if not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be an integer >= 1, got {dim!r}.")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}.")
    _check_eps(eps)
    if not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1 (threads that train at once), got {workers!r}.")
    if not 0 <= hard_negatives <= n_negatives:
        raise ValueError(f"hard_negatives must lie in [0, n_negatives={n_negatives}] (how many of the "
                         f"negatives are mined), got {hard_negatives!r}.")
    if hard_negatives and candidates < hard_negatives:
        raise ValueError(f"candidates must be >= hard_negatives ({hard_negatives}): the nearest "
                         f"hard_negatives of them are kept; got {candidates!r}.")
    if burn_in_negatives not in ("uniform", "descendants"):
        raise ValueError(f"burn_in_negatives must be 'uniform' or 'descendants' (how the burn-in draws "
                         f"negatives), got {burn_in_negatives!r}.")
    if reduce not in ("mean", "sum"):
        raise ValueError(f"reduce must be 'mean' or 'sum' (over the batch), got {reduce!r}.")
    for name, value in [("epochs", epochs), ("burn_in", burn_in), ("n_negatives", n_negatives - 1),
                        ("batch_size", batch_size - 1)]:
        if value < 0:
            raise ValueError(f"{name} must be >= {0 if name in ('epochs', 'burn_in') else 1}.")
    rng = np.random.default_rng(seed)
    closure, self_loops, duplicates = clean_edges(closure)
    if self_loops or duplicates:
        warnings.warn(f"train: dropped {self_loops} self-loop(s) and {duplicates} duplicate edge(s) "
                      "from the closure.", stacklevel=2)
    names, edges = index_edges(closure)
    n = len(names)
    forbidden = forbidden_negatives(edges, n)
    burn_in_weights = descendant_counts(edges, n) if burn_in_negatives == "descendants" else None
    n_allowed = n - np.diff(forbidden[0])
    if np.any(n_allowed[edges[:, 0]] < 1):
        stuck = names[int(edges[np.argmin(n_allowed[edges[:, 0]]), 0])]
        raise ValueError(f"{stuck!r} is related to every other node, so it has no negatives to sample; "
                         "add unrelated nodes to the hierarchy.")
    theta = rng.uniform(-init_range, init_range, size=(n, dim))
    history = History()
    if keep_snapshots:
        history.snapshots.append(theta.copy())
    started = time.perf_counter()
    bar = tqdm(range(epochs), desc="Poincare" if hyperbolic else "Euclidean", disable=not progress)
    for epoch in bar:
        epoch_lr = lr * burn_in_factor if epoch < burn_in else lr
        order = rng.permutation(len(edges))
        if hard_negatives and epoch >= burn_in:
            drawn = sample_negatives(edges, candidates, forbidden, n, rng)
            hard = nearest_candidates(theta, edges, drawn, hard_negatives)
            uniform = sample_negatives(edges, n_negatives - hard_negatives, forbidden, n, rng)
            negatives = np.concatenate([hard, uniform], axis=1)
        else:
            weights = burn_in_weights if epoch < burn_in else None
            negatives = sample_negatives(edges, n_negatives, forbidden, n, rng, weights)
        args = (theta, edges, negatives, order, epoch_lr, batch_size, reduce == "mean", l2, eps, hyperbolic)
        loss = (train_epoch(*args) if workers == 1 else train_epoch_threads(*args, workers)) / len(edges)
        if not (np.isfinite(loss) and np.all(np.isfinite(theta))):
            raise FloatingPointError(f"Training diverged in epoch {epoch + 1} (loss {loss}, non-finite "
                                     f"coordinates): lr={epoch_lr:g} is too large; try lr={lr / 10:g}.")
        history.loss.append(loss)
        history.learning_rate.append(epoch_lr)
        if keep_snapshots:
            history.snapshots.append(theta.copy())
        bar.set_postfix(loss=f"{loss:.4f}")
        if max_seconds is not None and time.perf_counter() - started > max_seconds:
            bar.total = epoch + 1  # a budget that ends the run early is not a failure: no red bar
            bar.refresh()
            break
    bar.close()
    return PoincareModel(names, theta, edges, history, hyperbolic, settings)
