import random
from fractions import Fraction

import pabutools.fractions
import pytest

from app.voting.methods.canonical import result_hash
from app.voting.methods.pb import ApprovalElection, PBInputError, equal_shares
from app.voting.methods.ties import TieBreak
from tests.voting.methods.pb_instances import oracle

# Four voters, budget 4 (a share of 1 each). C (2) is wanted by everyone, A (3) by v1-v3, B (1) by v4.
HAND = ApprovalElection.from_ballots(4, {"A": 3, "B": 1, "C": 2}, [{"A", "C"}, {"A", "C"}, {"A", "C"}, {"B", "C"}])


@pytest.mark.parametrize("utility", ["cost", "cardinality"])
def test_plain_equal_shares_by_hand(utility):
    result = equal_shares(HAND, utility=utility)
    # C costs each voter 1/2 (rho 1/2, or 1/4 per unit of cost); then A's supporters hold 3/2 < 3 and
    # B's 1/2 < 1: nothing else is affordable.
    assert result.selected == ("C",)
    (step,) = result.as_dict()["rounds"]
    assert step == {
        "phase": "equal_shares",
        "project": "C",
        "cost": "2",
        "supporters": 4,
        "price_per_voter": "1/2",
        "rho": "1/2" if utility == "cardinality" else "1/4",
        "supporters_paying_less": 0,
        "voters_with_money_left": 4,
        "money_left": "2",
    }
    assert result.details["share"] == Fraction(1)


def test_greedy_completion_funds_what_still_fits():
    result = equal_shares(HAND, utility="cost", completion="greedy")
    assert result.selected == ("C", "B")  # A (3) does not fit in the 2 left; B does
    assert result.details["equal_shares_selected"] == ["C"]
    assert [r["phase"] for r in result.rounds] == ["equal_shares", "greedy", "greedy"]


def test_add1_keeps_the_last_pass_within_budget_then_fills_greedily():
    result = equal_shares(HAND, utility="cardinality", completion="add1")
    # Pass 1 (share 1): {C}, not exhaustive (B fits). Pass 2 (share 2): C, then A and B tie at rho 1 ->
    # A (lexicographic), then B: costs 6 > 4, so pass 1 is kept; greedy then adds B.
    assert result.details["passes"] == 2
    assert result.details["share"] == 1
    assert result.selected == ("C", "B")
    assert pabutools_outcome(HAND, "mes_add1", "cardinality") == ["C", "B"]


def test_add1_raises_shares_while_the_outcome_fits():
    election = ApprovalElection.from_ballots(
        12, {"a": 6, "b": 4, "c": 5}, [{"a"}, {"a"}, {"a", "b"}, {"b"}, {"c"}, {"c"}]
    )
    plain = equal_shares(election)
    add1 = equal_shares(election, completion="add1")
    # Shares of 2: a (rho 1/3) drains v1-v3; b's supporters then hold 2 < 4 and c's hold 4 < 5.
    assert plain.selected == ("a",)
    # Shares of 3: a, then c (rho 1/2), then b (v3 pays its last 1, v4 pays 3): 15 > 12, so the shares of 2
    # are kept and greedy adds b (2 approvals, tied with c, first by id; 4 fits in the 6 left, then c does not).
    assert add1.details["passes"] == 2
    assert add1.details["share"] == 2
    assert add1.selected == ("a", "b")
    assert list(add1.selected) == pabutools_outcome(election, "mes_add1", "cost")


def test_a_voter_holding_exactly_the_price_ends_with_nothing():
    election = ApprovalElection.from_ballots(10, {"A": 10}, [{"A"}, {"A"}])
    result = equal_shares(election, utility="cardinality")
    assert result.selected == ("A",)
    assert result.as_dict()["rounds"][0]["price_per_voter"] == "5"
    assert result.as_dict()["rounds"][0]["supporters_paying_less"] == 0
    assert result.as_dict()["rounds"][0]["voters_with_money_left"] == 0
    assert result.as_dict()["rounds"][0]["money_left"] == "0"


def test_poorer_supporters_pay_what_they_have():
    # Shares of 3. X (4) and Y (4) both cost their two supporters 2 each: X first by id, leaving v1 with 1.
    # Then Y: v1 pays its last 1 and v3 pays 3.
    election = ApprovalElection.from_ballots(9, {"X": 4, "Y": 4}, [{"X", "Y"}, {"X"}, {"Y"}])
    result = equal_shares(election, utility="cardinality")
    assert result.selected == ("X", "Y")
    second = result.as_dict()["rounds"][1]
    assert second["price_per_voter"] == "3"
    assert second["supporters_paying_less"] == 1
    assert second["voters_with_money_left"] == 1  # v2 keeps 1


def test_free_projects_are_funded_first_with_cardinality_only():
    election = ApprovalElection.from_ballots(2, {"free": 0, "paid": 2, "lonely": 0}, [{"free", "paid"}, {"paid"}])
    card = equal_shares(election, utility="cardinality")
    assert card.selected == ("free", "paid")
    assert card.as_dict()["rounds"][0] == {
        "phase": "equal_shares",
        "project": "free",
        "free": True,
        "cost": "0",
        "supporters": 1,
        "price_per_voter": "0",
        "rho": "0",
        "supporters_paying_less": 0,
        "voters_with_money_left": 2,
        "money_left": "2",
    }
    # Cost utility: a free project brings no cost-satisfaction, so MES ignores it; greedy funds it.
    assert equal_shares(election, utility="cost").selected == ("paid",)
    assert equal_shares(election, utility="cost", completion="greedy").selected == ("paid", "free", "lonely")


