"""Scottish STV: hand-worked counts with every stage's values asserted exactly."""

import pytest

from app.voting.methods.canonical import canonical_json, result_hash
from app.voting.methods.ranked import RankedBallots, count_stv_scottish
from app.voting.methods.ties import TieBreak
from tests.voting.methods.stv_support import assert_conserved


def count(candidates, papers, seats, **kwargs):
    return count_stv_scottish(RankedBallots.from_counts(candidates, papers), seats, **kwargs)


def table(result):
    """Stage -> (action, subject, votes by candidate, non-transferable that stage, total, elected, excluded)."""
    return [
        (
            s.action,
            s.subject,
            dict(zip(result.candidates, s.votes, strict=True)),
            s.non_transferable,
            s.non_transferable_total,
            s.elected,
            s.excluded,
        )
        for s in result.stages
    ]


def test_first_stage_surplus_then_an_exclusion_chain_with_exhausted_papers():
    # 25 papers, 2 seats: quota = floor(25 / 3) + 1 = 9.
    papers = {
        ("A", "B", "C"): 10,
        ("A", "C"): 4,
        ("A",): 2,
        ("B",): 3,
        ("C", "D"): 3,
        ("D", "E", "B"): 2,
        ("E", "D"): 1,
    }
    result = count("ABCDE", papers, 2)
    assert result.quota == "9.00000"
    assert result.winners == ("A", "B")
    assert result.excluded == ("E", "D")
    v = lambda a, b, c, d, e: dict(zip("ABCDE", (a, b, c, d, e), strict=True))  # noqa: E731
    assert table(result) == [
        # A has 16: elected at the first stage.
        ("first preferences", None, v("16.00000", "3.00000", "3.00000", "2.00000", "1.00000"),
         "0.00000", "0.00000", ("A",), ()),
        # Surplus 7 of 16: every paper of A's moves at 7/16 = 0.43750; the 2 "A only" papers are
        # non-transferable (0.87500); A keeps the quota.
        ("surplus", "A", v("9.00000", "7.37500", "4.75000", "2.00000", "1.00000"),
         "0.87500", "0.87500", (), ()),
        ("exclusion", "E", v("9.00000", "7.37500", "4.75000", "3.00000", "0.00000"),
         "0.00000", "0.87500", (), ("E",)),
        # D's own papers skip excluded E and go to B; the paper D got from E has nowhere to go.
        ("exclusion", "D", v("9.00000", "9.37500", "4.75000", "0.00000", "0.00000"),
         "1.00000", "1.87500", ("B",), ("D",)),
    ]  # fmt: skip
    surplus = result.stages[1].notes
    assert surplus == {
        "surplus": "7.00000",
        "transfer_values": {"1.00000": "0.43750"},
        "non_transferable_papers": "0.87500",
        "lost_to_truncation": "0.00000",
    }
    assert result.stages[1].transfers == ("-7.00000", "4.37500", "1.75000", "0.00000", "0.00000")
    assert_conserved(result)


def test_truncation_loss_and_the_last_vacancy_filled_without_a_quota():
    # 12 papers, 2 seats: quota 5. A's surplus 2 of 7 moves at 2/7 = 0.285714... truncated to 0.28571.
    papers = {("A", "B"): 5, ("A", "C"): 2, ("B",): 1, ("C",): 1, ("D",): 3}
    result = count("ABCD", papers, 2)
    v = lambda a, b, c, d: dict(zip("ABCD", (a, b, c, d), strict=True))  # noqa: E731
    assert table(result) == [
        ("first preferences", None, v("7.00000", "1.00000", "1.00000", "3.00000"), "0.00000", "0.00000", ("A",), ()),
        # B gets 5 x 0.28571 = 1.42855, C 2 x 0.28571 = 0.57142; 0.00003 is lost to truncation.
        ("surplus", "A", v("5.00000", "2.42855", "1.57142", "3.00000"), "0.00003", "0.00003", (), ()),
        # C's papers (1 at 1.00000, 2 at 0.28571) have no further preference.
        ("exclusion", "C", v("5.00000", "2.42855", "0.00000", "3.00000"), "1.57142", "1.57145", (), ("C",)),
        # B excluded; D, the only continuing candidate, fills the last vacancy (rule 52) on 3 votes.
        ("exclusion", "B", v("5.00000", "0.00000", "0.00000", "3.00000"), "2.42855", "4.00000", (), ("B",)),
    ]  # fmt: skip
    assert result.stages[1].notes["lost_to_truncation"] == "0.00003"
    assert result.stages[1].notes["transfer_values"] == {"1.00000": "0.28571"}
    assert result.stages[-1].deemed_elected == ("D",)
    assert result.winners == ("A", "D")
    assert_conserved(result)


