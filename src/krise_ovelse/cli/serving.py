"""The browser console (`krise-ovelse serve`), guarded against other users and other web pages.

textual-serve starts a console for every WebSocket that connects and checks nothing: another
local user could open one, any web page in the facilitator's browser could (browsers let pages
open WebSockets to 127.0.0.1), a DNS-rebinding page could read it, and `/static/` listed its
directory. `GuardedServer` keeps textual-serve's console and adds:

- a random token per run, in the URL the command prints; the page and the WebSocket need it
  (the WebSocket carries it in its path, `/ws/TOKEN`), compared in constant time;
- the `Host` header must name this server (a loopback name for a loopback bind; for a wider
  bind an IP address, the machine's own name or the `--host` given), which defeats DNS
  rebinding, whose requests carry the attacker's domain;
- a browser's `Origin` must be this server's own origin (a page elsewhere cannot connect);
- `/static/` serves textual-serve's files without listing the directory; the download route
  (unused by the console) is not offered.

See docs/security.md.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """True if `host` (a --host value) only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


def _split_host(value: str) -> tuple[str, int | None]:
    """('name', port) from a Host header or netloc; IPv6 literals keep no brackets."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class GuardedServer(Server):
    """textual-serve's server with a token, Host and Origin checks and no directory listing."""

    def __init__(self, command: str, host: str, port: int, title: str, token: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token or secrets.token_urlsafe(32)
        self.bind_host = host
        names = {host.lower().strip("[]")}
        if is_loopback(host):
            names |= LOOPBACK_NAMES
        else:
            names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
        self.host_names = frozenset(names)

    # -- what is printed ---------------------------------------------------------------------

    def url(self) -> str:
        """The link to open: it carries the token."""
        name = socket.gethostname() if is_wildcard(self.bind_host) else self.bind_host
        if ":" in name:
            name = f"[{name}]"
        return f"http://{name}:{self.port}/?token={self.token}"

    # -- checks ------------------------------------------------------------------------------

    def token_ok(self, given: str | None) -> bool:
        """Constant-time comparison, so the token cannot be guessed a character at a time."""
        return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    def host_ok(self, header: str | None) -> bool:
        name, port = _split_host(header or "")
        if not name or (port or 80) != self.port:
            return False
        if name in self.host_names:
            return True
        return not is_loopback(self.bind_host) and _is_ip(name)

    def origin_ok(self, request: web.Request) -> bool:
        """No Origin (not a browser) passes; a browser's must be this very server."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.netloc.lower() == (request.host or "").lower()

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.host_ok(request.headers.get("Host")):
            raise web.HTTPMisdirectedRequest(text="krise-øvelse: unknown host name\n")
        if not self.origin_ok(request):
            raise web.HTTPForbidden(text="krise-øvelse: requests from other web pages are refused\n")
        return await handler(request)

    # -- routes ------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_guarded_websocket, name="websocket"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def initialize_logging(self) -> None:
        """textual-serve's logging, without the access log: its lines would carry the token."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: the command prints the link itself (textual-serve's would lack the token)."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.token_ok(request.query.get("token")):
            raise web.HTTPForbidden(text="krise-øvelse: open the link `krise-ovelse serve` printed "
                                         "(it carries this run's token)\n")
        origin = f"http://{request.host}"
        context: dict[str, Any] = {
            "font_size": 16,
            "app_websocket_url": f"ws://{request.host}/ws/{self.token}",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of Referer
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_guarded_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.token_ok(request.match_info.get("token")):
            raise web.HTTPForbidden(text="krise-øvelse: wrong or missing token\n")
        response: web.StreamResponse = await self.handle_websocket(request)
        return response


def exposure_warning(host: str, port: int) -> str | None:
    """What to say when the console is reachable from beyond this machine, else None."""
    if is_loopback(host):
        return None
    where = "every network this machine is on" if is_wildcard(host) else f"the network of {host}"
    return (f"warning: --host {host} serves the console to {where}, not only to this machine.\n"
            f"  Anyone who can reach port {port} AND has the link below (with its token) can run the console "
            "as you: open scenario files, read and change sessions.\n"
            "  The connection is plain http: others on the same network can read the link and what is typed. "
            "Share the link only with the exercise's players, on a network you trust, and stop the server "
            "(ctrl+c) after the exercise.")
