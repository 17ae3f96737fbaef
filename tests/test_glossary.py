"""docs/glossary.md: every English term it lists is one the notebooks use, and 00 links to it."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


BRIDGE = ("中文导读", "The two blog posts this course grew from")  # the bridge cells themselves do not count


def notebook_text() -> str:
    """Every cell of every notebook, except the Chinese summaries and 00's map of the posts."""
    texts = []
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        texts += ["".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]]
    text = "\n".join(t for t in texts if not any(marker in t for marker in BRIDGE)).lower()
    return re.sub(r"\s+", " ", text)  # a term may be wrapped across two lines of markdown


def glossary_terms() -> list[str]:
    rows = [line for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| English") and not line.startswith("|---")]
    return [re.sub(r"\s*\(.*?\)", "", row.split("|")[1]).strip() for row in rows]


def test_every_english_term_appears_in_a_notebook():
    text = notebook_text()
    terms = glossary_terms()
    assert len(terms) >= 40
    missing = [t for t in terms if t.lower() not in text]
    assert not missing, f"glossary terms no notebook uses: {missing}"


def test_every_term_has_a_chinese_rendering():
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| English"):
            cells = [c.strip() for c in line.split("|")[1:-1]]
            assert re.search(r"[\u4e00-\u9fff]", cells[1] + cells[2]), f"no Chinese term: {line}"


def test_notebook_00_links_the_glossary():
    cells = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    assert any("../docs/glossary.md" in "".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
