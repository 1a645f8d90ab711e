"""Words for the housing pages: enum labels, target and clock texts, and field errors for GOV.UK macros."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.housing import targets
from app.housing.models import (
    HomeType,
    HousingRepair,
    OfferStatus,
    RepairCategory,
    RepairLocation,
    RepairStatus,
    SurveyStatus,
    TargetUnit,
    Urgency,
)
from app.housing.queries import deadline_of
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.i18n import ngettext
from app.voting import timing

CATEGORY = {
    RepairCategory.DAMP_MOULD: _l("Damp or mould"),
    RepairCategory.HEATING_HOT_WATER: _l("Heating or hot water"),
    RepairCategory.PLUMBING: _l("Plumbing, leaks or drains"),
    RepairCategory.ELECTRICAL: _l("Electrics or lighting"),
    RepairCategory.DOORS_WINDOWS: _l("Doors, windows or locks"),
    RepairCategory.ROOF_GUTTERS: _l("Roof or gutters"),
    RepairCategory.KITCHEN_BATHROOM: _l("Kitchen or bathroom fittings"),
    RepairCategory.COMMUNAL: _l("Shared areas (stairs, lifts, entrances)"),
    RepairCategory.OTHER: _l("Something else"),
}
URGENCY = {
    Urgency.EMERGENCY: _l("Emergency"),
    Urgency.URGENT: _l("Urgent"),
    Urgency.ROUTINE: _l("Routine"),
}
URGENCY_HINT = {
    Urgency.EMERGENCY: _l(
        "A danger to people or the building now, like no heating in winter, a flood or exposed wires"
    ),
    Urgency.URGENT: _l("Something that makes the home hard to live in, like a toilet that will not flush"),
    Urgency.ROUTINE: _l("Anything else, like a sticking door or a dripping tap"),
}
LOCATION = {
    RepairLocation.KITCHEN: _l("Kitchen"),
    RepairLocation.BATHROOM: _l("Bathroom or toilet"),
    RepairLocation.BEDROOM: _l("Bedroom"),
    RepairLocation.LIVING_ROOM: _l("Living room"),
    RepairLocation.HALL_STAIRS: _l("Hall or stairs"),
    RepairLocation.OUTSIDE: _l("Outside (garden, walls, roof)"),
    RepairLocation.COMMUNAL_AREA: _l("Shared area of the building"),
    RepairLocation.WHOLE_HOME: _l("The whole home"),
}
STATUS = {
    RepairStatus.REPORTED: _l("Reported"),
    RepairStatus.ASSIGNED: _l("Given to a contractor"),
    RepairStatus.IN_PROGRESS: _l("In progress"),
    RepairStatus.COMPLETED: _l("Completed"),
    RepairStatus.CANCELLED: _l("Cancelled"),
}
STATUS_TAG = {
    RepairStatus.REPORTED: "govuk-tag--grey",
    RepairStatus.ASSIGNED: "govuk-tag--blue",
    RepairStatus.IN_PROGRESS: "govuk-tag--light-blue",
    RepairStatus.COMPLETED: "govuk-tag--green",
    RepairStatus.CANCELLED: "govuk-tag--grey",
}
HOME_TYPE = {
    HomeType.FLAT: _l("Flat"),
    HomeType.MAISONETTE: _l("Maisonette"),
    HomeType.HOUSE: _l("House"),
    HomeType.BUNGALOW: _l("Bungalow"),
    HomeType.BEDSIT: _l("Bedsit"),
}
UNIT = {
    TargetUnit.HOURS: _l("hours"),
    TargetUnit.CALENDAR_DAYS: _l("calendar days"),
    TargetUnit.WORKING_DAYS: _l("working days (Monday to Friday)"),
}
OFFER = {
    OfferStatus.NONE: _l("No offer"),
    OfferStatus.OFFERED: _l("Offered"),
    OfferStatus.ACCEPTED: _l("Accepted: application made"),
    OfferStatus.DECLINED: _l("Declined"),
}
SURVEY_STATUS = {
    SurveyStatus.DRAFT: _l("Draft"),
    SurveyStatus.OPEN: _l("Open"),
    SurveyStatus.CLOSED: _l("Closed"),
}
THRESHOLD = {
    "simple_majority": _l("A simple majority of votes cast (more for than against)"),
    "two_thirds": _l("Two thirds of votes cast"),
    "three_quarters": _l("Three quarters of votes cast"),
}
SATISFACTION = {
    1: _l("Very satisfied"),
    2: _l("Fairly satisfied"),
    3: _l("Neither satisfied nor dissatisfied"),
    4: _l("Fairly dissatisfied"),
    5: _l("Very dissatisfied"),
}


def error_for(errors: Mapping[str, str] | None, name: str) -> dict[str, str] | None:
    """A GOV.UK ``errorMessage`` for field ``name``, or None."""
    if errors and name in errors:
        return {"text": str(errors[name])}
    return None


def target_text(amount: int, unit: TargetUnit) -> str:
    if unit is TargetUnit.HOURS:
        return ngettext("%(num)d hour", "%(num)d hours", amount)
    if unit is TargetUnit.CALENDAR_DAYS:
        return ngettext("%(num)d calendar day", "%(num)d calendar days", amount)
    return ngettext("%(num)d working day", "%(num)d working days", amount)


def target_of(target: targets.Target) -> str:
    return target_text(target.amount, target.unit)


def span_text(seconds: int) -> str:
    """A span as days and hours (or hours and minutes when under a day)."""
    days, hours, minutes = targets.describe_span(seconds)
    if days:
        return _(
            "%(days)s and %(hours)s",
            days=ngettext("%(num)d day", "%(num)d days", days),
            hours=ngettext("%(num)d hour", "%(num)d hours", hours),
        )
    if hours:
        return _(
            "%(hours)s and %(minutes)s",
            hours=ngettext("%(num)d hour", "%(num)d hours", hours),
            minutes=ngettext("%(num)d minute", "%(num)d minutes", minutes),
        )
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def clock_of(repair: HousingRepair, now: datetime | None = None) -> dict[str, Any]:
    """What the repair's clock shows: the deadline (UK time), time left or overdue, and which milestone."""
    moment = now or timing.now()
    stopped = repair.status in (RepairStatus.COMPLETED, RepairStatus.CANCELLED)
    milestone = (
        "make_safe" if repair.make_safe_by is not None else ("investigate" if repair.make_safe_days else "complete")
    )
    state = targets.clock(deadline_of(repair), moment, milestone=milestone, stopped=stopped)
    deadline = timing.format_datetime(deadline_of(repair))
    if stopped:
        if repair.status is RepairStatus.COMPLETED:
            met = repair.completed_at <= deadline_of(repair)
            text = _("Completed within the target") if met else _("Completed after the target")
            return {"text": text, "overdue": not met, "stopped": True, "deadline": deadline}
        return {"text": _("Cancelled"), "overdue": False, "stopped": True, "deadline": deadline}
    what = {
        "complete": _("to complete the repair"),
        "investigate": _("to investigate the damp or mould"),
        "make_safe": _("to make the home safe"),
    }[milestone]
    if state.overdue:
        text = _("Overdue by %(span)s (%(what)s)", span=span_text(state.seconds), what=what)
    else:
        text = _("%(span)s left %(what)s", span=span_text(state.seconds), what=what)
    return {"text": text, "overdue": state.overdue, "stopped": False, "deadline": deadline}


