"""Ballots with papers for the counting tests, written straight through the models.

Papers go in with one Core INSERT per ballot (random UUIDs, random receipt
hashes, the day only), as casting would store them, so a test can build a
100-paper ballot in milliseconds and count it for real.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert

from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotStatus, Channel
from app.voting.rules import rules_version
from tenants.context import current_council_id


@dataclass
class MadeBallot:
    ballot: Ballot
    options: list[BallotOption]
    receipt_hashes: list[str]


def add_papers(session, ballot: Ballot, contents: Sequence[Any], channel: Channel = Channel.ONLINE) -> list[str]:
    """Insert one paper per content; returns their receipt hashes."""
    hashes = [hashlib.sha256(secrets.token_bytes(16)).hexdigest() for _ in contents]
    if contents:
        session.execute(
            insert(BallotPaper),
            [
                {
                    "council_id": current_council_id(),
                    "id": uuid.uuid4(),
                    "ballot_id": ballot.id,
                    "content": content,
                    "receipt_hash": receipt,
                    "channel": channel,
                    "cast_on": date(2027, 3, 2),
                    "rules_version": ballot.rules_version,
                }
                for content, receipt in zip(contents, hashes, strict=True)
            ],
        )
        session.flush()
    return hashes


@pytest.fixture
def make_ballot(active_db) -> Callable[..., MadeBallot]:
    """A ballot in the current council with options and papers, frozen and (by default) closed."""

    def _make(
        kind: BallotKind,
        method: str,
        options: Sequence[tuple[str, str] | tuple[str, str, int]],
        parameters: dict[str, Any],
        papers: Sequence[Any] = (),
        *,
        status: BallotStatus = BallotStatus.CLOSED,
        tie_break_rule: str = "lexicographic",
        tie_break_seed: str | None = None,
        electorate_size: int | None = None,
        title: str = "Ward 3 forum election",
        module: str | None = None,
    ) -> MadeBallot:
        session = active_db.session
        ballot = Ballot(
            title=title,
            kind=kind,
            method=method,
            module=module,
            parameters=parameters,
            electorate={"type": "council_role", "roles": ["resident"]},
            status=status,
            tie_break_rule=tie_break_rule,
            tie_break_seed=tie_break_seed,
            electorate_size=electorate_size,
        )
        session.add(ballot)
        session.flush()
        made = []
        for position, option in enumerate(options):
            key, label = option[0], option[1]
            cost = option[2] if len(option) > 2 else None
            made.append(BallotOption(ballot_id=ballot.id, key=key, title=label, cost_pence=cost, position=position))
        session.add_all(made)
        session.flush()
        ballot.rules_version = rules_version(ballot, made)
        session.flush()
        hashes = add_papers(session, ballot, list(papers))
        return MadeBallot(ballot, made, hashes)

    return _make


# The job machinery's fixtures (Redis, in-process worker, committed councils, superuser SQL).
from tests.workers.conftest import make_council, redis_conn, run_jobs  # noqa: E402, F401
