"""The app against an adversary, on a running server on loopback: a foreign Origin's WebSocket
is refused, a foreign Host is refused (DNS rebinding), no request passes without the token,
a page user cannot name a server file, uploads are bounded, temp files go on SIGTERM."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from fundalloc.app import security
from fundalloc.core.errors import FundallocError
from tests.reliability.helpers import ROOT, env

START_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    port = _free_port()
    log = tmp / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fundalloc.cli", "app", "--port", str(port)],
            cwd=ROOT, env=env(TMPDIR=str(tmp)), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + START_S
    token = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        found = re.search(r"\?token=([\w-]+)", log.read_text())
        token = found.group(1) if found else None
        if token and _status(port, f"/?token={token}") == 200:
            break
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the app did not start:\n{log.read_text()}")
    yield {"port": port, "token": token, "proc": proc, "tmp": tmp}
    if proc.poll() is None:
        proc.kill()


def _status(port: int, path: str, headers: dict | None = None) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return -1


def _ws_status(port: int, origin: str | None, host: str, cookie: str = "", query: str = "") -> int:
    """The HTTP status of a WebSocket handshake to Solara's kernel endpoint."""
    lines = [
        f"GET /jupyter/api/kernels/k1/channels{query} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    if cookie:
        lines.append(f"Cookie: {cookie}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = s.recv(1024).decode("latin-1")
    return int(head.split()[1])


def test_token_is_required(server):
    port, token = server["port"], server["token"]
    assert _status(port, "/") == 403
    assert _status(port, "/?token=wrong") == 403
    assert _status(port, f"/?token={token}") == 200
    cookie = {"Cookie": f"fundalloc-token-{port}={token}"}
    assert _status(port, "/readyz", cookie) == 200  # the page's own requests carry the cookie


def test_foreign_host_is_refused(server):
    port, token = server["port"], server["token"]
    assert _status(port, f"/?token={token}", {"Host": "evil.example:80"}) == 403
    assert _status(port, f"/?token={token}", {"Host": f"localhost:{port}"}) == 200


def test_foreign_origin_is_refused(server):
    port, token = server["port"], server["token"]
    assert _status(port, f"/?token={token}", {"Origin": "http://evil.example"}) == 403
    assert _status(port, f"/?token={token}", {"Origin": f"http://localhost:{port + 1}"}) == 403
    assert _status(port, f"/?token={token}", {"Origin": f"http://localhost:{port}"}) == 200


def test_websocket_from_a_foreign_origin_is_refused(server):
    port, token = server["port"], server["token"]
    cookie = f"fundalloc-token-{port}={token}"
    here = f"127.0.0.1:{port}"
    assert _ws_status(port, "http://evil.example", here, cookie) == 403
    assert _ws_status(port, "null", here, cookie) == 403
    assert _ws_status(port, f"http://{here}", "evil.example", cookie) == 403  # rebinding
    assert _ws_status(port, f"http://{here}", here) == 403  # no token
    # the app's own page passes the guard (Solara then answers for its kernel id itself)
    assert _ws_status(port, f"http://{here}", here, cookie) != 403


def test_sigterm_removes_the_temp_files(server):
    proc, tmp = server["proc"], server["tmp"]
    work = list(tmp.glob("fundalloc-app-*"))
    assert work, "the app keeps its uploads in a temp folder of its own"
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    assert not list(tmp.glob("fundalloc-app-*"))


def test_guard_names():
    names = security.host_names("0.0.0.0")
    assert security.host_allowed("192.168.1.5:8765", "0.0.0.0", names)  # the machine's own IP
    assert not security.host_allowed("attacker.example", "0.0.0.0", names)
    assert not security.host_allowed("192.168.1.5", "127.0.0.1", security.host_names("127.0.0.1"))
    assert security.host_allowed("[::1]:8765", "127.0.0.1", security.host_names("127.0.0.1"))


@pytest.mark.parametrize(
    "line",
    [
        "simulation.firms=/etc/passwd",
        'simulation.firms="README.md"',
        "selection.applicants=x.csv",
        "extends=/etc/hosts",
        'programme.applicants.2025="a.csv"',
        'simulation={firms="pyproject.toml"}',
        'awards.growth_window_from="../../etc/passwd"',
        "simulation.seed=pyproject.toml",  # a value naming an existing file, whatever the key
    ],
)
def test_a_page_user_cannot_name_a_server_file(line, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(FundallocError, match="a page cannot name a file"):
        security.page_sets([line])


def test_page_lines_that_name_no_file_pass():
    ok = ["simulation.seed=7", 'awards.growth_window_from="first_award"', "awards.budget_wan=3000"]
    assert security.page_sets(ok) == ok


def test_uploads_are_bounded_and_named(monkeypatch):
    monkeypatch.setenv(security.MAX_UPLOAD_ENV, "1")
    assert "above the upload limit of 1 MB" in security.upload_problem("big.xlsx", 2_000_000)
    assert security.upload_problem("ok.csv", 1000) is None
    for name in ["..", ".", "", "a/..", "x\x00y"]:
        with pytest.raises(FundallocError, match="not a usable file name"):
            security.upload_name(name)
    assert security.upload_name("../../etc/passwd") == "passwd"  # only ever the name part
    said, got = [], []
    checked = security.guard_upload(lambda n, d: got.append(n), said.append)
    checked("big.csv", b"x" * 2_000_000)
    assert got == [] and "above the upload limit" in said[-1]
    checked("fine.csv", b"x")
    assert got == ["fine.csv"] and said[-1] is None


def test_save_upload_refuses_dotdot():
    from fundalloc.app import common

    with pytest.raises(FundallocError):
        common.save_upload("..", b"x")
