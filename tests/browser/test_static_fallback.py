"""Where widgets cannot run (GitHub, nbviewer, exported HTML) each animation needs a static fallback.

Every notebook that animates frames with a Play widget (frame_player, disk_player), and notebook 05
(the Poincare disk) in any case, is exported with `jupyter nbconvert --to html` from its committed
outputs; the HTML must hold a matplotlib to_jshtml animation with several frames that moves when Play is pressed
in Chromium (no kernel, no network).
"""
import re
import subprocess
import sys
import time

import pytest

import course_notebooks

ANIMATED = course_notebooks.with_animations()


@pytest.mark.parametrize("notebook", ANIMATED, ids=[nb.stem for nb in ANIMATED])
def test_exported_html_has_a_moving_static_animation(notebook, page, artifacts, tmp_path):
    html = tmp_path / f"{notebook.stem}.html"
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output", str(html),
                    str(notebook)], check=True, capture_output=True)
    text = html.read_text()
    frame_counts = [len(re.findall(r'frames\[\d+\] = "data:image/', part))
                    for part in text.split('<div class="animation">')[1:]]
    assert frame_counts, (f"{notebook.name}: the exported HTML has no matplotlib to_jshtml animation; "
                          "add one (and commit the executed notebook) as the fallback for the widget")
    assert min(frame_counts) >= 2, f"{notebook.name}: an animation with fewer than 2 frames: {frame_counts}"

    page.route(re.compile(r"^https?://"), lambda route: route.abort())  # offline, as a reader may be
    page.goto(html.as_uri(), wait_until="load")
    animations = page.locator("div.animation")
    for k in range(animations.count()):
        animation = animations.nth(k)
        animation.scroll_into_view_if_needed()
        image = animation.locator("img").first
        before = image.get_attribute("src")
        animation.locator("button[title='Play']").click()
        deadline = time.monotonic() + 10
        while image.get_attribute("src") == before and time.monotonic() < deadline:
            time.sleep(0.2)
        animation.screenshot(path=artifacts / f"{notebook.stem}-static-animation{k}.png")
        assert image.get_attribute("src") != before, f"{notebook.name}: static animation {k} did not move on Play"
