"""A ballot's rules: which counting methods fit each kind, their parameters, and the rules version.

Parameters are stored on ``Ballot.parameters`` as plain JSON, one shape per kind
(money in whole pence, shares as exact ``"p/q"`` strings, never floats):

* ``approval``: ``{"seats": 1, "max_approvals": 3}`` (``max_approvals`` may be ``null``: no limit)
* ``ranked``: ``{"seats": 1}`` (IRV always has one seat)
* ``pb``: ``{"budget_pence": 5000000, "utility": "cost"}`` (``utility``: ``cost`` or ``approval``;
  ``approval`` is the methods' ``cardinality``: one per funded project a voter approves)
* ``division``: ``{"budget_pence": 1000000, "floors": {"line": 100000}, "ceilings": {"line": 500000}}``
* ``points``: ``{"seats": 3, "points": 10, "max_per_option": 5}`` (``max_per_option`` may be ``null``)
* ``resolution``: ``{"threshold": "simple_majority", "base": "votes_cast", "quorum_count": 0,
  "quorum_share": "1/10", "proxies_count_as_present": true, "proxy_cap": 2}``

When a ballot opens, :func:`rules_version` hashes the canonical JSON of its
kind, method, parameters, electorate, tie-break rule and options (key and cost,
in ballot-paper order). The hash is stored on the ballot, on every paper and on
the result, so a paper counted under other rules would show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from app.i18n import LazyString, _l, ngettext
from app.voting.methods.canonical import canonical_json, result_hash
from app.voting.methods.resolutions import BASES, THRESHOLDS, ResolutionRules
from app.voting.models import Ballot, BallotKind, BallotOption

METHODS: dict[BallotKind, tuple[str, ...]] = {
    BallotKind.APPROVAL: ("approval",),
    BallotKind.RANKED: ("irv", "stv", "meek"),
    BallotKind.PB: ("greedy", "mes", "mes-add1"),
    BallotKind.DIVISION: ("mean", "markets"),
    BallotKind.RESOLUTION: ("resolution",),
    BallotKind.POINTS: ("points",),
}

KIND_LABELS: dict[BallotKind, LazyString] = {
    BallotKind.APPROVAL: _l("Approval vote (choose up to a number of options)"),
    BallotKind.RANKED: _l("Ranked vote (number the options in order of preference)"),
    BallotKind.PB: _l("Participatory budget (choose projects within a budget)"),
    BallotKind.DIVISION: _l("Budget division (share a budget across lines)"),
    BallotKind.RESOLUTION: _l("Resolution (for, against or abstain)"),
    BallotKind.POINTS: _l("Points vote (share a number of points across the options)"),
}

METHOD_LABELS: dict[str, LazyString] = {
    "approval": _l("Most approvals win"),
    "irv": _l("Instant runoff (one seat)"),
    "stv": _l("Single transferable vote (Scottish local government rules)"),
    "meek": _l("Single transferable vote (Meek)"),
    "greedy": _l("Most support first, until the money runs out"),
    "mes": _l("Method of Equal Shares"),
    "mes-add1": _l("Method of Equal Shares, completed by raising the budget then most support first"),
    "mean": _l("Average of everyone's division"),
    "markets": _l("Independent markets (proportional, strategy-proof)"),
    "resolution": _l("For, against or abstain"),
    "points": _l("Most points win"),
}

TIE_BREAK_RULES: dict[str, LazyString] = {
    "lexicographic": _l("The option whose key comes first in alphabetical order"),
    "lot": _l("By lot, from a random seed drawn when the ballot opens and published with the result"),
}

UTILITY_LABELS = {
    "cost": _l("By cost: a voter's satisfaction is the money spent on projects they chose"),
    "approval": _l("By approval: a voter's satisfaction is the number of projects they chose that are funded"),
}

THRESHOLD_LABELS = {
    "simple_majority": _l("Simple majority (more than half)"),
    "two_thirds": _l("Two-thirds"),
    "three_quarters": _l("Three-quarters"),
}

BASE_LABELS = {
    "votes_cast": _l("Votes cast for and against (abstentions do not count)"),
    "present": _l("Members present (abstentions count against)"),
}

# The kinds whose papers choose among options; resolutions have none (the motion is the description).
KINDS_WITH_OPTIONS = frozenset(
    {BallotKind.APPROVAL, BallotKind.RANKED, BallotKind.PB, BallotKind.DIVISION, BallotKind.POINTS}
)
MIN_OPTIONS = {
    BallotKind.APPROVAL: 2,
    BallotKind.RANKED: 2,
    BallotKind.PB: 1,
    BallotKind.DIVISION: 2,
    BallotKind.POINTS: 2,
}
# The kinds that elect a number of winners from the options ("seats").
KINDS_WITH_SEATS = frozenset({BallotKind.APPROVAL, BallotKind.RANKED, BallotKind.POINTS})
# A generous ceiling on money, so arithmetic and forms stay sane (a billion pounds).
MAX_PENCE = 100_000_000_000


class RulesError(ValueError):
    """Parameters that do not fit the ballot's kind; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def methods_for(kind: BallotKind) -> tuple[str, ...]:
    return METHODS[kind]


