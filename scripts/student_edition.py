"""Write the student edition of the course: the notebooks without the worked solutions.

    python scripts/student_edition.py            # -> build/student/*.ipynb
    python scripts/student_edition.py OUT_DIR

nbconvert's TagRemovePreprocessor does the work: it drops every cell tagged ``solution`` (the
"Solution" heading and the collapsed code) and clears the outputs of the cells tagged ``exercise``
(the stubs) and ``check``, so no answer survives in a saved output. Everything else, outputs
included, stays as committed. In the student edition an untouched stub fails its check with an
``AssertionError`` naming the exercise (see ``teachkit/exercises.py``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parent.parent


def build(out_dir: Path) -> list[Path]:
    """Write one student notebook per course notebook into ``out_dir``; return their paths."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"solution"}, remove_all_outputs_tags={"exercise", "check"}), enabled=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        body, _ = exporter.from_filename(str(notebook))
        nbformat.validate(nbformat.reads(body, as_version=4))
        (out_dir / notebook.name).write_text(body, encoding="utf-8")
        written.append(out_dir / notebook.name)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "student"
    for path in build(out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
