"""Save and share a page's state: as a small settings file (download / upload) and as a link
whose query string reproduces it on another machine with the same data. Scenarios are named
by their bundled file name only, never by a server path."""

from __future__ import annotations

import json
from typing import Any, Callable, cast
from urllib.parse import parse_qs, urlencode

import solara

from fundalloc.app import common
from fundalloc.core.i18n import lang, tr

VERSION = 1
# What was wrong with the link the page opened from (shown in its share card), per session.
link_problem: solara.Reactive[str | None] = solara.reactive(None)
LISTS = ("set", "scenario", "variant", "own")  # keys that may repeat in a query string


def to_query(state: dict[str, Any]) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in state.items():
        if value is None or value == "" or value == []:
            continue
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, str(v)))
    return urlencode(pairs)


def from_query(search: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, values in parse_qs(search or "", keep_blank_values=False).items():
        out[key] = values if key in LISTS else values[-1]
    return out


def scenario_path(name: str, section: str) -> str:
    """A bundled scenario by its file name (a link or a file cannot point elsewhere)."""
    choices = common.bundled(section)
    if name not in choices:
        raise ValueError(tr("app.share.not_bundled", name=name, names=", ".join(choices)))
    return choices[name]


def settings_file(page: str, state: dict[str, Any]) -> bytes:
    data = {"fundalloc_app": VERSION, "page": page, **state}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_settings(page: str, data: bytes) -> dict[str, Any]:
    try:
        state = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(tr("app.share.not_settings", why=str(exc))) from exc
    if not isinstance(state, dict) or state.get("fundalloc_app") != VERSION:
        raise ValueError(tr("app.share.not_settings", why='"fundalloc_app": 1'))
    if state.get("page") != page:
        raise ValueError(tr("app.share.other_page", page=str(state.get("page")), this=page))
    return {k: v for k, v in state.items() if k not in ("fundalloc_app", "page")}


def applicants_state() -> dict[str, Any]:
    """The uploaded applicant file, by the hash it is kept under (app/store.py)."""
    from fundalloc.app import store

    digest = store.digest_of(common.applicants_upload.value)
    return {"applicants": digest} if digest else {}


def apply_applicants(state: dict[str, Any]) -> None:
    """The applicant file of a link or a settings file (its hash), else the scenario's own."""
    from fundalloc.app import store

    digest = state.get("applicants")
    common.applicants_upload.set(store.find(str(digest)) if digest else None)


def with_lang(state: dict[str, Any]) -> dict[str, Any]:
    """A page's state with the session's language: a link or a file opens in it."""
    return {**state, "lang": lang()}


def apply_lang(state: dict[str, Any]) -> dict[str, Any]:
    """Set the session's language from a link or a file; the rest of the state."""
    common.set_language(str(state.get("lang") or ""))
    return {k: v for k, v in state.items() if k != "lang"}


def use_query(apply: Callable[[dict[str, Any]], None]) -> None:
    """Apply the page's query string once, when the page opens from a shared link."""
    router = solara.use_router()
    search = router.search

    def once():
        state = apply_lang(from_query(search))
        try:
            if state:
                apply(state)
            link_problem.set(None)
        except (ValueError, TypeError, KeyError) as exc:  # said in the page's share card
            link_problem.set(str(exc))

    solara.use_effect(once, [])


@solara.component
def ShareBar(page: str, path: str, state: dict[str, Any], apply: Callable[[dict], None]):
    """The link to this state, its settings file, and an upload that applies one."""
    problem, set_problem = solara.use_state(cast(str | None, None))

    def on_file(name: str, data: bytes) -> None:
        try:
            apply(apply_lang(read_settings(page, data)))
            set_problem(None)
        except (ValueError, TypeError, KeyError) as exc:
            set_problem(f"{name}: {exc}")

    state = with_lang(state)
    href = f"/{path}?{to_query(state)}"
    with solara.Card(tr("app.share.title"), classes=["fundalloc-share"]):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                f'<a class="fundalloc-share-link" href="{_attr(href)}">'
                f"{_attr(tr('app.share.link'))}</a>{_attr(tr('app.share.link_hint'))}"
            ),
        )
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.FileDownload(
                lambda: settings_file(page, state),
                f"fundalloc-{page}.json",
                label=tr("app.share.download"),
            )
            common.UploadButton(tr("app.share.open"), ".json", on_file)
        if problem:
            common.ErrorBox(problem)
        if link_problem.value:
            common.ErrorBox(tr("app.share.bad_link", why=link_problem.value))


def _attr(text: str) -> str:
    import html

    return html.escape(text, quote=True)
