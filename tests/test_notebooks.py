"""What a reader sees in the committed notebooks: executed, clean, honest about numbers, and with
exercises a student can do (the pattern of ``teachkit/exercises.py``)."""
from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from prose_allowlist import ALLOWED
from prose_numbers import unbacked

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [nb.stem for nb in NOTEBOOKS]


def cells_of(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_executed_top_to_bottom_with_a_kernelspec(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", "no kernelspec: JupyterLab asks for one"
    counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]
    assert all(isinstance(n, int) for n in counts), "some code cells were never run"
    assert counts == list(range(1, len(counts) + 1)), "not run top to bottom in one fresh kernel"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_no_stderr_and_no_error_outputs(notebook):
    bad = [(i, o.get("name") or o["output_type"]) for i, c in enumerate(cells_of(notebook))
           for o in c.get("outputs", []) if o.get("name") == "stderr" or o["output_type"] == "error"]
    assert not bad, f"outputs a reader takes for errors (cell, stream): {bad}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_no_progress_bar_saved_in_the_danger_style(notebook):
    """tqdm turns a bar red when it stops short of its total: the total must be what is counted."""
    state = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("widgets", {})
    models = state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    red = [k for k, m in models.items() if m.get("state", {}).get("bar_style") == "danger"]
    assert not red, f"{len(red)} progress bar(s) saved red (stopped short of their total)"


@pytest.mark.parametrize("notebook", NOTEBOOKS[:-1], ids=IDS[:-1])
def test_ends_with_a_link_to_the_next_notebook(notebook):
    following = NOTEBOOKS[NOTEBOOKS.index(notebook) + 1].name
    last = source(cells_of(notebook)[-1])
    assert re.search(r"Next:.*\(" + re.escape(following) + r"\)", last), f"the last cell should link to {following}"


def test_nothing_refers_to_files_outside_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"REFERENCE\.md|DESIGN\.md|\.\./shared|shared/seeds")
    hits = [p for p in tracked if (ROOT / p).is_file() and p != "tests/test_notebooks.py"
            and outside.search((ROOT / p).read_text(encoding="utf-8", errors="ignore"))]
    assert not hits, f"these files point outside the repository (put what they need in docs/): {hits}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_numbers_in_prose_are_quoted_asserted_or_cited(notebook):
    allowed = ALLOWED.get(notebook.stem, [])
    assert all(reason.strip() for _, reason in allowed), "every allowlist entry needs a reason"
    problems = unbacked(notebook, allowed)
    assert not problems, ("numbers in the prose that no nearby output or code shows; print them just above, "
                          "assert them, or cite them in tests/prose_allowlist.py:\n  " + "\n  ".join(problems))


# --- exercises ---------------------------------------------------------------------------------

def exercises(notebook: Path) -> list[dict]:
    """The exercises of a notebook: from each "**Exercise N" statement to the next one."""
    found = []
    for i, cell in enumerate(cells_of(notebook)):
        heading = re.match(r"\*\*(Exercise \d+)\b", source(cell).strip()) if cell["cell_type"] == "markdown" else None
        if heading:
            found.append({"name": heading.group(1), "cells": []})
        elif found:
            found[-1]["cells"].append((i, cell))
    return found


def assigned_names(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_a_stub_a_hidden_solution_and_a_check(notebook):
    found = exercises(notebook)
    assert found, "every notebook ends with exercises"
    for exercise in found:
        name, cells = exercise["name"], exercise["cells"]
        stubs = [(i, c) for i, c in cells if "exercise" in tags(c)]
        solutions = [(i, c) for i, c in cells if "solution" in tags(c) and c["cell_type"] == "code"]
        checks = [(i, c) for i, c in cells if "check" in tags(c)]
        assert stubs and solutions and checks, f"{name}: needs cells tagged exercise, solution and check"
        assert max(i for i, _ in stubs) < min(i for i, _ in solutions) < min(i for i, _ in checks), \
            f"{name}: the order is stub, solution, check"
        for _, stub in stubs:
            assert re.search(r"\.\.\.|\bNone\b", source(stub)), f"{name}: the stub should hold ... or None"
        student_names = set().union(*(assigned_names(source(c)) for _, c in stubs))
        for _, solution in solutions:
            assert solution["metadata"].get("jupyter", {}).get("source_hidden"), f"{name}: solution not collapsed"
            first = source(solution).lstrip().splitlines()[0]
            assert first.startswith("# Solution"), \
                f"{name}: a collapsed cell shows its first line; start the solution with a '# Solution ...' comment"
            overwritten = assigned_names(source(solution)) & student_names
            assert not overwritten, f"{name}: the solution reassigns the student's names {overwritten}"
            shown = [o for o in solution.get("outputs", [])
                     if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]  # a progress bar is fine
            assert not shown, f"{name}: the solution shows output (Run All would show the answer)"
        for _, check in checks:
            assert re.search(r"\bcheck\(\s*[\"']" + name + r"[\"']", source(check)), \
                f"{name}: the check cell should call check(\"{name}\", ...)"
        headings = [c for _, c in cells if "solution" in tags(c) and c["cell_type"] == "markdown"]
        assert headings, f"{name}: a 'Solution' heading (tagged solution) above the collapsed cell"
