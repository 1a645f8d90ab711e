"""Forms for the ballot pages (Flask-WTF, so each carries a CSRF token).

Numbers and money are typed as text and read here, so a person gets a
message in words ("Enter the budget in pounds, like 25000") rather than a
browser's. Fields a ballot's kind does not use are left out of the page and
ignored here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.auth.models import Role
from app.i18n import _l
from app.i18n import gettext as _
from app.voting import rules, timing
from app.voting.electorate import ROLE_LABELS
from app.voting.models import BallotKind
from app.voting.papers import parse_pounds
from app.web.dates import parse_date

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs

    def SelectChoice(value: str, label: str) -> tuple[str, str]:  # type: ignore[no-redef]
        return (value, label)


def choices(pairs: Any) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class PaperForm(FlaskForm):
    """The ballot paper: the choices are read from ``request.form`` by ``app.voting.papers``."""


class DetailsForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter a title")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Length(max=10_000, message=_l("Description must be 10,000 characters or fewer"))],
    )
    kind = RadioField(
        _l("Kind of ballot"),
        choices=choices((k.value, label) for k, label in rules.KIND_LABELS.items()),
        validators=[InputRequired(_l("Choose the kind of ballot"))],
    )
    module = SelectField(_l("Service"), choices=[])

    def kind_value(self) -> BallotKind:
        return BallotKind(self.kind.data)


class RulesForm(FlaskForm):
    method = RadioField(_l("How the votes are counted"), choices=[], validate_choice=False)
    seats = StringField(_l("Number of winners"), filters=[_strip])
    max_approvals = StringField(_l("Most options a voter may choose (optional)"), filters=[_strip])
    points = StringField(_l("Points each voter shares out"), filters=[_strip])
    max_per_option = StringField(_l("Most points a voter may give one option (optional)"), filters=[_strip])
    budget = StringField(_l("Budget"), filters=[_strip])
    utility = RadioField(_l("Voter satisfaction"), choices=choices(rules.UTILITY_LABELS.items()), validate_choice=False)
    threshold = RadioField(
        _l("Majority needed"), choices=choices(rules.THRESHOLD_LABELS.items()), validate_choice=False
    )
    base = RadioField(_l("Majority counted over"), choices=choices(rules.BASE_LABELS.items()), validate_choice=False)
    quorum_count = StringField(_l("Quorum: members needed (optional)"), filters=[_strip])
    quorum_percent = StringField(_l("Quorum: share of all members, as a percentage (optional)"), filters=[_strip])
    proxies_count_as_present = RadioField(
        _l("Do members voting by proxy count as present?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validate_choice=False,
    )
    proxy_cap = StringField(_l("Most proxies one person may hold (optional)"), filters=[_strip])
    tie_break_rule = RadioField(
        _l("How ties are broken"), choices=choices(rules.TIE_BREAK_RULES.items()), validate_choice=False
    )

    def fields_for(self, kind: BallotKind) -> list[str]:
        """The fields this kind uses, in page order."""
        extra = {
            BallotKind.APPROVAL: ["seats", "max_approvals"],
            BallotKind.RANKED: ["seats"],
            BallotKind.PB: ["budget", "utility"],
            BallotKind.DIVISION: ["budget"],
            BallotKind.POINTS: ["seats", "points", "max_per_option"],
            BallotKind.RESOLUTION: [
                "threshold",
                "base",
                "quorum_count",
                "quorum_percent",
                "proxies_count_as_present",
                "proxy_cap",
            ],
        }[kind]
        tie = [] if kind is BallotKind.RESOLUTION else ["tie_break_rule"]
        return ["method", *extra, *tie]

    def fill(self, kind: BallotKind, method: str, parameters: dict[str, Any], tie_break_rule: str) -> None:
        """Show a ballot's current rules."""
        p = parameters if isinstance(parameters, dict) else {}
        self.method.data = method
        self.tie_break_rule.data = tie_break_rule
        if "seats" in p:
            self.seats.data = str(p["seats"])
        if p.get("max_approvals") is not None:
            self.max_approvals.data = str(p["max_approvals"])
        if p.get("points") is not None:
            self.points.data = str(p["points"])
        if p.get("max_per_option") is not None:
            self.max_per_option.data = str(p["max_per_option"])
        if p.get("budget_pence"):
            self.budget.data = _pounds(p["budget_pence"])
        self.utility.data = p.get("utility")
        self.threshold.data = p.get("threshold")
        self.base.data = p.get("base")
        if p.get("quorum_count"):
            self.quorum_count.data = str(p["quorum_count"])
        share = _fraction(p.get("quorum_share"))
        if share:
            percent = share * 100
            self.quorum_percent.data = str(percent.numerator) if percent.denominator == 1 else f"{float(percent):g}"
        if "proxies_count_as_present" in p:
            self.proxies_count_as_present.data = "yes" if p["proxies_count_as_present"] else "no"
        if p.get("proxy_cap") is not None:
            self.proxy_cap.data = str(p["proxy_cap"])

    def parameters(self, kind: BallotKind) -> dict[str, Any] | None:
        """The parameters typed in, or ``None`` with messages on the fields."""
        self.method.choices = choices((m, rules.METHOD_LABELS[m]) for m in rules.methods_for(kind))
        if self.method.data not in rules.methods_for(kind):
            self.method.errors = [_("Choose how the votes are counted")]
        if kind is not BallotKind.RESOLUTION and self.tie_break_rule.data not in rules.TIE_BREAK_RULES:
            self.tie_break_rule.errors = [_("Choose how ties are broken")]
        params: dict[str, Any] = {}
        if kind in rules.KINDS_WITH_SEATS:
            params["seats"] = _count(self.seats, "seats", minimum=1, required=True)
        if kind is BallotKind.APPROVAL:
            params["max_approvals"] = _count(self.max_approvals, "max_approvals", minimum=1)
        if kind is BallotKind.POINTS:
            params["points"] = _count(self.points, "points", minimum=1, required=True)
            params["max_per_option"] = _count(self.max_per_option, "max_per_option", minimum=1)
        if kind in (BallotKind.PB, BallotKind.DIVISION):
            pence = parse_pounds(self.budget.data) if self.budget.data else None
            if pence is None or pence <= 0:
                self.budget.errors = [_("Enter the budget in pounds, like 25000 or 25000.50")]
            params["budget_pence"] = pence
        if kind is BallotKind.PB:
            if self.utility.data not in rules.UTILITY_LABELS:
                self.utility.errors = [_("Choose how a voter's satisfaction is measured")]
            params["utility"] = self.utility.data
        if kind is BallotKind.RESOLUTION:
            params.update(self._resolution())
        if any(getattr(self, name).errors for name in self.fields_for(kind)):
            return None
        return params

    def _resolution(self) -> dict[str, Any]:
        if self.threshold.data not in rules.THRESHOLD_LABELS:
            self.threshold.errors = [_("Choose the majority the resolution needs")]
        if self.base.data not in rules.BASE_LABELS:
            self.base.errors = [_("Choose what the majority is counted over")]
        if self.proxies_count_as_present.data not in ("yes", "no"):
            self.proxies_count_as_present.errors = [_("Say whether members voting by proxy count as present")]
        share = Fraction(0)
        if self.quorum_percent.data:
            try:
                share = Fraction(self.quorum_percent.data.rstrip("%").strip()) / 100
            except (ValueError, ZeroDivisionError):
                self.quorum_percent.errors = [_("Enter the quorum as a percentage, like 10 or 12.5")]
            else:
                if not 0 <= share <= 1:
                    self.quorum_percent.errors = [_("Enter a percentage from 0 to 100")]
        return {
            "threshold": self.threshold.data,
            "base": self.base.data,
            "quorum_count": _count(self.quorum_count, "quorum_count", minimum=0) or 0,
            "quorum_share": str(share),
            "proxies_count_as_present": self.proxies_count_as_present.data == "yes",
            "proxy_cap": _count(self.proxy_cap, "proxy_cap", minimum=0),
        }


