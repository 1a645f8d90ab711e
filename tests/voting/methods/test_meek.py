"""Meek STV: a hand-worked count, and an independent exact reference on generated elections."""

import math
import random
from collections import Counter
from fractions import Fraction

import pytest

from app.voting.methods.ranked import RankedBallots, count_meek
from app.voting.methods.ties import TieBreak
from tests.voting.methods.stv_support import assert_conserved, ballots_of, random_election


def test_hand_worked_keep_factor_and_dynamic_quota():
    # 13 papers, 2 seats. Round 1: quota = 13/3 = 4.333333333 (truncated) + 0.000000001.
    papers = {("A", "B"): 6, ("B",): 2, ("C", "D"): 3, ("D", "C", "B"): 2}
    result = count_meek(RankedBallots.from_counts("ABCD", papers), 2)
    first, second, third = result.stages
    assert first.votes == ("6.000000000", "2.000000000", "3.000000000", "2.000000000")
    assert first.quota == "4.333333334"
    assert first.elected == ("A",)
    # Round 2: A's keep factor = 4.333333334 / 6 = 0.722222222333..., rounded up: 0.722222223.
    # Each of A's 6 papers keeps 0.722222223 for A and passes 0.277777777 to B.
    assert second.notes["keep_factors"]["A"] == "0.722222223"
    assert second.votes == ("4.333333338", "3.666666662", "3.000000000", "2.000000000")
    assert second.notes["surplus"] == "0.000000004"  # within the 10^-6 tolerance: converged
    assert second.notes["stopped"] == "surplus within tolerance"
    assert second.notes["iterations"] == 2
    # Round 3: D (lowest) is excluded; D's papers go to C, who reaches the quota.
    assert (third.action, third.subject, third.excluded) == ("exclusion", "D", ("D",))
    assert third.votes == ("4.333333338", "3.666666662", "5.000000000", "0.000000000")
    assert third.elected == ("C",)
    assert result.winners == ("A", "C")
    assert result.as_dict()["parameters"] == {"tolerance": "0.000001000", "max_iterations": 5000}
    assert_conserved(result)


def test_quota_falls_as_papers_exhaust():
    # A's surplus passes through to nobody on "A" papers: that value is excess and the quota drops.
    papers = {("A",): 10, ("A", "B"): 2, ("B",): 4, ("C",): 5, ("D",): 3}
    result = count_meek(RankedBallots.from_counts("ABCD", papers), 2)
    quotas = [Fraction(s.quota) for s in result.stages]
    assert quotas[0] == Fraction("8.000000001")
    assert quotas[1] < quotas[0]
    assert Fraction(result.stages[1].non_transferable_total) > 0
    assert_conserved(result)


def _round_up(x: Fraction, scale: int) -> Fraction:
    return Fraction(math.ceil(x * scale), scale)


def reference_meek(names, papers, seats, margin=Fraction(1, 10**4)):
    """Meek's method in exact rationals (keep factors rounded up to 10^-15 to keep them small).

    Returns the winners in order, the excluded in order, and whether any decision was closer
    than ``margin`` (a near-tie, where fixed-point rounding may legitimately decide otherwise).
    """
    merged = Counter(tuple(p) for p in papers if p)
    total = sum(merged.values())
    keep = dict.fromkeys(names, Fraction(1))
    hopeful = list(names)
    elected, excluded = [], []
    close = False

    def distribute():
        votes = dict.fromkeys(names, Fraction(0))
        excess = Fraction(0)
        for ranking, count in merged.items():
            weight = Fraction(1)
            for c in ranking:
                kept = weight * keep[c]
                votes[c] += kept * count
                weight -= kept
                if not weight:
                    break
            excess += weight * count
        return votes, excess

    while len(elected) < seats:
        if len(hopeful) <= seats - len(elected):
            votes, _ = distribute()
            elected += sorted(hopeful, key=lambda c: -votes[c])
            break
        last = None
        while True:
            votes, excess = distribute()
            quota = (total - excess) / (seats + 1)
            reached = [c for c in hopeful if votes[c] > quota]
            close |= any(0 < abs(votes[c] - quota) < margin for c in hopeful)
            if reached:
                break
            surplus = sum((votes[c] - quota for c in elected), Fraction(0))
            if surplus < Fraction(1, 10**9) or (last is not None and surplus >= last):
                break
            last = surplus
            for c in elected:
                keep[c] = _round_up(keep[c] * quota / votes[c], 10**15)
        if reached:
            for c in sorted(reached, key=lambda c: -votes[c]):
                hopeful.remove(c)
                elected.append(c)
            continue
        low = sorted(hopeful, key=lambda c: votes[c])
        close |= votes[low[1]] - votes[low[0]] < margin
        hopeful.remove(low[0])
        excluded.append(low[0])
        keep[low[0]] = Fraction(0)
    return elected, excluded, close


def test_winners_and_exclusions_match_an_exact_reference():
    rng = random.Random(1987)
    compared = 0
    while compared < 120:
        names, seats, papers = random_election(rng, min_papers=15, max_papers=60, max_candidates=6)
        winners, losers, close = reference_meek(names, papers, seats)
        if close:
            continue
        ours = count_meek(ballots_of(names, papers), seats)
        assert_conserved(ours)
        assert set(ours.winners) == set(winners), (names, seats, papers)
        assert ours.excluded == tuple(losers[: len(ours.excluded)])
        compared += 1


@pytest.mark.parametrize("seed", ["a", "b", "c"])
def test_exclusion_ties_follow_the_published_rule(seed):
    papers = {("A",): 5, ("B", "A"): 2, ("C", "A"): 2, ("D",): 4}
    lot = TieBreak("lot", seed)
    result = count_meek(RankedBallots.from_counts("ABCD", papers), 2, tie_break=lot)
    assert result.excluded[0] == lot.order(["B", "C"])[-1]
    exclusion = next(s for s in result.stages if s.excluded)
    assert [t.by for t in exclusion.ties] == ["lot"]


def test_converges_on_a_larger_election_within_the_iteration_limit():
    rng = random.Random(5)
    names, _, papers = random_election(rng, min_papers=2000, max_papers=2000, max_candidates=8)
    result = count_meek(ballots_of(names, papers), 3)
    assert len(result.winners) == 3
    assert all(s.notes["stopped"] != "iteration limit" for s in result.stages)
    assert_conserved(result)
