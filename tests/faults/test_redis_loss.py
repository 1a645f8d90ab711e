"""Redis flushed and restarted mid-run: the Postgres outbox re-sends every pending job; nothing lost, nothing twice.

``tests/workers/test_enqueue.py`` covers one job and a FLUSHDB of the shared
test Redis. Here a private Valkey (the embedded one, on a free loopback port,
so the shared server is never restarted) holds real work in every state at
once: jobs already done, jobs dispatched but not yet run, and jobs committed
while it was down. It is flushed, stopped and started again (empty), and real
``rochdale worker`` processes run what the dispatcher sends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from redis import Redis
from rq import Queue

from app.embedded import EmbeddedValkey, start_valkey
from tests.workers.conftest import InProcessWorker, effect_count, free_port, outbox_rows, run_burst_worker
from tests.workers.jobs_for_tests import record_effect
from workers.email import queue_email
from workers.enqueue import enqueue_after_commit
from workers.outbox import dispatch_outbox

pytestmark = pytest.mark.slow

QUEUES = ("default", "emails")


class PrivateValkey:
    """An embedded Valkey on 127.0.0.1:``port`` that can be stopped and started again on the same port."""

    def __init__(self, data_dir, port: int) -> None:
        self.data_dir, self.port = data_dir, port
        self.server: EmbeddedValkey | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Returns once the server answers over TCP, as the app connects (``start_valkey`` checks that)."""
        self.server = start_valkey(self.data_dir, port=self.port, timeout=60.0)

    def stop(self) -> None:
        """Returns once the server has exited and its port is free for the restart."""
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def private_valkey(app, tmp_path, monkeypatch) -> Iterator[PrivateValkey]:
    """A private Valkey, with the app (and the workers it starts) pointed at it."""
    valkey = PrivateValkey(tmp_path / "valkey", free_port())
    valkey.start()
    monkeypatch.setitem(app.config, "REDIS_URL", valkey.url)
    try:
        yield valkey
    finally:
        valkey.stop()


def _run_here(valkey: PrivateValkey) -> None:
    """Run every queued job in this process (rq's SimpleWorker, burst): cheaper than a worker process."""
    connection = Redis.from_url(valkey.url)
    try:
        InProcessWorker([Queue(name, connection=connection) for name in QUEUES], connection=connection).work(
            burst=True, with_scheduler=False
        )
    finally:
        connection.close()


def _emails(label: str, n: int) -> list[str]:
    """Queue ``n`` real emails (the send_email job) in one committed transaction; returns their addresses."""
    addresses = [f"{label}-{i}@example.org" for i in range(n)]
    for address in addresses:
        queue_email(address, f"Notice for {label}", "The annual general meeting is on 3 March.")
    return addresses


def test_redis_flushed_and_restarted_with_work_in_every_state(
    app, committed_db, make_council, private_valkey, smtp_server, superuser_sql, tmp_path
):
    council_id = make_council()
    session = committed_db.session
    log_path = tmp_path / "workers.log"

    # Done before the loss: two emails and an effect.
    done = _emails("done", 2)
    enqueue_after_commit(record_effect, "done", council_id=council_id)
    session.commit()
    _run_here(private_valkey)

    # Dispatched to Redis, not yet run.
    dispatched = _emails("dispatched", 3)
    for label in ("dispatched-a", "dispatched-b"):
        enqueue_after_commit(record_effect, label, council_id=council_id)
    session.commit()
    redis = Redis.from_url(private_valkey.url)
    assert redis.llen("rq:queue:emails") == 3 and redis.llen("rq:queue:default") == 2

    # Redis loses everything and goes away; work committed meanwhile stays pending in PostgreSQL.
    redis.flushall()
    redis.close()
    private_valkey.stop()
    while_down = _emails("while-down", 2)
    enqueue_after_commit(record_effect, "while-down", council_id=council_id)
    session.commit()  # the commit itself succeeds
    assert Counter(row[1] for row in outbox_rows(superuser_sql)) == {"done": 3, "dispatched": 5, "pending": 3}

    private_valkey.start()  # back, empty
    later = datetime.now(UTC) + timedelta(hours=1)
    assert dispatch_outbox(now=later).sent == 8  # every job not done, and none of the done ones
    again = dispatch_outbox(now=later)
    assert (again.sent, again.waiting) == (0, 8)  # queued in Redis now: not sent twice
    run_burst_worker(app, log_path, *QUEUES)  # a real worker process runs what was re-sent
    _run_here(private_valkey)  # and another worker finds nothing left to do
    assert dispatch_outbox(now=later).sent == 0

    log = log_path.read_text()
    delivered = Counter(message_from_bytes(e.content, policy=policy.default)["To"] for e in smtp_server.envelopes)
    assert delivered == Counter(done + dispatched + while_down), log  # every email, each once
    for label in ("done", "dispatched-a", "dispatched-b", "while-down"):
        assert effect_count(superuser_sql, label) == 1, (label, log)
    rows = outbox_rows(superuser_sql)
    assert [(status, attempts, error) for _, status, attempts, error in rows] == [("done", 1, None)] * 11, log
    assert superuser_sql("SELECT count(*) FROM outbound_emails WHERE sent_at IS NULL") == [(0,)]
