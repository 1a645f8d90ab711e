"""The merged tally of a resolution at a general meeting (pure: no Flask, no database).

A resolution is voted on in four channels: online papers and proxy votes (the
ballot's papers in :mod:`app.voting`), postal votes and the count in the room
(hands or cards), both entered by a scrutineer as for/against/abstain totals.
The merged tally adds the channels together and counts the result with the
voting engine's resolution method
(:func:`app.voting.methods.resolutions.count_resolution`), so quorum and
threshold follow exactly the rules written there:

* **Present** = the members taking part in person (every member who attended
  the meeting in the room or online, or voted online, by post or in the
  room — each counted once) plus, when the rules say so, the valid proxies.
* **Quorum** = ``present ≥ max(quorum count, ceil(quorum share * members))``.
* **Threshold** over votes cast (abstentions excluded) or over members present.

The result document lists each channel's totals, the sums, and each
inequality written out, and carries the SHA-256 of its canonical JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.voting.methods.canonical import canonical_json, result_hash
from app.voting.methods.resolutions import CHOICES, Proxy, ResolutionRules, count_resolution

METHOD = "general-meeting-resolution"
RULES_VERSION = "general-meeting-resolution/1"
# The order channels are listed in the result sheet.
CHANNELS = ("online", "postal", "room")


@dataclass(frozen=True)
class ChannelTotals:
    """One channel's votes for, against and abstaining."""

    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0

    def __post_init__(self) -> None:
        for n in (self.votes_for, self.votes_against, self.abstentions):
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError("channel totals must be whole numbers, at least 0")

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    def as_dict(self) -> dict[str, int]:
        return {"for": self.votes_for, "against": self.votes_against, "abstain": self.abstentions}


@dataclass(frozen=True)
class MergedResult:
    """The merged count: the outcome and the published document (with its hash)."""

    outcome: str
    document: dict[str, Any]

    @property
    def sha256(self) -> str:
        return self.document["sha256"]

    def canonical(self) -> str:
        return canonical_json(self.document).decode("utf-8")


def merge_channels(
    rules: ResolutionRules,
    *,
    members: int,
    channels: Mapping[str, ChannelTotals],
    proxies: Sequence[Proxy] = (),
    present_in_person: int | None = None,
) -> MergedResult:
    """Count a resolution over every channel (the rule is in the module docstring).

    ``channels`` maps a channel name (``online``, ``postal``, ``room``) to its
    totals; ``proxies`` are the proxy appointments with their votes, in the
    order lodged; ``present_in_person`` the members taking part in person
    (default: everyone who voted directly); ``members`` the register.
    Raises :class:`ValueError` for counts that cannot be (more present than
    members, fewer present than voted).
    """
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown channel(s) {', '.join(sorted(unknown))}; expected {', '.join(CHANNELS)}")
    totals = {name: channels.get(name, ChannelTotals()) for name in CHANNELS}
    summed = {choice: sum(t.as_dict()[choice] for t in totals.values()) for choice in CHOICES}
    result = count_resolution(
        rules,
        members=members,
        votes_for=summed["for"],
        votes_against=summed["against"],
        abstentions=summed["abstain"],
        proxies=proxies,
        present_in_person=present_in_person,
    )
    counted = result.as_dict()
    direct = sum(summed.values())
    in_person = direct if present_in_person is None else present_in_person
    valid_proxies = sum(result.proxy_votes.values())
    proxies_present = valid_proxies if rules.proxies_count_as_present else 0
    sums = {
        choice: " + ".join(str(totals[name].as_dict()[choice]) for name in CHANNELS)
        + f" + {result.proxy_votes[choice]} (proxy) = {result.votes[choice]}"
        for choice in CHOICES
    }
    body = {
        "method": METHOD,
        "rules_version": RULES_VERSION,
        "outcome": result.outcome,
        "channels": {name: totals[name].as_dict() for name in CHANNELS} | {"proxy": dict(result.proxy_votes)},
        "sums": sums,
        "present": {
            "in_person": in_person,
            "proxies": proxies_present,
            "total": in_person + proxies_present,
            "sum": f"{in_person} (in person) + {proxies_present} (proxies) = {in_person + proxies_present}",
        },
        "count": {key: value for key, value in counted.items() if key != "sha256"},
    }
    return MergedResult(outcome=result.outcome, document=body | {"sha256": result_hash(body)})
