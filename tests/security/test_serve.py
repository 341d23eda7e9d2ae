"""Item 1 of issue #13: `serve` lets in only the browser that has this run's link.

The aiohttp application of the real server is driven over real sockets (aiohttp's TestServer);
the console it would start per WebSocket is replaced by a harmless command."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner

from krise_ovelse.cli import main
from krise_ovelse.cli.serving import GuardedServer

TOKEN = "t0ken-for-the-test-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def served() -> AsyncIterator[tuple[TestClient[aiohttp.web.Request, aiohttp.web.Application], int]]:
    port = _free_port()
    server = GuardedServer("sleep 30", host="127.0.0.1", port=port, title="krise-øvelse", token=TOKEN)
    app = await server._make_app()
    client = TestClient(TestServer(app, host="127.0.0.1", port=port))
    await client.start_server()
    try:
        yield client, port
    finally:
        await client.close()


Served = tuple[TestClient[aiohttp.web.Request, aiohttp.web.Application], int]


async def test_the_page_needs_the_token(served: Served) -> None:
    client, port = served
    assert (await client.get("/")).status == 403
    assert (await client.get("/?token=wrong")).status == 403
    page = await client.get(f"/?token={TOKEN}")
    assert page.status == 200
    html = await page.text()
    assert f"ws://127.0.0.1:{port}/ws/{TOKEN}" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"


async def test_websocket_needs_the_token_and_our_origin(served: Served) -> None:
    client, port = served
    own = {"Origin": f"http://127.0.0.1:{port}"}
    for path, headers in (("/ws", own), ("/ws/wrong", own), (f"/ws/{TOKEN}", {"Origin": "http://evil.example"}),
                          (f"/ws/{TOKEN}", {"Origin": f"http://localhost.evil.example:{port}"}),
                          (f"/ws/{TOKEN}", {"Origin": "null"})):
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await client.ws_connect(path, headers=headers)
        assert info.value.status in (403, 404), (path, headers)
    ws = await client.ws_connect(f"/ws/{TOKEN}", headers=own)  # the page's own WebSocket
    await ws.send_str(json.dumps(["ping", "1"]))
    reply = await ws.receive(timeout=10)
    assert json.loads(reply.data) == ["pong", "1"]
    await ws.close()


async def test_dns_rebinding_is_refused(served: Served) -> None:
    client, port = served
    for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", "127.0.0.1:1", ""):
        response = await client.get(f"/?token={TOKEN}", headers={"Host": host})
        assert response.status == 421, host
    assert (await client.get(f"/?token={TOKEN}", headers={"Host": f"localhost:{port}"})).status == 200


async def test_static_files_are_served_without_a_listing(served: Served) -> None:
    client, _ = served
    assert (await client.get("/static/js/textual.js")).status == 200
    for path in ("/static/", "/static/js/", "/static/../server.py", "/download/anything"):
        assert (await client.get(path)).status in (403, 404), path


def test_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    server = GuardedServer("true", host="127.0.0.1", port=8000, title="t", token=TOKEN)
    assert server.token_ok(TOKEN) and not server.token_ok("x") and not server.token_ok(None)
    assert len(calls) == 2


def test_each_run_has_its_own_long_token() -> None:
    a = GuardedServer("true", host="127.0.0.1", port=8000, title="t")
    b = GuardedServer("true", host="127.0.0.1", port=8000, title="t")
    assert a.token != b.token and len(a.token) >= 32
    assert a.url() == f"http://127.0.0.1:8000/?token={a.token}"


def _serve(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[list[GuardedServer], str]:
    started: list[GuardedServer] = []
    monkeypatch.setattr(GuardedServer, "serve", lambda self: started.append(self))
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == 0, result.output
    return started, result.stderr


def test_serve_prints_the_link_with_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    [server], said = _serve(monkeypatch)
    assert f"http://127.0.0.1:8000/?token={server.token}" in said
    assert "warning" not in said


def test_binding_beyond_localhost_says_who_can_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    _, said = _serve(monkeypatch, "--host", "0.0.0.0")
    assert "warning: --host 0.0.0.0" in said and "Anyone who can reach port 8000" in said
    assert "plain http" in said


def test_serve_db_without_a_scenario_starts_a_working_console(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "kurs.db"
    [server], _ = _serve(monkeypatch, "--db", str(db), "--lang", "en")
    # The command each browser tab runs; `sessions` instead of the console shows which database it uses.
    result = subprocess.run(f"{server.command} sessions", shell=True, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert str(db) in result.stdout
