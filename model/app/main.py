"""The app's pages (what `fundalloc app` serves), shown as tabs named in words."""

import solara
import solara.lab

from fundalloc.app import compare, design, scenarios, selection, stress


@solara.component
def Layout(children=[]):  # noqa: B006 - solara's layout signature
    route, siblings = solara.use_route()
    router = solara.use_router()
    index = siblings.index(route) if route in siblings else 0

    def go(i: int) -> None:
        path = siblings[i].path
        router.push("/" if path == "/" else f"/{path}")

    with solara.AppLayout(children=children, title="fundalloc — 两业融合 awards"):
        with solara.AppBar():
            with solara.lab.Tabs(value=index, on_value=go, align="center"):
                for r in siblings:
                    solara.lab.Tab(r.label)


routes = [
    solara.Route(path="/", component=selection.Page, label="Selection", layout=Layout),
    solara.Route(path="compare", component=compare.Page, label="Compare a batch"),
    solara.Route(path="stress", component=stress.Page, label="Stress test"),
    solara.Route(path="scenarios", component=scenarios.Page, label="Scenarios side by side"),
    solara.Route(path="design", component=design.Page, label="Size to the budget"),
]
