from fractions import Fraction

import pytest

from app.voting.methods.canonical import result_hash
from app.voting.methods.division import (
    INDEPENDENT_MARKETS,
    MEAN,
    DivisionBallotError,
    count_division,
    validate_division_ballot,
)
from app.voting.methods.division.piecewise import exact_sorted, smallest_root
from app.voting.methods.ties import TieBreak

LINES = ["arts", "careers", "detached", "mentoring", "sports", "youth_clubs"]
RULES = [MEAN, INDEPENDENT_MARKETS]


def single(line, budget=60_000):
    return {line: budget}


def test_independent_markets_worked_example():
    # Four papers over three lines, budget £1. Shares sorted per line:
    # arts 1, 0.4, 0, 0; sports 1, 1, 0, 0; youth_clubs 0.6, 0, 0, 0.
    # At t = 1/5: arts max(min(1, 1/5), min(2/5, 2/5)) = 2/5; sports max(min(1, 1/5), min(1, 2/5)) = 2/5;
    # youth_clubs min(3/5, 1/5) = 1/5. They add up to 1.
    papers = [{"arts": 100}, {"sports": 100}, {"sports": 100}, {"youth_clubs": 60, "arts": 40}]
    result = count_division(papers, ["arts", "sports", "youth_clubs"], 100, rule=INDEPENDENT_MARKETS)
    assert result.allocation == (40, 40, 20)
    assert result.parameter == ("t", Fraction(1, 5))
    mean = count_division(papers, ["arts", "sports", "youth_clubs"], 100, rule=MEAN)
    assert mean.allocation == (35, 50, 15)
    assert mean.parameter == ("lambda", 0)


def test_proportionality_when_every_voter_backs_one_line():
    papers = [single("arts")] * 5 + [single("sports")] * 3 + [single("youth_clubs")] * 2
    result = count_division(papers, LINES, 60_000, rule=INDEPENDENT_MARKETS)
    assert dict(zip(LINES, result.allocation, strict=True)) == {
        "arts": 30_000,
        "careers": 0,
        "detached": 0,
        "mentoring": 0,
        "sports": 18_000,
        "youth_clubs": 12_000,
    }
    assert result.parameter == ("t", Fraction(1, 10))


@pytest.mark.parametrize("rule", RULES)
def test_unanimous_papers_are_returned_unchanged(rule):
    paper = {
        "arts": 12_345,
        "careers": 0,
        "detached": 20_000,
        "mentoring": 7_655,
        "sports": 15_000,
        "youth_clubs": 5_000,
    }
    result = count_division([paper] * 7, LINES, 60_000, rule=rule)
    assert dict(zip(LINES, result.allocation, strict=True)) == paper
    assert result.extra_penny == ()


@pytest.mark.parametrize("rule", RULES)
def test_equal_remainders_share_the_pennies_by_the_tie_break(rule):
    papers = [single("arts", 100), single("sports", 100), single("youth_clubs", 100)]
    lines = ["arts", "sports", "youth_clubs"]
    result = count_division(papers, lines, 100, rule=rule)
    assert result.exact == (Fraction(100, 3),) * 3
    assert result.allocation == (34, 33, 33)
    assert result.extra_penny == ("arts",)
    lot = TieBreak("lot", "seed-for-pennies")
    by_lot = count_division(papers, lines, 100, rule=rule, tie_break=lot)
    assert by_lot.extra_penny == (lot.pick(lines),)
    assert sum(by_lot.allocation) == 100


def test_largest_remainder_goes_first():
    # Means 100/3 * (2, 1, 0) + ... : exact 66.67, 33.33 -> 67, 33.
    papers = [{"arts": 100}, {"arts": 100}, {"sports": 100}]
    result = count_division(papers, ["arts", "sports"], 100, rule=MEAN)
    assert result.allocation == (67, 33)
    assert result.extra_penny == ("arts",)


def test_mean_is_projected_onto_floors_and_ceilings_by_water_filling():
    papers = [{"arts": 90, "sports": 10}, {"arts": 70, "sports": 20, "youth_clubs": 10}]
    lines = ["arts", "sports", "youth_clubs"]
    # Means 80, 15, 5. Ceiling arts 50 and floor youth_clubs 20: lambda = 15 lifts sports to 30.
    result = count_division(papers, lines, 100, rule=MEAN, floors={"youth_clubs": 20}, ceilings={"arts": 50})
    assert result.means == (80, 15, 5)
    assert result.parameter == ("lambda", 15)
    assert result.allocation == (50, 30, 20)


