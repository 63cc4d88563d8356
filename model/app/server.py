"""Start the app: Solara's own server (uvicorn), in this process, in production mode (no
reloader), offline (page assets from the solara-assets package, no version check) — behind
`security.Guard` (Host, Origin and token checked on every request and WebSocket)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
from contextlib import contextmanager

from fundalloc.app import security
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr

WS_MARGIN = 1024 * 1024  # a WebSocket message holds the upload and a little framing


def port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
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


def check(host: str, port: int, token: bool) -> None:
    if not 1 <= port <= 65535:
        raise FundallocError(tr("app.bad_port", port=port))
    if not token and not security.is_loopback(host):
        raise FundallocError(tr("app.token_needed", host=host))
    try:
        socket.getaddrinfo(host, port)
    except (socket.gaierror, UnicodeError):
        raise FundallocError(tr("app.bad_host_option", host=host)) from None
    if not port_free(host, port):
        if port_free(host, 0):  # the address binds: it is the port that is taken
            raise FundallocError(
                f"port {port} on {host} is in use (another fundalloc app?): stop "
                "it or choose another with --port"
            )
        raise FundallocError(tr("app.bad_host_option", host=host))


@contextmanager
def _guarded_uvicorn(ws_max_size: int, **guard):
    """Solara builds uvicorn's Config itself, with no way to pass a WebSocket message limit
    or a middleware; the Config it builds meanwhile is ours: its app is wrapped in
    `security.Guard` once uvicorn has loaded it, and the WebSocket message limit (16 MiB by
    default: a larger upload dropped the connection and vanished) is raised above the upload
    limit, so an upload above our limit arrives and is refused with a message."""
    import uvicorn

    original = uvicorn.Config

    class Config(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("ws_max_size", ws_max_size)
            super().__init__(*args, **kwargs)

        def load(self) -> None:
            super().load()
            self.loaded_app = security.Guard(self.loaded_app, **guard)  # type: ignore[has-type]

    uvicorn.Config = Config  # type: ignore[misc]
    try:
        yield
    finally:
        uvicorn.Config = original  # type: ignore[misc]


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds like Ctrl+C: finally blocks and atexit run


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    announce=print,
    *,
    token: bool = True,
    max_upload_mb: float = security.DEFAULT_MAX_UPLOAD_MB,
) -> None:
    """Check the port, `announce` the address (with the token), then serve until Ctrl+C or
    SIGTERM; the uploads and outputs of this server are removed either way."""
    check(host, port, token)
    if max_upload_mb <= 0:
        raise FundallocError(tr("app.bad_upload_limit", mb=max_upload_mb))
    os.environ[security.MAX_UPLOAD_ENV] = str(max_upload_mb)
    key = secrets.token_urlsafe(24) if token else None
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1") else host
    url = f"http://{shown}:{port}/" + (f"?token={key}" if key else "")
    announce(f"fundalloc app: open {url} in your browser (Ctrl+C stops it)")
    if host in security.WILDCARD:
        announce(tr("app.all_interfaces"))

    from solara.__main__ import run  # imported late: only this command needs the web stack

    from fundalloc.app import common

    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        limit = int(security.max_upload_bytes() * 2 + WS_MARGIN)
        with _guarded_uvicorn(limit, bound=host, port=port, token=key):
            run.main(args=solara_args(host, port), prog_name="fundalloc app", standalone_mode=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(common.WORK, ignore_errors=True)
