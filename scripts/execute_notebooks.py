"""Execute notebooks top to bottom in a fresh kernel at full size, save their outputs, and time them.

    python scripts/execute_notebooks.py                      # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/01_ngram.ipynb
    python scripts/execute_notebooks.py --dry-run            # time FULL mode without saving

This is how the committed notebooks were made: TEACHKIT_FAST is unset (full size), the kernel is
the standard "python3" kernelspec, and the widget state is kept so that GitHub and nbviewer can
draw what widgets they can. For each notebook it prints the wall time against the budget
(BUDGET_S), the kernel's CPU time and the machine's load average before and after: a run on a
busy machine is slower than the notebook is. CI does not use this script; it runs the notebooks
with nbval in FAST mode.
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
BUDGET_S = 150  # FULL mode on a 2-core laptop, with room for a slower one


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernels this script started and ended
    return usage.ru_utime + usage.ru_stime


def execute(notebook: Path, save: bool = True) -> tuple[float, float]:
    """Run ``notebook`` in FULL mode; save it unless ``save`` is False. Returns (wall s, kernel CPU s)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.setdefault("language_info", {"name": "python"})
    os.environ.pop("TEACHKIT_FAST", None)
    load = os.getloadavg()[0]
    cpu, start = _children_cpu_seconds(), time.perf_counter()
    NotebookClient(nb, timeout=3600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    wall, cpu = time.perf_counter() - start, _children_cpu_seconds() - cpu
    nbformat.validate(nb)
    if save:
        nbformat.write(nb, notebook)
    verdict = "within budget" if wall <= BUDGET_S else "OVER BUDGET"
    print(f"{notebook.name}: {wall:.0f} s wall ({verdict}: {BUDGET_S} s), {cpu:.0f} s kernel CPU, "
          f"load {load:.2f} -> {os.getloadavg()[0]:.2f}"
          + (f", {notebook.stat().st_size / 1e6:.2f} MB" if save else ", not saved"), flush=True)
    return wall, cpu


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--dry-run"]
    paths = [Path(p) for p in args] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the first notebook")
    for p in paths:
        execute(p.resolve(), save="--dry-run" not in sys.argv)
