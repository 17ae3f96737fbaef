"""The course's seed post on Poincare embeddings, re-implemented, with each of its defects behind a switch.

Notebook 05 answers a blog post (a Chinese series on hyperbolic embeddings, part 2) that trained
Poincare embeddings per example in 2-D and got a muddled disk. Its maths is right (it even catches
the paper's missing minus sign); its training loop is not. This module re-implements that loop as
the post describes it, in our own code, so that the notebook can *measure* what each defect costs:

``misaligned_updates``
    The post's list of softmax terms starts with a dummy slot (u, u) before the negatives. The
    negatives' gradients are computed for the real negatives only and then paired slot by slot with
    the list that still has the dummy in front, so every gradient lands one slot early: u also takes
    the first negative's own gradient, negative i moves by negative i+1's, the last one never moves.
``u_in_denominator``
    The softmax runs over {u} and 9 negatives (e^{-d(u,u)} = 1), not over the positive v and the
    negatives: the loss is d(u, v) + log(1 + sum e^{-d(u, v')}) and dL/dd(u, v) is 1 forever.
    Fixed: {v} and 10 negatives, as facebookresearch's code does (the post says 10).
``parent_sampling``
    Each epoch visits every non-leaf node u once and draws one random *child* v of it, on the direct
    links; leaves are never u. Fixed: every closure row (child, ancestor) once per epoch, child as u.
``direct_link_filter``
    A negative may not be u, a direct parent or a direct child of u; grandparents slip through.
    Fixed: no ancestor of u (or, with ``parent_sampling``, no descendant) is a negative.
``subtract_eps_projection``
    A point that leaves the ball is put back by theta / |theta| - eps, eps taken off every coordinate:
    about half the directions stay outside, the next distance takes arccosh of a number below 1, and
    NaN spreads. Nothing here clamps it away. Fixed: theta / |theta| * (1 - eps).
``no_burn_in``
    The full learning rate from the first epoch. Fixed: 10 epochs at lr / 10.
``per_example_updates``
    Every gradient is applied on its own, at once, at lr 0.1 (each row rescaled and projected after
    each of its updates). Fixed: minibatches of 10, gradients added per row and averaged, one step
    per touched row at ``batch_lr`` (the update of ``teachkit.poincare.train``; tests prove it).

``train_seed(closure, recipe)`` trains with any mix of them; ``ladder()`` fixes them one at a time
(rung 0 is the post, the last rung the corrected trainer) and ``reverse_check`` puts each back alone
into the corrected trainer. ``example_reference`` is one example written like the post's loop (Python
lists, the misalignment arising from the same zip), and tests prove the numba epoch equals it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numba
import numpy as np

from teachkit import poincare
from teachkit.hierarchy import index_edges, transitive_reduction

SEED_SETTINGS = dict(dim=2, epochs=1000, lr=0.1, n_negatives=10, eps=1e-5, init_range=1e-3)
# The multi-seed study of benchmarks/poincare_seed_study.py (notebook 05 shows it next to a live pass).
STUDY_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "poincare_seed_study.json"


@dataclass(frozen=True)
class Recipe:
    """Which of the post's defects a run keeps (True) or fixes (False); see the module docstring."""
    misaligned_updates: bool = True
    u_in_denominator: bool = True
    parent_sampling: bool = True
    direct_link_filter: bool = True
    subtract_eps_projection: bool = True
    no_burn_in: bool = True
    per_example_updates: bool = True

    def fix(self, *defects: str) -> "Recipe":
        return replace(self, **{d: False for d in _known(defects)})

    def keep(self, *defects: str) -> "Recipe":
        return replace(self, **{d: True for d in _known(defects)})

    @property
    def kept(self) -> list[str]:
        return [d for d in DEFECTS if getattr(self, d)]


def _known(defects) -> tuple[str, ...]:
    unknown = [d for d in defects if d not in DEFECTS]
    if unknown:
        raise ValueError(f"unknown defect(s) {unknown}; the defects are {list(DEFECTS)}.")
    return tuple(defects)


DEFECTS = tuple(f.name for f in fields(Recipe))
SEED = Recipe()
CORRECTED = SEED.fix(*DEFECTS)