def test_projects_nobody_approves_are_never_funded_by_mes():
    election = ApprovalElection.from_ballots(100, {"wanted": 10, "unwanted": 1}, [{"wanted"}])
    assert equal_shares(election).selected == ("wanted",)
    assert equal_shares(election, completion="add1").selected == ("wanted", "unwanted")


def test_no_ballots_funds_nothing_but_greedy_still_fills():
    election = ApprovalElection.from_ballots(5, {"b": 3, "a": 3, "c": 2}, [])
    assert equal_shares(election).selected == ()
    assert equal_shares(election, completion="add1").selected == ("a", "c")


def test_blank_papers_take_a_share_they_never_spend():
    with_blanks = ApprovalElection.from_ballots(6, {"x": 5}, [{"x"}, {"x"}, set()])
    without = ApprovalElection.from_ballots(6, {"x": 5}, [{"x"}, {"x"}])
    assert equal_shares(without).selected == ("x",)  # shares of 3: 6 >= 5
    assert equal_shares(with_blanks).selected == ()  # shares of 2: 4 < 5
    assert pabutools_outcome(with_blanks, "mes", "cost") == []


def test_exact_ties_follow_the_tie_break():
    election = ApprovalElection.from_ballots(3, {"p9": 3, "p10": 3, "a3": 3}, [{"p9", "p10", "a3"}] * 3)
    assert equal_shares(election).selected == ("a3",)
    lot = TieBreak("lot", "seed")
    assert equal_shares(election, tie_break=lot).selected == (lot.pick(["p9", "p10", "a3"]),)
    outcomes = {equal_shares(election, tie_break=TieBreak("lot", str(i))).selected for i in range(30)}
    assert outcomes == {("p9",), ("p10",), ("a3",)}


def test_prices_floats_cannot_separate_are_decided_exactly():
    # Three voters with shares of 1.5 * 10**17 approve both; after either, the other is unaffordable.
    # Prices per voter: "a" 10**17 + 1, "b" 10**17 -- equal as floats.
    big = 3 * 10**17
    election = ApprovalElection.from_ballots(3 * big // 2, {"a": big + 3, "b": big}, [{"a", "b"}] * 3)
    result = equal_shares(election, utility="cardinality")
    assert result.selected == ("b",)
    assert result.as_dict()["rounds"][0]["price_per_voter"] == str(10**17)
    assert pabutools_outcome(election, "mes", "cardinality") == ["b"]
    # pabutools in float mode sees a tie and takes "a": the trap this engine avoids.
    pabutools.fractions.FRACTION = "float"
    try:
        assert pabutools_outcome(election, "mes", "cardinality") == ["a"]
    finally:
        pabutools.fractions.FRACTION = "gmpy2"


def test_near_equal_poor_voter_money_is_classed_exactly():
    # Voters left with money within a few units of a price, at scales of 10**14-10**18.
    rng = random.Random(7)
    for _ in range(40):
        scale = 10 ** rng.randint(14, 18)
        costs = {"X": 2 * scale, "Y": 3 * scale + rng.randint(-3, 3), "Z": scale + rng.randint(-3, 3)}
        ballots = [{"X", "Y"}, {"X", "Z"}, {"Y"}, {"Y", "Z"}, {"Z"}]
        election = ApprovalElection.from_ballots(5 * scale + rng.randint(0, 4), costs, ballots)
        for utility in ("cost", "cardinality"):
            ours = list(equal_shares(election, utility=utility).selected)
            assert ours == pabutools_outcome(election, "mes", utility)


def test_result_is_canonical_and_hashed():
    data = equal_shares(HAND, completion="add1").as_dict()
    assert data["method"] == "pb_equal_shares"
    assert data["rules_version"] == "pb-mes/1"
    assert data["details"]["completion"] == "add1"
    assert data["details"]["share"] == "1"
    assert data["spent"] == "3"
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})
    assert equal_shares(HAND, completion="add1").as_dict() == data


@pytest.mark.parametrize(("option", "value"), [("utility", "welfare"), ("completion", "add2")])
def test_unknown_options_are_refused(option, value):
    with pytest.raises(PBInputError, match=f"unknown {option}"):
        equal_shares(HAND, **{option: value})


def pabutools_outcome(election, rule, utility):
    ballots = [ballot for ballot, weight in election.ballots for _ in range(weight)]
    return oracle(election.budget, dict(election.costs), ballots, rule=rule, utility=utility, tie_break=TieBreak())


def test_add1_passes_can_be_capped():
    election = ApprovalElection.from_ballots(
        12, {"a": 6, "b": 4, "c": 5}, [{"a"}, {"a"}, {"a", "b"}, {"b"}, {"c"}, {"c"}]
    )
    assert equal_shares(election, completion="add1", max_passes=2).details["passes"] == 2
    with pytest.raises(PBInputError, match="more than 1 passes at shares of 3"):
        equal_shares(election, completion="add1", max_passes=1)
