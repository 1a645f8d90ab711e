"""Worked examples of the merged tally: channels added up, quorum and threshold with every inequality.

Each example is worked by hand in its comment, as a returning officer would.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.governance.meetings.tally import ChannelTotals, merge_channels
from app.voting.methods.resolutions import Proxy, ResolutionRules


def rules(threshold="simple_majority", **kw) -> ResolutionRules:
    return ResolutionRules(threshold=threshold, **kw)


def test_channels_are_added_and_every_sum_is_written_out():
    # online 10/3/1, postal 4/1/0, room 6/2/2, one proxy for: for = 10+4+6+1 = 21, against = 6.
    result = merge_channels(
        rules(),
        members=100,
        channels={
            "online": ChannelTotals(10, 3, 1),
            "postal": ChannelTotals(4, 1, 0),
            "room": ChannelTotals(6, 2, 2),
        },
        proxies=[Proxy("m1", "h1", "for")],
    )
    doc = result.document
    assert result.outcome == "passed"
    assert doc["sums"]["for"] == "10 + 4 + 6 + 1 (proxy) = 21"
    assert doc["sums"]["against"] == "3 + 1 + 2 + 0 (proxy) = 6"
    assert doc["sums"]["abstain"] == "1 + 0 + 2 + 0 (proxy) = 3"
    assert doc["channels"]["proxy"] == {"for": 1, "against": 0, "abstain": 0}
    # Present: 29 direct votes + 1 proxy.
    assert doc["present"]["sum"] == "29 (in person) + 1 (proxies) = 30"
    assert doc["count"]["details"]["threshold"]["inequality"] == "2 * 21 > 1 * 27"
    assert len(result.sha256) == 64


def test_the_hash_is_stable_and_changes_with_any_count():
    args = {"members": 50, "channels": {"online": ChannelTotals(5, 2, 0), "room": ChannelTotals(3, 1, 1)}}
    first, again = merge_channels(rules(), **args), merge_channels(rules(), **args)
    assert first.sha256 == again.sha256 and first.canonical() == again.canonical()
    other = merge_channels(
        rules(), members=50, channels={"online": ChannelTotals(5, 2, 0), "room": ChannelTotals(3, 1, 0)}
    )
    assert other.sha256 != first.sha256


def test_abstentions_do_not_count_over_votes_cast():
    # 5 for, 4 against, 20 abstain: over votes cast the base is 9, and 2 * 5 = 10 > 9 passes.
    result = merge_channels(rules(), members=40, channels={"room": ChannelTotals(5, 4, 20)})
    assert result.outcome == "passed"
    assert result.document["count"]["details"]["threshold"]["inequality"] == "2 * 5 > 1 * 9"


def test_abstentions_count_against_over_members_present():
    # Same votes over members present: base 29, 2 * 5 = 10 <= 29 fails.
    result = merge_channels(rules(base="present"), members=40, channels={"room": ChannelTotals(5, 4, 20)})
    assert result.outcome == "failed"
    assert result.document["count"]["details"]["threshold"]["inequality"] == "2 * 5 <= 1 * 29"


def test_a_tie_fails_a_simple_majority():
    result = merge_channels(
        rules(), members=20, channels={"online": ChannelTotals(3, 2, 0), "postal": ChannelTotals(0, 1, 0)}
    )
    # 3 for, 3 against: 2 * 3 = 6 is not more than 6.
    assert result.outcome == "failed"
    assert result.document["count"]["details"]["threshold"]["inequality"] == "2 * 3 <= 1 * 6"


def test_two_thirds_exactly_passes_and_one_short_fails():
    # 20 for, 10 against: 3 * 20 = 60 >= 2 * 30 = 60 passes.
    exact = merge_channels(rules("two_thirds"), members=60, channels={"room": ChannelTotals(20, 10, 0)})
    assert exact.outcome == "passed"
    assert exact.document["count"]["details"]["threshold"]["inequality"] == "3 * 20 >= 2 * 30"
    # 19 for, 10 against: 3 * 19 = 57 < 2 * 29 = 58 fails.
    short = merge_channels(rules("two_thirds"), members=60, channels={"room": ChannelTotals(19, 10, 0)})
    assert short.outcome == "failed"
    assert short.document["count"]["details"]["threshold"]["inequality"] == "3 * 19 < 2 * 29"


def test_three_quarters_special_resolution_edges_across_channels():
    # online 9 for 2 against, room 6 for 3 against: 15 for of 20 cast; 4 * 15 = 60 >= 3 * 20 = 60 passes.
    edge = merge_channels(
        rules("three_quarters"),
        members=50,
        channels={"online": ChannelTotals(9, 2, 0), "room": ChannelTotals(6, 3, 0)},
    )
    assert edge.outcome == "passed"
    assert edge.document["count"]["details"]["threshold"]["inequality"] == "4 * 15 >= 3 * 20"
    # One vote moves from for to against: 14 of 20; 56 < 60 fails.
    under = merge_channels(
        rules("three_quarters"),
        members=50,
        channels={"online": ChannelTotals(8, 3, 0), "room": ChannelTotals(6, 3, 0)},
    )
    assert under.outcome == "failed"
    assert under.document["count"]["details"]["threshold"]["inequality"] == "4 * 14 < 3 * 20"


def test_a_quorum_missed_by_one_is_inquorate_whatever_the_votes():
    # Quorum: max(10, ceil(1/10 * 120)) = 12. Present: 11 in person; all for, still inquorate.
    quorum = {"quorum_count": 10, "quorum_share": Fraction(1, 10)}
    missed = merge_channels(
        rules(**quorum), members=120, channels={"room": ChannelTotals(8, 0, 0), "online": ChannelTotals(3, 0, 0)}
    )
    assert missed.outcome == "inquorate"
    assert missed.document["count"]["details"]["quorum"]["inequality"] == "11 < 12"
    # One more member attending (present in person without voting) makes it quorate.
    met = merge_channels(
        rules(**quorum),
        members=120,
        channels={"room": ChannelTotals(8, 0, 0), "online": ChannelTotals(3, 0, 0)},
        present_in_person=12,
    )
    assert met.outcome == "passed"
    assert met.document["count"]["details"]["quorum"]["inequality"] == "12 >= 12"
    assert met.document["present"]["sum"] == "12 (in person) + 0 (proxies) = 12"


def test_proxies_at_the_cap_count_and_one_over_is_refused_with_the_reason():
    # Cap 2: the holder's first two proxies count; the third is invalid and listed.
    proxies = [Proxy("m1", "h", "for"), Proxy("m2", "h", "for"), Proxy("m3", "h", "for")]
    result = merge_channels(
        rules("three_quarters", proxy_cap=2, quorum_count=6),
        members=30,
        channels={"room": ChannelTotals(3, 1, 0)},
        proxies=proxies,
    )
    details = result.document["count"]["details"]
    assert result.document["channels"]["proxy"] == {"for": 2, "against": 0, "abstain": 0}
    assert details["invalid_proxies"] == [
        {"member": "m3", "holder": "h", "reason": "the holder already held 2 proxies, the most allowed"}
    ]
    # Present 4 + 2 proxies = 6 meets the quorum of 6; for 5 of 6: 4 * 5 = 20 >= 18 passes.
    assert details["quorum"]["inequality"] == "6 >= 6"
    assert details["threshold"]["inequality"] == "4 * 5 >= 3 * 6"
    assert result.outcome == "passed"


def test_proxies_at_the_cap_decide_quorum_when_they_count_as_present():
    # Quorum 6, 4 in the room, 2 proxies: quorate only because proxies count as present.
    args = {
        "members": 30,
        "channels": {"room": ChannelTotals(3, 1, 0)},
        "proxies": [Proxy("a", "h", "for"), Proxy("b", "h", "against")],
    }
    counted = merge_channels(rules(proxy_cap=2, quorum_count=6), **args)
    assert counted.document["count"]["details"]["quorum"]["inequality"] == "6 >= 6"
    not_counted = merge_channels(rules(proxy_cap=2, quorum_count=6, proxies_count_as_present=False), **args)
    assert not_counted.outcome == "inquorate"
    assert not_counted.document["count"]["details"]["quorum"]["inequality"] == "4 < 6"


def test_nobody_voting_for_or_against_fails():
    result = merge_channels(rules(), members=10, channels={"room": ChannelTotals(0, 0, 3)})
    assert result.outcome == "failed"
    assert result.document["count"]["details"]["threshold"]["inequality"] == "votes_cast is 0: fails"


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        merge_channels(rules(), members=3, channels={"room": ChannelTotals(4, 0, 0)})
    with pytest.raises(ValueError):
        merge_channels(rules(), members=30, channels={"room": ChannelTotals(4, 0, 0)}, present_in_person=3)
    with pytest.raises(ValueError):
        merge_channels(rules(), members=30, channels={"hands": ChannelTotals(1, 0, 0)})
    with pytest.raises(ValueError):
        ChannelTotals(-1, 0, 0)
