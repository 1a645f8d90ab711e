"""Ranked papers: validation, withdrawn candidates, merging of identical papers."""

import pytest

from app.voting.methods.ranked import RankedBallotError, RankedBallots, count_stv_scottish


def test_identical_papers_are_merged_and_order_is_kept():
    ballots = RankedBallots.from_rankings(["A", "B", "C"], [("B", "A"), ("A",), ("B", "A"), ("C", "A", "B")])
    assert ballots.rankings == ((1, 0), (0,), (2, 0, 1))
    assert ballots.counts == (2, 1, 1)
    assert ballots.total == 4
    assert ballots.matrix.ranks.tolist() == [[1, 0, 3], [0, 3, 3], [2, 0, 1]]


def test_counts_may_be_given_as_pairs_that_repeat():
    ballots = RankedBallots.from_counts(["A", "B"], [(("A", "B"), 2), (["A", "B"], 3), (("B",), 1)])
    assert dict(zip(ballots.rankings, ballots.counts, strict=True)) == {(0, 1): 5, (1,): 1}


def test_withdrawn_candidates_are_struck_out_and_empty_papers_set_aside():
    ballots = RankedBallots.from_rankings(["A", "B", "C"], [("B", "A"), ("B",), ("A", "B", "C"), ()], withdrawn=["B"])
    assert ballots.candidates == ("A", "C")
    assert ballots.withdrawn == ("B",)
    assert dict(zip(ballots.rankings, ballots.counts, strict=True)) == {(0,): 1, (0, 1): 1}
    assert ballots.empty == 2  # ("B",) after striking B, and the blank paper
    result = count_stv_scottish(ballots, 1)
    assert result.valid_papers == 2
    assert result.as_dict()["withdrawn"] == ["B"]


@pytest.mark.parametrize(
    ("papers", "message"),
    [
        ([("A", "Z")], "ranks 'Z', who is not a candidate"),
        ([("A", "B", "A")], "ranks 'A' more than once"),
        (["AB"], "must be a sequence of candidate ids"),
        ([None], "must be a sequence of candidate ids"),
    ],
)
def test_bad_papers_are_refused_with_the_reason(papers, message):
    with pytest.raises(RankedBallotError, match=message):
        RankedBallots.from_rankings(["A", "B"], papers)


@pytest.mark.parametrize("number", [0, -2, 1.5, True, "3"])
def test_paper_counts_must_be_positive_whole_numbers(number):
    with pytest.raises(RankedBallotError, match="positive whole number"):
        RankedBallots.from_counts(["A"], {("A",): number})


@pytest.mark.parametrize(
    ("candidates", "withdrawn", "message"),
    [
        ([], (), "at least one candidate"),
        (["A", "A"], (), "distinct"),
        (["A", ""], (), "non-empty strings"),
        (["A", 2], (), "non-empty strings"),
        (["A"], ("B",), "withdrawn candidates are not candidates: B"),
    ],
)
def test_bad_candidate_lists_are_refused(candidates, withdrawn, message):
    with pytest.raises(RankedBallotError, match=message):
        RankedBallots.from_rankings(candidates, [], withdrawn=withdrawn)
