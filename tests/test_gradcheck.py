import numpy as np
import pytest

from teachkit.gradcheck import check_gradients, numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    # f(theta) = sum(theta^3) has gradient 3 theta^2; central differences are exact to O(eps^2).
    theta = np.array([[-1.5, 0.0], [0.5, 2.0]])
    before = theta.copy()
    grad = numerical_gradient(lambda: float(np.sum(theta ** 3)), theta)
    np.testing.assert_allclose(grad, 3 * before ** 2, rtol=1e-7, atol=1e-7)  # error = eps^2 * f''' / 6
    np.testing.assert_array_equal(theta, before)  # every nudge was undone


def test_check_gradients_passes_right_and_fails_wrong_gradients():
    rng = np.random.default_rng(0)
    A, x = rng.normal(size=(4, 3)), rng.normal(size=3)
    f = lambda: float(np.sum(np.tanh(A @ x)))
    right = {"A": np.outer(1 - np.tanh(A @ x) ** 2, x), "x": A.T @ (1 - np.tanh(A @ x) ** 2)}
    errors = check_gradients(f, {"A": A, "x": x}, right)
    assert max(errors.values()) < 1e-6
    wrong = {"A": right["A"], "x": A.T @ np.ones(4)}  # forgot tanh' on the way back
    assert check_gradients(f, {"A": A, "x": x}, wrong)["x"] > 1e-2
    zero = {"A": np.zeros_like(A), "x": np.zeros_like(x)}  # an all-zero "backward pass"
    assert min(check_gradients(f, {"A": A, "x": x}, zero).values()) == pytest.approx(1.0)


def test_relative_error_floor_ignores_roundoff_on_near_zero_elements():
    analytic = np.array([1.0, 1e-12])
    numeric = np.array([1.0, 3e-12])  # roundoff-sized disagreement on a negligible element
    assert relative_error(analytic, numeric) < 1e-8  # 2e-12 judged against 1e-3 * 2
    assert relative_error(analytic, numeric, floor=0.0) == pytest.approx(0.5)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_bad_input_gets_clear_errors():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="unmatched"):
        check_gradients(lambda: 0.0, {"a": np.zeros(2)}, {"b": np.zeros(2)})
