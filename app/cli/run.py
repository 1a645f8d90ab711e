"""``rochdale run``: the whole service on one machine, for trying it out and developing."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import click

from app.devserver.environment import LocalEnvironment, prepare_environment
from app.devserver.supervisor import ChildSpec, Supervisor

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
READY_TIMEOUT = 120.0


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the web app listens on.")
@click.option(
    "--port", default=5000, show_default=True, type=click.IntRange(1, 65535), envvar="ROCHDALE_PORT", help="Web port."
)
@click.option(
    "--instance-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="instance",
    show_default=True,
    envvar="ROCHDALE_INSTANCE_DIR",
    help="Where the embedded servers' data, caught mail and the generated secret key live.",
)
@click.option(
    "--server",
    type=click.Choice(["gunicorn", "flask"]),
    default="gunicorn",
    show_default=True,
    help="Serve with gunicorn (as in production) or Flask's development server.",
)
@click.option("--reload", is_flag=True, help="Restart the web app when the code changes.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="Load the demo data into an empty database.")
@click.option("--stop-timeout", default=10.0, show_default=True, help="Seconds to wait for each process on Ctrl-C.")
@click.pass_context
def run(
    ctx: click.Context,
    host: str,
    port: int,
    instance_dir: Path,
    server: str,
    reload: bool,
    seed: bool,
    stop_timeout: float,
) -> None:
    """Run Rochdale locally: web app, RQ worker and scheduler, until Ctrl-C.

    \b
    With DATABASE_URL unset, starts an embedded PostgreSQL under the instance
    directory, creates the database roles and a database owned by
    rochdale_owner; the processes then connect as rochdale_app. With
    REDIS_URL unset, starts an embedded Valkey. With MAIL_HOST unset, catches
    outgoing mail (read it at /dev/mail). Then applies the migrations as the
    owner (DATABASE_OWNER_URL), loads the demo data if the database is empty,
    and serves on http://HOST:PORT/. A second run reuses the data.
    """
    if not _port_free(host, port):
        raise click.ClickException(f"port {port} on {host} is in use; stop whatever uses it or pass --port")
    local = prepare_environment(instance_dir.resolve(), os.environ, echo=click.echo)
    status = 1
    try:
        # Two web workers are plenty on one machine, whatever its core count.
        local.env.setdefault("WEB_CONCURRENCY", "2")
        os.environ.update(local.env)  # create_app reads its settings from the environment
        demo = _migrate_and_seed(seed, flush_redis_if_empty="Valkey" in local.started)
        supervisor = Supervisor(_children(host, port, server, reload), local.env, stop_timeout=stop_timeout)
        supervisor.install_signal_handlers()
        supervisor.start()
        wildcard = host in {"0.0.0.0", "::", ""}  # noqa: S104 - only to print a URL one can visit
        base_url = f"http://{'127.0.0.1' if wildcard else host}:{port}"
        announcer = threading.Thread(target=_announce_when_ready, args=(supervisor, base_url, local, demo), daemon=True)
        announcer.start()
        status = supervisor.run()
    finally:
        local.stop(click.echo)
    click.echo("Stopped." if status == 0 else "Stopped after a failure.")
    ctx.exit(status)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _migrate_and_seed(seed: bool, flush_redis_if_empty: bool) -> bool:
    """Apply migrations as the owner, seed an empty database; whether the demo logins exist.

    An empty database next to an embedded Valkey that has data means the
    database was reset and the queues were not: old jobs would meet new rows
    with the same ids, so the Valkey (ours alone) is emptied too.
    """
    from flask_migrate import upgrade

    from app import create_app
    from app.cli.seed import load_with_progress
    from app.extensions import db
    from app.seed.demo import DemoSeeder, database_is_empty, demo_data_present

    app = create_app()
    with app.app_context():
        click.echo("Applying database migrations as the schema owner")
        upgrade()
        empty = database_is_empty()
        if empty and flush_redis_if_empty:
            from workers.queues import get_redis

            get_redis().flushdb()
        if seed and empty:
            load_with_progress(DemoSeeder())
            db.session.commit()
        present = demo_data_present()
        db.session.remove()
        db.engine.dispose()
    return present


def _children(host: str, port: int, server: str, reload: bool) -> list[ChildSpec]:
    python = sys.executable
    if server == "gunicorn":
        web = [python, "-m", "gunicorn"]
        if GUNICORN_CONFIG.exists():
            web += ["--config", str(GUNICORN_CONFIG)]
        web += ["--bind", f"{host}:{port}"] + (["--reload"] if reload else []) + ["app:create_app()"]
    else:
        web = [python, "-m", "flask", "--app", "app:create_app", "run", "--host", host, "--port", str(port)]
        web += ["--debug"] if reload else ["--no-reload"]
    return [
        ChildSpec("web", web),
        ChildSpec("worker", [python, "-m", "app.cli", "worker"]),
        ChildSpec("scheduler", [python, "-m", "app.cli", "scheduler"]),
    ]


def _announce_when_ready(supervisor: Supervisor, base_url: str, local: LocalEnvironment, demo: bool) -> None:
    """Print where to go once /healthz answers, with the demo logins."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not supervisor.stopping.is_set():
        report = _health(base_url)
        if report and report.get("database") == "ok" and report.get("redis") == "ok":
            break
        if time.monotonic() > deadline:
            supervisor.say(f"the web app has not answered on {base_url}/healthz yet; see the output above")
            return
        time.sleep(0.5)
    else:
        return
    lines = ["", f"Rochdale is running at {base_url}/", f"  Health:      {base_url}/healthz"]
    if "MAIL_CATCHER_DIR" in local.env:
        lines.append(f"  Caught mail: {base_url}/dev/mail")
    if local.started:
        lines.append(f"  Embedded:    {', '.join(local.started)} (data in {local.instance_dir})")
    if demo:
        from app.cli.seed import demo_logins_text

        lines += ["", demo_logins_text()]
    lines += ["", "Press Ctrl-C to stop.", ""]
    supervisor.say("\n".join(lines))


def _health(base_url: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310 - our own http URL
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:  # 503 still carries the report
        try:
            return json.loads(exc.read())
        except ValueError:
            return None
    except (OSError, ValueError):
        return None
