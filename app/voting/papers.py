"""Ballot papers: reading a submitted paper, checking it against the rules, canonical content.

A paper's stored ``content`` has one canonical JSON shape per kind, the same
whether it was cast online, entered from paper or by proxy (the counts read it):

* ``approval`` and ``pb``: the chosen option keys, sorted: ``["bus-stop", "park"]``
* ``ranked``: option keys best-first: ``["c", "a", "b"]`` (a prefix of the options)
* ``division``: every line's amount in whole pence: ``{"arts": 250000, "sport": 750000}``
* ``points``: the points given to each option that got any, whole numbers: ``{"parks": 6, "youth": 4}``
* ``resolution``: ``"for"``, ``"against"`` or ``"abstain"``

:func:`validate_paper` checks content against the ballot's rules (using the
count methods' own validators where they fit) and returns it canonical, or
raises :class:`PaperError` naming the rule broken. Messages never repeat what
was chosen beyond what the rule needs (a count, an amount), so an error that
reached a log could not tell anyone how somebody voted.

:func:`paper_from_form` reads the paper form of the ballot page (one per kind)
into content, with one message per field for the GOV.UK error summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.i18n import _l
from app.voting.methods.approval import ApprovalBallotError, validate_approval_ballot
from app.voting.methods.division import DivisionBallotError, validate_division_ballot
from app.voting.methods.points import PointsBallotError, validate_points_ballot
from app.voting.methods.ranked import RankedBallotError, RankedBallots
from app.voting.methods.resolutions import CHOICES
from app.voting.models import Ballot, BallotKind, BallotOption

# Lazy: shown in the reader's language wherever they are used (``str(label)`` at that moment).
RESOLUTION_LABELS = {"for": _l("For"), "against": _l("Against"), "abstain": _l("Abstain")}
_POUNDS = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")


class PaperError(ValueError):
    """A paper that breaks the ballot's rules. ``field`` is the form field to point at, if known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class FieldError:
    field: str  # the id of the form element the message belongs to
    message: str


