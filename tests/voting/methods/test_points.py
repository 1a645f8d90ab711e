import random

import pytest

from app.voting.methods.canonical import result_hash
from app.voting.methods.points import PointsBallotError, count_points, validate_points_ballot
from app.voting.methods.ties import TieBreak

OPTIONS = ["parks", "safety", "shops", "streets", "youth"]


def test_most_points_win_and_totals_are_listed():
    ballots = [{"parks": 6, "youth": 4}, {"safety": 10}, {"parks": 5, "safety": 5}, {}]
    result = count_points(ballots, OPTIONS, 2, points=10)
    assert dict(result.totals) == {"parks": 11, "safety": 15, "shops": 0, "streets": 0, "youth": 4}
    assert result.winners == ("safety", "parks")
    assert result.ballots == 4  # the blank paper counts
    data = result.as_dict()
    assert data["method"] == "points" and data["details"]["totals"]["parks"] == 11
    assert data["rounds"] == [{"round": 1, "points": dict(result.totals), "elected": ["safety", "parks"]}]
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})


def test_cut_tie_is_recorded_and_follows_the_lot():
    ballots = [{"parks": 3, "shops": 3, "youth": 3}]
    result = count_points(ballots, OPTIONS, 1, points=9)
    assert result.winners == ("parks",)
    assert result.cut_tie.as_dict() == {"points": 3, "tied": ["parks", "shops", "youth"], "elected": ["parks"]}
    lot = TieBreak("lot", "seed-1")
    assert count_points(ballots, OPTIONS, 1, points=9, tie_break=lot).winners == (
        lot.pick(["parks", "shops", "youth"]),
    )


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        ({"parks": 6, "youth": 5}, "gives 11 points in all; the rules allow at most 10"),
        ({"parks": -1}, "negative number of points"),
        ({"parks": 7}, "gives parks 7 points; the rules allow at most 6 for one option"),
        ({"bingo": 1}, "not on the ballot: bingo"),
        ({"parks": 1.5}, "not a whole number"),
        (["parks"], "must map option ids to points"),
    ],
)
def test_invalid_papers_name_the_rule(ballot, message):
    with pytest.raises(PointsBallotError, match=message):
        validate_points_ballot(ballot, OPTIONS, 10, 6)
    with pytest.raises(PointsBallotError, match=f"ballot 2 .*{message}"):
        count_points([{}, ballot], OPTIONS, 1, points=10, max_per_option=6)


@pytest.mark.parametrize(
    ("seats", "points", "cap"), [(0, 10, None), (6, 10, None), (1, 0, None), (1, 10, 0), (1, 10, 11)]
)
def test_bad_configuration_is_refused(seats, points, cap):
    with pytest.raises(ValueError):
        count_points([], OPTIONS, seats, points=points, max_per_option=cap)


def _oracle(ballots, options, seats, points, cap, tie_break):
    """A deliberately plain second count: add up, then pick winners one at a time."""
    totals = {o: 0 for o in options}
    for paper in ballots:
        assert sum(paper.values()) <= points
        for option, value in paper.items():
            assert value >= 0 and (cap is None or value <= cap)
            totals[option] = totals[option] + value
    remaining = list(options)
    winners = []
    while len(winners) < seats:
        best = max(totals[o] for o in remaining)
        tied = [o for o in remaining if totals[o] == best]
        choice = tie_break.pick(tied)
        winners.append(choice)
        remaining.remove(choice)
    return totals, winners


def _random_paper(rng, options, points, cap):
    paper = {}
    left = points if rng.random() < 0.8 else rng.randint(0, points)
    for option in rng.sample(options, rng.randint(0, len(options))):
        most = left if cap is None else min(cap, left)
        value = rng.randint(0, most) if most else 0
        if value or rng.random() < 0.2:
            paper[option] = value
        left -= value
    return paper


def test_agrees_with_a_simple_count_on_generated_instances():
    rng = random.Random(20261122)
    for instance in range(600):
        options = [f"o{i:02d}" for i in rng.sample(range(40), rng.randint(1, 8))]
        seats = rng.randint(1, len(options))
        points = rng.randint(1, 12)
        cap = rng.choice([None, rng.randint(1, points)])
        ballots = [_random_paper(rng, options, points, cap) for _ in range(rng.randint(0, 30))]
        tie_break = TieBreak("lot", f"seed{instance}") if instance % 3 == 0 else TieBreak()
        result = count_points(ballots, options, seats, points=points, max_per_option=cap, tie_break=tie_break)
        totals, winners = _oracle(ballots, options, seats, points, cap, tie_break)
        assert dict(result.totals) == totals, instance
        assert list(result.winners) == winners, instance
        assert result.ballots == len(ballots)
        # Paper order does not change the published bytes.
        shuffled = list(ballots)
        rng.shuffle(shuffled)
        again = count_points(shuffled, options, seats, points=points, max_per_option=cap, tie_break=tie_break)
        assert again.as_dict() == result.as_dict()
