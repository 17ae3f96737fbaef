"""teachkit.extras: a missing reference tool is one line saying what is skipped and how to get it."""
import sys
from pathlib import Path

from teachkit.extras import INSTALL, optional


def test_an_installed_module_is_returned():
    assert optional("json", "nothing").dumps([1]) == "[1]"


def test_a_missing_tool_prints_one_line_with_the_install_command(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "kenlm", None)  # import kenlm now raises ImportError
    assert optional("kenlm", "KenLM's perplexity next to ours") is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "KenLM's perplexity next to ours" in out and INSTALL["kenlm"] in out


def test_the_install_advice_names_make_lab_full_which_exists():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "lab-full:" in makefile
    assert all("make lab-full" in advice for advice in INSTALL.values())
