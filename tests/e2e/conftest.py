"""Browser tests of `fundalloc app`: the app runs in a subprocess on a free port, headless
Chromium (Debian's /usr/bin/chromium) drives it through Playwright.

Without Chromium or Playwright the tests are skipped with a reason saying how to install them,
except under FUNDALLOC_REQUIRE_BROWSER=1 (set by .ci/run), where that is a failure: CI never
skips them silently."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from e2e_helpers import ROOT

CHROMIUM = Path(os.environ.get("FUNDALLOC_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("FUNDALLOC_REQUIRE_BROWSER") == "1"
START_LIMIT_S = 120  # the app imports the whole engine and Solara before it answers


def _missing() -> list[str]:
    out = []
    if not CHROMIUM.exists():
        out.append(
            f"{CHROMIUM} not found: install it with `sudo apt-get install -y chromium "
            "chromium-driver` (Debian/Ubuntu)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        out.append("the playwright package is missing: `.venv/bin/pip install -e '.[test]'`")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    missing = _missing()
    if missing:
        message = "browser tests need: " + "; ".join(missing)
        if REQUIRED:
            pytest.fail(
                message + " (FUNDALLOC_REQUIRE_BROWSER=1: they may not be skipped)", pytrace=False
            )
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("app")


@pytest.fixture(scope="session")
def app_url(browser, app_home):
    """`fundalloc app` on a free port, as a user starts it; stopped after the session."""
    port = _free_port()
    log = app_home / "app.log"
    # the app as an officer starts it: Chinese (the default), run folders under our tmp
    env = {**os.environ, "FUNDALLOC_APP_RESULTS": str(app_home / "results"), "FUNDALLOC_LANG": "zh"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fundalloc.cli", "app", "--port", str(port), "--no-token"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_LIMIT_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the app stopped at start:\n{log.read_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer at {url}:\n{log.read_text()}", pytrace=False)
            time.sleep(0.5)
        assert f"http://localhost:{port}/" in log.read_text(), "the address is not printed"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


LAPTOP = {"width": 1366, "height": 768}  # the budget officer's screen (issue 19)


@pytest.fixture(scope="session")
def app_results(app_url, app_home) -> Path:
    """Where the app writes its run folders in these tests (FUNDALLOC_APP_RESULTS)."""
    return app_home / "results"


@pytest.fixture
def new_page(browser, app_url):
    """Another fresh context (a colleague's browser), closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        return pg

    yield make
    for c in contexts:
        c.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context: a new Solara session, so no state leaks between tests."""
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