class PaperFormError(ValueError):
    """A submitted paper form with problems; ``errors`` lists them field by field."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("the paper has problems")
        self.errors = list(errors)


def money(pence: int | None) -> str:
    """``£1,234.50``, or ``£1,234`` for whole pounds."""
    if pence is None:
        return ""
    pounds, rest = divmod(abs(int(pence)), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds:,}" if rest == 0 else f"{sign}£{pounds:,}.{rest:02d}"


def _keys(options: Sequence[BallotOption]) -> list[str]:
    return [o.key for o in sorted(options, key=lambda o: (o.position, o.id or 0))]


def _params(ballot: Ballot) -> dict[str, Any]:
    return ballot.parameters if isinstance(ballot.parameters, dict) else {}


def validate_paper(ballot: Ballot, options: Sequence[BallotOption], content: Any) -> Any:
    """``content`` in canonical form if it is a valid paper for ``ballot``, else :class:`PaperError`."""
    kind = ballot.kind
    keys = _keys(options)
    params = _params(ballot)
    if kind is BallotKind.RESOLUTION:
        if content not in CHOICES:
            raise PaperError(_l("Choose for, against or abstain"), "choice")
        return content
    if kind is BallotKind.DIVISION:
        return _validate_division(content, keys, params)
    if kind is BallotKind.POINTS:
        return _validate_points(content, options, params)
    if isinstance(content, str) or not isinstance(content, list | tuple):
        raise PaperError(_l("The paper is not in a form this ballot can read"))
    if any(not isinstance(item, str) for item in content):
        raise PaperError(_l("The paper is not in a form this ballot can read"))
    if not content:
        raise PaperError(
            _l("Give your first choice the number 1")
            if kind is BallotKind.RANKED
            else _l("Choose at least one option"),
            "choices",
        )
    if kind is BallotKind.APPROVAL:
        cap = params.get("max_approvals")
        try:
            approved = validate_approval_ballot(content, keys, cap if isinstance(cap, int) else None)
        except ApprovalBallotError:
            raise _approval_error(content, keys, cap) from None
        return sorted(approved)
    if kind is BallotKind.RANKED:
        try:
            RankedBallots.from_rankings(keys, [tuple(content)])
        except RankedBallotError:
            raise _ranked_error(content, keys) from None
        return list(content)
    if kind is BallotKind.PB:
        return _validate_pb(content, options, params)
    raise PaperError(_l("This ballot cannot take papers"))


def _approval_error(content: Sequence[str], keys: Sequence[str], cap: Any) -> PaperError:
    if any(item not in keys for item in content):
        return PaperError(_l("One of the choices is not an option on this ballot"), "choices")
    if len(set(content)) != len(content):
        return PaperError(_l("The paper chooses the same option more than once"), "choices")
    return PaperError(
        _l("You chose %(count)s options. You can choose up to %(cap)s.", count=len(content), cap=cap), "choices"
    )


def _ranked_error(content: Sequence[str], keys: Sequence[str]) -> PaperError:
    if any(item not in keys for item in content):
        return PaperError(_l("One of the preferences is not an option on this ballot"), "choices")
    return PaperError(_l("Each option can be given only one number"), "choices")


def _validate_pb(content: Sequence[str], options: Sequence[BallotOption], params: Mapping[str, Any]) -> list[str]:
    costs = {o.key: o.cost_pence for o in options}
    if any(item not in costs for item in content):
        raise PaperError(_l("One of the choices is not a project on this ballot"), "choices")
    if len(set(content)) != len(content):
        raise PaperError(_l("The paper chooses the same project more than once"), "choices")
    budget = params.get("budget_pence")
    if not isinstance(budget, int):
        raise PaperError(_l("This ballot has no budget set"))
    total = sum(costs[item] or 0 for item in content)
    if total > budget:
        raise PaperError(
            _l(
                "The projects you chose cost %(total)s, which is %(over)s over the budget "
                "of %(budget)s. Remove a project so the total is %(budget)s or less.",
                total=money(total),
                over=money(total - budget),
                budget=money(budget),
            ),
            "choices",
        )
    return sorted(content)


def _validate_points(content: Any, options: Sequence[BallotOption], params: Mapping[str, Any]) -> dict[str, int]:
    allowance = params.get("points")
    cap = params.get("max_per_option")
    cap = cap if isinstance(cap, int) else None
    if not isinstance(allowance, int):
        raise PaperError(_l("This ballot has no number of points set"))
    if not isinstance(content, Mapping) or any(not isinstance(k, str) for k in content):
        raise PaperError(_l("The paper is not in a form this ballot can read"))
    titles = {o.key: o.title for o in options}
    if any(k not in titles for k in content):
        raise PaperError(_l("One of the options given points is not on this ballot"), "points")
    for key, value in content.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise PaperError(_l("Give %(title)s a whole number of points", title=titles[key]), field_id("points", key))
        if value < 0:
            raise PaperError(
                _l("The points for %(title)s cannot be negative: enter 0 or more", title=titles[key]),
                field_id("points", key),
            )
        if cap is not None and value > cap:
            raise PaperError(
                _l(
                    "You gave %(title)s %(value)s points. You can give one option at most %(cap)s points.",
                    title=titles[key],
                    value=value,
                    cap=cap,
                ),
                field_id("points", key),
            )
    total = sum(content.values())
    if total > allowance:
        raise PaperError(
            _l(
                "Your points add up to %(total)s, which is %(over)s over the %(points)s you have. "
                "Take %(over)s away so they add up to %(points)s or less.",
                total=total,
                over=total - allowance,
                points=allowance,
            ),
            "points",
        )
    if total == 0:
        raise PaperError(_l("Give at least one point to an option"), "points")
    try:
        given = validate_points_ballot(content, list(titles), allowance, cap)
    except PointsBallotError:  # pragma: no cover - the checks above are stricter
        raise PaperError(_l("The points break the ballot's rules"), "points") from None
    return dict(sorted(given.items()))


def _validate_division(content: Any, keys: Sequence[str], params: Mapping[str, Any]) -> dict[str, int]:
    budget = params.get("budget_pence")
    if not isinstance(budget, int):
        raise PaperError(_l("This ballot has no budget set"))
    if not isinstance(content, Mapping) or any(not isinstance(k, str) for k in content):
        raise PaperError(_l("The paper is not in a form this ballot can read"))
    if any(k not in keys for k in content):
        raise PaperError(_l("One of the amounts is for a line that is not on this ballot"))
    for value in content.values():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PaperError(_l("Each amount must be £0 or more, in pounds and pence"))
    total = sum(content.values())
    if total != budget:
        gap = total - budget
        if gap > 0:
            message = _l(
                "Your amounts add up to %(total)s, which is %(gap)s more than the budget of "
                "%(budget)s. Take %(gap)s away so they add up to exactly %(budget)s.",
                total=money(total),
                gap=money(gap),
                budget=money(budget),
            )
        else:
            message = _l(
                "Your amounts add up to %(total)s, which is %(gap)s less than the budget of "
                "%(budget)s. Share out the %(gap)s left so they add up to exactly %(budget)s.",
                total=money(total),
                gap=money(-gap),
                budget=money(budget),
            )
        raise PaperError(message, "amounts")
    try:
        amounts = validate_division_ballot(content, list(keys), budget)
    except DivisionBallotError:  # pragma: no cover - the checks above are stricter
        raise PaperError(_l("The amounts must add up to the budget"), "amounts") from None
    return dict(zip(keys, amounts, strict=True))


# --- the paper form ----------------------------------------------------------------------------


def field_id(prefix: str, key: str) -> str:
    """The form field name (and element id) for an option: ``rank-<key>``, ``amount-<key>``."""
    return f"{prefix}-{key}"


def parse_pounds(text: str | None) -> int | None:
    """Pence from what someone typed as pounds (``£1,250.5`` → 125050); blank is 0; ``None`` if unreadable."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.removeprefix("£")
    if not cleaned:
        return 0
    match = _POUNDS.match(cleaned)
    if not match:
        return None
    pounds, pence = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(pounds) * 100 + int(pence)


