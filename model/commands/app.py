"""`fundalloc app`: serve the web app (model/app/) and print its address."""

from __future__ import annotations

import typer

from fundalloc.commands.common import console, reports_errors
from fundalloc.core.i18n import tr


@reports_errors
def command(
    port: int = typer.Option(8765, "--port", min=1, max=65535, help=tr("help.app.port")),
    host: str = typer.Option("127.0.0.1", "--host", help=tr("help.app.host")),
    no_token: bool = typer.Option(False, "--no-token", help=tr("help.app.no_token")),
    max_upload_mb: float = typer.Option(50.0, "--max-upload-mb", help=tr("help.app.max_upload")),
) -> None:
    """Start the web app (selection, compare, stress test) and print its address."""
    from fundalloc.app.server import serve  # the app's pages import solara: only when served

    serve(
        host,
        port,
        announce=lambda text: console.print(text, highlight=False, soft_wrap=True),
        token=not no_token,
        max_upload_mb=max_upload_mb,
    )
