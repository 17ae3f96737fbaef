"""Numbers in a notebook's prose must come from somewhere a reader can check.

A numeral in a Markdown cell passes when it is

* **quoted**: the same value (to the precision the prose gives) appears in the output or the
  source (a setting, an ``assert``) of a code cell near it: in the notebook, from the
  ``WINDOW`` code cells before the Markdown cell to the ``WINDOW`` after it;
* **not a quantity**: inside LaTeX or code, a list or heading number, part of a name
  (``word2vec``, ``5-gram``, ``2-D``, ``SPARK-24666``), a notebook number (``03``), a year, or an
  ordinal after a label ("Exercise 2", "section 7", "step 3");
* **cited**: listed in ``tests/prose_allowlist.py`` with the passage it sits in and the source
  (the paper, a seed's setting, the C code's default) or the reason it needs no check.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

WINDOW = 2

# A numeral: optional sign, digits with thousands separators, decimals, exponent, a size suffix.
NUMERAL = re.compile(
    r"(?<![\w.\-/#$])(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<exp>[eE][-+−]?\d+)?(?P<suffix>[kKMB](?![a-zA-Z]))?(?![\w.]\d)")
SCALE = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}
# A number followed by a unit of time or size is a measurement: it must match an output number with
# a unit of the same kind (converted: "2 minutes" is not backed by "365 s").
UNIT = re.compile(r"\s*(?P<unit>ms|s|sec|seconds?|min|minutes?|h|hours?|KB|kB|MB|GB|K|M|G)(?![\w/])")
UNIT_SIZE = {"ms": ("time", 1e-3), "s": ("time", 1), "sec": ("time", 1), "second": ("time", 1),
             "seconds": ("time", 1), "min": ("time", 60), "minute": ("time", 60), "minutes": ("time", 60),
             "h": ("time", 3600), "hour": ("time", 3600), "hours": ("time", 3600), "KB": ("bytes", 1e3),
             "kB": ("bytes", 1e3), "K": ("bytes", 1e3), "MB": ("bytes", 1e6), "M": ("bytes", 1e6),
             "GB": ("bytes", 1e9), "G": ("bytes", 1e9)}
_LABELS = (r"(?:notebooks?|exercises?|mistakes?|sections?|steps?|figures?|cells?|tables?|parts?|"
           r"chapters?|eq\.?|equations?|items?|questions?|rungs?|lines?|version|python|spark|mllib|pyspark|"
           r"gensim|java|row|column|stop|issue|errata|erratum|#)")
_NOT_QUANTITY = [
    re.compile(_LABELS + r"\s+(?:\d+(?:\.\d+)*)(?:\s*(?:,|and|or|to|-|–)\s*\d+(?:\.\d+)*)*", re.I),  # Exercise 2, sections 3 and 4
    re.compile(r"\b\d+-(?:grams?|D|d|dim\w*|gram|th|st|nd|rd|way|fold|bit|ary|hop|tuple|byte|word)\b"),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b"),
    re.compile(r"(?<![\d,.])(?:19[5-9]\d|20[0-4]\d)(?![\d,.]\d)(?!\s*(?:tokens|words|epochs|nodes|s\b|ms\b))"),
    re.compile(r"(?<![\w.])0[0-9](?![\d.,])"),  # notebook numbers 00-09
]


@dataclass
class Numeral:
    text: str            # as written in the prose
    value: float         # in seconds or bytes when ``kind`` is "time" or "bytes"
    tolerance: float     # half a unit of the last digit written
    kind: str | None     # "time", "bytes" or None (a plain number)
    position: tuple      # (start, end) in the cleaned Markdown
    context: str         # the words around it, for the error message


def _clean(markdown: str) -> str:
    """The prose of a Markdown cell with code, maths, links' targets and HTML blanked out (same length)."""
    def blank(match):
        return " " * len(match.group(0))
    text = markdown
    for pattern in (r"```.*?```", r"`[^`]*`", r"\$\$.*?\$\$", r"(?<!\\)\$(?:\\\$|[^$])+?\$",
                    r"\]\([^)]*\)", r"<[^>]+>", r"https?://\S+"):
        text = re.sub(pattern, blank, text, flags=re.S)
    text = re.sub(r"^(\s*)(\d+)([.)]\s)", lambda m: m.group(1) + " " * len(m.group(2)) + m.group(3), text,
                  flags=re.M)   # list numbers
    text = re.sub(r"^(#+\s*)(\d+(?:\.\d+)*)", lambda m: m.group(1) + " " * len(m.group(2)), text,
                  flags=re.M)   # heading numbers
    for pattern in _NOT_QUANTITY:
        text = pattern.sub(blank, text)
    return text


