"""Resolutions: for / against / abstain, with a quorum, a threshold and proxies.

The rule, as a returning officer would count it by hand (every comparison is
between whole numbers; no division, no rounding):

1. **Proxies.** Proxy appointments are taken in the order they were lodged.
   An appointment is invalid, and listed with its reason, when the rules allow
   no proxies (``proxy_cap == 0``); when the member appears earlier in that
   order (only a member's first appointment is considered); when the member names
   themself; or when the holder already holds ``proxy_cap`` valid proxies
   (a holder may cast at most ``proxy_cap`` proxy votes; ``None`` is no cap).
   A valid proxy adds its vote (for, against or abstain) to the totals. The
   caller passes no proxy for a member who voted in person (attending revokes
   a proxy), as only the caller can see that.
2. **Present.** Members present = members taking part in person (by default
   the direct votes, abstentions included: the participation count), plus the
   valid proxies when the rules count proxies as present.
3. **Quorum.** Required = the larger of ``quorum_count`` and
   ``quorum_share`` of the members on the register rounded up
   (``ceil(p/q * members)``). The meeting is quorate when present ≥ required,
   checked for the share as ``q * present ≥ p * members``. If it is not
   quorate the outcome is **inquorate**, whatever the votes say.
4. **Threshold.** ``base`` is the votes cast for and against (abstentions
   excluded) or the members present, as the rules say. With F votes for:

   * simple majority: ``2 * F > base`` (strictly more than half: over votes
     cast, more for than against; a tie fails);
   * two-thirds: ``3 * F ≥ 2 * base``;
   * three-quarters (a special resolution): ``4 * F ≥ 3 * base``.

   A base of zero (nobody voted for or against) fails.
5. **Outcome.** passed / failed / inquorate, with each inequality written out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.voting.methods.canonical import result_hash

METHOD = "resolution"
RULES_VERSION = "resolution/1"
CHOICES = ("for", "against", "abstain")
# name -> (p, q, strict): passes when q * for > p * base (strict) or q * for ≥ p * base.
THRESHOLDS = {
    "simple_majority": (1, 2, True),
    "two_thirds": (2, 3, False),
    "three_quarters": (3, 4, False),
}
BASES = ("votes_cast", "present")


@dataclass(frozen=True)
class ResolutionRules:
    """The society's rules for one resolution, frozen when the vote opens."""

    threshold: str = "simple_majority"
    base: str = "votes_cast"
    quorum_count: int = 0
    quorum_share: Fraction = Fraction(0)
    proxies_count_as_present: bool = True
    proxy_cap: int | None = None

    def __post_init__(self) -> None:
        if self.threshold not in THRESHOLDS:
            raise ValueError(f"unknown threshold {self.threshold!r}; expected one of {', '.join(THRESHOLDS)}")
        if self.base not in BASES:
            raise ValueError(f"unknown base {self.base!r}; expected one of {', '.join(BASES)}")
        if self.quorum_count < 0 or not 0 <= Fraction(self.quorum_share) <= 1:
            raise ValueError("a quorum is a count of at least 0 and a share between 0 and 1")
        if self.proxy_cap is not None and self.proxy_cap < 0:
            raise ValueError("the proxy cap cannot be negative")
        if self.base == "present" and not self.proxies_count_as_present and self.proxy_cap != 0:
            # Proxy votes would count for the motion but not in the base it is measured against.
            raise ValueError("a threshold over members present needs proxies counted as present")

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "base": self.base,
            "quorum_count": self.quorum_count,
            "quorum_share": Fraction(self.quorum_share),
            "proxies_count_as_present": self.proxies_count_as_present,
            "proxy_cap": self.proxy_cap,
        }


@dataclass(frozen=True)
class Proxy:
    """A proxy appointment: ``member`` appointed ``holder``, who votes ``choice`` for them."""

    member: str
    holder: str
    choice: str


@dataclass(frozen=True)
class ResolutionResult:
    """The count of a resolution; ``as_dict()`` is the published, hashed form."""

    outcome: str
    rules: ResolutionRules
    votes: dict[str, int]
    proxy_votes: dict[str, int]
    invalid_proxies: tuple[dict[str, str], ...]
    quorum: dict[str, Any]
    threshold: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        body = {
            "method": METHOD,
            "rules_version": RULES_VERSION,
            "outcome": self.outcome,
            "rules": self.rules.as_dict(),
            "details": {
                "votes": self.votes,
                "of_which_proxy": self.proxy_votes,
                "invalid_proxies": list(self.invalid_proxies),
                "quorum": self.quorum,
                "threshold": self.threshold,
            },
            # Resolutions never need a tie-break: a tie simply fails the threshold.
            "tie_break": {"rule": "none", "seed": ""},
        }
        return body | {"sha256": result_hash(body)}


