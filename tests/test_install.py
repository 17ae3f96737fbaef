"""A student's install: `make lab` needs no compiler, stays under a gigabyte, and runs every notebook
without the two reference tools that have no wheels (KenLM, pyspark).

These tests build a second virtual environment with the Makefile's own `lab` recipe (pip with
`--only-binary=:all:`), so a dependency that needs a compiler, or a comparison cell that needs KenLM
or pyspark without saying so, fails here. They need the network (PyPI) and a few minutes.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LAB_VENV_LIMIT_BYTES = 1e9


def test_lab_dependencies_resolve_to_wheels_on_every_supported_python_and_platform():
    done = subprocess.run([sys.executable, "scripts/check_wheels.py"], cwd=ROOT, capture_output=True,
                          text=True, timeout=1200)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert done.stdout.count(" ok ") >= 12, "expected 4 Python versions x 3 platforms"


@pytest.fixture(scope="module")
def lab_venv(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("lab") / "venv"
    python = Path(sys.executable).resolve()
    # The Makefile's own recipe: make VENV=... VENV/.lab (creates the venv, installs .[lab] from wheels).
    subprocess.run(["make", f"PYTHON={python}", f"VENV={venv}", f"{venv}/.lab"], cwd=ROOT, check=True,
                   timeout=1800)
    return venv


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def test_lab_install_is_under_a_gigabyte_and_has_no_kenlm_or_pyspark(lab_venv):
    size = _size(lab_venv)
    print(f"lab venv: {size / 1e6:.0f} MB")
    assert size < LAB_VENV_LIMIT_BYTES, f"make lab's venv is {size / 1e9:.2f} GB"
    missing = subprocess.run([str(lab_venv / "bin" / "python"), "-c",
                              "import importlib.util as u; print(u.find_spec('kenlm'), u.find_spec('pyspark'))"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert missing == ["None", "None"], "the lab install should not pull in KenLM or pyspark"


def test_every_notebook_runs_in_the_lab_install(lab_venv):
    """FAST mode, nbval-lax: every cell runs; KenLM's and Spark's cells say what they would show."""
    python = str(lab_venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--only-binary=:all:", "pytest>=7.4", "nbval>=0.11"],
                   check=True, timeout=600)
    env = dict(os.environ, TEACHKIT_FAST="1")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, NOTEBOOKS)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    print(done.stdout[-3000:])
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