def test_later_transfer_values_use_the_value_each_paper_was_received_at():
    # 30 papers, 2 seats: quota 11. A (20) passes 9/20 = 0.45 to B on 20 papers: B = 2 + 9 = 11,
    # elected with no surplus. Then papers carried at 0.45 keep that value when C is excluded.
    papers = {("A", "B", "C"): 20, ("B",): 2, ("C", "A"): 5, ("D",): 3}
    result = count("ABCD", papers, 2)
    assert [s.votes for s in result.stages] == [
        ("20.00000", "2.00000", "5.00000", "3.00000"),
        ("11.00000", "11.00000", "5.00000", "3.00000"),
    ]
    assert result.stages[1].notes["transfer_values"] == {"1.00000": "0.45000"}
    assert result.stages[1].elected == ("B",)
    assert result.winners == ("A", "B")


def test_second_surplus_is_transferred_at_value_times_surplus_over_total():
    # 40 papers, 2 seats: quota 14. A (24) elected; A's surplus 10/24 = 0.41666 goes to B on 24
    # papers: B = 6 + 9.99984 = 15.99984, elected; B's surplus 1.99984 over 15.99984 moves each
    # paper at value x 1.99984 / 15.99984: first-preference papers at 0.12499, A's at 0.05207.
    papers = {("A", "B", "C"): 24, ("B", "C"): 6, ("C",): 4, ("D",): 6}
    result = count("ABCD", papers, 2)
    assert result.stages[1].votes == ("14.00000", "15.99984", "4.00000", "6.00000")
    assert result.stages[1].notes["lost_to_truncation"] == "0.00016"
    assert result.winners == ("A", "B")
    # Both seats are filled at stage 2, so B's surplus is never transferred (rule 48: vacancies remain).
    assert len(result.stages) == 2


def test_surplus_of_a_later_elected_candidate_uses_received_values():
    # 3 seats, 40 papers: quota 11. A (16) elected; A's 5/16 = 0.31250 moves to B on 16 papers
    # (5.00000), B = 9 + 5 = 14 elected; B's surplus 3 over 14 moves each paper at value x 3/14:
    # B's own 9 papers at 0.21428 to D, A's 16 papers at 0.31250 x 3/14 = 0.06696 to C.
    papers = {("A", "B", "C"): 16, ("B", "D"): 9, ("C",): 5, ("D",): 4, ("E",): 6}
    result = count("ABCDE", papers, 3)
    stage = result.stages[2]
    assert (stage.action, stage.subject) == ("surplus", "B")
    assert stage.notes["transfer_values"] == {"1.00000": "0.21428", "0.31250": "0.06696"}
    # D: 4 + 9 x 0.21428 = 5.92852; C: 5 + 16 x 0.06696 = 6.07136; lost 3 - 1.92852 - 1.07136.
    assert stage.votes == ("11.00000", "11.00000", "6.07136", "5.92852", "6.00000")
    assert stage.non_transferable == "0.00012"
    assert_conserved(result)


def test_exclusion_tie_is_resolved_by_the_earlier_stage():
    # 17 papers, 2 seats: quota 6. A has exactly 6 (no surplus). E is excluded; C and D are then
    # level on 3, but at stage 1 C had 2 and D 3, so C is excluded (the lexicographic rule,
    # which would exclude the last of C, D, is not reached).
    papers = {("A",): 6, ("B",): 5, ("C", "B"): 2, ("D", "A"): 3, ("E", "C"): 1}
    result = count("ABCDE", papers, 2)
    assert result.excluded == ("E", "C")
    assert [s.votes for s in result.stages][1] == ("6.00000", "5.00000", "3.00000", "3.00000", "0.00000")
    tie = result.stages[2].ties[0]
    assert tie.as_dict() == {
        "purpose": "exclude",
        "tied": ["C", "D"],
        "chosen": "C",
        "by": "earlier stage",
        "stage": 1,
    }
    # C's own papers go to B (7, elected); the paper C got from E is exhausted.
    assert result.stages[2].votes == ("6.00000", "7.00000", "0.00000", "3.00000", "0.00000")
    assert result.stages[2].non_transferable == "1.00000"
    assert result.winners == ("A", "B")


