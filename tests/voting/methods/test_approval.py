import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.voting.methods.approval import ApprovalBallotError, count_approval, validate_approval_ballot
from app.voting.methods.canonical import result_hash
from app.voting.methods.ties import TieBreak

OPTIONS = ["arts", "careers", "mentoring", "sports", "youth"]


def test_most_approvals_win_and_totals_are_listed():
    ballots = [{"arts", "sports"}, {"sports"}, {"sports", "youth"}, {"youth", "arts"}, set()]
    result = count_approval(ballots, OPTIONS, 2, max_approvals=2)
    assert result.winners == ("sports", "arts")
    assert dict(result.approvals) == {"arts": 2, "careers": 0, "mentoring": 0, "sports": 3, "youth": 2}
    assert result.ballots == 5  # the blank paper counts as a ballot
    data = result.as_dict()
    assert data["details"]["approvals"]["sports"] == 3
    assert data["details"]["cut_tie"] == {"approvals": 2, "tied": ["arts", "youth"], "elected": ["arts"]}
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})


def test_no_cut_tie_when_the_cut_is_clear():
    result = count_approval([{"arts"}, {"arts", "youth"}, {"careers"}, {"careers"}], OPTIONS, 2)
    assert result.winners == ("arts", "careers")
    assert result.cut_tie is None


def test_tie_at_the_cut_follows_the_seeded_lot():
    ballots = [{"arts", "careers", "sports"}]
    winners = {count_approval(ballots, OPTIONS, 1, tie_break=TieBreak("lot", f"s{i}")).winners for i in range(40)}
    assert winners == {("arts",), ("careers",), ("sports",)}
    lot = TieBreak("lot", "published-seed")
    result = count_approval(ballots, OPTIONS, 1, tie_break=lot)
    assert result.winners == (lot.pick(["arts", "careers", "sports"]),)
    assert result.as_dict()["tie_break"] == {"rule": "lot", "seed": "published-seed"}


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        ({"arts", "bingo"}, "not on the ballot: bingo"),
        (["arts", "arts"], "more than once"),
        ({"arts", "sports", "youth"}, "approves 3 options; the rules allow at most 2"),
        ("arts", "not a single string"),
    ],
)
def test_invalid_papers_name_the_rule(ballot, message):
    with pytest.raises(ApprovalBallotError, match=message):
        validate_approval_ballot(ballot, OPTIONS, 2)
    with pytest.raises(ApprovalBallotError, match=f"ballot 2 .*{message}"):
        count_approval([{"arts"}, ballot], OPTIONS, 1, max_approvals=2)


@pytest.mark.parametrize(("options", "seats"), [(OPTIONS, 0), (OPTIONS, 6), (["a", "a"], 1), ([], 1), (["a", ""], 1)])
def test_bad_configuration_is_refused(options, seats):
    with pytest.raises(ValueError):
        count_approval([], options, seats)


ballot_sets = st.lists(st.sets(st.sampled_from(OPTIONS)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(ballot_sets, st.integers(1, len(OPTIONS)), st.randoms(use_true_random=False))
def test_properties(ballots, seats, rnd):
    result = count_approval(ballots, OPTIONS, seats)
    totals = dict(result.approvals)
    assert sum(totals.values()) == sum(len(b) for b in ballots)
    assert len(result.winners) == seats
    # No loser has more approvals than any winner.
    losers = set(OPTIONS) - set(result.winners)
    assert all(totals[w] >= totals[o] for w in result.winners for o in losers)
    # Ballot order does not matter; the hash is stable.
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert count_approval(shuffled, OPTIONS, seats).as_dict() == result.as_dict()


def test_renaming_options_changes_nothing_but_ties():
    rng = random.Random(7)
    for _ in range(100):
        ballots = [set(rng.sample(OPTIONS, rng.randint(0, 3))) for _ in range(rng.randint(1, 15))]
        result = count_approval(ballots, OPTIONS, 2)
        rename = {o: f"z-{o}" for o in OPTIONS}
        renamed = count_approval([{rename[o] for o in b} for b in ballots], [rename[o] for o in OPTIONS], 2)
        if result.cut_tie is None:
            assert renamed.winners == tuple(rename[w] for w in result.winners)