def _sort_proxies(proxies: Sequence[Proxy], cap: int | None) -> tuple[Counter[str], list[dict[str, str]]]:
    valid: Counter[str] = Counter()
    invalid: list[dict[str, str]] = []
    appointed: set[str] = set()
    held: Counter[str] = Counter()
    for proxy in proxies:
        if proxy.choice not in CHOICES:
            raise ValueError(f"a proxy vote must be one of {', '.join(CHOICES)}; got {proxy.choice!r}")
        if cap == 0:
            reason = "the rules allow no proxies"
        elif proxy.member in appointed:
            reason = "the member had already appointed a proxy"
        elif proxy.member == proxy.holder:
            reason = "a member cannot hold their own proxy"
        elif cap is not None and held[proxy.holder] >= cap:
            reason = f"the holder already held {cap} proxies, the most allowed"
        else:
            reason = ""
        appointed.add(proxy.member)
        if reason:
            invalid.append({"member": proxy.member, "holder": proxy.holder, "reason": reason})
        else:
            held[proxy.holder] += 1
            valid[proxy.choice] += 1
    return valid, invalid


def count_resolution(
    rules: ResolutionRules,
    *,
    members: int,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    proxies: Sequence[Proxy] = (),
    present_in_person: int | None = None,
) -> ResolutionResult:
    """Count a resolution under ``rules`` (the rule is in the module docstring).

    ``votes_for``, ``votes_against`` and ``abstentions`` are the members' own
    votes; ``proxies`` the appointments in the order lodged;
    ``present_in_person`` the members taking part in person when more attended
    than voted (it defaults to the direct votes); ``members`` the register.
    """
    direct = {"for": votes_for, "against": votes_against, "abstain": abstentions}
    counts = (members, *direct.values(), 0 if present_in_person is None else present_in_person)
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in counts):
        raise ValueError("members and vote counts must be whole numbers, at least 0")
    voted = sum(direct.values())
    in_person = voted if present_in_person is None else present_in_person
    if in_person < voted:
        raise ValueError(f"{voted} members voted in person but only {in_person} were present")

    proxy_votes, invalid = _sort_proxies(proxies, rules.proxy_cap)
    valid_proxies = sum(proxy_votes.values())
    present = in_person + (valid_proxies if rules.proxies_count_as_present else 0)
    if present > members:
        raise ValueError(f"{present} members present but only {members} on the register")

    share = Fraction(rules.quorum_share)
    required = max(rules.quorum_count, -(-share.numerator * members // share.denominator))
    quorate = present >= required
    quorum = {
        "members": members,
        "present": present,
        "required": required,
        "rule": f"max({rules.quorum_count}, ceil({share} * {members}))",
        "inequality": f"{present} {'>=' if quorate else '<'} {required}",
        "met": quorate,
    }

    votes = {choice: direct[choice] + proxy_votes[choice] for choice in CHOICES}
    base = votes["for"] + votes["against"] if rules.base == "votes_cast" else present
    p, q, strict = THRESHOLDS[rules.threshold]
    left, right = q * votes["for"], p * base
    holds = base > 0 and (left > right if strict else left >= right)
    relation = (">" if strict else ">=") if holds else ("<=" if strict else "<")
    threshold = {
        "rule": rules.threshold,
        "base": rules.base,
        "for": votes["for"],
        "base_count": base,
        "inequality": f"{q} * {votes['for']} {relation} {p} * {base}",
        "holds": holds,
    }
    if base == 0:
        threshold["inequality"] = f"{rules.base} is 0: fails"

    outcome = "inquorate" if not quorate else "passed" if holds else "failed"
    return ResolutionResult(
        outcome=outcome,
        rules=rules,
        votes=votes,
        proxy_votes={choice: proxy_votes[choice] for choice in CHOICES},
        invalid_proxies=tuple(invalid),
        quorum=quorum,
        threshold=threshold,
    )