# What fixing each defect means, in the ladder's order (one line each, for tables).
FIXES = {
    "misaligned_updates": "negative updates aligned",
    "u_in_denominator": "v in the denominator, 10 negatives",
    "parent_sampling": "every closure row once, child as u",
    "direct_link_filter": "negatives filtered on the closure",
    "subtract_eps_projection": "scaled projection",
    "no_burn_in": "burn-in (10 epochs at lr/10)",
    "per_example_updates": "minibatches of 10 (mean), lr 1.0",
}


def ladder() -> list[tuple[str, Recipe]]:
    """Rung 0 is the post; rung k fixes the first k defects (in ``FIXES`` order)."""
    rungs, recipe = [("the post (seed replica)", SEED)], SEED
    for defect, label in FIXES.items():
        recipe = recipe.fix(defect)
        rungs.append((f"+ {label}", recipe))
    return rungs


def reverse_check() -> list[tuple[str, Recipe]]:
    """The corrected trainer, then the corrected trainer with one defect put back at a time."""
    return [("corrected trainer", CORRECTED)] + [(f"corrected, but {d.replace('_', ' ')}", CORRECTED.keep(d))
                                                   for d in DEFECTS]


# --- the geometry as the post computes it ------------------------------------------------------------

@numba.njit(cache=True, error_model="numpy")
def _gamma_and_grads(theta, a, b, ga, gb):
    """gamma = 1 + 2|x - y|^2 / ((1 - |x|^2)(1 - |y|^2)) for x = theta[a], y = theta[b]; writes
    d arcosh(gamma)/dx into ga and d/dy into gb (the paper's eq. 4, no floor, no clamp: a point
    outside the ball gives gamma < 1 and arcosh(gamma) = NaN, as in the post)."""
    dim = theta.shape[1]
    xx, yy, xy, gap2 = 0.0, 0.0, 0.0, 0.0
    for k in range(dim):
        x, y = theta[a, k], theta[b, k]
        xx += x * x
        yy += y * y
        xy += x * y
        gap2 += (x - y) * (x - y)
    alpha, beta = 1.0 - xx, 1.0 - yy
    gamma = 1.0 + 2.0 * gap2 / (alpha * beta)
    c = 4.0 / (alpha * beta * math.sqrt(gamma * gamma - 1.0))
    for k in range(dim):
        ga[k] = c * ((yy - 2.0 * xy + 1.0) / alpha * theta[a, k] - theta[b, k])
        gb[k] = c * ((xx - 2.0 * xy + 1.0) / beta * theta[b, k] - theta[a, k])
    return gamma


@numba.njit(cache=True, error_model="numpy")
def _project(theta, r, subtract_eps, eps):
    dim = theta.shape[1]
    norm2 = 0.0
    for k in range(dim):
        norm2 += theta[r, k] * theta[r, k]
    if subtract_eps:
        if norm2 >= 1.0:  # the post: theta / |theta| - eps (eps off every coordinate)
            norm = math.sqrt(norm2)
            for k in range(dim):
                theta[r, k] = theta[r, k] / norm - eps
    else:
        norm = math.sqrt(norm2)
        if norm > 1.0 - eps:
            for k in range(dim):
                theta[r, k] *= (1.0 - eps) / norm


@numba.njit(cache=True, error_model="numpy")
def _step(theta, r, g, coefficient, lr, subtract_eps, eps):
    """theta_r <- proj(theta_r - lr (1 - |theta_r|^2)^2 / 4 * coefficient * g): one RSGD update."""
    dim = theta.shape[1]
    norm2 = 0.0
    for k in range(dim):
        norm2 += theta[r, k] * theta[r, k]
    scale = lr * (1.0 - norm2) ** 2 / 4.0 * coefficient
    for k in range(dim):
        theta[r, k] -= scale * g[k]
    _project(theta, r, subtract_eps, eps)


