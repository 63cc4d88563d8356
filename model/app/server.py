"""Start the app: Solara's own server (uvicorn), in this process, in production mode (no
reloader), offline (page assets from the solara-assets package, no version check)."""

from __future__ import annotations

import socket

from fundalloc.core.errors import FundallocError


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def solara_args(host: str, port: int) -> list[str]:
    return [
        "fundalloc.app.main",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--no-open",
    ]


def serve(host: str = "127.0.0.1", port: int = 8765, announce=print) -> None:
    """Check the port, `announce` the address, then serve until Ctrl+C."""
    if not port_free(host, port):
        raise FundallocError(
            f"port {port} on {host} is in use (another fundalloc app?): stop "
            "it or choose another with --port"
        )
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    announce(f"fundalloc app: open http://{shown}:{port}/ in your browser (Ctrl+C stops it)")
    from solara.__main__ import run  # imported late: only this command needs the web stack

    run.main(args=solara_args(host, port), prog_name="fundalloc app", standalone_mode=False)
