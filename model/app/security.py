"""Who may drive the app, and what a page user may name.

- `Guard` (ASGI middleware around Solara's Starlette app, HTTP and WebSocket alike): the Host
  header must be a loopback name or the address the app was started on, so a foreign site
  cannot reach it through DNS rebinding; a browser's Origin must be this very app, so a page
  open in another tab cannot drive it (cross-site WebSocket); and, unless started with
  `--no-token` on loopback, the token printed at start must come with the request (in the URL
  once, then in a cookie), as Jupyter does. Anything else gets 403.
- `page_sets`: the stress page's free `key=value` lines may not name a file (files come only
  from uploads or the bundled scenarios, chosen by name), so a page user cannot make the
  server read one of its files.
- `guard_upload` / `upload_name`: an upload over the size limit, or with a name that is no
  file name (`..`), is refused with a message instead of vanishing or failing.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import socket
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import tomllib

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import PATH_KEYS

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}
MAX_UPLOAD_ENV = "FUNDALLOC_MAX_UPLOAD_MB"  # set by `fundalloc app --max-upload-mb`
DEFAULT_MAX_UPLOAD_MB = 50.0


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def host_names(bound: str) -> set[str]:
    """Host names a request may carry: loopback names, the address the app was started on,
    and when bound to every interface this machine's own names. (An IP literal can never be
    a rebinding attack: see `host_allowed`.)"""
    names = set(LOOPBACK_NAMES) | {bound.lower().strip("[]")}
    if bound in WILDCARD:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names - {""}


def split_host(value: str) -> tuple[str, int | None]:
    """ "name:port" or "[::1]:port" → (name, port)."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:
        name, port = value, ""
    return name, int(port) if port.isdigit() else None


def host_allowed(host: str, bound: str, names: set[str]) -> bool:
    name, _ = split_host(host)
    if is_loopback(name) or name in names:
        return True
    return bound in WILDCARD and _is_ip(name)  # reached by the machine's own address


def origin_allowed(origin: str, bound: str, port: int, names: set[str]) -> bool:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False  # "null" (a sandboxed frame, a file) or garbage
    return host_allowed(parts.netloc, bound, names) and (parts.port or 80) == port


class Guard:
    """ASGI middleware: Host, Origin and token checks before Solara sees a request."""

    def __init__(self, app, *, bound: str, port: int, token: str | None):
        self.app, self.bound, self.port, self.token = app, bound, port, token
        self.names = host_names(bound)
        self.cookie = f"fundalloc-token-{port}"  # cookies ignore ports: one per app

    def refusal(self, scope) -> tuple[str | None, bool]:
        """(why it is refused or None, whether the token came in the URL)."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_allowed(headers.get("host", ""), self.bound, self.names):
            return tr("app.bad_host", host=headers.get("host", "")), False
        origin = headers.get("origin")
        if origin is not None and not origin_allowed(origin, self.bound, self.port, self.names):
            return tr("app.bad_origin", origin=origin), False
        if self.token is None:
            return None, False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        if given and hmac.compare_digest(given, self.token):
            return None, True
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie is no token
            pass
        held = jar[self.cookie].value if self.cookie in jar else ""
        if held and hmac.compare_digest(held, self.token):
            return None, False
        return tr("app.no_token"), False

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        why, from_url = self.refusal(scope)
        if why is not None:
            if scope["type"] == "websocket":
                # closing before accepting: the server answers the handshake with 403
                await send({"type": "websocket.close", "code": 1008})
                return
            body = why.encode("utf-8")
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if not from_url or scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_cookie(message):
            # the token came in the URL: keep it in a cookie for the page's own requests
            if message["type"] == "http.response.start":
                cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message = {
                    **message,
                    "headers": [*message["headers"], (b"set-cookie", cookie.encode())],
                }
            await send(message)

        return await self.app(scope, receive, with_cookie)


# --- what a page user may name ---


def _names_a_file(value: Any) -> str | None:
    """The first thing in a parsed --set value that names a file, or None."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in PATH_KEYS:
                return f"{k}"
            found = _names_a_file(v)
            if found:
                return found
    elif isinstance(value, list):
        for v in value:
            found = _names_a_file(v)
            if found:
                return found
    elif isinstance(value, str):
        text = value.strip()
        if any(c in text for c in "/\\~") or text.startswith(".") or _exists(text):
            return text
    return None


def _exists(text: str) -> bool:
    try:
        return bool(text) and Path(text).exists()
    except (OSError, ValueError):
        return False


def page_sets(sets: list[str]) -> list[str]:
    """The `key=value` lines a page user typed, refused (FundallocError) if one names a
    file: a path key anywhere in the dotted key or its value, or a value that is a path."""
    for line in sets:
        key, eq, raw = line.partition("=")
        key = key.strip()
        parts = key.split(".")
        if not eq:
            continue  # the scenario loader says what is wrong with it
        if any(p.strip().strip('"') in PATH_KEYS for p in parts):
            raise FundallocError(tr("app.path_key", setting=key))
        try:
            value: Any = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()
        found = _names_a_file(value)
        if found:
            raise FundallocError(tr("app.path_value", setting=key, value=found))
    return sets


# --- uploads ---


def max_upload_bytes() -> int:
    try:
        mb = float(os.environ.get(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        mb = DEFAULT_MAX_UPLOAD_MB
    return int(mb * 1024 * 1024)


def upload_name(name: str) -> str:
    """The file name part of an uploaded file's name; refused if there is none (`..`, `.`,
    empty, a NUL byte): the file is saved under this name in a fresh folder of its own."""
    base = Path(str(name).replace("\\", "/")).name
    if base in ("", ".", "..") or "\x00" in base or base.strip(" .") == "":
        raise FundallocError(tr("app.bad_upload_name", name=name))
    return base


def upload_problem(name: str, size: int) -> str | None:
    limit = max_upload_bytes()
    if size > limit:
        return tr("app.upload_too_big", name=name, size=size / 1e6, limit=limit / 1e6)
    try:
        upload_name(name)
    except FundallocError as exc:
        return str(exc)
    return None


def guard_upload(on_file: Callable[[str, bytes], Any], say: Callable[[str | None], Any]):
    """`on_file` for an upload button, checked first: a refused file is `say`-d, not saved."""

    def checked(name: str, data: bytes) -> None:
        problem = upload_problem(name, len(data))
        say(problem)
        if problem is None:
            on_file(name, data)

    return checked
