"""Helpers of the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

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
