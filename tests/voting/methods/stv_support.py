"""Shared helpers for the ranked-count tests: random elections and the conservation check."""

from __future__ import annotations

import random

from app.voting.methods.ranked import RankedBallots, RankedResult


def units(decimal: str) -> int:
    """A decimal string from a result table as an integer count of its smallest unit."""
    return int(decimal.replace(".", ""))


def assert_conserved(result: RankedResult) -> None:
    """At every stage, the candidates' votes plus the non-transferable total are the valid vote."""
    valid = result.valid_papers * 10**result.PRECISION
    for stage in result.stages:
        held = sum(units(v) for v in stage.votes)
        assert held + units(stage.non_transferable_total) == valid, f"stage {stage.number} leaks value"
        moved = sum(units(t) for t in stage.transfers)
        assert moved + units(stage.non_transferable) == (valid if stage.number == 1 else 0)


def rule_decided_ties(result: RankedResult) -> list:
    """Ties that earlier stages did not settle (decided by the lexicographic rule or the lot)."""
    return [t for s in result.stages for t in s.ties if t.by != "earlier stage"]


def random_election(rng: random.Random, *, min_papers=20, max_papers=300, max_candidates=8, max_seats=3):
    """Candidates, seats and papers: candidates with uneven popularity, truncated rankings."""
    n = rng.randint(3, max_candidates)
    seats = rng.randint(1, max_seats)
    names = [f"c{i}" for i in range(n)]
    weight = [rng.random() ** 2 + 0.05 for _ in range(n)]
    papers = []
    for _ in range(rng.randint(min_papers, max_papers)):
        order = sorted(range(n), key=lambda c: -weight[c] * rng.random())
        papers.append(tuple(names[c] for c in order[: rng.randint(1, n)]))
    return names, seats, papers


def ballots_of(names, papers) -> RankedBallots:
    return RankedBallots.from_rankings(names, papers)


def pref_voting_profile(ballots: RankedBallots):
    """The same merged papers as a pref_voting ProfileWithTies over candidate indices."""
    from pref_voting.profiles_with_ties import ProfileWithTies

    return ProfileWithTies(
        [{c: rank for rank, c in enumerate(r, start=1)} for r in ballots.rankings],
        rcounts=list(ballots.counts),
        candidates=list(range(len(ballots.candidates))),
    )
