"""ipywidgets views for the notebooks: sliders, the Huffman path explorer, the disk animation.

Widgets only show precomputed results (train first, then play): a kernel-side retrain per slider
step lags on a laptop. Each frame is rendered to PNG once; moving a slider only swaps the bytes
of one ``HTML`` widget (class ``teachkit-frame``) that holds the picture and, above it, a label
(class ``teachkit-frame-label``) naming the frame on show, so a reader (and the browser tests) can
see the picture matches the slider. A view is ``VBox[HBox[controls], HTML[label, picture]]``.
"""
from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt

FRAME_CLASS = "teachkit-frame"
FRAME_LABEL_CLASS = "teachkit-frame-label"


def png(fig: plt.Figure, dpi: int = 90) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (so it is not also shown inline)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _frame_html(frame: bytes, label: str) -> str:
    """One frame as HTML: its label above the PNG, shown at its own pixel width (read from the
    PNG header) instead of stretched to the cell."""
    width = int.from_bytes(frame[16:20], "big")
    return (f'<div class="{FRAME_LABEL_CLASS}">{html.escape(label)}</div>'
            f'<img src="data:image/png;base64,{base64.b64encode(frame).decode()}" width="{width}">')


def _frame_area(frame: bytes, label: str) -> widgets.HTML:
    # Label and picture travel in one message: as two widgets they were two messages, and under
    # load the label ran a frame ahead of the picture.
    area = widgets.HTML(value=_frame_html(frame, label))
    area.add_class(FRAME_CLASS)
    return area


def _frame_view(control: widgets.Widget, frames: Sequence[bytes], labels: Sequence[str],
                extra_controls: Sequence[widgets.Widget] = ()) -> widgets.VBox:
    if len(frames) == 0 or len(frames) != len(labels):
        raise ValueError(f"Need one label per frame and at least one frame; got {len(frames)} frames "
                         f"and {len(labels)} labels.")
    area = _frame_area(frames[0], labels[0])

    def show(change) -> None:
        area.value = _frame_html(frames[change["new"]], labels[change["new"]])

    control.observe(show, names="index" if isinstance(control, (widgets.SelectionSlider, widgets.Dropdown))
                    else "value")
    return widgets.VBox([widgets.HBox([*extra_controls, control]), area])


def frame_player(frames: Sequence[bytes], labels: Sequence[str], interval_ms: int = 400) -> widgets.VBox:
    """Play button + slider over precomputed PNG frames (e.g. one per training epoch).

    Play and the slider are linked in the browser (``jslink``), so Play never runs ahead of the
    picture: each slider step swaps in the frame it names.
    """
    slider = widgets.IntSlider(value=0, min=0, max=len(frames) - 1, description="frame",
                               continuous_update=True)
    play = widgets.Play(value=0, min=0, max=len(frames) - 1, interval=interval_ms, description="Play")
    widgets.jslink((play, "value"), (slider, "value"))
    return _frame_view(slider, frames, labels, extra_controls=[play])


def frame_slider(frames: Sequence[bytes], labels: Sequence[str], description: str) -> widgets.VBox:
    """A slider over precomputed PNG frames whose positions are named by ``labels`` (e.g. k = 0.01)."""
    slider = widgets.SelectionSlider(options=list(labels), value=labels[0], description=description,
                                     continuous_update=True, readout=False)  # the frame label names it
    return _frame_view(slider, frames, labels)


# --- 01 n-grams ---

def frame_grid(frames: dict, rows: Sequence[str], columns: Sequence[str],
               descriptions: tuple[str, str]) -> widgets.VBox:
    """Two sliders over precomputed PNG frames ``frames[(i, j)]`` (i indexes ``rows``, j ``columns``),
    e.g. add-k's k and the order n. The ``teachkit-frame-label`` names the pair on show."""
    missing = [(i, j) for i in range(len(rows)) for j in range(len(columns)) if (i, j) not in frames]
    if missing:
        raise ValueError(f"Need one frame per (row, column) pair; missing {missing[:3]}"
                         f"{' ...' if len(missing) > 3 else ''}.")
    first = widgets.SelectionSlider(options=list(rows), value=rows[0], description=descriptions[0],
                                    continuous_update=True, readout=False)  # the frame label names both
    second = widgets.SelectionSlider(options=list(columns), value=columns[0], description=descriptions[1],
                                     continuous_update=True, readout=False)

    def label() -> str:
        return f"{descriptions[0]} = {first.value}, {descriptions[1]} = {second.value}"

    area = _frame_area(frames[(0, 0)], label())

    def show(_=None) -> None:
        area.value = _frame_html(frames[(first.index, second.index)], label())

    first.observe(show, names="index")
    second.observe(show, names="index")
    return widgets.VBox([widgets.HBox([first, second]), area])


# --- 03 Huffman / word2vec ---

def huffman_path_explorer(frames: Sequence[bytes], labels: Sequence[str], words: Sequence[str],
                          start: int = 0) -> widgets.VBox:
    """Pick a word from a dropdown and see its precomputed frame (its path in the tree, the sigmoid
    at each node and their product); the ``teachkit-frame-label`` spells out code and probability.
    The view opens on ``words[start]`` (e.g. the most likely word, whose probability is not ~0)."""
    if not (len(frames) == len(labels) == len(words) > 0):
        raise ValueError(f"Need one frame and one label per word; got {len(frames)} frames, "
                         f"{len(labels)} labels, {len(words)} words.")
    if not 0 <= start < len(words):
        raise ValueError(f"start must index one of the {len(words)} words, got {start!r}.")
    picker = widgets.Dropdown(options=list(words), index=start, description="word")
    view = _frame_view(picker, frames, labels)
    view.children[1].value = _frame_html(frames[start], labels[start])
    return view


# --- 05 Poincare ---

def disk_player(snapshots, names, edges, labels=(), depths=None, frame_labels=None, dpi: int = 70,
                interval_ms: int = 300, **disk_options) -> widgets.VBox:
    """Play + slider over 2-D Poincare snapshots (e.g. one per epoch, subsampled to under a hundred):
    every frame is drawn once, here, with ``plots.poincare_disk`` (geodesic edges, depth colours,
    labels written just outside their points so that they stay put from frame to frame; any other
    ``poincare_disk`` option passes through); playing only swaps PNG bytes. Each frame's label
    (e.g. "epoch 12") is its title and the widget's frame label."""
    from teachkit import plots

    frame_labels = frame_labels or [f"epoch {i}" for i in range(len(snapshots))]
    if len(frame_labels) != len(snapshots):
        raise ValueError(f"Need one frame label per snapshot; got {len(frame_labels)} labels for "
                         f"{len(snapshots)} snapshots.")
    disk_options = {"label_layout": "radial", **disk_options}
    frames = []
    for points, label in zip(snapshots, frame_labels):
        fig, _ = plots.poincare_disk(points, names, edges, labels, depths, title=label, **disk_options)
        frames.append(png(fig, dpi=dpi))
    return frame_player(frames, frame_labels, interval_ms=interval_ms)