def paper_from_form(ballot: Ballot, options: Sequence[BallotOption], form: Any) -> Any:
    """Canonical content from the paper form, else :class:`PaperFormError` with every problem.

    ``form`` is a ``MultiDict`` (``request.form``).
    """
    ordered = sorted(options, key=lambda o: (o.position, o.id or 0))
    kind = ballot.kind
    if kind is BallotKind.RESOLUTION:
        content: Any = form.get("choice", "")
        if content not in CHOICES:
            raise PaperFormError([FieldError("choice", _l("Choose for, against or abstain"))])
    elif kind in (BallotKind.APPROVAL, BallotKind.PB):
        content = form.getlist("choice")
    elif kind is BallotKind.RANKED:
        content = _ranking_from_form(ordered, form)
    elif kind is BallotKind.DIVISION:
        content = _division_from_form(ordered, form)
    elif kind is BallotKind.POINTS:
        content = _points_from_form(ordered, form)
    else:
        raise PaperFormError([FieldError("choices", _l("This ballot cannot take papers"))])
    try:
        return validate_paper(ballot, options, content)
    except PaperError as exc:
        target = exc.field or "choices"
        if kind is BallotKind.RANKED and ordered:
            target = field_id("rank", ordered[0].key)
        elif kind is BallotKind.DIVISION:
            target = "amounts"
        elif kind is BallotKind.POINTS:
            target = exc.field or "points"
        elif kind in (BallotKind.APPROVAL, BallotKind.PB) and ordered:
            target = "choice"
        raise PaperFormError([FieldError(target, exc.message)]) from None


