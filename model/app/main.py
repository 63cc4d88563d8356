"""The app's pages (what `fundalloc app` serves), shown as tabs named in words, with the
language switch (中文 | English, per browser session) in the app bar."""

import solara
import solara.lab

from fundalloc.app import common, compare, design, scenarios, selection, stress
from fundalloc.core.i18n import tr


def tab_names() -> dict[str, str]:
    """Route path → the tab's name in the session's language."""
    return {
        "/": tr("app.tab.selection"),
        "compare": tr("app.tab.compare"),
        "stress": tr("app.tab.stress"),
        "scenarios": tr("app.tab.scenarios"),
        "design": tr("app.tab.design"),
    }


@solara.component
def Layout(children=[]):  # noqa: B006 - solara's layout signature
    route, siblings = solara.use_route()
    router = solara.use_router()
    index = siblings.index(route) if route in siblings else 0
    names = tab_names()

    def go(i: int) -> None:
        path = siblings[i].path
        router.push("/" if path == "/" else f"/{path}")

    with solara.AppLayout(children=children, title=tr("app.title")):
        with solara.AppBar():
            with solara.lab.Tabs(value=index, on_value=go, align="center"):
                for r in siblings:
                    solara.lab.Tab(names.get(r.path, r.path))
            common.LanguageSwitch()


# `label` is the machine name of a route; the tab shows tab_names() in the session's language.
routes = [
    solara.Route(path="/", component=selection.Page, label="selection", layout=Layout),
    solara.Route(path="compare", component=compare.Page, label="compare"),
    solara.Route(path="stress", component=stress.Page, label="stress"),
    solara.Route(path="scenarios", component=scenarios.Page, label="scenarios"),
    solara.Route(path="design", component=design.Page, label="design"),
]