def _count(field: Any, name: str, *, minimum: int, required: bool = False) -> int | None:
    """A whole number from ``field`` (messages from ``_COUNT_MESSAGES[name]``), else ``None``."""
    blank, invalid = _COUNT_MESSAGES[name]
    raw = (field.data or "").replace(",", "")
    if not raw:
        if required:
            field.errors = [str(blank)]
        return None
    if not raw.isdigit() or int(raw) < minimum or int(raw) > 10_000_000:
        field.errors = [str(invalid) % {"minimum": minimum}]
        return None
    return int(raw)


# Whole sentences per field; ``%(minimum)s`` is filled in by ``_count``.
_COUNT_MESSAGES = {
    "seats": (
        _l("Enter the number of winners"),
        _l("Enter the number of winners as a whole number, %(minimum)s or more"),
    ),
    "max_approvals": (
        _l("Enter the most options a voter may choose"),
        _l("Enter the most options a voter may choose as a whole number, %(minimum)s or more"),
    ),
    "points": (
        _l("Enter the points each voter shares out"),
        _l("Enter the points each voter shares out as a whole number, %(minimum)s or more"),
    ),
    "max_per_option": (
        _l("Enter the most points for one option"),
        _l("Enter the most points for one option as a whole number, %(minimum)s or more"),
    ),
    "quorum_count": (
        _l("Enter the quorum"),
        _l("Enter the quorum as a whole number, %(minimum)s or more"),
    ),
    "proxy_cap": (
        _l("Enter the most proxies one person may hold"),
        _l("Enter the most proxies one person may hold as a whole number, %(minimum)s or more"),
    ),
}


