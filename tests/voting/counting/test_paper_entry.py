"""Paper ballots entered twice by two different officers, through the pages (double entry)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.voting.models import BallotKind, BallotPaper, BallotStatus, Channel, PaperEntry, Participation
from app.voting.paper_entry import EntryError, enter_paper
from tenants.context import council_context
from tests.voting.counting.elections import CANDIDATES
from tests.voting.counting.web import send, session_client, staff


@pytest.fixture
def setup(app, db, create_council, create_user, grant_role, make_ballot):
    people = staff(create_council, create_user, grant_role)
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, [], status=BallotStatus.CLOSED)
        ids = {
            "council": people.council.id,
            "ballot": made.ballot.id,
            "url": f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}/paper-ballots",
            "a": people.admin.id,
            "b": people.second.id,
            "c": people.third.id,
        }
        db.session.commit()  # views roll back their refusals; keep the test's rows
    return ids


def _entry(db, ids, serial):
    with council_context(ids["council"]):
        return db.session.scalar(
            select(PaperEntry).where(PaperEntry.serial == serial).execution_options(populate_existing=True)
        )


def _count(db, ids, model, **where):
    with council_context(ids["council"]):
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def _enter(app, ids, who, serial, ranks):
    data = {"serial": serial} | {f"rank-{k}": str(n) for n, k in enumerate(ranks, start=1)}
    return send(session_client(app, ids[who]), "POST", f"{ids['url']}/enter", data)


def test_matching_entries_by_two_officers_put_the_paper_in_the_box(app, db, setup):
    ids = setup
    assert _enter(app, ids, "a", "001", ["ada", "alan"]).status_code == 302
    entry = _entry(db, ids, "001")
    assert entry.status.value == "awaiting_second" and entry.first_by_id == ids["a"]
    assert _count(db, ids, BallotPaper) == 0

    # The same officer cannot make the second entry.
    refused = _enter(app, ids, "a", "001", ["ada", "alan"])
    assert refused.status_code == 403, refused.get_data(as_text=True)[-3000:]
    assert "A different officer must make the second entry" in refused.get_data(as_text=True)
    assert _entry(db, ids, "001").status.value == "awaiting_second"

    # The second officer's page shows nothing of the first entry.
    page = session_client(app, ids["b"]).get(f"{ids['url']}/enter").get_data(as_text=True)
    chosen = re.findall(r'<option value="([^"]*)" selected>', page)
    assert chosen == [""] * len(CANDIDATES)  # every preference blank: nothing of the first entry
    assert 'value="001"' not in page
    assert _enter(app, ids, "b", "001", ["ada", "alan"]).status_code == 302
    entry = _entry(db, ids, "001")
    assert entry.status.value == "confirmed" and entry.second_by_id == ids["b"]
    assert entry.first_content is None and entry.second_content is None  # the serial no longer leads to choices
    with council_context(ids["council"]):
        paper = db.session.scalar(select(BallotPaper))
        assert paper.channel is Channel.PAPER and paper.content == ["ada", "alan"]
    assert _count(db, ids, Participation) == 0  # paper voters have no participation row

    with council_context(ids["council"]):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ballot.paper_entered")).all()
    assert [(e.payload["entry"], e.actor_user_id) for e in events] == [("first", ids["a"]), ("second", ids["b"])]
    for event in events:
        assert "ada" not in str(event.payload) and "alan" not in str(event.payload)

    # A third entry of a confirmed paper is refused.
    assert _enter(app, ids, "c", "001", ["ada"]).status_code == 409


def test_differing_entries_are_flagged_for_a_third_look(app, db, setup):
    ids = setup
    _enter(app, ids, "a", "002", ["ada", "alan"])
    assert _enter(app, ids, "b", "002", ["alan", "ada"]).status_code == 302
    entry = _entry(db, ids, "002")
    assert entry.status.value == "mismatch"
    assert _count(db, ids, BallotPaper) == 0
    listing = session_client(app, ids["c"]).get(ids["url"]).get_data(as_text=True)
    assert "Entries differ" in listing and "Third look" in listing

    look = f"{ids['url']}/{entry.id}/third-look"
    # Neither officer who entered it may take the third look.
    assert send(session_client(app, ids["a"]), "POST", look, {"rank-ada": "1"}).status_code == 403
    # A third entry agreeing with neither leaves it flagged.
    neither = send(session_client(app, ids["c"]), "POST", look, {"rank-grace": "1"})
    assert neither.status_code == 422 and "agrees with neither" in neither.get_data(as_text=True)
    assert _entry(db, ids, "002").status.value == "mismatch"
    # Agreeing with one of them confirms it.
    agreed = send(session_client(app, ids["c"]), "POST", look, {"rank-alan": "1", "rank-ada": "2"})
    assert agreed.status_code == 302
    assert _entry(db, ids, "002").status.value == "confirmed"
    with council_context(ids["council"]):
        assert db.session.scalar(select(BallotPaper.content)) == ["alan", "ada"]


def test_a_paper_that_breaks_the_rules_is_refused_and_nothing_is_stored(app, db, setup):
    ids = setup
    response = _enter(app, ids, "a", "003", [])
    assert response.status_code == 422 and "Give your first choice the number 1" in response.get_data(as_text=True)
    response = send(
        session_client(app, ids["a"]),
        "POST",
        f"{ids['url']}/enter",
        {"serial": "003", "rank-ada": "1", "rank-alan": "1"},
    )
    assert response.status_code == 422 and "more than one option" in response.get_data(as_text=True)
    response = send(session_client(app, ids["a"]), "POST", f"{ids['url']}/enter", {"rank-ada": "1"})
    assert response.status_code == 422 and "Enter the serial number" in response.get_data(as_text=True)
    assert _count(db, ids, PaperEntry) == 0


def test_papers_cannot_be_entered_once_counted(db, create_council, make_ballot, create_user):
    council = create_council()
    officer = create_user()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, [], status=BallotStatus.COUNTED)
        with pytest.raises(EntryError, match="before the count"):
            enter_paper(made.ballot, "9", ["ada"], officer_id=officer.id)


def test_restarting_a_flagged_paper_deletes_its_entries(app, db, setup):
    ids = setup
    _enter(app, ids, "a", "004", ["ada"])
    _enter(app, ids, "b", "004", ["alan"])
    entry = _entry(db, ids, "004")
    response = send(session_client(app, ids["c"]), "POST", f"{ids['url']}/{entry.id}/restart")
    assert response.status_code == 302
    assert _entry(db, ids, "004") is None
    with council_context(ids["council"]):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ballot.paper_entry_restarted"))
        assert event.payload == {"serial": "004", "previous_status": "mismatch"}
