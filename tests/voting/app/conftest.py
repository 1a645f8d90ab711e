"""A council with people in it, and ballots of every kind, for the ballot pages and operations.

``world`` builds (in the test's database strategy) a council with the
``priorities`` module on, an administrator, an officer of ``priorities``, an
officer of ``housing``, residents and a person with no role here.
``make_ballot`` creates a ballot through the operations, sets its rules,
options and window, and opens it unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.extensions import db
from app.voting import operations, timing
from app.voting.models import Ballot, BallotKind
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.factories import new_person

OPTIONS: dict[BallotKind, list[dict[str, Any]]] = {
    BallotKind.APPROVAL: [
        {"key": k, "title": t}
        for k, t in (("a", "Allotments"), ("b", "Bus shelter"), ("c", "Cycle lane"), ("d", "Dog park"))
    ],
    BallotKind.RANKED: [{"key": k, "title": t} for k, t in (("ada", "Ada"), ("ben", "Ben"), ("cy", "Cy"))],
    BallotKind.PB: [
        {"key": "p1", "title": "Play area", "cost_pence": 600_000},
        {"key": "p2", "title": "Benches", "cost_pence": 300_000},
        {"key": "p3", "title": "Lights", "cost_pence": 200_000},
    ],
    BallotKind.DIVISION: [
        {"key": "clubs", "title": "Youth clubs", "floor_pence": 100_000},
        {"key": "sport", "title": "Sport"},
        {"key": "arts", "title": "Arts", "ceiling_pence": 500_000},
    ],
    BallotKind.RESOLUTION: [],
    BallotKind.POINTS: [
        {"key": k, "title": t}
        for k, t in (("parks", "Parks"), ("safety", "Community safety"), ("shops", "Local shops"))
    ],
}

RULES: dict[BallotKind, tuple[str, dict[str, Any]]] = {
    BallotKind.APPROVAL: ("approval", {"seats": 2, "max_approvals": 2}),
    BallotKind.RANKED: ("stv", {"seats": 1}),
    BallotKind.PB: ("mes-add1", {"budget_pence": 1_000_000, "utility": "cost"}),
    BallotKind.DIVISION: ("mean", {"budget_pence": 1_000_000}),
    BallotKind.RESOLUTION: (
        "resolution",
        {
            "threshold": "two_thirds",
            "base": "votes_cast",
            "quorum_count": 2,
            "quorum_share": "0",
            "proxies_count_as_present": True,
            "proxy_cap": 2,
        },
    ),
    BallotKind.POINTS: ("points", {"seats": 2, "points": 10, "max_per_option": 6}),
}


@dataclass
class World:
    council: Any
    admin: User
    officer: User  # manages "priorities"
    housing_officer: User
    residents: list[User]
    stranger: User  # no role in this council
    other_council: Any
    users: dict[str, User] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}"


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug="voteham", name="Voteham Borough Council")
    other = create_council(slug="elsewhere", name="Elsewhere Council")
    admin = new_person("Ada Admin")
    officer = new_person("Olu Officer")
    housing = new_person("Hal Housing")
    residents = [new_person(f"Resident {i}") for i in range(3)]
    stranger = new_person("Stranger")
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    grant_role(officer, council, Role.OFFICER, modules=("priorities",))
    grant_role(housing, council, Role.OFFICER, modules=("housing",))
    for person in residents:
        grant_role(person, council, Role.RESIDENT)
    grant_role(stranger, other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("priorities", True)
        set_module_enabled("housing", True)
    # Committed (a savepoint release under ``db``), so a view's rollback keeps the world.
    active_db.session.commit()
    return World(council, admin, officer, housing, residents, stranger, other)


def build_ballot(
    council_id: int,
    kind: BallotKind,
    *,
    by: User | None = None,
    module: str | None = "priorities",
    open_it: bool = True,
    title: str | None = None,
    electorate: dict[str, Any] | None = None,
    tie_break_rule: str = "lexicographic",
    closes_in: timedelta = timedelta(days=7),
) -> Ballot:
    """A ballot of ``kind`` with the standard options and rules, open unless ``open_it`` is false (flushes)."""
    with council_context(council_id):
        ballot = operations.create_ballot(
            title=title or f"A {kind.value} ballot",
            description="What should the council do?",
            kind=kind,
            module=module,
            by=by,
        )
        method, params = RULES[kind]
        operations.update_rules(ballot, method=method, parameters=params, tie_break_rule=tie_break_rule, by=by)
        for option in OPTIONS[kind]:
            operations.add_option(ballot, by=by, **option)
        if electorate is not None:
            operations.update_electorate(ballot, electorate, by=by)
        operations.update_window(ballot, opens_at=None, closes_at=timing.now() + closes_in, by=by)
        if open_it:
            operations.open_ballot(ballot, by=by)
        # Committed (a savepoint release under ``db``), so a view's rollback keeps it.
        db.session.commit()
        db.session.refresh(ballot)
        return ballot


@pytest.fixture
def make_ballot(world: World) -> Callable[..., Ballot]:
    def _make(kind: BallotKind = BallotKind.APPROVAL, **kw: Any) -> Ballot:
        kw.setdefault("by", world.admin)
        return build_ballot(world.council.id, kind, **kw)

    return _make


@pytest.fixture
def in_council(world: World):
    """Run the test inside the council's context, so rows the app's commits expired can reload."""
    with council_context(world.council.id):
        yield world
