from fractions import Fraction

import pytest

from app.voting.methods.canonical import result_hash
from app.voting.methods.resolutions import Proxy, ResolutionRules, count_resolution

SIMPLE = ResolutionRules("simple_majority")
TWO_THIRDS = ResolutionRules("two_thirds")
SPECIAL = ResolutionRules("three_quarters")


def count(rules, votes_for, against, abstain=0, members=1000, **kw):
    return count_resolution(
        rules, members=members, votes_for=votes_for, votes_against=against, abstentions=abstain, **kw
    )


@pytest.mark.parametrize("k", range(1, 40))
@pytest.mark.parametrize("abstain", [0, 1, 5])
def test_two_thirds_boundary(k, abstain):
    passed = count(TWO_THIRDS, 2 * k, k, abstain)
    assert passed.outcome == "passed"
    assert passed.threshold["inequality"] == f"3 * {2 * k} >= 2 * {3 * k}"
    failed = count(TWO_THIRDS, 2 * k - 1, k, abstain)
    assert failed.outcome == "failed"
    assert failed.threshold["inequality"] == f"3 * {2 * k - 1} < 2 * {3 * k - 1}"


@pytest.mark.parametrize("k", range(1, 40))
def test_three_quarters_boundary_for_a_special_resolution(k):
    assert count(SPECIAL, 3 * k, k).outcome == "passed"
    assert count(SPECIAL, 3 * k - 1, k).outcome == "failed"
    assert count(SPECIAL, 3 * k, k + 1).outcome == "failed"


@pytest.mark.parametrize("k", range(0, 40))
def test_simple_majority_needs_more_for_than_against(k):
    assert count(SIMPLE, k, k, 3).outcome == "failed"  # a tie fails
    assert count(SIMPLE, k + 1, k, 3).outcome == "passed"
    assert count(SIMPLE, k + 1, k).threshold["inequality"] == f"2 * {k + 1} > 1 * {2 * k + 1}"


def test_exhaustive_small_counts_match_exact_fractions():
    for name, share, strict in [("simple_majority", Fraction(1, 2), True), ("two_thirds", Fraction(2, 3), False)]:
        for base in ("votes_cast", "present"):
            rules = ResolutionRules(name, base)
            for f in range(13):
                for a in range(13):
                    for x in range(5):
                        total = f + a if base == "votes_cast" else f + a + x
                        expected = total > 0 and (Fraction(f, total) > share if strict else Fraction(f, total) >= share)
                        got = count(rules, f, a, x).outcome
                        assert got == ("passed" if expected else "failed"), (name, base, f, a, x)


@pytest.mark.parametrize("quorum", range(1, 15))
def test_quorum_minus_one_is_inquorate_whatever_the_votes(quorum):
    rules = ResolutionRules("simple_majority", quorum_count=quorum)
    for votes_for in range(quorum):
        for against in range(quorum - votes_for):
            abstain = quorum - 1 - votes_for - against
            result = count(rules, votes_for, against, abstain, members=50)
            assert result.outcome == "inquorate"
            assert result.quorum["inequality"] == f"{quorum - 1} < {quorum}"
    assert count(rules, quorum, 0, members=50).outcome == "passed"


def test_abstentions_count_towards_quorum_but_not_votes_cast():
    rules = ResolutionRules("two_thirds", quorum_count=10)
    result = count(rules, 4, 2, 4, members=40)
    assert result.outcome == "passed"
    assert result.quorum["present"] == 10
    assert result.threshold["base_count"] == 6


def test_base_present_counts_abstentions_against_the_motion():
    rules = ResolutionRules("two_thirds", "present")
    assert count(rules, 4, 2, 0).outcome == "passed"
    assert count(rules, 4, 2, 1).outcome == "failed"
    assert count(rules, 4, 2, 0, present_in_person=7).outcome == "failed"


