"""teachkit.poincare_seed: the seed post's loop re-implemented. The numba epoch against a per-example
reference written like the post's loop, the corrected trainer against teachkit.poincare's epoch,
each defect doing what the post's code does, and the NaN that its projection lets through."""
from __future__ import annotations

import math

import numpy as np
import pytest

from teachkit import data, poincare
from teachkit import poincare_seed as ps
from teachkit.hierarchy import ancestors_of, index_edges, transitive_closure, transitive_reduction

# r -> a, b; a -> a1, a2; b -> b1, b2; a1 -> a11; and an unrelated z -> z1
PARENTS = {"r": [], "a": ["r"], "b": ["r"], "a1": ["a"], "a2": ["a"], "b1": ["b"], "b2": ["b"],
           "a11": ["a1"], "z": [], "z1": ["z"]}
CLOSURE = transitive_closure(PARENTS)


def near_boundary_points(rng, n, dim=2):
    x = rng.normal(size=(n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True) * rng.uniform(0.3, 0.999, size=(n, 1))


RECIPES = [ps.SEED, ps.SEED.fix("misaligned_updates"), ps.SEED.fix("u_in_denominator"),
           ps.SEED.fix("subtract_eps_projection"), ps.CORRECTED.keep("per_example_updates"),
           ps.CORRECTED.keep("per_example_updates", "misaligned_updates")]


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: "+".join(r.kept) or "none")
def test_numba_epoch_equals_the_per_example_reference(recipe):
    rng = np.random.default_rng(0)
    theta = near_boundary_points(rng, 12, dim=3)
    pairs = np.array([[0, 1], [2, 3], [4, 1], [5, 6], [0, 7]])
    negatives = rng.integers(8, 12, size=(len(pairs), 4))
    reference = theta.copy()
    losses = [ps.example_reference(reference, int(u), int(v), negs, 0.1, recipe)
              for (u, v), negs in zip(pairs, negatives)]
    fast = theta.copy()
    loss = ps.seed_epoch(fast, pairs, negatives, 0.1, recipe.misaligned_updates, recipe.u_in_denominator,
                         recipe.subtract_eps_projection, True, 1, 1e-5)
    assert np.allclose(fast, reference, rtol=1e-10, atol=1e-13)
    assert loss == pytest.approx(sum(losses), rel=1e-10)


def test_misaligned_updates_shift_every_negative_gradient_one_slot_early():
    rng = np.random.default_rng(1)
    theta = near_boundary_points(rng, 6) * 0.9
    u, v, negatives = 0, 1, np.array([2, 3, 4])
    aligned, misaligned = theta.copy(), theta.copy()
    ps.example_reference(aligned, u, v, negatives, 0.1, ps.SEED.fix("misaligned_updates"))
    ps.example_reference(misaligned, u, v, negatives, 0.1, ps.SEED)
    assert np.array_equal(misaligned[4], theta[4]) and not np.array_equal(aligned[4], theta[4]), \
        "the last negative never moves"
    # negative 1 (node 2) moves by negative 2's gradient: d d(u, node 3) / d node 3, weighted by node 3's
    # softmax term, at node 2's own Riemannian scale
    d = poincare.distance(theta[u], theta[negatives])
    weights = -np.exp(-d) / (1 + np.exp(-d).sum())
    expected = (theta[2] - 0.1 * poincare.riemannian_scale(theta[2]) * weights[1]
                * poincare.distance_grad(theta[3], theta[u]))
    assert np.allclose(misaligned[2], expected, rtol=1e-12)
    assert not np.allclose(misaligned[u], aligned[u]), "u also takes negative 1's own gradient"


def test_the_posts_denominator_holds_u_and_never_lets_the_positive_saturate():
    rng = np.random.default_rng(2)
    theta = near_boundary_points(rng, 6)
    u, v, negatives = 0, 1, np.array([2, 3, 4, 5])
    d = poincare.distance(theta[u], theta[[v, 2, 3, 4, 5]])
    t = theta.copy()
    loss = ps.example_reference(t, u, v, negatives, 0.1, ps.SEED.fix("misaligned_updates"))
    assert loss == pytest.approx(d[0] + np.log(1 + np.exp(-d[1:]).sum()))
    t = theta.copy()
    loss = ps.example_reference(t, u, v, negatives, 0.1, ps.CORRECTED.keep("per_example_updates"))
    assert loss == pytest.approx(-np.log(np.exp(-d[0]) / np.exp(-d).sum()))


def test_the_corrected_trainer_is_teachkit_poincare_s_minibatch_epoch():
    rng = np.random.default_rng(3)
    names, edges = index_edges(CLOSURE)
    theta = rng.uniform(-0.5, 0.5, size=(len(names), 2))
    negatives = poincare.sample_negatives(edges, 5, poincare.forbidden_negatives(edges, len(names)), len(names), rng)
    order = rng.permutation(len(edges))
    ours = theta.copy()
    poincare.train_epoch(ours, edges, negatives, order, 0.7, 4, True, 0.0, 1e-5, True)
    seeds = theta.copy()
    ps.seed_epoch(seeds, edges[order], negatives[order], 0.7, False, False, False, False, 4, 1e-5)
    assert np.allclose(seeds, ours, rtol=1e-9, atol=1e-12)


