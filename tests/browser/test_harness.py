"""The browser checks themselves: a healthy fixture notebook passes them, a broken one fails them.

The broken notebook is the negative control: if the checks stopped noticing a widget whose update
callback raises, a widget that cannot be displayed, or a cell that fails, this test says so.
"""
import fixture_notebooks
from jupyterlab_driver import run_and_check


def _run_fixture(page, lab, artifacts, name, broken):
    path = fixture_notebooks.write(lab.root / "browser-fixtures" / f"{name}.ipynb", broken=broken)
    return run_and_check(page, lab, str(path.relative_to(lab.root)), artifacts)


def test_healthy_widgets_pass_every_check(page, fresh_kernels, artifacts):
    report = _run_fixture(page, fresh_kernels, artifacts, "fixture-healthy", broken=False)
    assert [view.kind for view in report.views] == ["play", "slider"], report.summary()
    assert not report.problems, report.summary()
    assert all(view.screenshot.stat().st_size > 0 for view in report.views)


def test_broken_widgets_are_caught(page, fresh_kernels, artifacts):
    report = _run_fixture(page, fresh_kernels, artifacts, "fixture-broken", broken=True)
    print(report.summary())  # with -s: what the checks say about a broken notebook
    found = "\n".join(report.problems)
    assert [view.kind for view in report.views] == ["play", "slider"], report.summary()
    for view in report.views:  # the update callback raises: neither picture nor label follows
        assert any("picture did not change" in p for p in view.problems), report.summary()
        assert any("label still says" in p for p in view.problems), report.summary()
    assert f"comm_msg -> RuntimeError: {fixture_notebooks.BROKEN_MESSAGE}" in found, \
        "the exception raised in the widget callback was not reported"
    assert "failed to display" in found, "'Error displaying widget' was not reported"
    assert "this cell fails on purpose" in found, "the failing cell was not reported"
    assert "cell 6 was never run" in found, "the cell after the failing one was not reported as unrun"
