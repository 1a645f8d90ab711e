"""Properties of every ranked count on random small elections (hypothesis)."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.voting.methods.canonical import canonical_json
from app.voting.methods.ranked import RankedBallots, count_irv, count_meek, count_stv_scottish
from app.voting.methods.ties import TieBreak
from tests.voting.methods.stv_support import assert_conserved, rule_decided_ties

METHODS = {
    "irv": lambda ballots, seats, tb: count_irv(ballots, tie_break=tb),
    "stv": lambda ballots, seats, tb: count_stv_scottish(ballots, seats, tie_break=tb),
    "meek": lambda ballots, seats, tb: count_meek(ballots, seats, tie_break=tb),
}


@st.composite
def elections(draw):
    n = draw(st.integers(1, 6))
    names = [f"c{i}" for i in range(n)]
    paper = st.permutations(names).flatmap(lambda p: st.integers(0, len(p)).map(lambda k: tuple(p[:k])))
    papers = draw(st.lists(paper, max_size=40))
    seats = draw(st.integers(1, 4))
    tie_break = draw(st.sampled_from([TieBreak(), TieBreak("lot", "published-seed")]))
    return names, seats, papers, tie_break


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=150, deadline=None)
@given(election=elections())
def test_value_is_conserved_and_the_seats_are_filled(method, election):
    names, seats, papers, tie_break = election
    ballots = RankedBallots.from_rankings(names, papers)
    result = METHODS[method](ballots, seats, tie_break)
    assert_conserved(result)
    expected = 1 if method == "irv" else min(seats, len(names))
    assert len(result.winners) == len(set(result.winners)) == expected
    assert not set(result.winners) & set(result.excluded)
    assert result.valid_papers + result.empty_papers == len(papers)
    data = result.as_dict()
    assert data["winners"] == list(result.winners)
    assert canonical_json(data)  # no floats anywhere


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=100, deadline=None)
@given(election=elections(), shuffle=st.randoms(use_true_random=False))
def test_ballot_order_changes_nothing(method, election, shuffle):
    names, seats, papers, tie_break = election
    shuffled = list(papers)
    shuffle.shuffle(shuffled)
    one = METHODS[method](RankedBallots.from_rankings(names, papers), seats, tie_break)
    two = METHODS[method](RankedBallots.from_rankings(names, shuffled), seats, tie_break)
    assert canonical_json(one.as_dict()) == canonical_json(two.as_dict())


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=100, deadline=None)
@given(election=elections(), shuffle=st.randoms(use_true_random=False))
def test_renaming_candidates_changes_nothing_but_rule_decided_ties(method, election, shuffle):
    names, seats, papers, tie_break = election
    renamed = [f"new-{i}" for i in range(len(names))]
    shuffle.shuffle(renamed)
    rename = dict(zip(names, renamed, strict=True))
    listed = list(renamed)
    shuffle.shuffle(listed)  # the order on the paper does not matter either
    one = METHODS[method](RankedBallots.from_rankings(names, papers), seats, tie_break)
    two = METHODS[method](
        RankedBallots.from_rankings(listed, [tuple(rename[c] for c in p) for p in papers]), seats, tie_break
    )
    if rule_decided_ties(one) or rule_decided_ties(two):
        return
    assert tuple(rename[c] for c in one.winners) == two.winners
    assert tuple(rename[c] for c in one.excluded) == two.excluded
    for a, b in zip(one.stages, two.stages, strict=True):
        votes_a = {rename[c]: v for c, v in zip(one.candidates, a.votes, strict=True)}
        assert votes_a == dict(zip(two.candidates, b.votes, strict=True))
        assert a.non_transferable_total == b.non_transferable_total


def test_more_papers_for_a_winner_keep_them_elected_under_stv():
    # A light monotonicity-of-support check that holds for these cases: adding first-preference
    # papers for a winner who was elected on first preferences keeps them elected.
    rng = random.Random(11)
    for _ in range(100):
        n = rng.randint(3, 6)
        names = [f"c{i}" for i in range(n)]
        papers = [tuple(rng.sample(names, rng.randint(1, n))) for _ in range(rng.randint(10, 60))]
        seats = rng.randint(1, 3)
        first = count_stv_scottish(RankedBallots.from_rankings(names, papers), seats)
        if not first.stages[0].elected:
            continue
        star = first.stages[0].elected[0]
        again = count_stv_scottish(RankedBallots.from_rankings(names, papers + [(star,)] * 3), seats)
        assert star in again.winners
