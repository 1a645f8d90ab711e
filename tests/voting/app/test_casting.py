"""Casting through the operations: refusals with reasons, paper validation per kind, one vote each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.voting import operations, papers, receipts, timing
from app.voting.electorate import electorate_size, is_eligible
from app.voting.models import BallotKind, BallotPaper, BallotStatus, Channel, Participation
from tenants.context import council_context
from tests.fixtures.factories import new_person


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _papers() -> list[BallotPaper]:
    return list(db.session.scalars(select(BallotPaper)))


VALID = {
    BallotKind.APPROVAL: (["c", "a"], ["a", "c"]),
    BallotKind.RANKED: (["cy", "ada"], ["cy", "ada"]),
    BallotKind.PB: (["p3", "p1"], ["p1", "p3"]),
    BallotKind.DIVISION: ({"sport": 400_000, "clubs": 600_000}, {"clubs": 600_000, "sport": 400_000, "arts": 0}),
    BallotKind.RESOLUTION: ("against", "against"),
    BallotKind.POINTS: ({"shops": 4, "parks": 6, "safety": 0}, {"parks": 6, "shops": 4}),
}


@pytest.mark.parametrize("kind", list(BallotKind))
def test_a_vote_writes_one_participation_and_one_anonymous_paper(db, world, make_ballot, kind):
    ballot = make_ballot(kind)
    voter = world.residents[0]
    given, canonical = VALID[kind]
    with council_context(world.council.id):
        code = operations.cast_vote(ballot, voter, given)
        (paper,) = _papers()
        assert paper.content == canonical
        assert paper.receipt_hash == receipts.receipt_hash(code)
        assert paper.rules_version == ballot.rules_version
        assert paper.cast_on == timing.today()
        assert paper.channel is Channel.ONLINE
        (row,) = db.session.scalars(select(Participation)).all()
        assert (row.user_id, row.ballot_id, row.cast_on) == (voter.id, ballot.id, timing.today())


def test_voting_twice_is_refused_and_keeps_the_first_paper(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RESOLUTION)
    voter = world.residents[0]
    with council_context(world.council.id):
        first = operations.cast_vote(ballot, voter, "for")
        with pytest.raises(operations.AlreadyVotedError) as refused:
            operations.cast_vote(ballot, voter, "against")
        assert refused.value.status == 409
        assert refused.value.message == "You have already voted in this ballot"
        (paper,) = _papers()
        assert (paper.content, paper.receipt_hash) == ("for", receipts.receipt_hash(first))
        assert _count(Participation) == 1


def test_the_participation_insert_itself_refuses_a_second_vote(db, world, make_ballot, monkeypatch):
    """Even if the early check is fooled (a race), the unique key lets one row in."""
    ballot = make_ballot(BallotKind.RESOLUTION)
    voter = world.residents[0]
    with council_context(world.council.id):
        operations.cast_vote(ballot, voter, "for")
        monkeypatch.setattr(operations, "has_voted", lambda *a: False)
        with pytest.raises(operations.AlreadyVotedError):
            operations.cast_vote(ballot, voter, "against")
        assert _count(BallotPaper) == 1


def test_outside_the_window_is_refused_with_the_reason(db, world, make_ballot):
    voter = world.residents[0]
    with council_context(world.council.id):
        draft = make_ballot(BallotKind.RESOLUTION, open_it=False)
        with pytest.raises(operations.NotOpenError) as refused:
            operations.cast_vote(draft, voter, "for")
        assert refused.value.status == 403 and "not open yet" in refused.value.message

        scheduled = make_ballot(BallotKind.RESOLUTION, open_it=False)
        opens = timing.now() + timedelta(days=1)
        operations.update_window(scheduled, opens_at=opens, closes_at=opens + timedelta(days=1), by=None)
        operations.schedule_ballot(scheduled, by=None)
        with pytest.raises(operations.NotOpenError) as refused:
            operations.cast_vote(scheduled, voter, "for")
        assert f"Voting opens on {timing.format_datetime(opens)}" in refused.value.message

        closed = make_ballot(BallotKind.RESOLUTION)
        operations.close_ballot(closed)
        with pytest.raises(operations.NotOpenError) as refused:
            operations.cast_vote(closed, voter, "for")
        assert "This ballot closed on" in refused.value.message

        overdue = make_ballot(BallotKind.RESOLUTION)
        overdue.opens_at = timing.now() - timedelta(minutes=5)
        overdue.closes_at = timing.now() - timedelta(seconds=1)  # the minute job has not run yet
        with pytest.raises(operations.NotOpenError) as refused:
            operations.cast_vote(overdue, voter, "for")
        assert "closed" in refused.value.message
        assert _count(Participation) == 0 and _count(BallotPaper) == 0


def test_outside_the_electorate_is_refused_with_the_reason(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RESOLUTION)  # residents only
    with council_context(world.council.id):
        for person in (world.officer, world.stranger):
            with pytest.raises(operations.NotEligibleError) as refused:
                operations.cast_vote(ballot, person, "for")
            assert refused.value.status == 403
        assert "This ballot is for residents of the council" in refused.value.message
        assert _count(Participation) == 0 and _count(BallotPaper) == 0


def test_electorate_rules(db, world, make_ballot):
    with council_context(world.council.id):
        residents = make_ballot(BallotKind.RESOLUTION)
        staff = make_ballot(
            BallotKind.RESOLUTION, electorate={"type": "council_role", "roles": ["officer", "council_admin"]}
        )
        everyone = make_ballot(BallotKind.RESOLUTION, electorate={"type": "everyone_with_role_in_council"})
        assert (electorate_size(residents), electorate_size(staff), electorate_size(everyone)) == (3, 3, 6)
        assert is_eligible(residents, world.residents[0]) == (True, "")
        assert is_eligible(staff, world.residents[0])[0] is False
        assert is_eligible(staff, world.officer) == (True, "")
        assert is_eligible(everyone, world.housing_officer) == (True, "")
        ok, reason = is_eligible(everyone, world.stranger)
        assert not ok and "not registered here" in reason
        nobody = new_person("No role")
        assert is_eligible(residents, nobody)[0] is False
        assert "council administrators and officers of the council" in is_eligible(staff, world.residents[1])[1]


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        (BallotKind.APPROVAL, ["a", "b", "c"], "You chose 3 options. You can choose up to 2."),
        (BallotKind.APPROVAL, ["a", "zz"], "One of the choices is not an option on this ballot"),
        (BallotKind.APPROVAL, ["a", "a"], "The paper chooses the same option more than once"),
        (BallotKind.APPROVAL, [], "Choose at least one option"),
        (BallotKind.APPROVAL, "a", "The paper is not in a form this ballot can read"),
        (BallotKind.RANKED, ["ada", "ada"], "Each option can be given only one number"),
        (BallotKind.RANKED, ["ada", "zed"], "One of the preferences is not an option on this ballot"),
        (BallotKind.RANKED, [], "Give your first choice the number 1"),
        (
            BallotKind.PB,
            ["p1", "p2", "p3"],
            "The projects you chose cost £11,000, which is £1,000 over the budget of £10,000. "
            "Remove a project so the total is £10,000 or less.",
        ),
        (BallotKind.PB, ["p9"], "One of the choices is not a project on this ballot"),
        (BallotKind.PB, ["p1", "p1"], "The paper chooses the same project more than once"),
        (
            BallotKind.DIVISION,
            {"clubs": 500_000, "sport": 400_000},
            "Your amounts add up to £9,000, which is £1,000 less than the budget of £10,000. "
            "Share out the £1,000 left so they add up to exactly £10,000.",
        ),
        (
            BallotKind.DIVISION,
            {"clubs": 1_000_000, "sport": 1},
            "Your amounts add up to £10,000.01, which is £0.01 more than the budget of £10,000. "
            "Take £0.01 away so they add up to exactly £10,000.",
        ),
        (BallotKind.DIVISION, {"clubs": -1, "sport": 1_000_001}, "Each amount must be £0 or more"),
        (BallotKind.DIVISION, {"drama": 1_000_000}, "One of the amounts is for a line that is not on this ballot"),
        (
            BallotKind.POINTS,
            {"parks": 6, "shops": 5},
            "Your points add up to 11, which is 1 over the 10 you have. Take 1 away so they add up to 10 or less.",
        ),
        (BallotKind.POINTS, {"parks": -1}, "The points for Parks cannot be negative: enter 0 or more"),
        (
            BallotKind.POINTS,
            {"shops": 7},
            "You gave Local shops 7 points. You can give one option at most 6 points.",
        ),
        (BallotKind.POINTS, {"parks": 0}, "Give at least one point to an option"),
        (BallotKind.POINTS, {"bingo": 1}, "One of the options given points is not on this ballot"),
        (BallotKind.POINTS, ["parks"], "The paper is not in a form this ballot can read"),
        (BallotKind.RESOLUTION, "maybe", "Choose for, against or abstain"),
        (BallotKind.RESOLUTION, None, "Choose for, against or abstain"),
    ],
)
def test_bad_papers_are_refused_naming_the_rule_and_nothing_is_stored(db, world, make_ballot, kind, content, message):
    ballot = make_ballot(kind)
    with council_context(world.council.id):
        with pytest.raises(papers.PaperError) as refused:
            operations.cast_vote(ballot, world.residents[0], content)
        assert message in refused.value.message
        assert _count(Participation) == 0 and _count(BallotPaper) == 0


def test_a_paper_error_never_repeats_the_choices(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL)
    with council_context(world.council.id), pytest.raises(papers.PaperError) as refused:
        operations.cast_vote(ballot, world.residents[0], ["b", "c", "d"])
    assert not {"b", "c", "d"} & set(refused.value.message.replace(".", " ").split())


def _form(**fields) -> MultiDict:
    items = []
    for name, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((name.replace("_", "-"), v))
    return MultiDict(items)


def test_ranked_forms_are_read_in_number_order(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RANKED)
    with council_context(world.council.id):
        options = operations.ballot_options(ballot)
        assert papers.paper_from_form(ballot, options, _form(rank_ada="2", rank_cy="1", rank_ben="")) == ["cy", "ada"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"rank_ada": "", "rank_ben": "", "rank_cy": ""}, [("rank-ada", "Give your first choice the number 1")]),
        (
            {"rank_ada": "1", "rank_ben": "1"},
            [("rank-ben", "You gave the number 1 to more than one option. Give each number to one option only.")],
        ),
        (
            {"rank_ada": "1", "rank_ben": "3"},
            [("rank-ada", "Number your choices 1, 2, 3 and so on without gaps: you have not used the number 2")],
        ),
        ({"rank_ada": "9"}, [("rank-ada", "Choose a number from 1 to 3 for Ada, or no preference")]),
    ],
)
def test_ranked_form_problems_point_at_the_field(db, world, make_ballot, fields, errors):
    ballot = make_ballot(BallotKind.RANKED)
    with council_context(world.council.id):
        with pytest.raises(papers.PaperFormError) as refused:
            papers.paper_from_form(ballot, operations.ballot_options(ballot), _form(**fields))
        assert [(e.field, e.message) for e in refused.value.errors] == errors


def test_division_forms_take_pounds(db, world, make_ballot):
    ballot = make_ballot(BallotKind.DIVISION)
    with council_context(world.council.id):
        options = operations.ballot_options(ballot)
        content = papers.paper_from_form(
            ballot, options, _form(amount_clubs="£2,500.50", amount_sport="7499.5", amount_arts="")
        )
        assert content == {"clubs": 250_050, "sport": 749_950, "arts": 0}
        with pytest.raises(papers.PaperFormError) as refused:
            papers.paper_from_form(ballot, options, _form(amount_clubs="lots", amount_sport="1.234"))
        assert [e.field for e in refused.value.errors] == ["amount-clubs", "amount-sport"]
        with pytest.raises(papers.PaperFormError) as refused:
            papers.paper_from_form(ballot, options, _form(amount_clubs="10"))
        assert refused.value.errors[0].field == "amounts"


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("", 0),
        ("0", 0),
        ("12", 1200),
        ("12.5", 1250),
        ("£1,234.56", 123456),
        ("12.345", None),
        ("-1", None),
        ("x", None),
    ],
)
def test_parse_pounds(text, pence):
    assert papers.parse_pounds(text) == pence


def test_cast_paper_is_for_opened_ballots_until_the_count(db, world, make_ballot):
    with council_context(world.council.id):
        draft = make_ballot(BallotKind.RESOLUTION, open_it=False)
        with pytest.raises(operations.NotOpenError):
            operations.cast_paper(draft, "for", channel=Channel.PAPER, cast_on=timing.today())
        ballot = make_ballot(BallotKind.RESOLUTION)
        operations.close_ballot(ballot)
        code = operations.cast_paper(ballot, "abstain", channel="paper", cast_on=timing.today())
        (paper,) = _papers()
        assert (paper.content, paper.channel, paper.receipt_hash) == (
            "abstain",
            Channel.PAPER,
            receipts.receipt_hash(code),
        )
        with pytest.raises(papers.PaperError):
            operations.cast_paper(ballot, "perhaps", channel="paper", cast_on=timing.today())
        operations.transition(ballot, BallotStatus.COUNTED)
        with pytest.raises(operations.NotOpenError):
            operations.cast_paper(ballot, "for", channel="paper", cast_on=timing.today())
        assert _count(Participation) == 0  # paper ballots name no voter


def test_a_database_failure_while_storing_a_paper_does_not_quote_it(db, world, make_ballot, monkeypatch):
    """The driver's error quotes the statement's parameters; the error raised must carry none of it."""
    ballot = make_ballot(BallotKind.RANKED)
    secret = ["cy", "ben", "ada"]

    def failing_execute(statement, *args, **kwargs):
        raise IntegrityError("INSERT INTO voting_papers ...", {"content": secret}, Exception("duplicate key"))

    with council_context(world.council.id):
        monkeypatch.setattr(db.session, "execute", failing_execute)
        with pytest.raises(operations.CastingError) as failed:
            operations.cast_paper(ballot, secret, channel=Channel.ONLINE, cast_on=timing.today())
    error = failed.value
    assert error.__cause__ is None and error.__context__ is None
    assert "cy" not in str(error) and "ben" not in str(error)


def test_receipt_codes():
    code = receipts.new_code()
    assert len(code) == 19 and code.count("-") == 3
    assert receipts.normalise(code.lower().replace("-", " ")) == code
    assert receipts.normalise("O1L0-0000-0000-0000") == "0110-0000-0000-0000"
    assert receipts.normalise("too short") is None and receipts.normalise("UUUU-0000-0000-0000") is None
    assert receipts.receipt_hash(code) == receipts.receipt_hash(code.lower())
    assert len({receipts.new_code() for _ in range(1000)}) == 1000


def test_every_receipt_letter_can_be_drawn_in_every_place():
    """Each character takes its own 5 of the 80 random bits: all 32 letters turn up in all 16 places."""
    codes = [receipts.new_code().replace("-", "") for _ in range(4000)]
    for place in range(receipts.LENGTH):
        assert {code[place] for code in codes} == set(receipts.ALPHABET), place
    assert len(receipts.ALPHABET) == 2**5


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"points-parks": "6", "points-safety": "3", "points-shops": "2"},
            {"points": "Your points add up to 11, which is 1 over the 10 you have."},
        ),
        ({"points-parks": "-2"}, {"points-parks": "The points for Parks cannot be negative"}),
        ({"points-shops": "7"}, {"points-shops": "You gave Local shops 7 points. You can give one option at most 6"}),
        (
            {"points-parks": "two", "points-shops": "1.5"},
            {
                "points-parks": "Enter the points for Parks as a whole number",
                "points-shops": "Enter the points for Local shops as a whole number",
            },
        ),
        ({}, {"points": "Give at least one point to an option"}),
    ],
)
def test_the_points_form_says_which_rule_a_paper_breaks(db, world, make_ballot, fields, errors):
    ballot = make_ballot(BallotKind.POINTS)
    with council_context(world.council.id):
        options = operations.ballot_options(ballot)
        with pytest.raises(papers.PaperFormError) as refused:
            papers.paper_from_form(ballot, options, MultiDict(fields))
    found = {e.field: str(e.message) for e in refused.value.errors}
    assert set(found) == set(errors)
    for field, message in errors.items():
        assert found[field].startswith(message)


def test_the_points_form_reads_blank_boxes_as_nothing(db, world, make_ballot):
    ballot = make_ballot(BallotKind.POINTS)
    with council_context(world.council.id):
        options = operations.ballot_options(ballot)
        content = papers.paper_from_form(ballot, options, MultiDict({"points-parks": " 6 ", "points-shops": "0"}))
    assert content == {"parks": 6}
