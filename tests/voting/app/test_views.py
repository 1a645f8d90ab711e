"""The ballot pages through the app: residents voting (sign-in, CSRF, refusals), receipts, officers' pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.voting import operations, receipts, timing
from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotStatus, Participation
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post
from tests.voting.app.conftest import build_ballot

RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{19})<')

FORMS = {
    BallotKind.APPROVAL: ({"choice": ["a", "c"]}, ["a", "c"], "Allotments"),
    BallotKind.RANKED: ({"rank-ada": "2", "rank-ben": "", "rank-cy": "1"}, ["cy", "ada"], "Choice 1"),
    BallotKind.PB: ({"choice": ["p2", "p3"]}, ["p2", "p3"], "£5,000"),
    BallotKind.DIVISION: (
        {"amount-clubs": "5000", "amount-sport": "2500.50", "amount-arts": "2499.50"},
        {"clubs": 500_000, "sport": 250_050, "arts": 249_950},
        "£2,500.50",
    ),
    BallotKind.RESOLUTION: ({"choice": "abstain"}, "abstain", "Abstain"),
    BallotKind.POINTS: (
        {"points-parks": "6", "points-safety": "", "points-shops": "4"},
        {"parks": 6, "shops": 4},
        "Local shops",
    ),
}


@pytest.fixture(autouse=True)
def _inside_the_council(in_council):
    """Every test here reads rows as the council's pages do (see ``in_council``)."""


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _url(world, ballot, suffix: str = "") -> str:
    return f"{world.prefix}/ballots/{ballot.id}{suffix}"


@pytest.mark.parametrize("kind", list(BallotKind))
def test_a_resident_checks_then_casts_a_vote_and_gets_a_receipt(world, make_ballot, client_for, kind):
    ballot = make_ballot(kind)
    client = client_for(world.residents[0])
    fields, content, shown = FORMS[kind]

    page = client.get(_url(world, ballot))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'action="' + _url(world, ballot, "/vote") + '"' in body

    check = post(client, _url(world, ballot, "/vote"), fields)
    assert check.status_code == 200
    text = check.get_data(as_text=True)
    assert "Check your vote" in text and shown in text
    assert _count(Participation) == 0 and _count(BallotPaper) == 0

    cast = post(client, _url(world, ballot, "/vote"), {**fields, "confirm": "yes"})
    assert cast.status_code == 200
    code = RECEIPT.search(cast.get_data(as_text=True)).group(1)
    with council_context(world.council.id):
        (paper,) = db.session.scalars(select(BallotPaper)).all()
        assert paper.content == content
        assert paper.receipt_hash == receipts.receipt_hash(code)
        assert _count(Participation) == 1

    again = client.get(_url(world, ballot))
    assert "You have already voted in this ballot." in again.get_data(as_text=True)


