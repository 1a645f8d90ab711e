"""``rochdale worker`` and ``rochdale scheduler`` from the command line."""

from __future__ import annotations

import signal
import time

from click.testing import CliRunner
from flask.cli import ScriptInfo

from app.cli import main
from tests.workers.conftest import start_cli


def test_help_texts():
    runner = CliRunner()
    worker = runner.invoke(main, ["worker", "--help"])
    assert worker.exit_code == 0
    assert "--burst" in worker.output
    assert "emails" in worker.output
    scheduler = runner.invoke(main, ["scheduler", "--help"])
    assert scheduler.exit_code == 0
    assert "--once" in scheduler.output


def test_unknown_queue_is_refused():
    result = CliRunner().invoke(main, ["worker", "no-such-queue", "--burst"])
    assert result.exit_code == 2
    assert "no-such-queue" in result.output


def test_scheduler_once_fans_out_periodic_jobs(app, committed_db, make_council, redis_conn, superuser_sql):
    make_council()
    scheduler = CliRunner().invoke(main, ["scheduler", "--once"], obj=ScriptInfo(create_app=lambda: app))
    assert scheduler.exit_code == 0, scheduler.output
    assert superuser_sql("SELECT count(*) FROM job_outbox WHERE func_name LIKE 'workers.jobs.housekeeping.%%'") == [
        (2,)  # the global purge, and the council purge for our one council
    ]


def test_the_scheduler_process_stops_cleanly_on_sigterm(app, committed_db, redis_conn, tmp_path):
    log_path = tmp_path / "scheduler.log"
    process = start_cli(app, log_path, "scheduler", "--interval", "0.5")
    try:
        deadline = time.monotonic() + 30
        while "periodic " not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.1)
        assert "periodic " in log_path.read_text(), "the scheduler never completed a pass"
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert "scheduler stopped" in log_path.read_text()
