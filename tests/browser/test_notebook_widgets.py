"""Every course notebook that shows teachkit widgets, run top to bottom in JupyterLab + Chromium.

Which notebooks: those whose source uses teachkit.widgets (found by reading the .ipynb, so new
notebooks are picked up without editing this file). For each: no error output, no cell left unrun,
no "Error displaying widget", no exception raised by a widget callback, and every view's controls
move its picture and label (see jupyterlab_driver.py for what is checked per view).
"""
import pytest

import course_notebooks
from jupyterlab_driver import run_and_check

WIDGET_NOTEBOOKS = course_notebooks.with_widgets()


@pytest.mark.parametrize("notebook", WIDGET_NOTEBOOKS, ids=[nb.stem for nb in WIDGET_NOTEBOOKS])
def test_widgets_work_in_jupyterlab(notebook, page, fresh_kernels, artifacts):
    report = run_and_check(page, fresh_kernels, f"notebooks/{notebook.name}", artifacts)
    print(f"{notebook.name}: Run All took {report.run_seconds} s; views: "
          + ", ".join(f"{v.kind} '{v.label}'" for v in report.views))
    assert not report.problems, report.summary()
    # A notebook whose committed run displayed frame views must display them here too.
    if "teachkit-frame-label" in notebook.read_text():
        assert report.views, f"{notebook.name}: its saved outputs show frame views, but none rendered"