def test_changing_the_vote_on_the_check_page_shows_the_form_as_it_was(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RANKED)
    client = client_for(world.residents[0])
    response = post(client, _url(world, ballot, "/vote"), {"rank-ada": "2", "rank-cy": "1", "action": "change"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'name="rank-cy">\s*<option value="">No preference</option>\s*<option value="1" selected>', body)
    assert _count(BallotPaper) == 0


def test_voting_twice_through_the_web_is_409_and_keeps_the_first_receipt(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RESOLUTION)
    client = client_for(world.residents[0])
    first = post(client, _url(world, ballot, "/vote"), {"choice": "for", "confirm": "yes"})
    code = RECEIPT.search(first.get_data(as_text=True)).group(1)
    second = post(client, _url(world, ballot, "/vote"), {"choice": "against", "confirm": "yes"})
    assert second.status_code == 409
    assert "You have already voted in this ballot" in second.get_data(as_text=True)
    with council_context(world.council.id):
        (paper,) = db.session.scalars(select(BallotPaper)).all()
        assert (paper.content, paper.receipt_hash) == ("for", receipts.receipt_hash(code))


def test_a_bad_paper_is_shown_again_with_the_rule_and_nothing_is_stored(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.PB)
    client = client_for(world.residents[0])
    response = post(client, _url(world, ballot, "/vote"), {"choice": ["p1", "p2", "p3"], "confirm": "yes"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and 'href="#choice"' in body
    assert "The projects you chose cost £11,000, which is £1,000 over the budget of £10,000." in body
    assert body.count("checked") == 3  # the choices are kept
    assert _count(Participation) == 0 and _count(BallotPaper) == 0


def test_casting_needs_a_csrf_token(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RESOLUTION)
    client = client_for(world.residents[0])
    response = post(client, _url(world, ballot, "/vote"), {"choice": "for", "confirm": "yes"}, csrf=False)
    assert response.status_code == 400
    assert _count(Participation) == 0 and _count(BallotPaper) == 0


def test_casting_needs_a_signed_in_person(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RESOLUTION)
    client = client_for(None)
    page = client.get(_url(world, ballot)).get_data(as_text=True)
    assert "to vote in this ballot" in page and "/sign-in" in page
    response = post(client, _url(world, ballot, "/vote"), {"choice": "for", "confirm": "yes"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert _count(Participation) == 0


def test_refusals_are_403_with_the_reason(world, make_ballot, client_for):
    open_ballot = make_ballot(BallotKind.RESOLUTION)
    response = post(client_for(world.officer), _url(world, open_ballot, "/vote"), {"choice": "for", "confirm": "yes"})
    assert response.status_code == 403
    assert "This ballot is for residents of the council. Your account is not one of them." in response.get_data(
        as_text=True
    )
    closed = make_ballot(BallotKind.RESOLUTION)
    with council_context(world.council.id):
        operations.close_ballot(closed)
    response = post(client_for(world.residents[0]), _url(world, closed, "/vote"), {"choice": "for", "confirm": "yes"})
    assert response.status_code == 403
    assert "This ballot closed on" in response.get_data(as_text=True)
    assert _count(Participation) == 0


def test_ballots_residents_cannot_see_are_404(world, make_ballot, client_for):
    client = client_for(world.residents[0])
    draft = make_ballot(BallotKind.RESOLUTION, open_it=False)
    assert client.get(_url(world, draft)).status_code == 404
    assert post(client, _url(world, draft, "/vote"), {"choice": "for"}).status_code == 404
    theirs = build_ballot(world.other_council.id, BallotKind.RESOLUTION, module=None).id
    assert client.get(f"{world.prefix}/ballots/{theirs}").status_code == 404
    assert post(client, f"{world.prefix}/ballots/{theirs}/vote", {"choice": "for", "confirm": "yes"}).status_code == 404
    switched_off = make_ballot(BallotKind.RESOLUTION, module="youth")
    assert client.get(_url(world, switched_off)).status_code == 404
    with council_context(world.council.id):
        set_module_enabled("youth", True)
    assert client.get(_url(world, switched_off)).status_code == 200


def test_the_list_shows_open_ballots_and_what_you_voted_in(world, make_ballot, client_for):
    voted = make_ballot(BallotKind.RESOLUTION, title="Motion on parks")
    make_ballot(BallotKind.APPROVAL, title="Where to put benches")
    make_ballot(BallotKind.APPROVAL, title="Secret draft", open_it=False)
    client = client_for(world.residents[0])
    post(client, _url(world, voted, "/vote"), {"choice": "for", "confirm": "yes"})
    body = client.get(f"{world.prefix}/ballots/").get_data(as_text=True)
    assert "Motion on parks" in body and "Where to put benches" in body and "Secret draft" not in body
    assert body.count("You have voted") == 1
    anonymous = client_for(None).get(f"{world.prefix}/ballots/")
    assert anonymous.status_code == 200 and "Where to put benches" in anonymous.get_data(as_text=True)


def _publish(world, ballot) -> None:
    with council_context(world.council.id):
        operations.close_ballot(ballot)
        operations.transition(ballot, BallotStatus.COUNTED)
        operations.transition(ballot, BallotStatus.PUBLISHED)


def test_checking_a_receipt_after_publication(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RESOLUTION)
    voter = client_for(world.residents[0])
    code = RECEIPT.search(
        post(voter, _url(world, ballot, "/vote"), {"choice": "for", "confirm": "yes"}).get_data(as_text=True)
    ).group(1)
    anyone = client_for(None)
    before = anyone.get(_url(world, ballot, "/receipt")).get_data(as_text=True)
    assert "once the result of this ballot is published" in before
    assert post(anyone, _url(world, ballot, "/receipt"), {"code": code}).status_code == 200
    assert anyone.get(_url(world, ballot, "/receipts.txt")).status_code == 404

    _publish(world, ballot)
    found = post(anyone, _url(world, ballot, "/receipt"), {"code": code.lower().replace("-", " ")})
    assert "Your paper is included" in found.get_data(as_text=True)
    missing = post(anyone, _url(world, ballot, "/receipt"), {"code": receipts.new_code()})
    assert "Receipt code not found" in missing.get_data(as_text=True)
    garbled = post(anyone, _url(world, ballot, "/receipt"), {"code": "not a code"})
    assert "Enter your receipt code" in garbled.get_data(as_text=True)
    listing = anyone.get(_url(world, ballot, "/receipts.txt"))
    assert listing.status_code == 200 and listing.mimetype == "text/plain"
    assert listing.get_data(as_text=True) == receipts.receipt_hash(code) + "\n"


# --- officers ---------------------------------------------------------------------------------------

MANAGE_PAGES = ["", "/details", "/rules", "/electorate", "/window", "/options/new", "/schedule", "/open"]


def test_officer_pages_need_the_right_person(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.APPROVAL, open_it=False)  # a "priorities" ballot
    base = f"{world.prefix}/ballots/manage/{ballot.id}"
    anonymous = client_for(None)
    for page in ["", *MANAGE_PAGES]:
        response = anonymous.get(base + page if page else f"{world.prefix}/ballots/manage")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for person in (world.residents[0], world.housing_officer):
        client = client_for(person)
        for page in MANAGE_PAGES:
            assert client.get(base + page).status_code == 403, (person.name, page)
    assert client_for(world.residents[0]).get(f"{world.prefix}/ballots/manage").status_code == 403
    for person in (world.officer, world.admin):
        client = client_for(person)
        for page in MANAGE_PAGES:
            assert client.get(base + page).status_code == 200, (person.name, page)
    council_wide = make_ballot(BallotKind.APPROVAL, open_it=False, module=None)
    assert client_for(world.officer).get(f"{world.prefix}/ballots/manage/{council_wide.id}").status_code == 403
    assert client_for(world.admin).get(f"{world.prefix}/ballots/manage/{council_wide.id}").status_code == 200
    listing = client_for(world.housing_officer).get(f"{world.prefix}/ballots/manage").get_data(as_text=True)
    assert ballot.title not in listing


def test_another_councils_ballots_and_options_are_404_for_officers(world, client_for):
    theirs = build_ballot(world.other_council.id, BallotKind.APPROVAL, module=None, open_it=False)
    with council_context(world.other_council.id):
        option = operations.ballot_options(theirs)[0].id
        base = f"{world.prefix}/ballots/manage/{theirs.id}"
    client = client_for(world.admin)
    for page in [*MANAGE_PAGES, "/close", f"/options/{option}/edit", f"/options/{option}/remove"]:
        assert client.get(base + page).status_code == 404, page
    assert post(client, base + f"/options/{option}/move", {"direction": "up"}).status_code == 404


def test_an_officer_sets_up_schedules_opens_and_closes_a_ballot(world, client_for):
    client = client_for(world.officer)
    new = post(
        client,
        f"{world.prefix}/ballots/manage/new",
        {"title": "Park improvements", "description": "Choose", "kind": "pb", "module": "priorities"},
    )
    assert new.status_code == 302
    with council_context(world.council.id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.title == "Park improvements"))
    base = f"{world.prefix}/ballots/manage/{ballot.id}"
    assert new.headers["Location"].endswith(base)

    bad = post(client, base + "/rules", {"method": "mes", "budget": "lots", "utility": "cost", "tie_break_rule": "lot"})
    assert bad.status_code == 200 and "Enter the budget in pounds" in bad.get_data(as_text=True)
    ok = post(
        client, base + "/rules", {"method": "mes", "budget": "10,000", "utility": "approval", "tie_break_rule": "lot"}
    )
    assert ok.status_code == 302
    for title, cost in (("Swings", "6000"), ("Benches", "3000.50")):
        assert post(client, base + "/options/new", {"title": title, "cost": cost}).status_code == 302
    missing_cost = post(client, base + "/options/new", {"title": "Pond"})
    assert "Enter the cost in pounds" in missing_cost.get_data(as_text=True)

    opens = timing.to_uk(timing.now() + timedelta(days=1))
    closes = opens + timedelta(days=7)
    window = post(
        client,
        base + "/window",
        {
            "opens_day": opens.day,
            "opens_month": opens.month,
            "opens_year": opens.year,
            "opens_time": "9am",
            "closes_day": closes.day,
            "closes_month": closes.month,
            "closes_year": closes.year,
            "closes_time": "18:00",
        },
    )
    assert window.status_code == 302
    with council_context(world.council.id):
        db.session.refresh(ballot)
        assert ballot.parameters == {"budget_pence": 1_000_000, "utility": "approval"}
        assert [(o.title, o.cost_pence) for o in operations.ballot_options(ballot)] == [
            ("Swings", 600_000),
            ("Benches", 300_050),
        ]
        assert timing.to_uk(ballot.opens_at).hour == 9 and timing.to_uk(ballot.closes_at).hour == 18

    assert post(client, base + "/schedule").status_code == 302
    assert post(client, base + "/open").status_code == 302
    with council_context(world.council.id):
        db.session.refresh(ballot)
        assert ballot.status is BallotStatus.OPEN and ballot.rules_version and ballot.tie_break_seed
    assert client.get(base + "/close").status_code == 200
    assert post(client, base + "/close").status_code == 302
    with council_context(world.council.id):
        db.session.refresh(ballot)
        assert ballot.status is BallotStatus.CLOSED
        actions = list(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.subject_id == str(ballot.id)).order_by(AuditEvent.seq)
            )
        )
    assert actions[0] == "ballot.created" and actions[-3:] == ["ballot.scheduled", "ballot.opened", "ballot.closed"]
    assert all(db.session.scalars(select(AuditEvent.actor_user_id).where(AuditEvent.subject_id == str(ballot.id))))


def test_opening_a_ballot_that_is_not_ready_lists_what_is_missing(world, client_for):
    client = client_for(world.admin)
    post(client, f"{world.prefix}/ballots/manage/new", {"title": "Empty", "kind": "approval", "module": ""})
    with council_context(world.council.id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.title == "Empty"))
    response = post(client, f"{world.prefix}/ballots/manage/{ballot.id}/open")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Add at least 2 options; it has 0" in body and "Set when voting closes" in body


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("/rules", {"method": "approval", "seats": "3", "tie_break_rule": "lexicographic"}),
        ("/electorate", {"type": "everyone_with_role_in_council"}),
        ("/details", {"title": "Renamed", "kind": "approval", "module": "priorities"}),
        ("/window", {"closes_day": "1", "closes_month": "1", "closes_year": "2100", "closes_time": "9am"}),
        ("/options/new", {"title": "Late"}),
    ],
)
def test_changing_an_open_ballot_is_409_and_recorded(world, make_ballot, client_for, page, data):
    ballot = make_ballot(BallotKind.APPROVAL)
    version = ballot.rules_version
    client = client_for(world.officer)
    url = f"{world.prefix}/ballots/manage/{ballot.id}{page}"
    seen = client.get(url)
    assert seen.status_code == 409 and "This ballot is open" in seen.get_data(as_text=True)
    with council_context(world.council.id):
        refused_before = _refusals(ballot)
    response = post(client, url, data)
    assert response.status_code == 409
    assert "its rules, options and who can vote are fixed" in response.get_data(as_text=True)
    with council_context(world.council.id):
        db.session.expire_all()
        events = _refusals(ballot)
        assert len(events) == len(refused_before) + 1
        assert events[-1].actor_user_id == world.officer.id
        fresh = db.session.scalar(select(Ballot).where(Ballot.id == ballot.id))
        assert fresh.rules_version == version and fresh.title != "Renamed"
        assert (
            db.session.scalar(select(func.count()).select_from(BallotOption).where(BallotOption.title == "Late")) == 0
        )