def test_the_posts_projection_can_leave_a_point_outside_and_the_next_distance_is_nan():
    theta = np.array([[-0.8, -0.7], [0.1, 0.2]])  # node 0 will overshoot in a direction with sum < 0
    ps._project(theta, 0, True, 1e-5)
    assert np.linalg.norm(theta[0]) > 1, "theta/|theta| - eps stays outside for this direction"
    assert ps._gamma_and_grads(theta, 0, 1, np.empty(2), np.empty(2)) < 1  # arcosh of it is NaN
    theta = np.array([[-0.8, -0.7], [0.1, 0.2]])
    ps._project(theta, 0, False, 1e-5)
    assert np.linalg.norm(theta[0]) == pytest.approx(1 - 1e-5)


def test_sampling_follows_the_post_one_child_per_parent_and_direct_link_filter():
    structure = ps._Structure(CLOSURE)
    position = {n: i for i, n in enumerate(structure.names)}
    reduction = {(position[c], position[a]) for c, a in transitive_reduction(CLOSURE)}
    rng = np.random.default_rng(4)
    pairs = structure.pairs(True, rng)
    non_leaves = {a for _, a in reduction}
    assert sorted(pairs[:, 0]) == sorted(non_leaves), "every non-leaf is u once per epoch"
    assert all((v, u) in reduction for u, v in pairs), "v is a direct child of u"
    closure_rows = structure.pairs(False, rng)
    assert len(closure_rows) == len(CLOSURE)
    assert {tuple(r) for r in closure_rows} == {tuple(r) for r in structure.edges}
    # direct filter: u's grandparent can be a negative; closure filter: no ancestor ever is
    a11 = position["a11"]
    rows = np.array([[a11, position["a1"]]] * 4000)
    direct = poincare.sample_negatives(rows, 3, structure.forbidden[("direct", False)], structure.n, rng)
    closure = poincare.sample_negatives(rows, 3, structure.forbidden[("closure", False)], structure.n, rng)
    ancestors = {position[a] for a in ancestors_of(CLOSURE)["a11"]}
    assert {position["a"], position["r"]} <= set(direct.ravel()) and position["a1"] not in set(direct.ravel())
    assert not ancestors & set(closure.ravel()) and a11 not in set(closure.ravel())


def test_ladder_fixes_one_defect_per_rung_and_the_reverse_check_puts_one_back():
    rungs = ps.ladder()
    assert rungs[0][1] == ps.SEED and rungs[-1][1] == ps.CORRECTED and len(rungs) == len(ps.DEFECTS) + 1
    for (_, before), (_, after) in zip(rungs, rungs[1:]):
        assert len(before.kept) - len(after.kept) == 1
    reverse = ps.reverse_check()
    assert reverse[0][1] == ps.CORRECTED and all(len(r.kept) == 1 for _, r in reverse[1:])
    with pytest.raises(ValueError, match="unknown defect"):
        ps.SEED.fix("sign")


def test_the_seed_replica_on_the_mammals_turns_to_nan_and_the_score_says_so():
    run = ps.train_seed(data.mammal_closure(), ps.SEED, epochs=1000, seed=0)
    assert run.first_nan_epoch is not None and run.n_nan > 0
    assert math.isnan(ps.score(run).map)


def test_without_the_misalignment_the_posts_loop_stays_finite_but_poor():
    run = ps.train_seed(data.mammal_closure(), ps.SEED.fix("misaligned_updates"), epochs=300, seed=0)
    assert run.first_nan_epoch is None
    assert ps.score(run).map < 0.3


def test_the_softmax_terms_stay_exact_for_points_at_the_rim():
    # e^{-d} = 1 / (gamma + sqrt(gamma^2 - 1)); the cancelling form gamma - sqrt(gamma^2 - 1) is 0 here.
    rng = np.random.default_rng(5)
    theta = near_boundary_points(rng, 8)
    theta /= np.linalg.norm(theta, axis=1, keepdims=True) / (1 - 1e-9)
    pairs, negatives = np.array([[0, 1], [2, 3]]), np.array([[4, 5, 6], [7, 4, 5]])
    recipe = ps.CORRECTED.keep("per_example_updates")
    reference = theta.copy()
    losses = [ps.example_reference(reference, int(u), int(v), n, 0.1, recipe, eps=1e-12)
              for (u, v), n in zip(pairs, negatives)]
    fast = theta.copy()
    loss = ps.seed_epoch(fast, pairs, negatives, 0.1, False, False, False, True, 1, 1e-12)
    # 1 - |x|^2 ~ 2e-9 is known to ~1e-7 relative here, whichever way it is summed
    assert np.isfinite(loss) and loss == pytest.approx(sum(losses), rel=1e-6)
    assert np.allclose(fast, reference, rtol=1e-6, atol=1e-12)