def test_quorum_as_a_share_rounds_up():
    rules = ResolutionRules("simple_majority", quorum_share=Fraction(1, 10))
    assert count(rules, 10, 0, members=95).outcome == "passed"
    inquorate = count(rules, 9, 0, members=95)
    assert inquorate.outcome == "inquorate"
    assert inquorate.quorum["required"] == 10
    assert inquorate.quorum["rule"] == "max(0, ceil(1/10 * 95))"
    both = ResolutionRules("simple_majority", quorum_count=20, quorum_share=Fraction(1, 10))
    assert count(both, 19, 0, members=95).quorum["required"] == 20


def test_proxies_over_the_cap_are_invalid_and_reported():
    rules = ResolutionRules("two_thirds", quorum_count=8, proxy_cap=2)
    proxies = [
        Proxy("m1", "chair", "for"),
        Proxy("m2", "chair", "for"),
        Proxy("m3", "chair", "for"),  # over the cap
        Proxy("m4", "secretary", "against"),
        Proxy("m4", "chair", "for"),  # second appointment by m4
        Proxy("m5", "m5", "for"),  # own proxy
    ]
    result = count(rules, 3, 2, 0, members=20, proxies=proxies)
    assert result.votes == {"for": 5, "against": 3, "abstain": 0}
    assert result.proxy_votes == {"for": 2, "against": 1, "abstain": 0}
    assert [(p["member"], p["reason"]) for p in result.invalid_proxies] == [
        ("m3", "the holder already held 2 proxies, the most allowed"),
        ("m4", "the member had already appointed a proxy"),
        ("m5", "a member cannot hold their own proxy"),
    ]
    assert result.quorum["present"] == 8
    assert result.outcome == "failed"  # 3 * 5 < 2 * 8


def test_proxies_not_present_do_not_make_quorum():
    rules = ResolutionRules("simple_majority", quorum_count=5, proxies_count_as_present=False)
    result = count(rules, 3, 0, 0, members=20, proxies=[Proxy(f"m{i}", "chair", "for") for i in range(4)])
    assert result.outcome == "inquorate"
    assert result.votes["for"] == 7
    no_proxies = ResolutionRules("simple_majority", proxy_cap=0)
    disallowed = count(no_proxies, 1, 1, proxies=[Proxy("m1", "chair", "for")])
    assert disallowed.outcome == "failed"
    assert disallowed.invalid_proxies[0]["reason"] == "the rules allow no proxies"


def test_nobody_voting_fails_even_at_two_thirds():
    assert count(TWO_THIRDS, 0, 0, 3).outcome == "failed"
    assert count(TWO_THIRDS, 0, 0, 3).threshold["inequality"] == "votes_cast is 0: fails"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"votes_for": -1}, "whole numbers"),
        ({"members": 2}, "only 2 on the register"),
        ({"present_in_person": 1}, "only 1 were present"),
        ({"proxies": [Proxy("m", "h", "maybe")]}, "must be one of"),
    ],
)
def test_bad_counts_are_refused(kwargs, message):
    args = {"members": 10, "votes_for": 2, "votes_against": 1, "abstentions": 0} | kwargs
    with pytest.raises(ValueError, match=message):
        count_resolution(SIMPLE, **args)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": "60%"},
        {"base": "everyone"},
        {"quorum_count": -1},
        {"quorum_share": Fraction(3, 2)},
        {"proxy_cap": -1},
        {"base": "present", "proxies_count_as_present": False},
    ],
)
def test_bad_rules_are_refused(kwargs):
    with pytest.raises(ValueError):
        ResolutionRules(**kwargs)


def test_result_is_canonical_and_hashed():
    data = count(ResolutionRules("two_thirds", quorum_share=Fraction(1, 4)), 20, 10, 2, members=100).as_dict()
    assert data["outcome"] == "passed"
    assert data["rules"]["quorum_share"] == Fraction(1, 4)
    assert data["details"]["quorum"]["inequality"] == "32 >= 25"
    assert data["sha256"] == result_hash({k: v for k, v in data.items() if k != "sha256"})