def _pounds(pence: int) -> str:
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"


def _fraction(value: Any) -> Fraction | None:
    try:
        return Fraction(str(value)) if value not in (None, "") else None
    except (ValueError, ZeroDivisionError):
        return None


ELECTORATE_TYPES = {
    "council_role": _l("People with a particular role in the council"),
    "everyone_with_role_in_council": _l("Everyone registered with the council (any role)"),
}


class ElectorateForm(FlaskForm):
    type = RadioField(
        _l("Who can vote"),
        choices=choices(ELECTORATE_TYPES.items()),
        validators=[InputRequired(_l("Choose who can vote"))],
    )
    roles = SelectMultipleField(
        _l("Roles whose holders can vote"),
        choices=choices((r.value, ROLE_LABELS[r.value].capitalize()) for r in Role),
        validate_choice=False,
    )

    def electorate(self) -> dict[str, Any] | None:
        if self.type.data == "council_role":
            if not self.roles.data:
                self.roles.errors = [_("Choose at least one role")]
                return None
            return {"type": "council_role", "roles": list(self.roles.data)}
        return {"type": self.type.data}


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str | None) -> tuple[int, int] | None:
    """``(hour, minute)`` from ``18:00``, ``6pm``, ``6:30pm``, ``midday`` or ``midnight``; ``None`` if unreadable."""
    raw = (text or "").strip().lower().replace(" ", "")
    if raw in ("midday", "noon", "12noon"):
        return 12, 0
    if raw == "midnight":
        return 0, 0
    match = _TIME.match(raw)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour, minute


