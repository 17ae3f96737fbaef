"""Exercise checks: test the student's answer, never the worked solution in its place.

Every exercise in the course has four parts, marked with cell tags so that a tool can build the
student edition (``make student``):

* a statement (Markdown);
* a **stub** cell (tag ``exercise``) that the student edits: a name set to ``None`` or a function
  whose body is ``...``, so the rest of the notebook still runs;
* a **solution** (tag ``solution``: a "Solution" heading and a collapsed code cell) that defines
  ``solution_<name>`` and never reassigns the student's names;
* a **check** cell (tag ``check``) that calls :func:`check` with a test of the question asked.

:func:`check` runs the test on the student's answer. If the stub is still untouched it raises an
``AssertionError`` naming the exercise, unless the worked solution is present (the full edition),
in which case it runs the same test on the solution instead and says so. The student edition has
no solutions, so there an untouched stub always fails its check.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any


def untouched(answer: Any) -> bool:
    """Is ``answer`` still the stub? ``None``, ``...``, a function whose body is only ``...``,
    ``pass`` or a docstring, or a tuple holding any of these."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, tuple):
        return any(untouched(a) for a in answer)
    if inspect.isfunction(answer):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(answer)))
        except (OSError, TypeError, SyntaxError):  # no source to read (e.g. built with exec): attempted
            return False
        body = tree.body[0].body
        return all(isinstance(node, ast.Pass)
                   or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                       and (node.value.value is Ellipsis or isinstance(node.value.value, str)))
                   for node in body)
    return False


def check(exercise: str, test: Callable[[Any], str | None], answer: Any, solution: Any = None) -> None:
    """Run ``test(answer)`` for the exercise named ``exercise`` (e.g. ``"Exercise 2"``).

    ``test`` asserts what the question asks and may return a sentence to print after a pass.
    ``answer`` is the student's value or function (a tuple for several); ``solution`` the worked
    solution's, or ``None`` where there is none (the student edition).

    Raises ``AssertionError`` starting with ``exercise``: when the test fails on the student's
    answer (with the test's message), or when the stub is untouched and there is no solution.
    """
    if not untouched(answer):
        try:
            message = test(answer)
        except AssertionError as error:
            raise AssertionError(f"{exercise}: {error or 'the check failed'}") from None
        print(f"{exercise}: correct." + (f" {message}" if message else ""))
        return
    if solution is None or untouched(solution):
        raise AssertionError(f"{exercise}: not attempted yet. Fill in the stub cell above, run it, "
                             "then run this check again.")
    try:
        test(solution)
    except AssertionError as error:  # a broken solution is the course's bug, not the student's
        raise AssertionError(f"{exercise}: the worked solution fails its own check: {error}") from None
    print(f"{exercise}: your stub is still empty; the worked solution (collapsed above) passes this "
          "check. Try it yourself, then run this cell again.")