def default_method(kind: BallotKind) -> str:
    return {BallotKind.RANKED: "stv", BallotKind.PB: "mes-add1"}.get(kind, METHODS[kind][0])


def default_parameters(kind: BallotKind) -> dict[str, Any]:
    """The parameters a new ballot of ``kind`` starts with."""
    if kind is BallotKind.APPROVAL:
        return {"seats": 1, "max_approvals": None}
    if kind is BallotKind.RANKED:
        return {"seats": 1}
    if kind is BallotKind.POINTS:
        return {"seats": 1, "points": 10, "max_per_option": None}
    if kind is BallotKind.PB:
        return {"budget_pence": 0, "utility": "cost"}
    if kind is BallotKind.DIVISION:
        return {"budget_pence": 0, "floors": {}, "ceilings": {}}
    return {
        "threshold": "simple_majority",
        "base": "votes_cast",
        "quorum_count": 0,
        "quorum_share": "0",
        "proxies_count_as_present": True,
        "proxy_cap": None,
    }


def _whole(value: Any, field: str, *, minimum: int = 0, maximum: int = MAX_PENCE, message: str | None = None) -> int:
    """``value`` as a whole number in ``minimum``..``maximum``, else :class:`RulesError` about ``field``.

    The message is ``_NUMBER_MESSAGES[message or field]``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise RulesError(_number_message(message or field, minimum, maximum), field)
    return value


# One whole sentence per parameter: the parameter's name is never a placeholder, since its
# form (and the sentence around it) changes in Welsh.
_NUMBER_MESSAGES: dict[str, LazyString] = {
    "seats": _l("The number of winners must be a whole number from %(low)s to %(high)s"),
    "ranked_seats": _l("The number of seats must be a whole number from %(low)s to %(high)s"),
    "max_approvals": _l("The most options a voter may choose must be a whole number from %(low)s to %(high)s"),
    "points": _l("The points each voter has must be a whole number from %(low)s to %(high)s"),
    "max_per_option": _l("The most points for one option must be a whole number from %(low)s to %(high)s"),
    "budget": _l("The budget must be a whole number of pence from %(low)s to %(high)s"),
    "floors": _l("Each floor must be a whole number of pence from %(low)s to %(high)s"),
    "ceilings": _l("Each ceiling must be a whole number of pence from %(low)s to %(high)s"),
    "quorum_count": _l("The quorum must be a whole number from %(low)s to %(high)s"),
    "proxy_cap": _l("The most proxies one person may hold must be a whole number from %(low)s to %(high)s"),
}


def _number_message(field: str, minimum: int, maximum: int) -> LazyString:
    message = _NUMBER_MESSAGES[field]
    return LazyString(lambda: str(message) % {"low": f"{minimum:,}", "high": f"{maximum:,}"})


def _pence_map(value: Any, field: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise RulesError(
            _l("The floors must map lines to amounts in pence")
            if field == "floors"
            else _l("The ceilings must map lines to amounts in pence"),
            field,
        )
    return {str(k): _whole(v, field) for k, v in value.items()}


# What ResolutionRules (pure code, English) refuses, as sentences for people, with the field it is about.
_RESOLUTION_PROBLEMS: tuple[tuple[str, LazyString, str], ...] = (
    ("quorum", _l("A quorum is a count of at least 0 and a share between 0 and 1"), "quorum_share"),
    ("proxy cap", _l("The proxy cap cannot be negative"), "proxy_cap"),
    (
        "proxies counted as present",
        _l("A threshold over members present needs proxies counted as present"),
        "base",
    ),
)


def _resolution_problem(error: ValueError) -> tuple[LazyString, str]:
    text = str(error)
    for marker, message, field in _RESOLUTION_PROBLEMS:
        if marker in text:
            return message, field
    return _l("The resolution's rules are not valid"), "base"


def check_parameters(kind: BallotKind, method: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """``parameters`` checked against ``kind`` and ``method``, in canonical form; else :class:`RulesError`.

    Checks the shape and ranges only; whether they fit the options (seats, floors)
    is :func:`readiness_problems`'s job, since options change while a ballot is a draft.
    """
    if method not in METHODS[kind]:
        label = METHOD_LABELS.get(method)
        raise RulesError(
            _l("%(method)s cannot count this kind of ballot", method=label)
            if label is not None
            else _l("That method cannot count this kind of ballot"),
            "method",
        )
    if not isinstance(parameters, Mapping):
        raise RulesError(_l("The ballot's rules are not readable"))
    p = dict(parameters)
    if kind is BallotKind.APPROVAL:
        seats = _whole(p.get("seats"), "seats", minimum=1, maximum=1000)
        cap = p.get("max_approvals")
        if cap is not None:
            cap = _whole(cap, "max_approvals", minimum=1, maximum=1000)
        return {"seats": seats, "max_approvals": cap}
    if kind is BallotKind.POINTS:
        seats = _whole(p.get("seats"), "seats", minimum=1, maximum=1000)
        points = _whole(p.get("points"), "points", minimum=1, maximum=1000)
        cap = p.get("max_per_option")
        if cap is not None:
            cap = _whole(cap, "max_per_option", minimum=1, maximum=points)
        return {"seats": seats, "points": points, "max_per_option": cap}
    if kind is BallotKind.RANKED:
        seats = _whole(p.get("seats"), "seats", minimum=1, maximum=1000, message="ranked_seats")
        if method == "irv" and seats != 1:
            raise RulesError(
                _l("Instant runoff elects one person: choose 1 seat, or the single transferable vote"), "seats"
            )
        return {"seats": seats}
    if kind is BallotKind.PB:
        budget = _whole(p.get("budget_pence"), "budget", minimum=0)
        utility = p.get("utility")
        if utility not in UTILITY_LABELS:
            raise RulesError(_l("Choose how a voter's satisfaction is measured"), "utility")
        return {"budget_pence": budget, "utility": utility}
    if kind is BallotKind.DIVISION:
        budget = _whole(p.get("budget_pence"), "budget", minimum=0)
        return {
            "budget_pence": budget,
            "floors": _pence_map(p.get("floors", {}), "floors"),
            "ceilings": _pence_map(p.get("ceilings", {}), "ceilings"),
        }
    threshold = p.get("threshold")
    if threshold not in THRESHOLDS:
        raise RulesError(_l("Choose the majority the resolution needs"), "threshold")
    base = p.get("base")
    if base not in BASES:
        raise RulesError(_l("Choose what the majority is counted over"), "base")
    quorum_count = _whole(p.get("quorum_count", 0), "quorum_count", maximum=10_000_000)
    try:
        share = Fraction(str(p.get("quorum_share", "0")))
    except (ValueError, ZeroDivisionError):
        raise RulesError(_l("The quorum share must be a fraction such as 1/10"), "quorum_share") from None
    cap = p.get("proxy_cap")
    if cap is not None:
        cap = _whole(cap, "proxy_cap", maximum=10_000)
    present = p.get("proxies_count_as_present", True)
    if not isinstance(present, bool):
        raise RulesError(_l("Say whether proxies count as present"), "proxies_count_as_present")
    try:
        ResolutionRules(
            threshold=threshold,
            base=base,
            quorum_count=quorum_count,
            quorum_share=share,
            proxies_count_as_present=present,
            proxy_cap=cap,
        )
    except ValueError as exc:
        raise RulesError(*_resolution_problem(exc)) from None
    return {
        "threshold": threshold,
        "base": base,
        "quorum_count": quorum_count,
        "quorum_share": str(share),
        "proxies_count_as_present": present,
        "proxy_cap": cap,
    }


def readiness_problems(ballot: Ballot, options: Sequence[BallotOption]) -> list[str]:
    """Why ``ballot`` cannot be scheduled or opened yet (empty when it can). Times are checked elsewhere."""
    problems: list[str] = []
    if not (ballot.title or "").strip():
        problems.append(_l("Give the ballot a title"))
    try:
        params = check_parameters(ballot.kind, ballot.method, ballot.parameters or {})
    except RulesError as exc:
        return [*problems, exc.message]
    from app.voting.electorate import ElectorateError, check_electorate

    try:
        check_electorate(ballot.electorate or {})
    except ElectorateError as exc:
        problems.append(exc.message)
    if ballot.tie_break_rule not in TIE_BREAK_RULES:
        problems.append(_l("Choose how ties are broken"))
    kind = ballot.kind
    if kind not in KINDS_WITH_OPTIONS:
        if not (ballot.description or "").strip():
            problems.append(_l("Write the motion in the description, so voters know what they are voting on"))
        return problems
    count = len(options)
    keys = [o.key for o in options]
    if count < MIN_OPTIONS[kind]:
        need = MIN_OPTIONS[kind]
        problems.append(
            LazyString(
                lambda: ngettext(
                    "Add at least %(num)d option; it has %(count)s",
                    "Add at least %(num)d options; it has %(count)s",
                    need,
                    count=count,
                )
            )
        )
    if kind in KINDS_WITH_SEATS and count and params["seats"] > count:
        problems.append(
            _l("There are %(seats)s seats or winners but only %(count)s options", seats=params["seats"], count=count)
        )
    if kind is BallotKind.PB:
        if params["budget_pence"] <= 0:
            problems.append(_l("Set the budget"))
        missing = [o.title for o in options if o.cost_pence is None]
        if missing:
            problems.append(_l("Give every project a cost: %(titles)s", titles=", ".join(missing)))
    if kind is BallotKind.DIVISION:
        budget = params["budget_pence"]
        if budget <= 0:
            problems.append(_l("Set the budget"))
        for name in ("floors", "ceilings"):
            stray = sorted(set(params[name]) - set(keys))
            if stray:
                problems.append(
                    _l("The floors name lines that are not options: %(keys)s", keys=", ".join(stray))
                    if name == "floors"
                    else _l("The ceilings name lines that are not options: %(keys)s", keys=", ".join(stray))
                )
        floors = [params["floors"].get(k, 0) for k in keys]
        ceilings = [params["ceilings"].get(k, budget) for k in keys]
        for option, low, high in zip(options, floors, ceilings, strict=True):
            if low > high:
                problems.append(_l("The floor for %(title)s is above its ceiling", title=option.title))
        if budget > 0 and sum(floors) > budget:
            problems.append(_l("The floors add up to more than the budget"))
        if budget > 0 and keys and sum(ceilings) < budget:
            problems.append(_l("The ceilings add up to less than the budget"))
    return problems


def rules_document(ballot: Ballot, options: Iterable[BallotOption]) -> dict[str, Any]:
    """What the rules version hashes: everything that decides how papers are read and counted."""
    ordered = sorted(options, key=lambda o: (o.position, o.id or 0))
    return {
        "kind": ballot.kind.value,
        "method": ballot.method,
        "parameters": ballot.parameters,
        "electorate": ballot.electorate,
        "tie_break": ballot.tie_break_rule,
        "options": [{"key": o.key, "cost": o.cost_pence} for o in ordered],
    }


def rules_version(ballot: Ballot, options: Iterable[BallotOption]) -> str:
    """Hex SHA-256 of the canonical JSON of :func:`rules_document`."""
    return result_hash(rules_document(ballot, options))


def rules_json(ballot: Ballot, options: Iterable[BallotOption]) -> bytes:
    """The canonical bytes :func:`rules_version` hashes (for publication with the result)."""
    return canonical_json(rules_document(ballot, options))
