"""teachkit.poincare: the distance against its definitions and gensim, gradients against finite
differences, the projection, the reference step against the numba loop, training, and bad input."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from teachkit import data, hierarchy, plots, poincare
from teachkit.evaluate import reconstruction
from teachkit.gradcheck import numerical_gradient, relative_error

# A small tree as a closure: r -> a, b; a -> a1, a2; b -> b1, b2; plus one unrelated root z -> z1.
TREE = [("a", "r"), ("b", "r"), ("a1", "a"), ("a1", "r"), ("a2", "a"), ("a2", "r"),
        ("b1", "b"), ("b1", "r"), ("b2", "b"), ("b2", "r"), ("z1", "z")]


def ball_points(rng, n, dim, max_norm=0.95):
    x = rng.normal(size=(n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True) * rng.uniform(0, max_norm, size=(n, 1))


points = arrays(np.float64, st.integers(1, 6).map(lambda d: (2, d)),
                elements=st.floats(-0.7, 0.7, allow_nan=False)).map(lambda a: a / max(1.0, np.abs(a).sum() * 1.01))


# --- distance -----------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(points)
def test_distance_is_symmetric_nonnegative_and_zero_only_on_itself(pair):
    u, v = pair
    d_uv, d_vu = poincare.distance(u, v), poincare.distance(v, u)
    assert d_uv >= 0 and poincare.distance(u, u) == 0
    assert d_uv == pytest.approx(d_vu, rel=1e-12, abs=1e-15)
    if np.linalg.norm(u - v) > 1e-6:
        assert d_uv > 0


@settings(max_examples=100, deadline=None)
@given(points)
def test_distance_matches_the_textbook_arccosh_formula(pair):
    u, v = pair
    textbook = np.arccosh(1 + 2 * np.sum((u - v) ** 2) / ((1 - u @ u) * (1 - v @ v)))
    assert poincare.distance(u, v) == pytest.approx(textbook, rel=1e-9, abs=1e-7)


def test_distance_from_origin_is_twice_artanh_of_the_norm_and_obeys_the_triangle_inequality():
    rng = np.random.default_rng(1)
    x = ball_points(rng, 300, 4, max_norm=0.999)
    assert np.allclose(poincare.distance(np.zeros(4), x), 2 * np.arctanh(np.linalg.norm(x, axis=1)))
    a, b, c = x[:100], x[100:200], x[200:]
    assert np.all(poincare.distance(a, c) <= poincare.distance(a, b) + poincare.distance(b, c) + 1e-9)
    # The largest distance to the origin allowed by the projection (docs/references.md: ~12.206).
    edge = poincare.project(np.array([2.0, 0.0]))
    assert poincare.distance(np.zeros(2), edge) == pytest.approx(12.206, abs=1e-3)


def test_distance_is_accurate_for_nearby_points_where_arccosh_rounds_to_zero():
    u = np.array([0.3, 0.1])
    v = u + np.array([1e-10, 0.0])
    # For tiny gaps d ~ 2 |u - v| / (1 - |u|^2); np.arccosh(1 + x) returns 0 here.
    expected = 2 * 1e-10 / (1 - u @ u)
    assert np.arccosh(1 + 2 * 1e-20 / (1 - u @ u) ** 2) == 0.0
    assert poincare.distance(u, v) == pytest.approx(expected, rel=1e-6)


def test_distance_matches_gensim_and_distances_from_matches_distance():
    gensim_poincare = pytest.importorskip("gensim.models.poincare")
    rng = np.random.default_rng(2)
    x = ball_points(rng, 50, 5, max_norm=0.999)
    ours = poincare.distance(x[0], x)
    theirs = gensim_poincare.PoincareKeyedVectors.vector_distance_batch(x[0], x)
    assert np.allclose(ours, theirs, rtol=1e-7, atol=1e-7)
    assert np.allclose(poincare.distances_from(x[0], x), ours, rtol=1e-9, atol=1e-12)


def test_distance_rejects_points_outside_the_ball_and_nan():
    with pytest.raises(ValueError, match="outside the open unit ball"):
        poincare.distance(np.array([1.0, 0.0]), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        poincare.distance(np.array([np.nan, 0.0]), np.zeros(2))


# --- gradients ----------------------------------------------------------------------------------

@pytest.mark.parametrize("max_norm", [0.5, 0.99])
def test_distance_gradient_matches_finite_differences(max_norm):
    rng = np.random.default_rng(3)
    for _ in range(20):
        u, v = ball_points(rng, 2, 5, max_norm=max_norm)
        numeric = numerical_gradient(lambda: float(poincare.distance(u, v)), u, eps=1e-7)
        assert relative_error(poincare.distance_grad(u, v), numeric) < 1e-6


def test_riemannian_scale_is_the_inverse_metric_factor():
    x = np.array([[0.0, 0.0], [0.6, 0.0], [0.0, 0.999]])
    metric_factor = (2 / (1 - np.sum(x**2, axis=1))) ** 2  # g_x = (2 / (1 - |x|^2))^2 g_E
    assert np.allclose(poincare.riemannian_scale(x)[:, 0] * metric_factor, 1.0)


def test_example_loss_is_minus_log_softmax_and_its_gradients_match_finite_differences():
    rng = np.random.default_rng(4)
    theta = ball_points(rng, 8, 3, max_norm=0.9)
    u, v, negatives = 0, 1, np.array([2, 3, 4, 4, 5])  # a repeated negative counts twice
    d = poincare.distance(theta[u], theta[[v, 2, 3, 4, 4, 5]])
    assert poincare.example_loss(theta, u, v, negatives) == pytest.approx(-np.log(np.exp(-d[0]) / np.exp(-d).sum()))
    grads = poincare.example_grads(theta, u, v, negatives)
    numeric = numerical_gradient(lambda: poincare.example_loss(theta, u, v, negatives), theta, eps=1e-7)
    for row in range(len(theta)):
        assert relative_error(grads.get(row, np.zeros(3)), numeric[row]) < 1e-6, row


def test_the_papers_sign_would_push_the_true_neighbour_away():
    # Minimising the paper's printed loss (log softmax, no minus sign) moves u away from v.
    rng = np.random.default_rng(5)
    theta = ball_points(rng, 6, 2, max_norm=0.5)
    negatives = np.array([2, 3, 4, 5])
    before = poincare.distance(theta[0], theta[1])
    right = poincare.reference_step(theta, np.array([[0, 1]]), negatives[None], lr=0.5)
    grads = poincare.example_grads(theta, 0, 1, negatives)
    wrong = theta.copy()
    for row, g in grads.items():
        wrong[row] = poincare.rsgd_step(theta[row], -g, lr=0.5)  # gradient of +log softmax
    assert poincare.distance(right[0], right[1]) < before < poincare.distance(wrong[0], wrong[1])


# --- projection ---------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, (5, 3), elements=st.floats(-1e6, 1e6, allow_nan=False)),
       st.sampled_from([1e-5, 1e-3, 0.1]))
def test_projection_lands_inside_the_ball_and_keeps_direction(x, eps):
    y = poincare.project(x, eps)
    norms_x, norms_y = np.linalg.norm(x, axis=1), np.linalg.norm(y, axis=1)
    assert np.all(norms_y <= 1 - eps + 1e-12)
    inside = norms_x <= 1 - eps
    assert np.array_equal(y[inside], x[inside])
    big = norms_x > 1 - eps
    assert np.allclose(y[big] / norms_y[big, None], x[big] / norms_x[big, None])


def test_the_papers_projection_leaves_about_half_the_boundary_points_outside():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(10_000, 5))
    x /= np.linalg.norm(x, axis=1, keepdims=True) / 1.5  # all outside the ball
    eps = 1e-5
    papers = x / np.linalg.norm(x, axis=1, keepdims=True) - eps
    outside = np.mean(np.linalg.norm(papers, axis=1) >= 1)
    assert 0.4 < outside < 0.6
    assert np.all(np.linalg.norm(poincare.project(x, eps), axis=1) < 1)


@pytest.mark.parametrize("eps", [0, 1, -0.1, 1.5])
def test_eps_outside_zero_one_is_rejected(eps):
    with pytest.raises(ValueError, match=r"eps must lie in \(0, 1\)"):
        poincare.project(np.zeros(2), eps)
    with pytest.raises(ValueError, match=r"eps must lie in \(0, 1\)"):
        poincare.train(TREE, dim=2, epochs=1, eps=eps, progress=False)


# --- negatives, reference step vs the numba loop ------------------------------------------------

def test_negatives_are_never_the_node_or_its_ancestors_and_are_uniform_over_the_rest():
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    forbidden = poincare.forbidden_negatives(edges, n)
    rng = np.random.default_rng(7)
    rows = np.repeat(edges[names.index("a1") == edges[:, 0]][:1], 20_000, axis=0)
    negatives = poincare.sample_negatives(rows, 3, forbidden, n, rng)
    banned = {names.index(x) for x in ("a1", "a", "r")}
    allowed = sorted(set(range(n)) - banned)
    assert set(np.unique(negatives)) == set(allowed)
    counts = np.bincount(negatives.ravel(), minlength=n)[allowed]
    expected = negatives.size / len(allowed)
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))


def test_weighted_negatives_follow_the_weights_of_the_allowed_nodes():
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    forbidden = poincare.forbidden_negatives(edges, n)
    weights = poincare.descendant_counts(edges, n)
    assert {names[i]: int(w) for i, w in enumerate(weights) if w} == {"r": 6, "a": 2, "b": 2, "z": 1}
    rng = np.random.default_rng(7)
    for child in ("a1", "b", "z1"):
        rows = np.repeat(edges[edges[:, 0] == names.index(child)][:1], 20_000, axis=0)
        negatives = poincare.sample_negatives(rows, 3, forbidden, n, rng, weights=weights)
        u = rows[0, 0]
        banned = forbidden[1][forbidden[0][u]:forbidden[0][u + 1]]                 # u and its ancestors
        expected = np.where(np.isin(np.arange(n), banned), 0, weights).astype(float)
        expected *= negatives.size / expected.sum()
        counts = np.bincount(negatives.ravel(), minlength=n)
        assert np.all(counts[expected == 0] == 0), child        # never a leaf, u or an ancestor
        assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected) + 1e-9), child


def test_weighted_negatives_fall_back_to_uniform_when_every_allowed_node_weighs_zero():
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    forbidden = poincare.forbidden_negatives(edges, n)
    weights = np.zeros(n, dtype=np.int64)
    weights[names.index("r")] = 5                              # an ancestor of a1: never drawn for it
    rows = np.repeat(edges[edges[:, 0] == names.index("a1")][:1], 5_000, axis=0)
    negatives = poincare.sample_negatives(rows, 2, forbidden, n, np.random.default_rng(3), weights=weights)
    assert set(np.unique(negatives)) == set(range(n)) - {names.index(x) for x in ("a1", "a", "r")}


@pytest.mark.parametrize("weights", [np.ones(3, dtype=np.int64), np.full(9, 0.5), np.r_[-1, np.ones(8, dtype=np.int64)]])
def test_bad_negative_weights_are_named(weights):
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    with pytest.raises(ValueError, match="weights must hold one non-negative integer per node"):
        poincare.sample_negatives(edges, 2, poincare.forbidden_negatives(edges, len(names)), len(names),
                                  np.random.default_rng(0), weights=weights)


@pytest.mark.parametrize("batch_size,reduce,l2", [(1, "mean", 0.0), (4, "mean", 0.0), (4, "sum", 0.0),
                                                  (3, "mean", 0.1)])
def test_numba_epoch_equals_reference_steps(batch_size, reduce, l2):
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    rng = np.random.default_rng(8)
    theta = ball_points(rng, n, 3, max_norm=0.9)
    negatives = poincare.sample_negatives(edges, 4, poincare.forbidden_negatives(edges, n), n, rng)
    order = rng.permutation(len(edges))
    fast = theta.copy()
    loss = poincare.train_epoch(fast, edges, negatives, order, 0.3, batch_size, reduce == "mean", l2, 1e-5, True)
    slow, expected_loss = theta.copy(), 0.0
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        expected_loss += sum(poincare.example_loss(slow, u, v, negatives[e]) for e, (u, v) in zip(batch, edges[batch]))
        slow = poincare.reference_step(slow, edges[batch], negatives[batch], lr=0.3, reduce=reduce, l2=l2)
    assert np.allclose(fast, slow, rtol=1e-10, atol=1e-12)
    assert loss == pytest.approx(expected_loss, rel=1e-10)


def test_points_stay_inside_the_ball_under_stress():
    # Learning rate 10 and every point started at |x| = 1 - 1e-9: the update may be huge, the
    # projection must still bring every point back inside after every step.
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    rng = np.random.default_rng(9)
    theta = rng.normal(size=(n, 2))
    theta *= (1 - 1e-9) / np.linalg.norm(theta, axis=1, keepdims=True)
    forbidden = poincare.forbidden_negatives(edges, n)
    for step in range(200):
        e = rng.integers(len(edges), size=1)
        negs = poincare.sample_negatives(edges[e], 3, forbidden, n, rng)
        theta = poincare.reference_step(theta, edges[e], negs, lr=10.0)
        touched = np.concatenate([edges[e].ravel(), negs.ravel()])
        assert np.all(np.linalg.norm(theta, axis=1) < 1), step
        assert np.all(np.linalg.norm(theta[touched], axis=1) <= 1 - 1e-5 + 1e-15), step
    for epoch in range(50):
        negs = poincare.sample_negatives(edges, 3, forbidden, n, rng)
        poincare.train_epoch(theta, edges, negs, rng.permutation(len(edges)), 10.0, 1, True, 0.0, 1e-5, True)
        assert np.all(np.isfinite(theta)) and np.all(np.linalg.norm(theta, axis=1) < 1), epoch


def test_nearest_candidates_keeps_the_k_candidates_nearest_to_u_by_poincare_distance():
    from teachkit.hierarchy import index_edges
    names, edges = index_edges(TREE)
    n = len(names)
    rng = np.random.default_rng(10)
    theta = ball_points(rng, n, 3, max_norm=0.95)
    drawn = poincare.sample_negatives(edges, 5, poincare.forbidden_negatives(edges, n), n, rng)
    kept = poincare.nearest_candidates(theta, edges, drawn, 2)
    for (u, _), row, picked in zip(edges, drawn, kept):
        d = poincare.distance(theta[u], theta[row])
        assert set(picked) <= set(row)
        assert sorted(poincare.distance(theta[u], theta[picked])) == pytest.approx(sorted(d)[:2])


# --- training -----------------------------------------------------------------------------------

def test_training_a_toy_tree_reconstructs_it_and_keeps_a_history():
    model = poincare.train(TREE, dim=2, preset="paper", epochs=60, lr=0.5, n_negatives=3, batch_size=2,
                           seed=0, progress=False)
    h = model.history
    assert len(h.loss) == 60 and len(h.snapshots) == 61
    assert h.learning_rate[:10] == [0.05] * 10 and h.learning_rate[10:] == [0.5] * 50
    assert np.array_equal(h.snapshots[-1], model.vectors)
    assert np.mean(h.loss[-5:]) < 0.5 * h.loss[0]
    result = reconstruction(model.vectors, model.edges, poincare.distance)
    assert result.map == 1.0 and result.mean_rank == 1.0
    # the root sits nearer the centre than the leaves
    norms = np.linalg.norm(model.vectors, axis=1)
    assert norms[model.index("r")] < min(norms[model.index(x)] for x in ("a1", "a2", "b1", "b2"))


def test_training_is_reproducible_from_the_seed_and_different_across_seeds():
    a = poincare.train(TREE, dim=2, epochs=5, seed=11, progress=False)
    b = poincare.train(TREE, dim=2, epochs=5, seed=11, progress=False)
    c = poincare.train(TREE, dim=2, epochs=5, seed=12, progress=False)
    assert np.array_equal(a.vectors, b.vectors) and not np.array_equal(a.vectors, c.vectors)


@pytest.mark.parametrize("workers", [1, 2])
def test_mammals_d5_reach_a_good_map_in_a_short_run(workers):
    # Two workers share theta without locks (Hogwild); the result differs run to run but is as good.
    model = poincare.train(data.mammal_closure(), dim=5, preset="paper", epochs=150, keep_snapshots=False,
                           seed=0, progress=False, workers=workers)
    result = reconstruction(model.vectors, model.edges, poincare.distances_from)
    assert result.n_edges == 6540 and result.n_nodes == 1179
    assert result.map > 0.8 and result.mean_rank < 3, result


@pytest.mark.parametrize("hard_negatives", [5, 10])
def test_hard_negatives_train_mammals_better_than_uniform_ones(hard_negatives):
    closure = data.mammal_closure()
    results = {}
    for hard in (0, hard_negatives):
        model = poincare.train(closure, dim=5, preset="paper", epochs=60, hard_negatives=hard, candidates=50,
                               keep_snapshots=False, seed=0, progress=False)
        results[hard] = reconstruction(model.vectors, model.edges, poincare.distances_from)
    assert results[hard_negatives].map > results[0].map + 0.04, results   # uniform alone: 0.808


def test_burn_in_negatives_by_descendants_train_mammals_better_than_uniform_ones():
    # facebookresearch's burn-in draws negatives in proportion to their descendants: mostly the heads
    # of other branches, which sends the branches apart before the points move outwards.
    closure = data.mammal_closure()
    results = {}
    for how in ("uniform", "descendants"):
        model = poincare.train(closure, dim=5, preset="paper", epochs=150, burn_in_negatives=how,
                               keep_snapshots=False, seed=0, progress=False)
        results[how] = reconstruction(model.vectors, model.edges, poincare.distances_from)
    # measured: uniform 0.901 / mean rank 1.61, descendants 0.930 / 1.31
    assert results["descendants"].map > results["uniform"].map + 0.015, results
    assert results["descendants"].mean_rank < results["uniform"].mean_rank - 0.15, results


def test_euclidean_baseline_trains_with_the_same_loop():
    model = poincare.train(TREE, dim=2, epochs=40, lr=0.5, n_negatives=3, hyperbolic=False, seed=0,
                           progress=False)
    assert np.mean(model.history.loss[-5:]) < 0.5 * model.history.loss[0]
    assert model.distance("a", "r") == pytest.approx(np.linalg.norm(model.vectors[model.index("a")]
                                                                    - model.vectors[model.index("r")]))


@pytest.mark.parametrize("kwargs,message", [
    (dict(dim=0), "dim must be an integer >= 1"),
    (dict(dim=2.5), "dim must be an integer >= 1"),
    (dict(lr=-1.0), "lr must be a positive finite number"),
    (dict(lr=float("nan")), "lr must be a positive finite number"),
    (dict(reduce="max"), "reduce must be 'mean' or 'sum'"),
    (dict(n_negatives=0), "n_negatives must be >= 1"),
    (dict(batch_size=0), "batch_size must be >= 1"),
    (dict(workers=0), "workers must be an integer >= 1"),
    (dict(n_negatives=10, hard_negatives=11), r"hard_negatives must lie in \[0, n_negatives=10\]"),
    (dict(hard_negatives=5, candidates=4), r"candidates must be >= hard_negatives \(5\)"),
    (dict(burn_in_negatives="degree"), "burn_in_negatives must be 'uniform' or 'descendants'"),
])
def test_bad_training_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        poincare.train(TREE, **{"dim": 2, "epochs": 1, "progress": False, **kwargs})


def test_a_learning_rate_that_overflows_raises_a_clear_error():
    with pytest.raises(FloatingPointError, match="lr=.* is too large"):
        poincare.train(TREE, dim=2, epochs=3, lr=1e200, burn_in=0, progress=False)
    with pytest.raises(FloatingPointError, match="too large"):
        poincare.train(TREE, dim=2, epochs=3, lr=1e200, burn_in=0, hyperbolic=False, progress=False)


def test_a_node_related_to_everything_has_no_negatives():
    with pytest.raises(ValueError, match="no negatives"):
        poincare.train([("b", "a")], dim=2, epochs=1, progress=False)


def test_unknown_node_name_is_a_clear_key_error():
    model = poincare.train(TREE, dim=2, epochs=1, progress=False)
    with pytest.raises(KeyError, match="not a node"):
        model.distance("a", "unicorn")


def test_self_loops_and_duplicates_in_the_closure_are_dropped_with_a_warning():
    with pytest.warns(UserWarning, match="dropped 1 self-loop.* and 1 duplicate"):
        model = poincare.train(TREE + [("a", "a"), ("b", "r")], dim=2, epochs=1, progress=False)
    assert len(model.edges) == len(TREE)


# --- the defaults and presets ---------------------------------------------------------------------

WORDNET = Path("/usr/share/wordnet/data.noun").exists()


def test_the_default_call_trains_the_mammals_to_the_benchmarks_quality_within_a_minute_of_cpu():
    poincare.train(TREE, dim=5, epochs=12, progress=False)  # numba compiles (and caches) first, not counted
    started = time.process_time()
    model = poincare.train(data.mammal_closure(), dim=5)  # exactly what a student calls
    cpu = time.process_time() - started
    result = reconstruction(model.vectors, model.edges, poincare.distances_from)
    assert model.settings["preset"] == "small" and len(model.history.loss) == poincare.PRESETS["small"]["epochs"]
    assert result.map >= 0.95 and result.mean_rank <= 1.2, result
    assert cpu < 60, f"{cpu:.1f} s CPU"


@pytest.mark.skipif(not WORDNET, reason="apt-get install wordnet-base")
@pytest.mark.parametrize("root", ["fish.n.01", "tree.n.01"])
def test_the_defaults_fit_other_wordnet_hierarchies_they_were_not_tuned_on(root):
    closure = hierarchy.wordnet_subtree_closure(root)
    assert 500 <= len({n for e in closure for n in e}) <= 1200
    model = poincare.train(closure, dim=5, keep_snapshots=False, progress=False)
    result = reconstruction(model.vectors, model.edges, poincare.distances_from)
    assert result.map >= 0.93, result


def test_presets_are_reachable_by_name_and_explicit_arguments_override_them():
    model = poincare.train(TREE, dim=2, preset="paper", epochs=3, progress=False)
    assert {k: model.settings[k] for k in poincare.PRESETS["paper"]} == {**poincare.PRESETS["paper"], "epochs": 3}
    assert model.settings["n_negatives"] == 10 and model.settings["burn_in_negatives"] == "uniform"
    assert len(model.history.loss) == 3 and model.history.learning_rate[0] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="preset must be one of"):
        poincare.train(TREE, dim=2, preset="fast")


def test_a_large_closure_gets_the_budgeted_preset_with_a_warning(monkeypatch):
    monkeypatch.setattr(poincare, "LARGE_CLOSURE", len(TREE) - 1)
    with pytest.warns(UserWarning, match="preset='large'"):
        model = poincare.train(TREE, dim=2, epochs=2, progress=False)
    assert model.settings["preset"] == "large" and model.settings["max_seconds"] == 1800
    assert model.history.snapshots == []  # no per-epoch copies of a large embedding


def test_a_time_budget_ends_training_after_the_epoch_that_spends_it():
    model = poincare.train(TREE, dim=2, epochs=1000, max_seconds=0.0, progress=False)
    assert len(model.history.loss) == 1


def test_model_index_is_a_dictionary_lookup():
    model = poincare.train(TREE, dim=2, epochs=1, progress=False)
    assert isinstance(model._position, dict)
    assert all(model.index(name) == i for i, name in enumerate(model.names))


# --- Mobius re-centring and geodesics -------------------------------------------------------------

def test_recentering_is_an_isometry_that_moves_the_centre_to_the_origin():
    rng = np.random.default_rng(8)
    x = ball_points(rng, 200, 3, max_norm=0.999)
    moved = poincare.recenter(x, x[7])
    assert np.allclose(moved[7], 0, atol=1e-12) and np.all(np.linalg.norm(moved, axis=1) < 1)
    assert np.allclose(poincare.distance(moved[:100], moved[100:]), poincare.distance(x[:100], x[100:]), rtol=1e-7)


def test_geodesic_paths_have_the_hyperbolic_length_of_the_distance_and_chords_are_longer():
    rng = np.random.default_rng(9)
    x = ball_points(rng, 100, 2, max_norm=0.999)
    x[:3] = [[0.5, 0.0], [-0.3, 0.0], [0.0, 0.0]]  # on a diameter: a straight segment
    edges = np.array([[i, (i + 1) % 100] for i in range(100)])
    paths = plots.geodesic_paths(x, edges)
    assert np.allclose(paths[:, 0], x[edges[:, 0]]) and np.allclose(paths[:, -1], x[edges[:, 1]])
    length = poincare.distance(paths[:, :-1], paths[:, 1:]).sum(axis=1)
    exact = poincare.distance(x[edges[:, 0]], x[edges[:, 1]])
    assert np.allclose(length, exact, rtol=1e-9)
    chords = x[edges][:, :1] + np.linspace(0, 1, 24)[None, :, None] * (x[edges][:, 1:] - x[edges][:, :1])
    assert np.all(poincare.distance(chords[:, :-1], chords[:, 1:]).sum(axis=1) >= exact * (1 - 1e-9))
