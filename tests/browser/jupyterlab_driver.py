"""Drive JupyterLab in Chromium as a reader does: open a notebook, Run All, look at what shows.

Two pieces, used by the tests in this folder:

- ``JupyterLab`` starts a JupyterLab server on 127.0.0.1 (free port, token) over a temporary copy of
  the repository, so autosave never writes into the checkout; kernels inherit ``TEACHKIT_FAST=1``.
- ``run_and_check(page, lab, notebook, artifacts)`` runs every cell from the Run menu and returns a
  ``NotebookReport``: the problems a reader would see (tracebacks, cells never run, "Error
  displaying widget"), one a reader would not see but suffers from (an exception raised by a widget
  callback reaches no cell; we read it off the kernel websocket), and, for every teachkit view
  (see ``teachkit/widgets.py``: a VBox holding an HBox of controls, then one HTML widget of class
  ``teachkit-frame`` with a label of class ``teachkit-frame-label`` and the picture), what went
  wrong when its controls were moved.

A view passes when: Play advances its slider and the picture changes while it plays; moving each
slider (or choosing another dropdown entry) changes the picture and the label, and moving back
restores them; after Play stops, the picture and label on show are
the ones the keyboard brings up for the same slider position (the widget does not lag behind).
Problems are returned as sentences rather than raised, so a test can assert that a deliberately
broken notebook produces them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

FRAME_LABEL = "teachkit-frame-label"
VIEW_SELECTOR = f".widget-vbox:has(> .teachkit-frame .{FRAME_LABEL})"
RUN_TIMEOUT_S = 300          # one notebook's Run All in FAST mode (target: well under 2 minutes)
SETTLE_TIMEOUT_S = 20        # a widget's picture must catch up with its slider within this time
PLAY_WATCH_S = 12            # how long to watch a playing animation at most
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\w*(Error|Exception)\b", re.M)

# What a view shows at one moment; the image is the SHA-256 of the PNG bytes on show.
_VIEW_STATE_JS = """async (view) => {
  const handles = Array.from(view.querySelectorAll(':scope > .widget-hbox .noUi-handle'));
  const select = view.querySelector(':scope > .widget-hbox select');
  const label = view.querySelector(':scope > .teachkit-frame .teachkit-frame-label');
  const img = view.querySelector(':scope > .teachkit-frame img');
  let image = null;
  try {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    image = Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
  } catch (e) { image = null; }  // the widget swapped the picture while we read it: read again
  return {
    // one entry per slider (then the dropdown): its position, last position and readout text
    positions: handles.map(h => Math.round(parseFloat(h.getAttribute('aria-valuenow'))))
               .concat(select ? [select.selectedIndex] : []),
    lasts: handles.map(h => Math.round(parseFloat(h.getAttribute('aria-valuemax'))))
           .concat(select ? [select.options.length - 1] : []),
    readouts: Array.from(view.querySelectorAll(':scope > .widget-hbox .widget-readout'),
                         r => r.textContent.trim()),
    label: label ? label.textContent.trim() : null,
    image: image,
    playing: view.querySelector(':scope > .widget-hbox .widget-play i.fa-pause') !== null,
  };
}"""

# Per cell: its index, whether it is code, its prompt, whether it is empty, and its stderr and
# error outputs (JupyterLab draws a cell's error output with the stderr MIME type).
_CELLS_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell')).map((cell, index) => ({
    index: index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim(),
    empty: (cell.querySelector('.cm-content') || {textContent: ''}).textContent.trim() === '',
    stderr: Array.from(cell.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'), o => o.innerText),
  }));
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on loopback over a temporary copy of the repository."""

    def __init__(self, repo: Path, workdir: Path):
        self.root = workdir / "repo"
        shutil.copytree(repo, self.root, ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis",
            ".ipynb_checkpoints", "artifacts", "build"))
        self.port, self.token = free_port(), f"teachkit-{os.getpid()}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyterlab.log"
        env = dict(os.environ, TEACHKIT_FAST="1",
                   JUPYTERLAB_SETTINGS_DIR=str(self._write_settings(workdir / "lab-settings")))
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                   "--ip=127.0.0.1", f"--port={self.port}", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
                   "--LabApp.extension_manager=readonly", "--LabApp.news_url="]
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.root)
        self._wait_until_up()

    @staticmethod
    def _write_settings(settings: Path) -> Path:
        """No news pop-up over the widgets; every cell kept in the page (no virtual scrolling)."""
        for plugin, values in {
            "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
            "notebook-extension/tracker": {"windowingMode": "none"},
        }.items():
            path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return settings

    def _wait_until_up(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout_s:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def sessions(self) -> list[dict]:
        with urllib.request.urlopen(f"{self.url}/api/sessions?token={self.token}", timeout=10) as response:
            return json.load(response)

    def wait_for_idle_kernel(self, notebook: str, timeout_s: float = 120) -> None:
        """Wait until the notebook's kernel has started and reports idle."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if any(s["path"] == notebook and s["kernel"]["execution_state"] == "idle" for s in self.sessions()):
                return
            time.sleep(0.5)
        raise RuntimeError(f"no idle kernel for {notebook} after {timeout_s:.0f} s:\n{self.log_tail()}")

    def shut_down_kernels(self) -> None:
        """Free the CPU for the next notebook: end every session this server holds."""
        for session in self.sessions():
            request = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}?token={self.token}",
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@dataclass
class ViewReport:
    index: int
    kind: str               # "play", "slider", "dropdown", or "none" (a view with no known control)
    label: str              # the frame label when the check started
    problems: list[str] = field(default_factory=list)
    screenshot: Path | None = None


@dataclass
class NotebookReport:
    notebook: str
    run_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)     # notebook-wide and per-view, as sentences
    views: list[ViewReport] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.notebook}: " + ("no problems" if not self.problems else
                                       f"{len(self.problems)} problem(s):\n  - " + "\n  - ".join(self.problems))


def run_and_check(page, lab: JupyterLab, notebook: str, artifacts: Path) -> NotebookReport:
    """Open ``notebook`` (a path inside lab.root), Run All Cells, check it and every teachkit view."""
    report = NotebookReport(notebook)
    stem = Path(notebook).stem
    kernel_errors = _watch_kernel_errors(page)
    # ?reset: open only this notebook, not the tabs an earlier test left in the workspace
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    lab.wait_for_idle_kernel(notebook)  # Run All before this would start a second kernel
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    dialog = _accept_dialog(page)
    if dialog:
        report.problems.append(f"a dialog opened with the notebook (no kernelspec?): {dialog}")

    start = time.monotonic()
    finished = _run_all(page, report)
    report.run_seconds = round(time.monotonic() - start, 1)
    if not finished:
        report.problems.append(f"Run All did not finish within {RUN_TIMEOUT_S} s.")
    _wait_for_widgets_to_render(page)
    page.screenshot(path=artifacts / f"{stem}-notebook.png")

    report.problems += _output_problems(page, lab.root / notebook)
    views = page.locator(VIEW_SELECTOR)
    labels = page.locator(f".{FRAME_LABEL}").count()
    if labels != views.count():
        report.problems.append(f"{labels} frame labels but only {views.count()} follow the view layout "
                               "of teachkit/widgets.py (VBox[HBox[controls], HTML[label, picture]]).")
    for k in range(views.count()):
        view_report = _check_view(views.nth(k), k)
        view_report.screenshot = artifacts / f"{stem}-view{k}-{view_report.kind}.png"
        views.nth(k).screenshot(path=view_report.screenshot)
        report.views.append(view_report)
        report.problems += [f"view {k} ({view_report.kind}, '{view_report.label}'): {p}"
                            for p in view_report.problems]
    report.problems += [f"the kernel raised while handling a widget event: {e}" for e in kernel_errors]
    return report


def _accept_dialog(page) -> str:
    """Accept an open dialog (e.g. "Select Kernel"); return its text, or "" if there was none."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() == 0:
        return ""
    text = " ".join(dialog.first.inner_text().split())
    dialog.locator(".jp-mod-accept").first.click()
    return text


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel", has_text=item).first.click()


def _run_all(page, report: NotebookReport) -> bool:
    """Clear the saved outputs, Run > Run All Cells, then wait until no cell is queued and the kernel is idle.

    Clearing first means every prompt and output on show comes from this run. JupyterLab stops at
    the first error, so the cells after it keep an empty prompt: the run is over (and they are
    reported as never run) once nothing is queued any more."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    settled_once = False
    while time.monotonic() < deadline:
        time.sleep(1)
        dialog = _accept_dialog(page)
        if dialog:
            report.problems.append(f"a dialog opened while running the notebook: {dialog}")
        prompts = [c["prompt"] for c in page.evaluate(_CELLS_JS) if c["code"] and not c["empty"]]
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() > 0
        started = any(re.search(r"\d|\*", p) for p in prompts)
        settled = idle and started and not any("*" in p for p in prompts)
        if settled and settled_once:
            return True
        settled_once = settled
    return False


def _wait_for_widgets_to_render(page, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and page.get_by_text("Loading widget").count():
        time.sleep(0.5)
    time.sleep(1)


def _output_problems(page, notebook_path: Path) -> list[str]:
    """Tracebacks, cells never run, widgets that failed to display or never loaded."""
    cells_json = json.loads(notebook_path.read_text())["cells"]
    problems = []
    for cell in page.evaluate(_CELLS_JS):
        if not cell["code"] or cell["empty"]:
            continue
        tags = cells_json[cell["index"]].get("metadata", {}).get("tags", []) if cell["index"] < len(cells_json) else []
        if not re.search(r"\d", cell["prompt"]):
            problems.append(f"cell {cell['index']} was never run (prompt '{cell['prompt']}').")
        if "raises-exception" in tags:  # the notebook shows an error on purpose
            continue
        for text in cell["stderr"]:
            if ERROR_TEXT.search(text):
                problems.append(f"cell {cell['index']} shows an error:\n{text[-600:]}")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    failed_widgets = panel.locator(".jupyter-widgets-error-widget").count()
    failed_text = panel.get_by_text("Error displaying widget").count()
    if failed_widgets or failed_text:
        problems.append(f"{max(failed_widgets, failed_text)} widget(s) failed to display "
                        "(\"Error displaying widget\" / error icon).")
    if panel.get_by_text("Loading widget").count():
        problems.append("a widget was still 'Loading widget...' 30 s after the run.")
    return problems


def _watch_kernel_errors(page) -> list[str]:
    """Collect the kernel's error messages that answer anything but a cell's execution.

    A widget callback runs in the kernel when the browser sends a comm message (a slider moved);
    if it raises, the kernel sends an "error" message whose parent is that comm message, and
    JupyterLab shows it in no cell. Reading the kernel websocket is the only way to see it."""
    errors: list[str] = []

    def on_frame(payload) -> None:
        if (b'"error"' if isinstance(payload, bytes) else '"error"') not in payload:
            return  # cheap filter: most frames are status, stream or widget state
        channel, header, parent, content = _kernel_message(payload)
        if channel == "iopub" and header.get("msg_type") == "error" and parent.get("msg_type") != "execute_request":
            error = f"{parent.get('msg_type')} -> {content.get('ename')}: {content.get('evalue')}"
            if error not in errors:
                errors.append(error)

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return errors


def _kernel_message(payload) -> tuple[str, dict, dict, dict]:
    """(channel, header, parent header, content) of a kernel websocket frame.

    JSON text frames hold one object; binary frames use the v1 kernel websocket protocol: a count n,
    n little-endian uint64 offsets, then the parts channel, header, parent header, metadata, content."""
    if isinstance(payload, str):
        message = json.loads(payload)
        return message.get("channel", ""), message["header"], message["parent_header"], message["content"]
    count = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 * i:8 * i + 8], "little") for i in range(1, count + 1)]
    parts = [payload[a:b] for a, b in zip(offsets, offsets[1:] + [len(payload)])]
    channel = parts[0].decode()
    header, parent, _metadata, content = (json.loads(part) for part in parts[1:5])
    return channel, header, parent, content


def _state(view) -> dict:
    return view.evaluate(_VIEW_STATE_JS)


def _settle(view, timeout_s: float = SETTLE_TIMEOUT_S, stable_s: float = 1.0) -> dict:
    """What the view shows once it stops changing (the kernel has answered the last slider step)."""
    deadline = time.monotonic() + timeout_s
    state, stable_since = _state(view), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = _state(view)
        if now != state or now["image"] is None:
            state, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= stable_s:
            return state
    return state


def _step(view, key: str, slider: int = 0) -> dict:
    """Press a key on a slider's handle (as a keyboard user does) and wait for the picture."""
    view.locator(":scope > .widget-hbox .noUi-handle").nth(slider).press(key)
    return _settle(view)


def _check_view(view, index: int) -> ViewReport:
    view.scroll_into_view_if_needed()
    hbox = view.locator(":scope > .widget-hbox")
    sliders = hbox.locator(".noUi-handle").count()
    has_play = hbox.locator(".widget-play").count() > 0
    has_dropdown = hbox.locator("select").count() > 0
    kind = "play" if has_play else "slider" if sliders else "dropdown" if has_dropdown else "none"
    start = _settle(view)
    report = ViewReport(index, kind, start["label"] or "")
    if kind == "none":
        report.problems.append("it has no Play, slider or dropdown the tests know how to move.")
    elif kind == "play" and not sliders:
        report.problems.append("its Play button has no slider to show the position.")
    elif kind == "play":
        report.problems += _check_play(view, _step(view, "Home"))  # Home: an earlier Play may have moved it
    elif kind == "slider":
        for slider in range(sliders):
            report.problems += _check_slider(view, _step(view, "Home", slider), slider)
    if has_dropdown:
        report.problems += _check_dropdown(view, _settle(view))
    return report


def _check_slider(view, start: dict, slider: int) -> list[str]:
    """One step right must change picture and label; one step back must restore them."""
    name = f"slider {slider}"
    if start["lasts"][slider] < 1:
        return [f"{name} has a single position: nothing to move."]
    moved = _step(view, "ArrowRight", slider)
    if moved["positions"][slider] == start["positions"][slider]:
        return [f"{name} did not move when ArrowRight was pressed on its handle."]
    problems = _compare_frames(start, moved, f"after one step of {name}")
    back = _step(view, "ArrowLeft", slider)
    if (back["label"], back["image"]) != (start["label"], start["image"]):
        problems.append(f"stepping {name} back shows '{back['label']}', not the frame first shown "
                        f"there ('{start['label']}').")
    for readout in start["readouts"]:
        # A SelectionSlider names its value in the readout (an IntSlider shows a bare number):
        # the frame label must name it too.
        if not readout.isdigit() and readout not in (start["label"] or ""):
            problems.append(f"a slider reads '{readout}' but the label says '{start['label']}'.")
    return problems


def _check_play(view, start: dict) -> list[str]:
    """Play must advance the slider and change the picture; after pausing, the frame on show must
    be the one the keyboard brings up at the same slider position."""
    play_button = view.locator(":scope > .widget-hbox .widget-play button").first
    play_button.click()
    positions, images = {start["positions"][0]}, {start["image"]}
    deadline = time.monotonic() + PLAY_WATCH_S
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _state(view)
        positions.add(now["positions"][0])
        images.add(now["image"])
        if not now["playing"] or (len(positions) >= 3 and len(images - {None}) >= 3):
            break
    if view.locator(":scope > .widget-hbox .widget-play i.fa-pause").count():
        play_button.click()  # pause (the stop button would rewind to the first frame)
    stopped = _settle(view, stable_s=2.0)  # longer: a busy kernel may still be answering Play's steps
    if max(positions) <= start["positions"][0]:
        return ["pressing Play did not advance the slider."]
    problems = []
    if len(images - {None}) < 2:
        problems.append("the picture did not change while Play was running.")
    problems += _compare_frames(start, stopped, "after Play")
    # The same position reached by the keyboard must show the same label and picture.
    away, back = ("ArrowLeft", "ArrowRight") if stopped["positions"][0] > 0 else ("ArrowRight", "ArrowLeft")
    _step(view, away)
    again = _step(view, back)
    if again["positions"] != stopped["positions"]:
        problems.append("the slider did not return to the same position with the arrow keys.")
    elif (again["label"], again["image"]) != (stopped["label"], stopped["image"]):
        problems.append(f"after Play stopped at position {stopped['positions'][0]} the view showed "
                        f"'{stopped['label']}', but the same position shows '{again['label']}' "
                        "when reached with the keyboard: the picture lags behind the slider.")
    return problems


def _check_dropdown(view, start: dict) -> list[str]:
    """Choosing another entry must change picture and label; choosing the first again restores them."""
    select = view.locator(":scope > .widget-hbox select").first
    if start["lasts"][-1] < 1:
        return ["its dropdown has a single choice: nothing to change."]
    original = start["positions"][-1]
    select.select_option(index=1 if original != 1 else 0)
    problems = _compare_frames(start, _settle(view), "after choosing another dropdown entry")
    select.select_option(index=original)
    back = _settle(view)
    if (back["label"], back["image"]) != (start["label"], start["image"]):
        problems.append(f"choosing entry {original} again shows '{back['label']}', not '{start['label']}'.")
    return problems


def _compare_frames(before: dict, after: dict, when: str) -> list[str]:
    moves = f"(positions {before['positions']} -> {after['positions']})"
    problems = []
    if after["image"] is None:
        problems.append(f"{when} {moves}, the picture could not be read.")
    elif after["image"] == before["image"]:
        problems.append(f"{when} {moves}, the picture did not change.")
    if after["label"] == before["label"]:
        problems.append(f"{when} {moves}, the label still says '{after['label']}'.")
    return problems
