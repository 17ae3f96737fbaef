"""ipywidgets views for the notebooks: sliders, the Huffman path explorer, the disk animation.

Widgets only show precomputed results (train first, then play): a kernel-side retrain per slider
step lags on a laptop. Each view returns a widget to display.
"""
from __future__ import annotations

import ipywidgets as widgets
