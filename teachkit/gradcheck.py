"""Finite-difference gradient checks: is a hand-written backward pass right?

For a scalar function f of an array theta, the central difference

    (f(theta + eps e_i) - f(theta - eps e_i)) / (2 eps)

approximates df/dtheta_i with a truncation error of order eps**2 and a roundoff error of order
1e-16 * |f| / eps; eps = 1e-4 balances the two in float64. Compare it with the analytic gradient
element by element: a correct backward pass agrees to about 1e-7 relative error or better, a wrong
one is off by 1e-2 or more. In float32 the roundoff in f (1e-7 * |f|) swamps the difference, so
always check in float64.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def numerical_gradient(f: Callable[[], float], theta: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to the array ``theta``.

    ``f`` takes no argument: it reads ``theta`` (and whatever else it closes over), which this
    function nudges in place, one element at a time, and restores afterwards.
    """
    if theta.dtype != np.float64:
        raise TypeError(f"numerical_gradient needs a float64 array, got {theta.dtype}: float32 "
                        "roundoff (~1e-7) swamps the difference; convert with .astype(np.float64).")
    grad = np.zeros_like(theta)
    flat, flat_grad = theta.reshape(-1), grad.reshape(-1)  # views: nudging flat nudges theta
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f()
        flat[i] = saved - eps
        f_minus = f()
        flat[i] = saved
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-3) -> float:
    """Largest elementwise |a - n| / max(|a| + |n|, floor * the tensor's largest |a| + |n|).

    The floor keeps elements whose gradient is (almost) zero from dividing roundoff by roundoff:
    an element more than a thousand times smaller than the largest one in its tensor is judged
    against ``floor`` times that largest one instead of against itself. A wrong backward pass is still
    caught: it is off by the order of the gradient itself.
    """
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"shapes differ: analytic {analytic.shape} vs numeric {numeric.shape}; "
                         "the gradient must have the shape of its parameter.")
    if analytic.size == 0:
        return 0.0
    magnitude = np.abs(analytic) + np.abs(numeric)
    scale = np.maximum(magnitude, max(floor * magnitude.max(), 1e-300))
    return float(np.max(np.abs(analytic - numeric) / scale))


def check_gradients(f: Callable[[], float], params: Mapping[str, np.ndarray],
                    grads: Mapping[str, np.ndarray], eps: float = 1e-4) -> dict[str, float]:
    """Relative error of each analytic gradient in ``grads`` against finite differences of ``f``.

    ``params`` maps names to the float64 arrays that ``f`` reads; ``grads`` maps the same names to
    the gradients your backward pass computed. Returns {name: max relative error}.
    """
    missing = set(params) ^ set(grads)
    if missing:
        raise ValueError(f"params and grads must have the same names; unmatched: {sorted(missing)}.")
    return {name: relative_error(grads[name], numerical_gradient(f, params[name], eps))
            for name in params}
