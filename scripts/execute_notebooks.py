"""Execute notebooks top to bottom in a fresh kernel, in place, at full size, and save their outputs.

    python scripts/execute_notebooks.py                      # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/01_ngram.ipynb

This is how the committed notebooks were made: TEACHKIT_FAST is unset (full size), the kernel is
the standard "python3" kernelspec, and the widget state is kept so that GitHub and nbviewer can
draw what widgets they can. CI does not use this script; it runs the notebooks with nbval.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.setdefault("language_info", {"name": "python"})
    os.environ.pop("TEACHKIT_FAST", None)
    start = time.perf_counter()
    NotebookClient(nb, timeout=3600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    nbformat.validate(nb)
    nbformat.write(nb, notebook)
    size = notebook.stat().st_size / 1e6
    print(f"{notebook.name}: executed in {time.perf_counter() - start:.0f} s, {size:.2f} MB")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for p in paths:
        execute(p.resolve())
