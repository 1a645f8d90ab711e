"""Secrecy: no path from a paper to a voter, in the schema, in PostgreSQL's bookkeeping, in logs or in jobs."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import uuid
import zlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from redis import Redis
from rq import Queue
from sqlalchemy import select, text

from app.extensions import db
from app.voting import operations, timing
from app.voting.models import Ballot, BallotKind, BallotPaper, BallotStatus
from tenants.context import council_context
from tests.fixtures.sessions import post
from tests.voting.app.conftest import OPTIONS, build_ballot
from tests.workers.conftest import InProcessWorker
from workers.periodic import PeriodicJob, fan_out
from workers.queues import PERIODIC, get_redis

RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{19})<')


def _columns(conn, table: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    ).fetchall()
    return dict(rows)


def _foreign_keys(conn, table: str) -> list[tuple[str, list[str]]]:
    """(referenced table, local columns) for every foreign key of ``table``."""
    rows = conn.execute(
        """
        SELECT c.confrelid::regclass::text,
               array_agg(a.attname::text ORDER BY a.attnum)
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.conrelid = %s::regclass
        GROUP BY c.oid, c.confrelid
        """,
        (table,),
    ).fetchall()
    return [(ref, list(cols)) for ref, cols in rows]


def test_papers_have_no_column_or_key_that_leads_to_a_voter(app, owner_conn):
    columns = _columns(owner_conn, "voting_papers")
    assert set(columns) == {
        "council_id",
        "id",
        "ballot_id",
        "content",
        "receipt_hash",
        "channel",
        "cast_on",
        "rules_version",
    }
    assert not [c for c in columns if re.search(r"user|voter|person|member|particip|session|(^|_)ip(_|$)|address", c)]
    # No time finer than the day: one date column, no timestamps or times of any kind.
    assert not [c for c, kind in columns.items() if "time" in kind or "interval" in kind]
    assert [c for c, kind in columns.items() if kind == "date"] == ["cast_on"]
    # Only the council and the ballot are referenced: never users, never participation rows.
    referenced = sorted(ref for ref, _ in _foreign_keys(owner_conn, "voting_papers"))
    assert referenced == ["councils", "voting_ballots"]
    # A random UUID key, not a sequence that would order papers like participation rows.
    assert columns["id"] == "uuid"
    default = owner_conn.execute(
        "SELECT column_default, is_identity FROM information_schema.columns "
        "WHERE table_name = 'voting_papers' AND column_name = 'id'"
    ).fetchone()
    assert default == (None, "NO")
    primary = owner_conn.execute(
        "SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
        "WHERE i.indrelid = 'voting_papers'::regclass AND i.indisprimary"
    ).fetchone()[0]
    assert primary == ["council_id", "id"]


def test_participation_rows_carry_no_paper_reference(app, owner_conn):
    columns = _columns(owner_conn, "voting_participations")
    assert set(columns) == {"council_id", "id", "ballot_id", "user_id", "channel", "cast_on"}
    assert "uuid" not in columns.values()
    assert not [c for c, kind in columns.items() if "time" in kind]
    referenced = sorted(ref for ref, _ in _foreign_keys(owner_conn, "voting_participations"))
    assert referenced == ["councils", "users", "voting_ballots"]
    unique = owner_conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'voting_participations'::regclass AND contype = 'u'"
    ).fetchall()
    assert ("UNIQUE (council_id, ballot_id, user_id)",) in unique


def test_no_other_table_joins_papers_to_people(app, owner_conn):
    """Nothing in the schema references a paper at all."""
    rows = owner_conn.execute(
        "SELECT conrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = 'voting_papers'::regclass"
    ).fetchall()
    assert rows == []


# --- with real commits ----------------------------------------------------------------------------


@pytest.fixture
def redis_conn(app: Flask) -> Iterator[Redis]:
    with app.app_context():
        conn = get_redis()
    conn.flushdb()
    yield conn
    conn.flushdb()


def _cast_through_the_web(world, client_for, ballot_id: int, people, choices) -> list[str]:
    codes = []
    for person, fields in zip(people, choices, strict=True):
        client = client_for(person)
        assert client.get(f"{world.prefix}/ballots/{ballot_id}").status_code == 200
        assert post(client, f"{world.prefix}/ballots/{ballot_id}/vote", fields).status_code == 200
        cast = post(client, f"{world.prefix}/ballots/{ballot_id}/vote", {**fields, "confirm": "yes"})
        assert cast.status_code == 200
        codes.append(RECEIPT.search(cast.get_data(as_text=True)).group(1))
    return codes


def test_closing_leaves_no_transaction_id_shared_by_a_paper_and_a_participation_row(committed_db, world, client_for):
    ballot_id = build_ballot(world.council.id, BallotKind.RESOLUTION, by=world.admin).id
    _cast_through_the_web(
        world, client_for, ballot_id, world.residents, [{"choice": c} for c in ("for", "against", "for")]
    )

    def shared() -> int:
        return db.session.execute(
            text(
                "SELECT count(*) FROM voting_papers p JOIN voting_participations v "
                "ON v.xmin::text = p.xmin::text WHERE p.ballot_id = :b"
            ),
            {"b": ballot_id},
        ).scalar()

    with council_context(world.council.id):
        # While open, each paper was written in its voter's transaction ...
        assert shared() == 3
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        operations.close_ballot(ballot, world.admin)
        db.session.commit()
        # ... after the close, no paper carries a voter's transaction id.
        assert shared() == 0
        papers = db.session.scalars(select(BallotPaper)).all()
        assert sorted(p.content for p in papers) == ["against", "for", "for"]
        assert all(p.id.version == 4 for p in papers)


def _leaks(text_: str, secrets_: list[str]) -> list[str]:
    return [s for s in secrets_ if s in text_]


def test_nothing_a_paper_says_reaches_a_log_or_a_job(committed_db, world, client_for, redis_conn, caplog):
    """A full vote with every log level on: no option key, title or paper content in any record or job."""
    keys = ["zq7-north", "zq7-south", "zq7-east"]
    titles = ["Quetzal Lane", "Xylophone Row", "Vermilion Yard"]
    with council_context(world.council.id):
        ballot = operations.create_ballot(
            title="Where should the new crossing go?",
            description="",
            kind=BallotKind.RANKED,
            module=None,
            by=world.admin,
        )
        operations.update_rules(ballot, method="stv", parameters={"seats": 1}, tie_break_rule="lot", by=world.admin)
        for key, title in zip(keys, titles, strict=True):
            operations.add_option(ballot, key=key, title=title, by=world.admin)
        operations.update_window(ballot, opens_at=None, closes_at=timing.now() + timedelta(minutes=10), by=None)
        operations.open_ballot(ballot, by=world.admin)
        db.session.commit()
        ballot_id = ballot.id

    # What the papers say, in every form it could be written: keys, titles, JSON, form fields.
    rankings = [["zq7-east", "zq7-north"], ["zq7-south"], ["zq7-north", "zq7-south", "zq7-east"]]
    secrets_ = [*keys, *titles, *(json.dumps(r) for r in rankings)]

    root = logging.getLogger()
    previous = root.level
    records: list[logging.LogRecord] = []

    class Everything(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Everything(level=logging.DEBUG)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        forms = [{f"rank-{key}": str(n) for n, key in enumerate(r, start=1)} for r in rankings]
        _cast_through_the_web(world, client_for, ballot_id, world.residents, forms)
        # A refused second vote and a bad paper: their answers and errors must not quote the paper either.
        second = post(
            client_for(world.residents[0]),
            f"{world.prefix}/ballots/{ballot_id}/vote",
            {**forms[1], "confirm": "yes"},
        )
        assert second.status_code == 409
        with council_context(world.council.id):
            db.session.execute(
                text(
                    "UPDATE voting_ballots SET opens_at = now() - interval '2 minutes', "
                    "closes_at = now() - interval '1 second' WHERE id = :b"
                ),
                {"b": ballot_id},
            )
            db.session.commit()
        # The minute job closes it: enqueued through the outbox into Redis, run by a worker in this process.
        from workers.jobs.voting import advance_ballots

        job_ids = fan_out(PeriodicJob(advance_ballots, every=timedelta(minutes=1)), timing.now())
        assert job_ids
        for key in redis_conn.scan_iter("*"):
            blob = _dump(redis_conn, key)
            assert not _leaks(blob, secrets_), f"Redis key {key!r} holds ballot content"
        queued = Queue(PERIODIC, connection=redis_conn).jobs
        assert queued and all(list(job.args) == [job.args[0]] for job in queued)  # the council id only
        InProcessWorker([Queue(PERIODIC, connection=redis_conn)], connection=redis_conn).work(
            burst=True, with_scheduler=False
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)

    with council_context(world.council.id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        assert ballot.status is BallotStatus.CLOSED
        stored = sorted(json.dumps(p.content) for p in db.session.scalars(select(BallotPaper)))
        assert stored == sorted(json.dumps(r) for r in rankings)

    texts = []
    for record in [*records, *caplog.records]:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
        texts.append(repr(getattr(record, "__dict__", {})))
    assert records, "the handler saw no records at all: the test would prove nothing"
    leaked = [(t[:200], _leaks(t, secrets_)) for t in texts if _leaks(t, secrets_)]
    assert not leaked
    assert not [r for r in records if r.levelno >= logging.ERROR]  # nothing for an error report either
    for key in redis_conn.scan_iter("*"):
        assert not _leaks(_dump(redis_conn, key), secrets_), f"Redis key {key!r} holds ballot content"


def _dump(conn: Redis, key: bytes) -> str:
    kind = conn.type(key).decode()
    if kind == "string":
        value = conn.get(key) or b""
    elif kind == "hash":
        value = b" ".join(k + b"=" + v for k, v in conn.hgetall(key).items())
    elif kind == "list":
        value = b" ".join(conn.lrange(key, 0, -1))
    elif kind == "set":
        value = b" ".join(conn.smembers(key))
    elif kind == "zset":
        value = b" ".join(m for m, _ in conn.zrange(key, 0, -1, withscores=True))
    else:
        value = b""
    with contextlib.suppress(zlib.error):  # RQ may store job data compressed
        value += zlib.decompress(value)
    return value.decode("latin-1")


def test_paper_ids_are_random_not_ordered(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL)
    with council_context(world.council.id):
        for person, choice in zip(world.residents, (["a"], ["b"], ["c"]), strict=True):
            operations.cast_vote(ballot, person, choice)
        ids = [p.id for p in db.session.scalars(select(BallotPaper))]
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert OPTIONS  # the standard options were used
