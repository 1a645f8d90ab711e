"""`rochdale run` starts the web app, a worker and the scheduler, and Ctrl-C stops every one."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from app import provision
from app.devserver.mailcatcher import free_port
from app.devserver.supervisor import group_members

pytestmark = pytest.mark.slow

READY_TIMEOUT = 120
STOP_TIMEOUT = 60


@pytest.fixture
def fresh_database(superuser_url):
    name = f"rochdale_run_{os.getpid()}"
    provision.apply_roles(superuser_url)
    provision.create_database(superuser_url, name, drop_existing=True)
    yield {
        "owner": provision.with_role_and_database(superuser_url, provision.OWNER_ROLE, name),
        "app": provision.with_role_and_database(superuser_url, provision.APP_ROLE, name),
    }
    provision.drop_database(superuser_url, name)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _health(base: str) -> dict | None:
    try:
        return json.loads(_get(f"{base}/healthz")[1])
    except (OSError, ValueError):
        return None


def _ask_for_password_reset(base: str, email: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/password/forgot", timeout=10) as response:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email}).encode()
    with opener.open(f"{base}/password/forgot", form, timeout=10) as response:
        assert response.status == 200


def _wait_for_caught_mail(base: str, output: list[str], timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ids = re.findall(r"/dev/mail/(\d{8}T\d{12}-[0-9a-f]{8})", _get(f"{base}/dev/mail")[1])
        if ids:
            return _get(f"{base}/dev/mail/{ids[0]}")[1]
        time.sleep(0.5)
    pytest.fail("no email reached the mail catcher:\n" + "".join(output))


def _children(output: list[str]) -> dict[str, int]:
    """Child name -> pid (also its process group), from the supervisor's "started" lines."""
    found = {}
    for line in list(output):
        match = re.search(r"started (\w+) \(pid (\d+)\)", line)
        if match:
            found[match.group(1)] = int(match.group(2))
    return found


def test_run_serves_and_ctrl_c_stops_every_child(fresh_database, tmp_path):
    """Against the test PostgreSQL (a fresh database) and its own embedded Valkey.

    The Valkey is `rochdale run`'s own rather than the shared test Redis: the
    worker it starts consumes every queue of its Redis database, and would
    race any other test process that shares that database number.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "MAIL_HOST", "MAIL_PORT", "SECRET_KEY", "MAIL_CATCHER_DIR", "ROCHDALE_PORT"}
    }
    env.update(
        DATABASE_URL=fresh_database["app"],
        DATABASE_OWNER_URL=fresh_database["owner"],
        WEB_CONCURRENCY="1",
        ARGON2_MEMORY_KIB="8192",
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run", "--port", str(port), "--instance-dir", str(tmp_path / "instance")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(
        target=lambda: output.extend(line.decode(errors="replace") for line in supervisor.stdout), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        report = None
        while time.monotonic() < deadline:
            assert supervisor.poll() is None, "rochdale run exited early:\n" + "".join(output)
            report = _health(base)
            if report and report["database"] == "ok" and report["redis"] == "ok" and report.get("workers", 0) >= 1:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"not healthy within {READY_TIMEOUT}s (last report {report}):\n" + "".join(output))

        # It migrated as the owner and loaded the demo data.
        status, page = _get(f"{base}/")
        assert status == 200
        assert "Brackenbury Metropolitan Borough Council" in page
        assert (tmp_path / "instance" / "secret_key").exists()
        # Mail sent by the worker lands in the catcher and shows at /dev/mail.
        _ask_for_password_reset(base, "admin@brackenbury.example.org")
        assert re.search(r"/password/reset/[\w-]+", _wait_for_caught_mail(base, output)), "".join(output)

        children = _children(output)
        assert set(children) == {"web", "worker", "scheduler"}
        for pid in children.values():
            assert group_members(pid), "each child runs in its own process group"

        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=STOP_TIMEOUT) == 0, "".join(output)
        for name, pid in children.items():
            assert group_members(pid) == [], f"{name} left processes behind"
        reader.join(timeout=5)
        assert "Stopped." in "".join(output)
    finally:
        # However the test ended, leave nothing running: a stray worker would
        # take jobs from whoever uses that Redis next.
        if supervisor.poll() is None:
            supervisor.send_signal(signal.SIGINT)
            try:
                supervisor.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(supervisor.pid, signal.SIGKILL)
                supervisor.wait()
        for pid in _children(output).values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
