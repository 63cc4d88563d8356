"""Helpers of the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"  # committed: README.md and docs/app.md show them


def upload(page, button_text: str, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_text(button_text).click()
    chooser.value.set_files(str(path))


def screenshot(page, name: str, max_height: int = 2600) -> None:
    """The whole page: Solara scrolls inside its own container, so a full-page capture would
    show one screen; grow the window to the content's height instead, scrolled to the top."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("""() => { let h = 0;
        document.querySelectorAll('*').forEach(e => { e.scrollTop = 0;
                                                      h = Math.max(h, e.scrollHeight); });
        return h; }""")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 800), max_height)})
    page.wait_for_timeout(500)  # let the layout settle at the new size (not an assertion)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def in_view(page, selector: str, wait_s: float = 10.0) -> bool:
    """The element's top is inside the window (1366×768) without the user scrolling.

    The app scrolls a new result into view 50 ms after drawing it (app/common.py), so on a
    loaded machine the first look can come before the scroll: look again for up to ``wait_s``.
    """
    height = page.viewport_size["height"]
    deadline = time.monotonic() + wait_s
    while True:
        box = page.locator(selector).first.bounding_box()
        if box is not None and 0 <= box["y"] < height - 40:
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(200)


def fits(page, selector: str) -> bool:
    """No horizontal scroll: the element is no wider than its box."""
    return page.evaluate(
        f"""() => [...document.querySelectorAll({selector!r})]
              .every(e => e.scrollWidth <= e.clientWidth + 1 &&
                          e.getBoundingClientRect().right <= window.innerWidth)"""
    )


def cli(*args: str, env_lang: str = "zh") -> None:
    """A `fundalloc` command as a user types it (the app's language)."""
    import os
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "fundalloc.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "FUNDALLOC_LANG": env_lang},
    )
    assert r.returncode == 0, r.stderr


def unzip_download(page, label: str, into: Path) -> Path:
    """Download the run folder's zip and unpack it; the folder inside it."""
    import zipfile

    with page.expect_download() as d:
        page.get_by_text(label).click()
    z = into / "run.zip"
    d.value.save_as(z)
    with zipfile.ZipFile(z) as f:
        f.extractall(into)
        top = {n.split("/")[0] for n in f.namelist()}
    assert len(top) == 1
    return into / top.pop()


EXPECT_MS = 30_000  # how long a retrying assertion waits for the page (Playwright: 5 s)


def expect(locator):
    """Playwright's retrying assertions (imported late: conftest says when it is missing).
    They pass as soon as the page agrees; the wait before failing is 30 s, not Playwright's
    5 s: on a loaded 2-core machine the page took longer than 5 s to update a share link
    after a field (one CI run)."""
    from playwright.sync_api import expect as _expect

    _expect.set_options(timeout=EXPECT_MS)
    return _expect(locator)


def zh(key: str, **fields) -> str:
    """A message as the app shows it in Chinese (its default)."""
    from fundalloc.core.i18n import tr, use_lang

    with use_lang("zh"):
        return tr(key, **fields)


def en(key: str, **fields) -> str:
    """A message as the app shows it after the switch to English."""
    from fundalloc.core.i18n import tr, use_lang

    with use_lang("en"):
        return tr(key, **fields)
