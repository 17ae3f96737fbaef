"""Which course notebooks the browser tests look at, found by reading them (no list to keep up to date)."""
import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
_USES_WIDGETS = re.compile(r"teachkit\.widgets|from teachkit import [^\n]*\bwidgets\b")


def code_of(notebook: Path) -> str:
    cells = json.loads(notebook.read_text())["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def with_widgets() -> list[Path]:
    """Notebooks whose code uses teachkit.widgets."""
    return [nb for nb in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")) if _USES_WIDGETS.search(code_of(nb))]


def with_animations() -> list[Path]:
    """Notebooks that animate frames with Play (need a static fallback), and 05 (the disk) always."""
    return [nb for nb in sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
            if re.search(r"\b(frame|disk)_player\(", code_of(nb)) or nb.name.startswith("05_")]
