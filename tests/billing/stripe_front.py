"""localstripe on loopback, and a recording front for it that adds what localstripe lacks.

localstripe (PyPI) is a stateful fake Stripe server. What it does not do, and
this front does, so tests exercise the app as real Stripe would answer it:

- **Idempotency keys.** localstripe ignores ``Idempotency-Key``. Stripe saves
  the first answer to a key and replays it for every later request with that
  key; the front does the same, so a retried job gets the first customer back.
- **Prices.** localstripe knows only the older Plans API. Stripe accepts a
  plan id wherever a price id goes; the front renames ``items[0][price]`` to
  ``items[0][plan]`` on subscription creation.
- **Invoiced collection.** localstripe refuses ``collection_method`` and
  ``days_until_due``, and cannot finalise an invoice without a payment method;
  the front drops the two parameters and gives the customer a test card first,
  standing in for the council paying its invoice on time.
- **Checkout and the customer portal.** localstripe has neither; the front
  answers ``POST /v1/checkout/sessions`` and ``/v1/billing_portal/sessions``
  with a minimal session object (id and url), recording the request.

It also records every request (method, path, idempotency key, parameters) and
can drop the connection after localstripe has done the work
(``fail_after_forwarding``), as if the network failed on the way back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlencode

# Started with ``python -c``: serve localstripe's aiohttp app on loopback only,
# and never write its store to disk (its default is a shared file in /tmp).
LAUNCHER = """
import sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app
resources.Store.dump_to_disk = lambda self: None
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""

_DROPPED_FOR_LOCALSTRIPE = ("collection_method", "days_until_due")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_localstripe(timeout: float = 20.0) -> tuple[subprocess.Popen, str]:
    """Start localstripe on a free loopback port; returns the process and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"localstripe did not start within {timeout} seconds")


@dataclass
class Call:
    method: str
    path: str
    idempotency_key: str | None
    params: dict[str, str]


@dataclass
class StripeFront:
    """State shared by the front's handler threads."""

    upstream: str
    calls: list[Call] = field(default_factory=list)
    saved: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    fail_after_forwarding: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def posts(self, path_prefix: str) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and c.path.startswith(path_prefix)]

    def get(self, path: str, key: str = "sk_test_rochdale") -> dict:
        """GET ``path`` from localstripe directly (what Stripe now holds)."""
        request = urllib.request.Request(self.upstream + path, headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def cancel_subscription(self, sub_id: str, key: str = "sk_test_rochdale") -> None:
        """Cancel ``sub_id`` in localstripe directly, as an administrator would in Stripe's dashboard."""
        request = urllib.request.Request(
            f"{self.upstream}/v1/subscriptions/{sub_id}", method="DELETE", headers={"Authorization": f"Bearer {key}"}
        )
        urllib.request.urlopen(request, timeout=10).close()

    def change_plan(self, sub_id: str, price_id: str, key: str = "sk_test_rochdale") -> None:
        """Move ``sub_id`` to another price in localstripe directly, as the council would in the customer portal."""
        data = urlencode({"items[0][plan]": price_id}).encode()
        request = urllib.request.Request(
            f"{self.upstream}/v1/subscriptions/{sub_id}",
            data=data,
            method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        urllib.request.urlopen(request, timeout=10).close()

    def flush(self) -> None:
        request = urllib.request.Request(self.upstream + "/_config/data", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


def _translate(path: str, params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if path.rstrip("/") != "/v1/subscriptions":
        return params
    out = []
    for name, value in params:
        if name in _DROPPED_FOR_LOCALSTRIPE:
            continue
        out.append((name.replace("][price]", "][plan]"), value))
    return out


def _session_stub(path: str, params: dict[str, str]) -> bytes:
    if path.startswith("/v1/checkout/sessions"):
        session_id = f"cs_test_{secrets.token_hex(8)}"
        body = {"id": session_id, "object": "checkout.session", "url": f"https://checkout.stripe.test/{session_id}"}
    else:
        session_id = f"bps_{secrets.token_hex(8)}"
        body = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": params.get("customer"),
            "url": f"https://billing.stripe.test/{session_id}",
        }
    return json.dumps(body).encode()


def make_handler(front: StripeFront) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def _relay(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            path, _, query = self.path.partition("?")
            params = parse_qsl(raw.decode() if method == "POST" else query, keep_blank_values=True)
            key = self.headers.get("Idempotency-Key") if method == "POST" else None
            with front.lock:
                front.calls.append(Call(method, path, key, dict(params)))
                saved = front.saved.get(key) if key else None
            if saved is not None:
                self._answer(*saved)
                return
            if method == "POST" and path.startswith(("/v1/checkout/sessions", "/v1/billing_portal/sessions")):
                status, body = 200, _session_stub(path, dict(params))
            else:
                if path.rstrip("/") == "/v1/subscriptions" and ("collection_method", "send_invoice") in params:
                    self._give_test_card(dict(params)["customer"])
                status, body = self._forward(method, path, query, _translate(path, params))
            with front.lock:
                if key:
                    front.saved[key] = (status, body)
                drop = front.fail_after_forwarding > 0 and method == "POST"
                if drop:
                    front.fail_after_forwarding -= 1
            if drop:
                # Stripe did the work; the answer never arrives.
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._answer(status, body)

        def _forward(self, method: str, path: str, query: str, params: list[tuple[str, str]]) -> tuple[int, bytes]:
            data = urlencode(params).encode() if method == "POST" else None
            url = front.upstream + path + ("" if method == "POST" or not query else "?" + query)
            headers = {"Authorization": self.headers.get("Authorization", "")}
            if data is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()

        def _give_test_card(self, customer: str) -> None:
            card = [
                ("source[object]", "card"),
                ("source[number]", "4242424242424242"),
                ("source[exp_month]", "12"),
                ("source[exp_year]", "2040"),
                ("source[cvc]", "123"),
            ]
            status, body = self._forward("POST", f"/v1/customers/{customer}/sources", "", card)
            assert status == 200, body

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._relay("GET")

        def do_POST(self):
            self._relay("POST")

        def do_DELETE(self):
            self._relay("DELETE")

    return Handler


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload``, computed as Stripe documents it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_payload(event_id: str, event_type: str, obj: dict, created: int | None = None) -> bytes:
    """A Stripe event as Stripe would POST it (``obj`` is the changed object)."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()) if created is None else created,
            "api_version": "2024-06-20",
            "livemode": False,
            "data": {"object": obj},
        }
    ).encode()
