"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Chromium is Debian's (``apt-get install chromium``), driven by Python Playwright; ``playwright
install`` is not needed. Set TEACHKIT_CHROMIUM to use another Chromium binary. Without Chromium or
Playwright the suite is skipped, except with CI=true, where that is a failure.
Screenshots of every notebook and widget view go to tests/browser/artifacts/.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jupyterlab_driver import JupyterLab

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("TEACHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(message: str) -> None:
    """Skip on a laptop without a browser; fail in CI, where a skipped browser suite proves nothing."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only screenshots of this run
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A headless Chromium with a fresh profile, shared by every test of the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed: pip install -e '.[test]'")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                     "(or set TEACHKIT_CHROMIUM to a Chromium binary)")
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 1000})
    except Exception:
        playwright.stop()
        raise
    yield context
    context.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    yield page
    page.close()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a temporary copy of the repository; kernels run TEACHKIT_FAST=1."""
    server = JupyterLab(REPO, tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()


@pytest.fixture
def fresh_kernels(lab):
    """Shut down the kernels a test started, so the next notebook has both cores."""
    yield lab
    lab.shut_down_kernels()
