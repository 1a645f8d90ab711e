"""Every command explains itself, and help works with no settings at all."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from app.cli import main

COMMANDS = [
    ([], "Rochdale: a platform for co-operative councils"),
    (["run"], "embedded PostgreSQL"),
    (["worker"], "QUEUES"),
    (["scheduler"], "periodic"),
    (["db"], "schema owner"),
    (["db", "upgrade"], "Upgrade"),
    (["councils"], "Councils (the tenants)"),
    (["councils", "create"], "--population"),
    (["councils", "list"], "List every council"),
    (["councils", "enable-module"], "--council"),
    (["councils", "disable-module"], "--council"),
    (["seed"], "demonstrations"),
    (["seed", "demo"], "Safe to run again"),
]


@pytest.mark.parametrize(("args", "expected"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_help_explains_the_command(args, expected):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_top_level_help_lists_the_commands():
    output = CliRunner().invoke(main, ["--help"]).output
    for name in ("run", "worker", "scheduler", "db", "councils", "seed"):
        assert f"  {name} " in output


def test_help_needs_no_database_settings():
    """`rochdale --help` and `rochdale run --help` work on a machine with nothing configured."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    for args in (["--help"], ["run", "--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert "Usage: rochdale" in done.stdout


def test_run_refuses_a_port_in_use_before_starting_anything(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["run", "--port", str(port), "--instance-dir", str(tmp_path / "instance")])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert not (tmp_path / "instance").exists()
