"""Matplotlib figures shared by the notebooks (curves, trees, the Poincare disk).

Each notebook's figures sit in their own section below; functions take plain arrays and return
the matplotlib Figure so the notebook decides when to show it.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