def _parse(match: re.Match) -> tuple[float, float]:
    digits = match.group("int").replace(",", "")
    frac = match.group("frac") or ""
    exp = match.group("exp") or ""
    scale = SCALE.get(match.group("suffix") or "", 1.0)
    value = float(digits + frac + exp.replace("−", "-")) * scale
    if match.group("sign"):
        value = -value
    decimals = len(frac) - 1 if frac else 0
    tolerance = 0.5 * 10.0 ** (-decimals) * scale * (10.0 ** int(exp[1:].replace("−", "-")) if exp else 1.0)
    return value, tolerance


def _unit(text: str, end: int, size_units: bool) -> tuple[str | None, float]:
    """The kind and size of the unit written right after position ``end`` of ``text``, if any."""
    unit = UNIT.match(text, end)
    if not unit or (not size_units and unit.group("unit") in ("K", "M", "G")):
        return None, 1.0
    return UNIT_SIZE[unit.group("unit")]


def _measured(text: str, size_units: bool) -> list[tuple[re.Match, float, float, str | None]]:
    """(match, value, tolerance, kind) for every numeral of ``text``, units applied."""
    found = []
    for match in NUMERAL.finditer(text):
        try:
            value, tolerance = _parse(match)
        except ValueError:
            continue
        kind, size = _unit(text, match.end(), size_units and not match.group("suffix"))
        found.append((match, value * size, tolerance * size, kind))
    return found


def numerals(markdown: str) -> list[Numeral]:
    """The numerals of a Markdown cell that state a quantity."""
    text = _clean(markdown)
    found = []
    for match, value, tolerance, kind in _measured(text, size_units=True):
        start, end = match.span()
        context = re.sub(r"\s+", " ", markdown[max(0, start - 40):end + 40]).strip()
        found.append(Numeral(match.group(0), value, tolerance, kind, (start, end), context))
    return found


def values_in(text: str) -> list[tuple[float, str | None]]:
    """Every number written in ``text`` (outputs or code) with the kind of its unit; also each
    fraction as a percentage and the other way round, so "0.62" backs "62 %"."""
    values = []
    for _, value, _, kind in _measured(text, size_units=True):
        values.append((value, kind))
        if kind is None:
            values += [(value * 100, None), (value / 100, None)]
    return values


def _matches(numeral: Numeral, values: list[tuple[float, str | None]]) -> bool:
    exact_only = numeral.kind is None and numeral.tolerance == 0.5 and abs(numeral.value) < 10  # "2" is not 1.6
    for v, kind in values:
        if kind != numeral.kind:
            continue
        if exact_only:
            if v == numeral.value:
                return True
        elif abs(v - numeral.value) <= numeral.tolerance * (1 + 1e-9) + 1e-12:
            return True
    return False


def _code_text(cell: dict) -> str:
    parts = ["".join(cell.get("source", ""))]
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append("".join(output.get("text", "")))
        elif "data" in output:
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in output["data"]:
                    parts.append("".join(output["data"][mime]))
                    break
    return "\n".join(parts)


def unbacked(notebook: Path, allowed: list[tuple[str, str]]) -> list[str]:
    """The numerals of ``notebook``'s prose that are neither quoted nor exempt nor allowlisted."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code_positions = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    problems = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        markdown = "".join(cell["source"])
        before = [j for j in code_positions if j < i][-WINDOW:]
        after = [j for j in code_positions if j > i][:WINDOW]
        values = values_in("\n".join(_code_text(cells[j]) for j in before + after))
        spans = [(m.start(), m.end()) for passage, _ in allowed
                 for m in re.finditer(re.escape(passage), markdown)]
        for numeral in numerals(markdown):
            if any(a <= numeral.position[0] and numeral.position[1] <= b for a, b in spans):
                continue
            if not _matches(numeral, values):
                problems.append(f"{notebook.name} cell {i}: {numeral.text!r} in \"{numeral.context}\"")
    return problems
