"""`fundalloc app`: serve the web app (model/app/) and print its address."""

from __future__ import annotations

import typer

from fundalloc.commands.common import console, reports_errors


@reports_errors
def command(
    port: int = typer.Option(8765, "--port", help="Port to serve on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this computer only)."
    ),
) -> None:
    """Start the web app (selection, compare, stress test) and print its address."""
    from fundalloc.app.server import serve  # the app's pages import solara: only when served

    serve(host, port, announce=lambda text: console.print(text, highlight=False))