@numba.njit(cache=True, error_model="numpy")
def seed_epoch(theta, pairs, negatives, lr, misaligned, u_in_denominator, subtract_eps, sequential,
               batch_size, eps):
    """One epoch over ``pairs`` (u, v) in order, with ``negatives[i]`` for pair i; returns the summed loss.

    ``sequential``: the post's per-example updates, each contribution applied on its own at once.
    Otherwise minibatches of ``batch_size``: contributions added per row, averaged, one step per row.
    """
    n_rows, dim = theta.shape
    k_neg = negatives.shape[1]
    gu = np.empty((k_neg + 1, dim))  # row 0: the positive; row j: negative j
    gc = np.empty((k_neg + 1, dim))
    weight = np.empty(k_neg + 1)
    ed = np.empty(k_neg + 1)  # e^{-d(u, .)}
    grad = np.zeros_like(theta)
    touched = np.zeros(n_rows, dtype=np.bool_)
    touched_rows = np.empty(batch_size * (k_neg + 2), dtype=np.int64)
    n_touched = 0
    in_batch = 0
    total_loss = 0.0
    for i in range(pairs.shape[0]):
        u, v = pairs[i, 0], pairs[i, 1]
        # 1. e^{-d} for the positive and each negative, and the distance gradients, all at the
        #    parameters before this example's updates. With d = arcosh(gamma) = log(gamma + sqrt(gamma^2 - 1)),
        #    e^{-d} = 1 / (gamma + sqrt(gamma^2 - 1)): no exp, no arcosh (and no cancellation, unlike
        #    gamma - sqrt(gamma^2 - 1), which is 0 in floating point once gamma > 1e8). arcosh is NaN
        #    below 1, and so is this.
        for j in range(k_neg + 1):
            gamma = _gamma_and_grads(theta, u, v if j == 0 else negatives[i, j - 1], gu[j], gc[j])
            ed[j] = 1.0 / (gamma + math.sqrt(gamma * gamma - 1.0)) if gamma >= 1.0 else math.nan
        # 2. the softmax: over {u} + negatives (the post: e^{-d(u,u)} = 1) or over {v} + negatives
        z = 1.0 if u_in_denominator else ed[0]
        for j in range(1, k_neg + 1):
            z += ed[j]
        total_loss += math.log(z) - math.log(ed[0])  # d(u, v) + log z
        weight[0] = 1.0 if u_in_denominator else 1.0 - ed[0] / z  # dL/dd(u, v)
        for j in range(1, k_neg + 1):
            weight[j] = -ed[j] / z                                 # dL/dd(u, v'_j)
        # 3. who receives what, in the post's order: u and v for the positive, then slot by slot.
        #    The slots are [head, v'_1, ..., v'_K] with head = u (the post) or v. Aligned, slot j takes
        #    negative j's gradients; misaligned, slot j takes negative j+1's (the head takes v'_1's).
        #    Every u-part goes to u either way.
        n_contrib = 2 + 2 * k_neg
        for c in range(n_contrib):
            if c == 0:
                r, j, part_u = u, 0, True
            elif c == 1:
                r, j, part_u = v, 0, False
            else:
                slot_j = (c - 2) // 2 + 1          # negative j = 1..K, in order
                part_u = (c - 2) % 2 == 0
                if misaligned:
                    slot = slot_j - 1              # negative j's gradients land in slot j - 1
                    if part_u:
                        r = u
                    elif slot == 0:
                        r = u if u_in_denominator else v
                    else:
                        r = negatives[i, slot - 1]
                else:
                    r = u if part_u else negatives[i, slot_j - 1]
                j = slot_j
            g = gu[j] if part_u else gc[j]
            if sequential:
                _step(theta, r, g, weight[j], lr, subtract_eps, eps)
            else:
                for k in range(dim):
                    grad[r, k] += weight[j] * g[k]
                if not touched[r]:
                    touched[r] = True
                    touched_rows[n_touched] = r
                    n_touched += 1
        if not sequential:
            in_batch += 1
            if in_batch == batch_size or i == pairs.shape[0] - 1:
                step = lr / in_batch
                for t in range(n_touched):
                    r = touched_rows[t]
                    _step(theta, r, grad[r], 1.0, step, subtract_eps, eps)
                    for k in range(dim):
                        grad[r, k] = 0.0
                    touched[r] = False
                n_touched = 0
                in_batch = 0
    return total_loss


# --- one example, written like the post's loop (the reference the tests compare with) -----------------