def _key(value: Any) -> str:
    return str(getattr(value, "value", value))


def radio_items(words: Mapping[Any, Any], current: Any, hints: Mapping[Any, Any] | None = None) -> list[dict[str, Any]]:
    """GOV.UK radio items from a mapping of value to label, the current value checked."""
    chosen = "" if current is None else str(current)
    items = []
    for value, label in words.items():
        item: dict[str, Any] = {"value": _key(value), "text": str(label), "checked": _key(value) == chosen}
        if hints and value in hints:
            item["hint"] = {"text": str(hints[value])}
        items.append(item)
    return items


def select_items(words: Mapping[Any, Any], current: Any, blank: Any = None) -> list[dict[str, Any]]:
    """GOV.UK select items from a mapping of value to label (with a blank first choice when given)."""
    chosen = "" if current is None else str(current)
    items = [{"value": "", "text": str(blank), "selected": chosen == ""}] if blank is not None else []
    items += [{"value": _key(v), "text": str(label), "selected": _key(v) == chosen} for v, label in words.items()]
    return items


def row_items(rows: Any, current: int | None, blank: Any) -> list[dict[str, Any]]:
    """GOV.UK select items for rows with ``id`` and ``name`` (contractors, co-ops, blocks), blank first."""
    chosen = "" if current is None else str(current)
    items = [{"value": "", "text": str(blank), "selected": chosen == ""}]
    items += [{"value": str(r.id), "text": r.name, "selected": str(r.id) == chosen} for r in rows]
    return items


BALLOT_STATUS = {
    "draft": _l("Draft"),
    "scheduled": _l("Scheduled"),
    "open": _l("Open for voting"),
    "closed": _l("Closed, waiting for the count"),
    "counted": _l("Counted"),
    "published": _l("Result published"),
}


def estate_list(ids: Any, names: Mapping[int, str]) -> str:
    """The names of the estates with these ids, in alphabetical order."""
    return ", ".join(sorted(names[i] for i in ids or [] if i in names))


def answer_labels(question: Any) -> Mapping[int, Any]:
    """The answers to a survey question, "does not apply" last."""
    from app.housing.survey import NOT_APPLICABLE, labels_for

    words = labels_for(question)
    return {k: words[k] for k in (1, 2, 3, 4, 5, NOT_APPLICABLE)}