class WindowForm(FlaskForm):
    """Opening and closing times: a GOV.UK date input and a time, for each."""

    opens_day = StringField(filters=[_strip])
    opens_month = StringField(filters=[_strip])
    opens_year = StringField(filters=[_strip])
    opens_time = StringField(_l("Time"), filters=[_strip])
    closes_day = StringField(filters=[_strip])
    closes_month = StringField(filters=[_strip])
    closes_year = StringField(filters=[_strip])
    closes_time = StringField(_l("Time"), filters=[_strip])

    def fill(self, opens_at: datetime | None, closes_at: datetime | None) -> None:
        for prefix, moment in (("opens", opens_at), ("closes", closes_at)):
            if moment is None:
                continue
            local = timing.to_uk(moment)
            getattr(self, f"{prefix}_day").data = str(local.day)
            getattr(self, f"{prefix}_month").data = str(local.month)
            getattr(self, f"{prefix}_year").data = str(local.year)
            getattr(self, f"{prefix}_time").data = f"{local:%H:%M}"

    def moment(self, prefix: str) -> tuple[datetime | None, str | None]:
        """The typed time for ``prefix`` (``opens``/``closes``), ``None`` if left blank, or an error."""
        messages = _MOMENT_MESSAGES[prefix]
        parts = [getattr(self, f"{prefix}_{p}").data or "" for p in ("day", "month", "year", "time")]
        if not any(parts):
            return None, None
        day, month, year, clock = parts
        if not (day and month and year):
            return None, str(messages["incomplete"])
        when = parse_date(day, month, year, earliest=1, latest=9999)
        if not isinstance(when, date):
            return None, str(messages["unreal"])
        if not 2000 <= when.year <= 2200:
            return None, str(messages["out_of_range"])
        parsed = parse_time(clock)
        if parsed is None:
            return None, str(messages["time"])
        return timing.uk_datetime(when, *parsed), None


# Whole sentences for each of the window's two moments (the moment is never a placeholder).
_MOMENT_MESSAGES = {
    "opens": {
        "incomplete": _l("The date voting opens must include a day, month and year"),
        "unreal": _l("The date voting opens must be a real date"),
        "out_of_range": _l("The date voting opens must be a real date, like 27 3 2027"),
        "time": _l("Enter the time voting opens in 24-hour or 12-hour form, like 18:00 or 6pm"),
    },
    "closes": {
        "incomplete": _l("The date voting closes must include a day, month and year"),
        "unreal": _l("The date voting closes must be a real date"),
        "out_of_range": _l("The date voting closes must be a real date, like 27 3 2027"),
        "time": _l("Enter the time voting closes in 24-hour or 12-hour form, like 18:00 or 6pm"),
    },
}


class OptionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter a title")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    key = StringField(_l("Key (optional)"), filters=[_strip])
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[_strip],
        validators=[Length(max=5_000, message=_l("Description must be 5,000 characters or fewer"))],
    )
    cost = StringField(_l("Cost"), filters=[_strip])
    floor = StringField(_l("Least the council will spend on this line (optional)"), filters=[_strip])
    ceiling = StringField(_l("Most the council will spend on this line (optional)"), filters=[_strip])

    def money(self, name: str, *, required: bool = False) -> int | None:
        """Pence from the ``cost``, ``floor`` or ``ceiling`` field; ``None`` (with an error if needed) otherwise."""
        field = getattr(self, name)
        blank, invalid = _MONEY_MESSAGES[name]
        if not field.data:
            if required:
                field.errors = [*field.errors, str(blank)]
            return None
        pence = parse_pounds(field.data)
        if pence is None:
            field.errors = [*field.errors, str(invalid)]
        return pence


_MONEY_MESSAGES = {
    "cost": (_l("Enter the cost in pounds, like 15000"), _l("Enter the cost in pounds, like 15000 or 15000.50")),
    "floor": (
        _l("Enter the least the council will spend in pounds, like 15000"),
        _l("Enter the least the council will spend in pounds, like 15000 or 15000.50"),
    ),
    "ceiling": (
        _l("Enter the most the council will spend in pounds, like 15000"),
        _l("Enter the most the council will spend in pounds, like 15000 or 15000.50"),
    ),
}


class ReceiptForm(FlaskForm):
    code = StringField(_l("Receipt code"), filters=[_strip])