def test_independent_markets_clamps_and_lifts_lines_past_t_equals_one():
    # Three papers all-arts and one all-sports; both capped at 30: youth_clubs is lifted to the rest.
    papers = [{"arts": 100}] * 3 + [{"sports": 100}]
    lines = ["arts", "sports", "youth_clubs"]
    result = count_division(papers, lines, 100, rule=INDEPENDENT_MARKETS, ceilings={"arts": 30, "sports": 30})
    assert result.allocation == (30, 30, 40)
    assert result.parameter == ("t", Fraction(7, 5))
    # With a floor instead: min(1, 3t) + min(1, t) + 1/10 = 1 at t = 9/40, so arts 67.5 and sports 22.5;
    # the half pennies are equal remainders, so the tie-break gives arts the extra penny.
    floored = count_division(papers, lines, 100, rule=INDEPENDENT_MARKETS, floors={"youth_clubs": 10})
    assert floored.exact == (Fraction(135, 2), Fraction(45, 2), 10)
    assert floored.allocation == (68, 22, 10)


@pytest.mark.parametrize("rule", RULES)
def test_result_is_canonical_and_hashed(rule):
    papers = [{"arts": 333, "sports": 667}, {"arts": 1000}, {"youth_clubs": 500, "sports": 500}]
    data = count_division(papers, ["arts", "sports", "youth_clubs"], 1000, rule=rule).as_dict()
    assert data["method"] == f"budget_division/{rule}"
    assert sum(data["allocation"].values()) == 1000
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})


@pytest.mark.parametrize(
    ("paper", "message"),
    [
        ({"arts": 50, "bingo": 50}, "not on the ballot: bingo"),
        ({"arts": 50, "sports": 49}, "adds up to 99 pence; the amounts must add up to the budget, 100"),
        ({"arts": 150, "sports": -50}, "gives sports -50"),
        ({"arts": 50.0, "sports": 50}, "gives arts 50.0"),
        ({"arts": True, "sports": 99}, "gives arts True"),
        ([("arts", 100)], "must map each line"),
    ],
)
def test_invalid_papers_name_the_rule(paper, message):
    with pytest.raises(DivisionBallotError, match=message):
        validate_division_ballot(paper, ["arts", "sports"], 100)
    with pytest.raises(DivisionBallotError, match=f"ballot 2 .*{message}"):
        count_division([{"arts": 100}, paper], ["arts", "sports"], 100, rule=MEAN)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "median"}, "unknown budget-division rule"),
        ({"budget": 0}, "more than 0"),
        ({"floors": {"arts": 60}, "ceilings": {"arts": 50}}, "floor for arts \\(60\\) is above its ceiling \\(50\\)"),
        ({"floors": {"arts": 60, "sports": 50}}, "floors add up to 110 pence, more than the budget of 100"),
        ({"ceilings": {"arts": 40, "sports": 50}}, "ceilings add up to 90 pence, less than the budget of 100"),
        ({"floors": {"bingo": 1}}, "floors name lines that are not on the ballot: bingo"),
        ({"ceilings": {"arts": 10.5}}, "whole pence"),
        ({"ballots": []}, "no ballots"),
        ({"lines": ["arts", "arts"]}, "distinct"),
    ],
)
def test_bad_configuration_is_refused(kwargs, message):
    args = {"ballots": [{"arts": 100}], "lines": ["arts", "sports"], "budget": 100, "rule": MEAN} | kwargs
    with pytest.raises(ValueError, match=message):
        count_division(args.pop("ballots"), args.pop("lines"), args.pop("budget"), **args)


def test_the_mean_can_be_manipulated_but_independent_markets_cannot_here():
    # The honest voter wants 50/50; the others want all-arts. Exaggerating to all-sports pulls the mean closer.
    others = [{"arts": 100}, {"arts": 100}]
    honest, lie = {"arts": 50, "sports": 50}, {"sports": 100}
    lines = ["arts", "sports"]

    def distance(rule, paper):
        exact = count_division([*others, paper], lines, 100, rule=rule).exact
        return abs(exact[0] - 50) + abs(exact[1] - 50)

    assert distance(MEAN, lie) < distance(MEAN, honest)
    assert distance(INDEPENDENT_MARKETS, lie) >= distance(INDEPENDENT_MARKETS, honest)


def test_exact_sorting_survives_fractions_that_floats_cannot_tell_apart():
    close_pair = [Fraction(10**20 + 1, 3 * 10**20), Fraction(1, 3), Fraction(10**20 - 1, 3 * 10**20)]
    assert float(close_pair[0]) == float(close_pair[1]) == float(close_pair[2])
    assert exact_sorted([*close_pair, Fraction(1, 3)]) == sorted(close_pair)
    assert exact_sorted(close_pair, reverse=True) == sorted(close_pair, reverse=True)


def test_smallest_root_is_exact_and_takes_the_left_end_of_a_flat():
    def f(x):
        return min(3 * x, max(Fraction(1), 2 * x))  # 3x up to 1/3, flat at 1 until 1/2, then 2x

    assert smallest_root(f, [Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(1)], Fraction(1)) == Fraction(1, 3)
    assert smallest_root(f, [Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(1)], Fraction(3, 2)) == Fraction(
        3, 4
    )
    with pytest.raises(ValueError):
        smallest_root(f, [Fraction(0), Fraction(1)], Fraction(5))