def _ranking_from_form(ordered: Sequence[BallotOption], form: Any) -> list[str]:
    n = len(ordered)
    numbers: dict[str, int] = {}
    errors: list[FieldError] = []
    for option in ordered:
        name = field_id("rank", option.key)
        raw = (form.get(name) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= n:
            errors.append(
                FieldError(
                    name,
                    _l("Choose a number from 1 to %(n)s for %(title)s, or no preference", n=n, title=option.title),
                )
            )
            continue
        numbers[option.key] = int(raw)
    if errors:
        raise PaperFormError(errors)
    first_field = field_id("rank", ordered[0].key) if ordered else "choices"
    if not numbers:
        raise PaperFormError([FieldError(first_field, _l("Give your first choice the number 1"))])
    used: dict[int, list[BallotOption]] = {}
    for option in ordered:
        if option.key in numbers:
            used.setdefault(numbers[option.key], []).append(option)
    for number, holders in sorted(used.items()):
        if len(holders) > 1:
            errors.append(
                FieldError(
                    field_id("rank", holders[1].key),
                    _l(
                        "You gave the number %(number)s to more than one option. Give each number to one option only.",
                        number=number,
                    ),
                )
            )
    if errors:
        raise PaperFormError(errors)
    highest = max(used)
    missing = [k for k in range(1, highest + 1) if k not in used]
    if missing:
        raise PaperFormError(
            [
                FieldError(
                    first_field,
                    _l(
                        "Number your choices 1, 2, 3 and so on without gaps: you have not used the number %(number)s",
                        number=missing[0],
                    ),
                )
            ]
        )
    return [used[k][0].key for k in range(1, highest + 1)]


def _division_from_form(ordered: Sequence[BallotOption], form: Any) -> dict[str, int]:
    amounts: dict[str, int] = {}
    errors: list[FieldError] = []
    for option in ordered:
        name = field_id("amount", option.key)
        pence = parse_pounds(form.get(name))
        if pence is None:
            errors.append(
                FieldError(
                    name, _l("Enter the amount for %(title)s in pounds, like 1500 or 1500.50", title=option.title)
                )
            )
        else:
            amounts[option.key] = pence
    if errors:
        raise PaperFormError(errors)
    return amounts


def _points_from_form(ordered: Sequence[BallotOption], form: Any) -> dict[str, int]:
    """Whole numbers from the points boxes; blank is 0. Each box that is not a number gets its own message."""
    given: dict[str, int] = {}
    errors: list[FieldError] = []
    for option in ordered:
        name = field_id("points", option.key)
        raw = (form.get(name) or "").strip()
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            errors.append(
                FieldError(name, _l("Enter the points for %(title)s as a whole number, like 3", title=option.title))
            )
            continue
        if value < 0:
            errors.append(
                FieldError(name, _l("The points for %(title)s cannot be negative: enter 0 or more", title=option.title))
            )
        elif value:
            given[option.key] = value
    if errors:
        raise PaperFormError(errors)
    return given


def form_values(ballot: Ballot, options: Sequence[BallotOption], content: Any) -> list[tuple[str, str]]:
    """The form fields that submit ``content`` again (for the check-your-answers page)."""
    kind = ballot.kind
    if kind is BallotKind.RESOLUTION:
        return [("choice", str(content))]
    if kind in (BallotKind.APPROVAL, BallotKind.PB):
        return [("choice", key) for key in content]
    if kind is BallotKind.RANKED:
        return [(field_id("rank", key), str(number)) for number, key in enumerate(content, start=1)]
    if kind is BallotKind.DIVISION:
        return [(field_id("amount", key), pounds_text(pence)) for key, pence in content.items()]
    if kind is BallotKind.POINTS:
        return [(field_id("points", key), str(value)) for key, value in content.items()]
    return []


def pounds_text(pence: int) -> str:
    """Pence as a plain pounds figure for an input box: ``1500`` or ``1500.50``."""
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"


def form_state(ballot: Ballot, options: Sequence[BallotOption], form: Any) -> dict[str, Any]:
    """What the person had entered, to show the form again as they left it."""
    state: dict[str, Any] = {"choices": set(form.getlist("choice")), "choice": form.get("choice", "")}
    for option in options:
        for prefix in ("rank", "amount", "points"):
            name = field_id(prefix, option.key)
            if name in form:
                state[name] = form.get(name, "")
    return state


def summary_rows(ballot: Ballot, options: Sequence[BallotOption], content: Any) -> list[tuple[str, str]]:
    """``(label, value)`` rows describing ``content`` for the person who is about to cast it."""
    titles = {o.key: o.title for o in options}
    costs = {o.key: o.cost_pence for o in options}
    kind = ballot.kind
    if kind is BallotKind.RESOLUTION:
        return [(_l("Your vote"), RESOLUTION_LABELS.get(content, str(content)))]
    if kind is BallotKind.APPROVAL:
        return [(_l("Your choices"), "\n".join(titles[k] for k in _in_order(options, content)))]
    if kind is BallotKind.PB:
        chosen = _in_order(options, content)
        lines = [f"{titles[k]} ({money(costs[k])})" for k in chosen]
        total = sum(costs[k] or 0 for k in chosen)
        return [(_l("Your projects"), "\n".join(lines)), (_l("Total cost"), money(total))]
    if kind is BallotKind.RANKED:
        return [(_l("Choice %(number)s", number=n), titles[k]) for n, k in enumerate(content, start=1)]
    if kind is BallotKind.DIVISION:
        return [(titles[k], money(v)) for k, v in content.items()]
    if kind is BallotKind.POINTS:
        return [(titles[k], str(content[k])) for k in _in_order(options, list(content))]
    return []


def _in_order(options: Sequence[BallotOption], keys: Sequence[str]) -> list[str]:
    chosen = set(keys)
    return [k for k in _keys(options) if k in chosen]