def example_reference(theta: np.ndarray, u: int, v: int, negatives, lr: float, recipe: Recipe,
                      eps: float = 1e-5) -> float:
    """One per-example update of ``theta`` in place, structured like the post: a list of candidate
    pairs that starts with a head slot, the negatives' gradients computed for the real negatives,
    then paired with the slots by ``zip`` (from slot 1 if aligned, from slot 0, as the post does,
    if ``recipe.misaligned_updates``). Returns the example's loss. Only ``sequential`` updates."""
    def gamma_of(x, y):
        return 1 + 2 * np.dot(x - y, x - y) / ((1 - np.dot(x, x)) * (1 - np.dot(y, y)))

    def grad_of(x, y, gamma):  # d arcosh(gamma(x, y)) / dx, eq. 4
        alpha, beta = 1 - np.dot(x, x), 1 - np.dot(y, y)
        return 4 / (alpha * beta * np.sqrt(gamma**2 - 1)) * ((np.dot(y, y) - 2 * np.dot(x, y) + 1) / alpha * x - y)

    def update(row, g, coefficient):
        x = theta[row] - lr * (1 - np.dot(theta[row], theta[row])) ** 2 / 4 * coefficient * g
        if recipe.subtract_eps_projection:
            if np.dot(x, x) >= 1:
                x = x / np.sqrt(np.dot(x, x)) - eps
        elif np.linalg.norm(x) > 1 - eps:
            x = x / np.linalg.norm(x) * (1 - eps)
        theta[row] = x

    head = u if recipe.u_in_denominator else v
    slots = [(u, head)] + [(u, int(n)) for n in negatives]
    gammas = [gamma_of(theta[a], theta[b]) for a, b in slots[1:]]
    d_neg = [np.arccosh(g) for g in gammas]
    gamma_pos = gamma_of(theta[u], theta[v])
    d_pos = np.arccosh(gamma_pos)
    z = (1.0 if recipe.u_in_denominator else np.exp(-d_pos)) + sum(np.exp(-d) for d in d_neg)
    w_pos = 1.0 if recipe.u_in_denominator else 1 - np.exp(-d_pos) / z
    g_pos = (grad_of(theta[u], theta[v], gamma_pos), grad_of(theta[v], theta[u], gamma_pos))
    neg_grads = [(-np.exp(-d) / z, grad_of(theta[a], theta[b], g), grad_of(theta[b], theta[a], g))
                 for (a, b), d, g in zip(slots[1:], d_neg, gammas)]
    update(u, g_pos[0], w_pos)
    update(v, g_pos[1], w_pos)
    for (a, b), (w, g_a, g_b) in zip(slots if recipe.misaligned_updates else slots[1:], neg_grads):
        update(a, g_a, w)
        update(b, g_b, w)
    return float(d_pos + np.log(z))


# --- sampling and training ----------------------------------------------------------------------------

@dataclass
class SeedRun:
    """A run of ``train_seed``: the nodes, their final vectors, the summed loss per epoch (as the post
    prints it) and, if asked, snapshots; ``first_nan_epoch`` is the first epoch after which some
    coordinate was NaN (None if never)."""
    names: list[str]
    vectors: np.ndarray
    edges: np.ndarray  # the closure as (child, ancestor) index rows, for the evaluation
    recipe: Recipe
    loss: list[float] = field(default_factory=list)
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)  # epoch -> vectors after it
    first_nan_epoch: int | None = None

    @property
    def n_nan(self) -> int:
        """Nodes with a NaN coordinate."""
        return int(np.sum(~np.all(np.isfinite(self.vectors), axis=1)))

    @property
    def n_outside(self) -> int:
        """Finite nodes that lie on or outside the unit circle."""
        finite = np.all(np.isfinite(self.vectors), axis=1)
        return int(np.sum(np.linalg.norm(self.vectors[finite], axis=1) >= 1))


class _Structure:
    """The closure indexed once: closure rows, direct links, and the forbidden-negative lists."""

    def __init__(self, closure):
        self.names, self.edges = index_edges(closure)
        n = len(self.names)
        position = {name: i for i, name in enumerate(self.names)}
        reduction = np.array([[position[c], position[a]] for c, a in transitive_reduction(closure)])
        self.n = n
        # parent -> its direct children (the post's adjacency: leaves have none)
        order = np.argsort(reduction[:, 1], kind="stable")
        self.child_of = reduction[order, 0]
        self.child_starts = np.searchsorted(reduction[order, 1], np.arange(n + 1))
        self.parents = np.flatnonzero(np.diff(self.child_starts))
        direct_both = np.concatenate([reduction, reduction[:, ::-1]])  # u's direct parents and children
        self.forbidden = {
            ("direct", True): poincare.forbidden_negatives(direct_both, n),
            ("direct", False): poincare.forbidden_negatives(direct_both, n),
            ("closure", True): poincare.forbidden_negatives(self.edges[:, ::-1].copy(), n),  # descendants of u
            ("closure", False): poincare.forbidden_negatives(self.edges, n),                # ancestors of u
        }

    def pairs(self, parent_sampling: bool, rng: np.random.Generator) -> np.ndarray:
        if not parent_sampling:
            return self.edges[rng.permutation(len(self.edges))]
        u = rng.permutation(self.parents)
        counts = self.child_starts[u + 1] - self.child_starts[u]
        picks = self.child_starts[u] + (rng.random(len(u)) * counts).astype(np.int64)
        return np.stack([u, self.child_of[picks]], axis=1)


