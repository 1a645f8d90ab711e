"""IRV: hand-worked rounds, the known difference from pref_voting on ties, and 500 oracle runs."""

import random

import pytest

from app.voting.methods.ranked import RankedBallots, count_irv, count_meek, count_stv_scottish
from app.voting.methods.ties import TieBreak
from tests.voting.methods.stv_support import (
    assert_conserved,
    ballots_of,
    pref_voting_profile,
    random_election,
    rule_decided_ties,
)


def count(candidates, papers, **kwargs):
    return count_irv(RankedBallots.from_counts(candidates, papers), **kwargs)


def test_majority_of_continuing_papers_after_exclusions_and_exhaustion():
    papers = {("A",): 8, ("B", "C"): 4, ("C", "B"): 5, ("D", "B"): 3, ("D",): 1}
    result = count("ABCD", papers)
    rows = [(s.action, s.subject, s.votes, s.non_transferable_total, s.quota, s.elected) for s in result.stages]
    assert rows == [
        ("first preferences", None, ("8", "4", "5", "4"), "0", "11", ()),
        # B and D level on 4; at no earlier round did they differ: the lexicographic rule keeps B
        # (first in order) and excludes D. D's "D" paper exhausts; 20 papers still count.
        ("exclusion", "D", ("8", "7", "5", "0"), "1", "11", ()),
        ("exclusion", "C", ("8", "12", "0", "0"), "1", "11", ("B",)),
    ]
    assert result.stages[1].ties[0].as_dict() == {
        "purpose": "exclude",
        "tied": ["B", "D"],
        "chosen": "D",
        "by": "lexicographic",
        "stage": None,
    }
    assert result.winners == ("B",)
    assert result.excluded == ("D", "C")
    assert_conserved(result)


def test_first_round_majority_wins_at_once():
    result = count("ABC", {("A",): 6, ("B", "A"): 3, ("C",): 2})
    assert result.winners == ("A",)
    assert len(result.stages) == 1
    assert result.quota == "6"


def test_majority_is_of_the_papers_still_counting():
    # C has 3 of 7 papers; once B's 2 papers exhaust, C's 3 of the 5 still counting are a majority.
    result = count("ABC", {("A",): 2, ("B",): 2, ("C",): 3})
    assert result.winners == ("C",)
    assert [s.quota for s in result.stages] == ["4", "3"]
    assert result.stages[-1].votes == ("2", "0", "3")
    assert result.stages[-1].non_transferable_total == "2"


def test_exclusion_tie_looks_back_then_uses_the_lot():
    # Round 1: A 4, B 2, C 3, D 1. D's paper goes to B: B and C level on 3; at round 1 B had
    # fewer, so B is excluded (the lexicographic rule would have kept B). C then has 5 of 9.
    papers = {("A",): 4, ("B", "C"): 2, ("C", "B"): 3, ("D", "B"): 1}
    result = count("ABCD", papers)
    assert result.excluded == ("D", "B")
    assert result.stages[2].ties[0].as_dict() == {
        "purpose": "exclude",
        "tied": ["B", "C"],
        "chosen": "B",
        "by": "earlier stage",
        "stage": 1,
    }
    assert result.stages[2].votes == ("4", "0", "5", "0")
    assert result.winners == ("C",)
    lot = TieBreak("lot", "irv-seed")
    drawn = count("ABC", {("A",): 2, ("B", "A"): 1, ("C", "A"): 1}, tie_break=lot)
    assert drawn.excluded[0] == lot.order(["B", "C"])[-1]
    assert drawn.stages[1].ties[0].by == "lot"


def test_known_difference_pref_voting_drops_all_tied_lowest_at_once():
    """pref_voting's ``instant_runoff`` removes every candidate tied for fewest votes together;
    the rules here exclude one (earlier rounds, then the published rule). On this profile that
    changes the winner: pref_voting removes B and C and elects A; we exclude C (the last in
    lexicographic order), whose papers elect B."""
    iterative = pytest.importorskip("pref_voting.iterative_methods")
    ballots = RankedBallots.from_counts("ABC", {("A",): 4, ("B", "C"): 3, ("C", "B"): 3})
    assert iterative.instant_runoff(pref_voting_profile(ballots)) == [0]
    assert count_irv(ballots).winners == ("B",)


def test_winner_matches_pref_voting_instant_runoff_on_500_elections():
    iterative = pytest.importorskip("pref_voting.iterative_methods")
    rng = random.Random(1948)
    compared = 0
    while compared < 500:
        names, _, papers = random_election(rng, max_papers=150)
        ballots = ballots_of(names, papers)
        ours = count_irv(ballots)
        assert_conserved(ours)
        if any(s.ties for s in ours.stages):  # pref_voting would drop the tied candidates together
            continue
        theirs = iterative.instant_runoff(pref_voting_profile(ballots))
        assert theirs == [names.index(ours.winners[0])], (names, papers)
        compared += 1


def test_one_seat_stv_and_meek_elect_the_irv_winner():
    rng = random.Random(7)
    for _ in range(150):
        names, _, papers = random_election(rng, max_papers=120)
        ballots = ballots_of(names, papers)
        tie_break = TieBreak("lot", str(rng.random()))
        irv = count_irv(ballots, tie_break=tie_break)
        assert count_stv_scottish(ballots, 1, tie_break=tie_break).winners == irv.winners
        meek = count_meek(ballots, 1, tie_break=tie_break)
        assert meek.winners == irv.winners
        assert meek.excluded == irv.excluded[: len(meek.excluded)]
        assert not rule_decided_ties(irv) or rule_decided_ties(meek) or len(meek.excluded) < len(irv.excluded)
