"""teachkit.exercises: the check tests the student's answer, and an untouched stub fails by name."""
import pytest

from teachkit.exercises import check, untouched


def stub(x):
    ...  # your code here


def stub_with_docstring(x):
    """Return x squared."""
    pass


def attempted(x):
    return x * x


def wrong(x):
    return x + x


def test_stub_shapes_count_as_untouched():
    assert untouched(None) and untouched(...) and untouched(stub) and untouched(stub_with_docstring)
    assert untouched((1.0, None))
    assert not untouched(attempted) and not untouched(0.0) and not untouched((1, 2))


def square_test(f):
    assert f(3) == 9, "f(3) should be 9"
    return "squares work"


def test_a_right_answer_passes_and_says_so(capsys):
    check("Exercise 1", square_test, attempted)
    assert capsys.readouterr().out == "Exercise 1: correct. squares work\n"


def test_a_wrong_answer_fails_with_the_exercise_and_the_reason_even_with_a_solution():
    with pytest.raises(AssertionError, match=r"^Exercise 2: f\(3\) should be 9"):
        check("Exercise 2", square_test, wrong, solution=attempted)


def test_an_untouched_stub_fails_without_a_solution():
    with pytest.raises(AssertionError, match="^Exercise 3: not attempted yet"):
        check("Exercise 3", square_test, stub, solution=None)


def test_an_untouched_stub_checks_the_solution_instead_and_says_so(capsys):
    check("Exercise 4", square_test, stub, solution=attempted)
    out = capsys.readouterr().out
    assert out.startswith("Exercise 4: your stub is still empty") and "squares work" not in out


def test_a_broken_solution_is_reported_as_the_course_s_bug():
    with pytest.raises(AssertionError, match="worked solution fails its own check"):
        check("Exercise 5", square_test, None, solution=wrong)
