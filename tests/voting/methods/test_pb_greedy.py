from decimal import Decimal
from fractions import Fraction

import pytest

from app.voting.methods.canonical import result_hash
from app.voting.methods.pb import ApprovalElection, PBInputError, greedy
from app.voting.methods.ties import TieBreak

# Budget 10. park (6) has 3 approvals, bench (1) 2, mural (4) 2, lights (3) 1, free (0) 1, kiosk (2) none.
COSTS = {"park": 6, "bench": 1, "mural": 4, "lights": 3, "free": 0, "kiosk": 2}
BALLOTS = [{"park", "bench"}, {"park", "mural"}, {"park", "mural", "free"}, {"bench", "lights"}, set()]


def election():
    return ApprovalElection.from_ballots(10, COSTS, BALLOTS)


def test_cost_utility_funds_most_approved_first_and_free_projects_last():
    result = greedy(election(), utility="cost")
    # park (3), then bench/mural tie at 2 -> lexicographic: bench, mural (4 > 3 left: skipped), lights (3 fits),
    # kiosk (no approvals, 2 > 0 left: skipped), free (scores 0: last, always fits).
    assert result.selected == ("park", "bench", "lights", "free")
    assert result.spent == 10
    mural = next(r for r in result.rounds if r["project"] == "mural")
    assert mural == {
        "project": "mural",
        "cost": 4,
        "approvals": 2,
        "score": 2,
        "funded": False,
        "skipped": "over_budget",
        "remaining": 3,
    }
    assert [r["project"] for r in result.rounds] == ["park", "bench", "mural", "lights", "free", "kiosk"]


def test_cardinality_utility_funds_value_for_money():
    result = greedy(election(), utility="cardinality")
    # free: infinite; bench 2/1; mural 2/4; park 3/6 (tie with mural -> lexicographic: mural); lights 1/3; kiosk 0.
    assert [r["project"] for r in result.rounds] == ["free", "bench", "mural", "park", "lights", "kiosk"]
    assert result.rounds[0]["score"] == "infinite"
    assert result.selected == ("free", "bench", "mural", "lights", "kiosk")


def test_consul_approvals_order_funds_what_cost_utility_funds():
    consul = greedy(election(), utility="approvals")
    assert [r["project"] for r in consul.rounds] == ["park", "bench", "mural", "free", "lights", "kiosk"]
    assert consul.selected == ("park", "bench", "free", "lights")
    assert set(consul.selected) == set(greedy(election(), utility="cost").selected)


def test_a_project_over_the_whole_budget_is_skipped():
    result = greedy(ApprovalElection.from_ballots(5, {"big": 6, "small": 2}, [{"big"}, {"big"}, {"small"}]))
    assert result.selected == ("small",)
    assert result.rounds[0]["skipped"] == "over_budget"


def test_ties_follow_the_seeded_lot():
    tied = ApprovalElection.from_ballots(4, {"a": 4, "b": 4, "c": 4}, [{"a", "b", "c"}])
    winners = {greedy(tied, tie_break=TieBreak("lot", f"s{i}")).selected for i in range(30)}
    assert winners == {("a",), ("b",), ("c",)}
    lot = TieBreak("lot", "published")
    result = greedy(tied, tie_break=lot)
    assert result.selected == (lot.pick("abc"),)
    assert result.as_dict()["tie_break"] == {"rule": "lot", "seed": "published"}


def test_lexicographic_order_is_plain_string_order_as_in_pabutools():
    # "p10" sorts before "p9" (not natural order), "B" before "a" (code points).
    tied = ApprovalElection.from_ballots(1, {"p9": 1, "p10": 1, "a": 1, "B": 1}, [{"p9", "p10", "a", "B"}])
    assert greedy(tied).selected == ("B",)
    tied = ApprovalElection.from_ballots(1, {"p9": 1, "p10": 1}, [{"p9", "p10"}])
    assert greedy(tied).selected == ("p10",)


def test_result_is_canonical_and_hashed():
    data = greedy(election()).as_dict()
    assert data["method"] == "pb_greedy"
    assert data["rules_version"] == "pb-greedy/1"
    assert data["utility"] == "cost"
    assert data["budget"] == "10"
    assert data["selected"] == ["park", "bench", "lights", "free"]
    assert data["details"] == {"voters": 5, "projects": 6}
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})
    assert greedy(election()).as_dict() == data


def test_weighted_and_one_by_one_ballots_agree():
    weighted = ApprovalElection.from_weighted(10, COSTS, [(frozenset({"park"}), 3), (["bench"], 2), ([], 1)])
    plain = ApprovalElection.from_ballots(10, COSTS, [{"park"}] * 3 + [{"bench"}] * 2 + [set()])
    assert weighted == plain
    assert weighted.n_voters == 6
    assert greedy(weighted).as_dict() == greedy(plain).as_dict()


def test_money_may_be_decimal_fraction_or_text():
    costs = {"a": Decimal("2.5"), "b": Fraction(7, 2), "c": "1.25", "d": "3/4"}
    result = greedy(ApprovalElection.from_ballots("6.25", costs, [{"a", "b", "c", "d"}]))
    assert result.budget == Fraction(25, 4)
    assert result.selected == ("a", "b")  # then 1/4 is left: neither c (5/4) nor d (3/4) fits
    assert result.spent == 6
    assert result.rounds[-1]["remaining"] == Fraction(1, 4)


@pytest.mark.parametrize(
    ("budget", "costs", "ballots", "message"),
    [
        (10.0, {"a": 1}, [], "the budget must be exact"),
        (10, {"a": 1.5}, [], "the cost of project a must be exact"),
        (10, {"a": -1}, [], "must not be negative"),
        ("ten", {"a": 1}, [], "the budget is not an amount"),
        (10, {"": 1}, [], "non-empty strings"),
        (10, {"a": 1}, [{"b"}], "not on the list: b"),
        (10, {"a": 1}, [["a", "a"]], "ballot 1 approves the same project more than once"),
        (10, {"a": 1}, [{"a"}, "a"], "ballot 2 must be a collection"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(budget, costs, ballots, message):
    with pytest.raises(PBInputError, match=message):
        ApprovalElection.from_ballots(budget, costs, ballots)


def test_unknown_greedy_utility_is_refused():
    with pytest.raises(PBInputError, match="unknown greedy utility"):
        greedy(election(), utility="welfare")
