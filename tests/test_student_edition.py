"""The student edition (``make student``): no solution survives, and with the stubs untouched every
exercise check fails, naming its exercise, and nothing else does.

Each student notebook runs top to bottom in a fresh kernel (FAST mode), errors allowed.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import student_edition  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    student_edition.build(out)
    return out


def test_every_notebook_is_written_without_solutions(edition):
    assert sorted(p.name for p in edition.glob("*.ipynb")) == [nb.name for nb in NOTEBOOKS]
    for notebook in edition.glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        assert not [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
        assert not [c for c in cells if "solution_" in "".join(c["source"])
                    and "check" not in c.get("metadata", {}).get("tags", [])], \
            f"{notebook.name}: a solution_ name outside a check cell"
        for cell in cells:
            if {"exercise", "check"} & set(cell.get("metadata", {}).get("tags", [])):
                assert not cell.get("outputs"), f"{notebook.name}: an exercise output survived"


@pytest.mark.parametrize("name", [nb.name for nb in NOTEBOOKS])
def test_untouched_stubs_fail_exactly_their_checks(edition, name):
    notebook = edition / name
    nb = nbformat.read(notebook, as_version=4)
    env_fast = os.environ.get("TEACHKIT_FAST")
    os.environ["TEACHKIT_FAST"] = "1"
    try:
        NotebookClient(nb, timeout=1200, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(edition)}}).execute()
    finally:
        if env_fast is None:
            os.environ.pop("TEACHKIT_FAST")
        else:
            os.environ["TEACHKIT_FAST"] = env_fast
    failed = {}
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                failed[i] = (output.ename, output.evalue)
    checks = {i: cell for i, cell in enumerate(nb.cells) if "check" in cell.metadata.get("tags", [])}
    assert set(failed) == set(checks), (f"errors outside the checks {sorted(set(failed) - set(checks))}: "
                                        f"{[failed[i] for i in sorted(set(failed) - set(checks))]}; "
                                        f"checks that passed on a stub {sorted(set(checks) - set(failed))}")
    for i, cell in checks.items():
        exercise = re.search(r"check\(\s*[\"'](Exercise \d+)[\"']", cell.source).group(1)
        ename, evalue = failed[i]
        assert ename == "AssertionError" and evalue.startswith(f"{exercise}:"), (i, ename, evalue)
