"""Optional reference tools: use them when installed, say what they would add when not.

The course runs on wheels alone (``make lab``). KenLM and pyspark publish no wheels (KenLM
compiles C++ with CMake; pyspark is a 450 MB source package that needs Java 17 or newer), so they
come with ``make lab-full`` (or ``pip install -e '.[full]'``). A comparison cell asks for them with
:func:`optional` and, without them, prints one line saying what it would show and how to get it.
"""
from __future__ import annotations

import importlib
from types import ModuleType

INSTALL = {
    "kenlm": "make lab-full (or: pip install kenlm; it compiles C++ and needs a compiler and CMake)",
    "pyspark": "make lab-full (or: pip install pyspark; Spark 4 also needs Java 17 or newer)",
}


def optional(module: str, shows: str) -> ModuleType | None:
    """Import ``module`` if it is installed; otherwise print one line and return ``None``.

    ``shows`` says what the cell would show with it, e.g. "KenLM's perplexity next to ours".
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        how = INSTALL.get(module, f"pip install {module}")
        print(f"{module} is not installed, so this cell skips {shows}. To see it: {how}.")
        return None