def _refusals(ballot) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_id == str(ballot.id), AuditEvent.action == "ballot.change_refused")
            .order_by(AuditEvent.seq)
        )
    )


def test_option_moves_and_removal_through_the_pages(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RANKED, open_it=False)
    client = client_for(world.admin)
    with council_context(world.council.id):
        ada, _ben, cy = operations.ballot_options(ballot)
    base = f"{world.prefix}/ballots/manage/{ballot.id}"
    assert post(client, base + f"/options/{cy.id}/move", {"direction": "up"}).status_code == 302
    assert post(client, base + f"/options/{ada.id}/remove").status_code == 302
    with council_context(world.council.id):
        assert [o.key for o in operations.ballot_options(ballot)] == ["cy", "ben"]
    overview = client.get(base).get_data(as_text=True)
    assert "Move down" in overview and "Cy" in overview


@pytest.mark.parametrize("kind", list(BallotKind))
def test_every_officer_page_renders_for_every_kind(world, make_ballot, client_for, kind):
    ballot = make_ballot(kind, open_it=False)
    client = client_for(world.admin)
    base = f"{world.prefix}/ballots/manage/{ballot.id}"
    pages = [*MANAGE_PAGES, "/unschedule"]
    for page in pages:
        response = client.get(base + page)
        expected = (
            404 if (page == "/options/new" and kind is BallotKind.RESOLUTION) else 409 if page == "/unschedule" else 200
        )
        assert response.status_code == expected, page
    assert client.get(f"{world.prefix}/ballots/manage").status_code == 200


def test_the_list_offers_a_signed_in_person_only_ballots_they_may_vote_in(world, make_ballot, client_for):
    make_ballot(BallotKind.RESOLUTION, title="For residents")
    make_ballot(BallotKind.RESOLUTION, title="For staff", electorate={"type": "council_role", "roles": ["officer"]})
    resident = client_for(world.residents[0]).get(f"{world.prefix}/ballots/").get_data(as_text=True)
    assert "For residents" in resident and "For staff" not in resident
    officer = client_for(world.officer).get(f"{world.prefix}/ballots/").get_data(as_text=True)
    assert "For staff" in officer and "For residents" not in officer