def train_seed(closure, recipe: Recipe = SEED, dim: int = 2, epochs: int = 1000, lr: float = 0.1,
               n_negatives: int = 10, batch_size: int = 10, batch_lr: float = 1.0, burn_in: int = 10,
               burn_in_factor: float = 0.1, eps: float = 1e-5, init_range: float = 1e-3, seed: int = 0,
               snapshot_epochs=()) -> SeedRun:
    """Train on ``closure`` with the post's loop, keeping the defects ``recipe`` keeps.

    The post's settings are the defaults (2-D, 1000 epochs, lr 0.1 per example, "10 negatives" of
    which the first is u itself, eps 1e-5, U(-0.001, 0.001)). Fixing ``per_example_updates`` trains in
    minibatches of ``batch_size`` at ``batch_lr``; fixing ``no_burn_in`` runs the first ``burn_in``
    epochs at ``burn_in_factor`` times the rate. ``snapshot_epochs`` lists epochs after which to keep
    a copy of the vectors (0 is the initialisation). NaN is not caught: it is what the post would get.
    """
    if not isinstance(recipe, Recipe):
        raise TypeError(f"recipe must be a poincare_seed.Recipe (e.g. SEED, CORRECTED), got {type(recipe).__name__}.")
    if n_negatives < 2:
        raise ValueError(f"n_negatives must be >= 2 (the post's list holds u and n_negatives - 1 nodes), "
                         f"got {n_negatives}.")
    rng = np.random.default_rng(seed)
    structure = _Structure(closure)
    theta = rng.uniform(-init_range, init_range, size=(structure.n, dim))
    run = SeedRun(structure.names, theta, structure.edges, recipe)
    snapshot_epochs = set(snapshot_epochs)
    if 0 in snapshot_epochs:
        run.snapshots[0] = theta.copy()
    k_neg = n_negatives - 1 if recipe.u_in_denominator else n_negatives
    forbidden = structure.forbidden[("direct" if recipe.direct_link_filter else "closure", recipe.parent_sampling)]
    for epoch in range(epochs):
        pairs = structure.pairs(recipe.parent_sampling, rng)
        negatives = poincare.sample_negatives(pairs, k_neg, forbidden, structure.n, rng)
        if recipe.per_example_updates:
            rate = lr
        else:
            rate = batch_lr
        if not recipe.no_burn_in and epoch < burn_in:
            rate *= burn_in_factor
        loss = seed_epoch(theta, pairs, negatives, rate, recipe.misaligned_updates, recipe.u_in_denominator,
                          recipe.subtract_eps_projection, recipe.per_example_updates, batch_size, eps)
        run.loss.append(float(loss))
        if run.first_nan_epoch is None and not np.all(np.isfinite(theta)):
            run.first_nan_epoch = epoch + 1
        if epoch + 1 in snapshot_epochs:
            run.snapshots[epoch + 1] = theta.copy()
    return run


@dataclass
class SeedScore:
    """Reconstruction mean rank and MAP, NaN when some vector is NaN or outside the ball."""
    mean_rank: float
    map: float
    n_nan: int
    n_outside: int


def score(run: SeedRun) -> SeedScore:
    """``teachkit.evaluate.reconstruction`` of a run, or NaN (not clamped) when the embedding broke."""
    from teachkit.evaluate import reconstruction

    if run.n_nan or run.n_outside:
        return SeedScore(math.nan, math.nan, run.n_nan, run.n_outside)
    result = reconstruction(run.vectors, run.edges, poincare.distances_from)
    return SeedScore(result.mean_rank, result.map, 0, 0)


def load_study(file=STUDY_FILE) -> dict:
    """The recorded multi-seed study (ladder, reverse check, burn-in) written by
    ``benchmarks/poincare_seed_study.py``."""
    file = Path(file)
    if not file.exists():
        raise FileNotFoundError(f"{file} is missing; record it with `python benchmarks/poincare_seed_study.py`.")
    return json.loads(file.read_text(encoding="utf-8"))
