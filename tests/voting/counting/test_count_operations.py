"""The count in the database: stored once, rerun-safe, audited, tie-breaks from the ballot."""

from __future__ import annotations

import hashlib
import logging
import random

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEvent
from app.audit.operations import verify_chain
from app.voting.counting import CountError, current_result, load_papers, run_count
from app.voting.models import BallotKind, BallotResult, BallotStatus, Channel
from tenants.context import council_context
from tests.voting.counting.conftest import add_papers
from tests.voting.counting.elections import CANDIDATES, LINES, PROJECTS, approval_papers, division_papers, ranked_papers


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_stv_count_is_stored_once_with_its_hash_and_audited(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, ranked_papers(random.Random(1), 200))
        outcome = run_count(made.ballot.id)
        assert outcome.status == "stored" and outcome.papers == 200
        result = current_result(made.ballot)
        assert result.sha256 == hashlib.sha256(result.document.encode()).hexdigest() == outcome.sha256
        assert made.ballot.status is BallotStatus.COUNTED
        [event] = _events(db, "ballot.counted")
        assert event.payload["sha256"] == result.sha256 and event.subject_id == str(made.ballot.id)
        assert verify_chain().ok

        again = run_count(made.ballot.id)
        assert (again.status, again.stored_sha256) == ("same", result.sha256)
        assert db.session.scalar(select(text("count(*)")).select_from(BallotResult)) == 1
        assert len(_events(db, "ballot.counted")) == 1


def test_a_different_recount_keeps_the_first_result_and_raises_an_alert(db, create_council, make_ballot, caplog):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.APPROVAL, "approval", CANDIDATES[:3], {"seats": 1}, [["ada"], ["ada"], ["alan"]])
        first = run_count(made.ballot.id)
        # A paper slipped in after the count (it should never happen): the recount differs.
        add_papers(db.session, made.ballot, [["alan"], ["alan"]])
        with caplog.at_level(logging.ERROR, logger="app.voting.counting"):
            second = run_count(made.ballot.id)
        assert second.status == "mismatch" and second.stored_sha256 == first.sha256 != second.sha256
        assert current_result(made.ballot).sha256 == first.sha256
        assert any("ALERT" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
        [event] = _events(db, "ballot.recount_mismatch")
        assert event.payload == {
            "stored_sha256": first.sha256,
            "recount_sha256": second.sha256,
            "rules_version": made.ballot.rules_version,
        }


def test_only_closed_ballots_are_counted(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"]], status=BallotStatus.OPEN)
        with pytest.raises(CountError, match="only a closed ballot"):
            run_count(made.ballot.id)
        assert current_result(made.ballot) is None


def test_papers_cast_under_other_rules_stop_the_count(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"], ["alan"]])
        db.session.execute(
            text("UPDATE voting_papers SET rules_version = 'other' WHERE ballot_id = :b"), {"b": made.ballot.id}
        )
        with pytest.raises(CountError, match="different rules"):
            run_count(made.ballot.id)
        assert current_result(made.ballot) is None


def test_a_bad_paper_stops_the_count_with_a_clear_message(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, [["ada"], ["nobody"]])
        with pytest.raises(CountError, match="'nobody', who is not a candidate"):
            run_count(made.ballot.id)
        assert current_result(made.ballot) is None


def test_papers_load_grouped_by_content(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"]] * 5 + [["alan", "ada"]] * 3)
        load = load_papers(made.ballot)
        assert load.total == 8
        assert sorted(load.papers, key=str) == sorted([(["ada"], 5), (["alan", "ada"], 3)], key=str)


def test_the_ballot_seed_decides_a_lot_and_is_published(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        tied = [["ada"], ["grace"]]
        results = {}
        for seed in ("seed-one", "seed-two", "seed-three", "seed-four"):
            made = make_ballot(
                BallotKind.APPROVAL,
                "approval",
                CANDIDATES[:2],
                {"seats": 1},
                tied,
                tie_break_rule="lot",
                tie_break_seed=seed,
            )
            run_count(made.ballot.id)
            body = current_result(made.ballot).document
            assert f'"seed":"{seed}"' in body and '"rule":"lot"' in body
            results[seed] = body
        winners = {b.split('"winners":')[1][:10] for b in results.values()}
        assert len(winners) == 2  # different seeds, different draws (for these four seeds)


@pytest.mark.parametrize(
    ("kind", "method", "options", "params", "papers"),
    [
        (BallotKind.PB, "greedy", PROJECTS, {"budget_pence": 5_000_000, "utility": "cost"}, "approval"),
        (BallotKind.PB, "mes", PROJECTS, {"budget_pence": 5_000_000, "utility": "approval"}, "approval"),
        (BallotKind.PB, "mes-add1", PROJECTS, {"budget_pence": 5_000_000, "utility": "cost"}, "approval"),
        (BallotKind.DIVISION, "mean", LINES, {"budget_pence": 10_000, "floors": {"arts": 1000}, "ceilings": {}}, "div"),
        (
            BallotKind.DIVISION,
            "markets",
            LINES,
            {"budget_pence": 10_000, "floors": {}, "ceilings": {"clubs": 6000}},
            "div",
        ),
        (BallotKind.RANKED, "meek", CANDIDATES, {"seats": 3}, "ranked"),
    ],
)
def test_every_method_counts_from_the_box(db, create_council, make_ballot, kind, method, options, params, papers):
    rng = random.Random(7)
    contents = {
        "approval": lambda: approval_papers(rng, 150),
        "div": lambda: division_papers(rng, 60, 10_000),
        "ranked": lambda: ranked_papers(rng, 150),
    }[papers]()
    council = create_council()
    with council_context(council.id):
        made = make_ballot(kind, method, options, params, contents)
        outcome = run_count(made.ballot.id)
        assert outcome.status == "stored"
        assert current_result(made.ballot).sha256 == outcome.sha256


def test_resolution_counts_proxy_papers_as_proxy_votes(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        params = {
            "threshold": "two_thirds",
            "base": "votes_cast",
            "quorum_count": 5,
            "quorum_share": "0",
            "proxies_count_as_present": True,
            "proxy_cap": 2,
        }
        made = make_ballot(
            BallotKind.RESOLUTION,
            "resolution",
            [],
            params,
            ["for"] * 4 + ["against"] * 2 + ["abstain"],
            electorate_size=20,
        )
        add_papers(db.session, made.ballot, ["for", {"choice": "for"}], channel=Channel.PROXY)
        run_count(made.ballot.id)
        import json

        body = json.loads(current_result(made.ballot).document)
        assert body["outcome"] == "passed"  # 6 for, 2 against: 3*6 >= 2*8
        assert body["details"]["votes"] == {"for": 6, "against": 2, "abstain": 1}
        assert body["details"]["of_which_proxy"] == {"for": 2, "against": 0, "abstain": 0}
        assert body["details"]["quorum"]["present"] == 9


def test_a_count_waits_for_paper_ballots_still_being_entered(db, create_council, create_user, make_ballot):
    from app.voting.models import PaperEntry

    council = create_council()
    officer = create_user()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"], ["alan"]])
        db.session.add(PaperEntry(ballot_id=made.ballot.id, serial="17", first_content=["ada"], first_by_id=officer.id))
        db.session.flush()
        with pytest.raises(CountError, match="still being entered"):
            run_count(made.ballot.id)
        assert current_result(made.ballot) is None