def test_tie_at_every_stage_is_decided_by_the_published_lot():
    papers = {("A",): 3, ("B", "C"): 2, ("C", "B"): 2}
    seed = "council-42-2026"
    lot = TieBreak("lot", seed)
    # The lot orders B and C best-first; the last is excluded and the other inherits its papers.
    keep, drop = lot.order(["B", "C"])
    result = count("ABC", papers, 1, tie_break=lot)
    assert result.excluded[0] == drop
    assert result.winners == (keep,)
    assert result.stages[1].ties[0].as_dict() == {
        "purpose": "exclude",
        "tied": ["B", "C"],
        "chosen": drop,
        "by": "lot",
        "stage": None,
    }
    assert result.as_dict()["tie_break"] == {"rule": "lot", "seed": seed}
    # The pinned draw for this seed, so a change to the lot is noticed.
    assert (keep, drop) == ("C", "B")
    outcomes = {count("ABC", papers, 1, tie_break=TieBreak("lot", f"s{i}")).winners for i in range(30)}
    assert outcomes == {("B",), ("C",)}


def test_equal_surpluses_are_transferred_in_the_order_of_earlier_stages():
    # 3 seats, 30 papers: quota 8. Excluding E lifts A and B to 9 each at stage 2; at stage 1 A
    # had 7 and B 6, so A is listed first and A's surplus is transferred first.
    papers = {("A", "C"): 7, ("B", "D"): 6, ("C",): 6, ("D",): 6, ("E", "A"): 2, ("E", "B"): 3}
    result = count("ABCDE", papers, 3)
    assert result.stages[1].votes == ("9.00000", "9.00000", "6.00000", "6.00000", "0.00000")
    assert result.stages[1].elected == ("A", "B")
    assert [t.as_dict() for t in result.stages[1].ties] == [
        {"purpose": "election order", "tied": ["A", "B"], "chosen": "A", "by": "earlier stage", "stage": 1}
    ]
    assert [(s.action, s.subject) for s in result.stages[2:4]] == [("surplus", "A"), ("surplus", "B")]
    assert [t.as_dict() for t in result.stages[2].ties] == [
        {"purpose": "surplus order", "tied": ["A", "B"], "chosen": "A", "by": "earlier stage", "stage": 1}
    ]
    # 1/9 = 0.11111 per paper: C gets 7 x 0.11111; the 2 papers from E have no next preference.
    assert result.stages[2].votes == ("8.00000", "9.00000", "6.77777", "6.00000", "0.00000")
    assert result.stages[2].non_transferable == "0.22223"
    assert result.stages[3].votes == ("8.00000", "8.00000", "6.77777", "6.66666", "0.00000")
    assert result.stages[4].excluded == ("D",)
    assert result.stages[4].deemed_elected == ("C",)
    assert result.winners == ("A", "B", "C")
    assert_conserved(result)


def test_candidates_elected_together_are_listed_highest_first():
    papers = {("B",): 8, ("A",): 10, ("C",): 1}
    result = count("ABC", papers, 2)  # quota 7: A (10) and B (8) at stage 1
    assert result.stages[0].elected == ("A", "B")
    assert result.winners == ("A", "B")


def test_fewer_candidates_than_seats_elects_them_all():
    result = count("AB", {("A",): 3, ("B", "A"): 1}, 3)
    assert result.winners == ("A", "B")
    # quota 2: A (3) reaches it; B is deemed elected as the only continuing candidate.
    assert result.stages[0].elected == ("A",)
    assert result.stages[0].deemed_elected == ("B",)


def test_no_valid_papers_still_fills_the_seats_by_the_rule():
    ballots = RankedBallots.from_rankings("ABC", [(), ()])
    result = count_stv_scottish(ballots, 1)
    assert ballots.empty == 2 and result.valid_papers == 0
    assert result.quota == "1.00000"
    assert len(result.winners) == 1
    assert result.as_dict()["empty_papers"] == 2


def test_result_is_canonical_with_a_stable_hash():
    papers = {("A", "B"): 5, ("A", "C"): 2, ("B",): 1, ("C",): 1, ("D",): 3}
    first = count("ABCD", papers, 2).as_dict()
    again = count("ABCD", dict(reversed(list(papers.items()))), 2).as_dict()
    assert canonical_json(first) == canonical_json(again)
    body = {k: v for k, v in first.items() if k != "sha256"}
    assert first["sha256"] == result_hash(body)
    assert first["method"] == "stv-scottish"
    assert first["rules_version"] == "stv-scottish-ssi-2007-42/1"
    assert first["winners"] == ["A", "D"]
    assert first["tie_break"] == {"rule": "lexicographic", "seed": ""}
    assert first["rounds"][1]["votes"] == {"A": "5.00000", "B": "2.42855", "C": "1.57142", "D": "3.00000"}
    seeded = count("ABCD", papers, 2, tie_break=TieBreak("lot", "x")).as_dict()
    assert seeded["sha256"] != first["sha256"]  # the seed is part of what is hashed


@pytest.mark.parametrize("seats", [0, -1, True, "2"])
def test_seats_must_be_a_positive_whole_number(seats):
    with pytest.raises(ValueError, match="seats"):
        count("AB", {("A",): 1}, seats)
