"""Small notebooks that prove the browser checks work: one healthy, one broken in every way they look for.

The broken one keeps the widget layout intact but makes the update callback raise (its frames
are a sequence that fails for every frame but the first), shows a widget whose front-end code
does not exist ("Error displaying widget"), and ends with a cell that raises and one that therefore
never runs.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
BROKEN_MESSAGE = "frame deliberately unavailable"

_FRAMES = '''\
import matplotlib.pyplot as plt
from teachkit.widgets import frame_player, frame_slider, png

def picture(i):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([i], [i % 3], "o")
    ax.set_xlim(-0.5, 5.5)
    ax.set_ylim(-0.5, 2.5)
    ax.set_title(f"frame {i}")
    return png(fig, dpi=60)

frames = [picture(i) for i in range(6)]'''

_BREAK_FRAMES = f'''\
class FramesThatFail(list):
    """Frame 0 shows; asking for any other frame raises, as a buggy update callback would."""
    def __getitem__(self, i):
        if i != 0:
            raise RuntimeError("{BROKEN_MESSAGE}: " + str(i))
        return super().__getitem__(i)

frames = FramesThatFail(frames)'''

_PLAYER = 'frame_player(frames, [f"epoch {i}" for i in range(len(frames))], interval_ms=300)'
_SLIDER = 'frame_slider(frames, [f"k = {i / 10:.1f}" for i in range(len(frames))], description="k")'

_UNDISPLAYABLE = '''\
import ipywidgets
import traitlets

class Undisplayable(ipywidgets.DOMWidget):
    """A widget whose JavaScript module does not exist: JupyterLab cannot draw it."""
    _model_module = traitlets.Unicode("teachkit-no-such-module").tag(sync=True)
    _model_name = traitlets.Unicode("NoSuchModel").tag(sync=True)
    _view_module = traitlets.Unicode("teachkit-no-such-module").tag(sync=True)
    _view_name = traitlets.Unicode("NoSuchView").tag(sync=True)

Undisplayable()'''

_RAISES = 'raise ValueError("this cell fails on purpose")'
_AFTER_ERROR = 'print("JupyterLab stops Run All at the error above, so this never runs")'


def write(path: Path, broken: bool) -> Path:
    sources = [_FRAMES] + ([_BREAK_FRAMES] if broken else []) + [_PLAYER, _SLIDER]
    if broken:
        sources += [_UNDISPLAYABLE, _RAISES, _AFTER_ERROR]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources],
                                        metadata={"kernelspec": KERNELSPEC})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path
