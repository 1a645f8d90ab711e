"""Youth round writes: rounds, budgets, providers, the catalogue, proposals and decisions. Flush, never commit.

Phase rules live here, not in the views: proposals are taken only while the
round is in its proposals phase; budgets, the catalogue and decisions on
proposals are fixed once voting opens (:class:`PhaseError`, HTTP 409). Every
change is recorded in the council's audit chain with the person who made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.voting import timing
from app.youth.models import (
    Phase,
    ProposalStatus,
    YouthBudget,
    YouthProposal,
    YouthProvider,
    YouthRound,
    YouthServiceType,
)
from app.youth.phases import EDITABLE_PHASES, PHASE_STARTS, current_phase
from tenants.models import Neighbourhood

# The catalogue a new round starts with (name, what it is, pence per session); officers edit it.
DEFAULT_SERVICES: tuple[tuple[str, str, int], ...] = (
    ("Youth club sessions", "An evening youth club with activities, food and trained youth workers.", 45_000),
    ("Sport", "Coached sport sessions: football, basketball, boxing, dance or swimming.", 30_000),
    ("Arts", "Music, drama, art, film or creative writing workshops.", 35_000),
    ("Mentoring", "One-to-one mentoring with a trained adult mentor.", 6_000),
    (
        "Detached youth work",
        "Youth workers meeting young people where they spend time, on the streets and in parks.",
        40_000,
    ),
    ("Careers advice", "Advice on jobs, apprenticeships, training and college.", 25_000),
)

MAX_SESSIONS = 10_000
MAX_PENCE = 10**13  # £100 billion: any larger figure is a typing mistake


class YouthError(Exception):
    """A refused change, with the message to show and the form field it is about."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PhaseError(YouthError):
    """The round's phase does not allow this change (HTTP 409)."""

    status = 409


def _user_id(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


def _event(action: str, subject_type: str, subject_id: int, by: User | int | None, **payload: Any) -> None:
    record_event(f"youth.{action}", subject_type, subject_id, payload=payload, actor_user_id=_user_id(by))


def phase_of(round_: YouthRound, today: date | None = None) -> Phase:
    """The round's current phase (UK calendar day)."""
    return current_phase(round_, today or timing.today())


def _require_editable(round_: YouthRound, message: str) -> None:
    """Refuse (``message``, HTTP 409) once voting has opened; the caller names what is fixed in a whole sentence."""
    phase = phase_of(round_)
    if phase not in EDITABLE_PHASES:
        raise PhaseError(message)


# --- rounds --------------------------------------------------------------------------------------


# One whole sentence per phase (a phase's name changes form inside a Welsh sentence, so it is not a placeholder).
_MISSING_START = {
    "proposals_open_on": _l("Enter the date the proposals phase starts"),
    "review_opens_on": _l("Enter the date the officer review phase starts"),
    "voting_opens_on": _l("Enter the date the voting phase starts"),
    "results_on": _l("Enter the date the results phase starts"),
    "delivery_on": _l("Enter the date the delivery phase starts"),
}
_STARTS_TOO_EARLY = {
    "review_opens_on": _l("The officer review phase must start on or after the proposals phase"),
    "voting_opens_on": _l("The voting phase must start on or after the officer review phase"),
    "results_on": _l("The results phase must start on or after the voting phase"),
    "delivery_on": _l("The delivery phase must start on or after the results phase"),
}


def date_problems(dates: Mapping[str, date | None]) -> dict[str, str]:
    """Problems with a round's phase dates, by column name (missing, or out of order).

    Each phase is compared with the one just before it; when that one is missing
    it already has its own message, and the order is checked once it is entered.
    """
    problems: dict[str, str] = {}
    previous: date | None = None
    for _phase, column in PHASE_STARTS:
        day = dates.get(column)
        if day is None:
            problems[column] = str(_MISSING_START[column])
        elif previous is not None and day < previous:
            problems[column] = str(_STARTS_TOO_EARLY[column])
        previous = day
    return problems


def _check_round(title: str, dates: Mapping[str, date | None], min_age: int | None, max_age: int | None) -> str:
    title = (title or "").strip()
    if not title:
        raise YouthError(_("Enter a title"), "title")
    if len(title) > 200:
        raise YouthError(_("Title must be 200 characters or fewer"), "title")
    problems = date_problems(dates)
    if problems:
        column, message = next(iter(problems.items()))
        raise YouthError(message, column)
    for value, field in ((min_age, "min_age"), (max_age, "max_age")):
        if value is not None and not 0 <= value <= 120:
            raise YouthError(_("Ages must be between 0 and 120"), field)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise YouthError(_("The youngest age must not be more than the oldest age"), "max_age")
    return title


def create_round(
    *,
    title: str,
    description: str = "",
    dates: Mapping[str, date | None],
    min_age: int | None = None,
    max_age: int | None = None,
    by: User | int | None,
) -> YouthRound:
    """A new round, with the default catalogue of services (editable until voting opens)."""
    title = _check_round(title, dates, min_age, max_age)
    round_ = YouthRound(
        title=title,
        description=(description or "").strip(),
        min_age=min_age,
        max_age=max_age,
        **{column: dates[column] for _phase, column in PHASE_STARTS},
    )
    db.session.add(round_)
    db.session.flush()
    for name, text, cost in DEFAULT_SERVICES:
        db.session.add(YouthServiceType(round_id=round_.id, name=name, description=text, unit_cost_pence=cost))
    db.session.flush()
    _event("round_created", "youth_round", round_.id, by, title=title, **_round_facts(round_))
    return round_


def _round_facts(round_: YouthRound) -> dict[str, Any]:
    facts: dict[str, Any] = {column: getattr(round_, column).isoformat() for _phase, column in PHASE_STARTS}
    facts.update(
        min_age=round_.min_age,
        max_age=round_.max_age,
        phase_override=round_.phase_override.value if round_.phase_override else None,
    )
    return facts


def update_round(
    round_: YouthRound,
    *,
    title: str,
    description: str = "",
    dates: Mapping[str, date | None],
    min_age: int | None = None,
    max_age: int | None = None,
    phase_override: Phase | None = None,
    by: User | int | None,
) -> YouthRound:
    """Change a round's details, phase dates, who may vote, and the officer's phase override.

    Who may vote is part of the vote's rules, so it is fixed once voting opens.
    """
    title = _check_round(title, dates, min_age, max_age)
    if (min_age, max_age) != (round_.min_age, round_.max_age):
        _require_editable(round_, _("Voting has opened in this round, so who may vote can no longer be changed."))
    round_.title = title
    round_.description = (description or "").strip()
    for _phase, column in PHASE_STARTS:
        setattr(round_, column, dates[column])
    round_.min_age, round_.max_age = min_age, max_age
    round_.phase_override = phase_override
    db.session.flush()
    _event("round_updated", "youth_round", round_.id, by, title=title, **_round_facts(round_))
    return round_


# --- budgets -------------------------------------------------------------------------------------


def set_budgets(round_: YouthRound, amounts: Mapping[int, int | None], *, by: User | int | None) -> dict[int, int]:
    """Set each neighbourhood's budget (pence); ``None`` removes the neighbourhood from the round.

    Every id must be one of this council's neighbourhoods, and every amount
    whole, not negative pence; nothing is written unless all are.
    """
    _require_editable(round_, _("Voting has opened in this round, so budgets can no longer be changed."))
    known = set(db.session.scalars(select(Neighbourhood.id)))
    for neighbourhood_id, pence in amounts.items():
        if neighbourhood_id not in known:
            raise YouthError(_("Choose neighbourhoods of this council only"))
        if pence is not None and not (isinstance(pence, int) and 0 <= pence <= MAX_PENCE):
            raise YouthError(_("Budgets must be amounts of money of £0 or more"), f"budget-{neighbourhood_id}")
    existing = {
        b.neighbourhood_id: b for b in db.session.scalars(select(YouthBudget).where(YouthBudget.round_id == round_.id))
    }
    changed: dict[int, int] = {}
    for neighbourhood_id, pence in amounts.items():
        budget = existing.get(neighbourhood_id)
        if pence is None:
            if budget is not None:
                db.session.delete(budget)
                changed[neighbourhood_id] = 0
        elif budget is None:
            db.session.add(YouthBudget(round_id=round_.id, neighbourhood_id=neighbourhood_id, amount_pence=pence))
            changed[neighbourhood_id] = pence
        elif budget.amount_pence != pence:
            budget.amount_pence = pence
            changed[neighbourhood_id] = pence
    db.session.flush()
    if changed:
        _event("budgets_set", "youth_round", round_.id, by, budgets={str(k): v for k, v in changed.items()})
    return changed


# --- providers and the catalogue -----------------------------------------------------------------


def _clean(text: str | None, field: str, limit: int, *, blank: str | None, too_long: str) -> str:
    """``text`` stripped, or :class:`YouthError` on ``field``.

    ``blank`` is the whole message for an empty value (``None`` when the field
    may be empty); ``too_long`` is the whole message for one over ``limit``
    characters, with a ``%(limit)s`` placeholder filled in here.
    """
    value = (text or "").strip()
    if blank is not None and not value:
        raise YouthError(blank, field)
    if len(value) > limit:
        raise YouthError(too_long % {"limit": f"{limit:,}"}, field)
    return value


def _unique_provider_name(name: str, provider: YouthProvider | None) -> None:
    query = select(YouthProvider.id).where(YouthProvider.name == name)
    if provider is not None:
        query = query.where(YouthProvider.id != provider.id)
    if db.session.scalar(query) is not None:
        raise YouthError(_("There is already a provider called %(name)s", name=name), "name")


def save_provider(
    provider: YouthProvider | None, *, name: str, contact: str = "", notes: str = "", by: User | int | None
) -> YouthProvider:
    """Add a provider (``provider`` is ``None``) or change one."""
    name = _clean(
        name, "name", 200, blank=_("Enter a name"), too_long=_("The name must be %(limit)s characters or fewer")
    )
    contact = _clean(
        contact, "contact", 254, blank=None, too_long=_("Contact details must be %(limit)s characters or fewer")
    )
    notes = _clean(notes, "notes", 10_000, blank=None, too_long=_("Notes must be %(limit)s characters or fewer"))
    _unique_provider_name(name, provider)
    action = "provider_updated"
    if provider is None:
        provider = YouthProvider()
        db.session.add(provider)
        action = "provider_added"
    provider.name, provider.contact, provider.notes = name, contact, notes
    db.session.flush()
    _event(action, "youth_provider", provider.id, by, name=name)
    return provider


def save_service_type(
    round_: YouthRound,
    service: YouthServiceType | None,
    *,
    name: str,
    description: str = "",
    provider_id: int | None,
    unit_cost_pence: int | None,
    by: User | int | None,
) -> YouthServiceType:
    """Add a service to the round's catalogue (``service`` is ``None``) or change one, before voting opens."""
    _require_editable(
        round_, _("Voting has opened in this round, so the catalogue of services can no longer be changed.")
    )
    name = _clean(
        name, "name", 120, blank=_("Enter a name"), too_long=_("The name must be %(limit)s characters or fewer")
    )
    description = _clean(
        description,
        "description",
        10_000,
        blank=None,
        too_long=_("The description must be %(limit)s characters or fewer"),
    )
    if unit_cost_pence is None or not 0 <= unit_cost_pence <= MAX_PENCE:
        raise YouthError(_("Enter the cost of one session, like 450 or 450.50"), "unit_cost")
    if (
        provider_id is not None
        and db.session.scalar(select(YouthProvider.id).where(YouthProvider.id == provider_id)) is None
    ):
        raise YouthError(_("Choose one of the council's providers"), "provider_id")
    clash = select(YouthServiceType.id).where(YouthServiceType.round_id == round_.id, YouthServiceType.name == name)
    if service is not None:
        clash = clash.where(YouthServiceType.id != service.id)
    if db.session.scalar(clash) is not None:
        raise YouthError(_("This round already has a service called %(name)s", name=name), "name")
    action = "service_updated"
    if service is None:
        service = YouthServiceType(round_id=round_.id)
        db.session.add(service)
        action = "service_added"
    service.name, service.description = name, description
    service.provider_id, service.unit_cost_pence = provider_id, unit_cost_pence
    db.session.flush()
    _event(
        action,
        "youth_service_type",
        service.id,
        by,
        round_id=round_.id,
        name=name,
        provider_id=provider_id,
        unit_cost_pence=unit_cost_pence,
    )
    return service


# --- proposals -----------------------------------------------------------------------------------


def submit_proposal(
    round_: YouthRound,
    *,
    neighbourhood_id: int | None,
    service_type_id: int | None,
    title: str,
    description: str,
    audience: str,
    sessions_wanted: int | None,
    by: User,
) -> YouthProposal:
    """A resident's proposal of a service for a neighbourhood, during the proposals phase only."""
    if phase_of(round_) is not Phase.PROPOSALS:
        raise PhaseError(_("This round is not taking proposals at the moment."))
    budgeted = set(db.session.scalars(select(YouthBudget.neighbourhood_id).where(YouthBudget.round_id == round_.id)))
    if neighbourhood_id not in budgeted:
        raise YouthError(_("Choose a neighbourhood taking part in this round"), "neighbourhood_id")
    services = set(db.session.scalars(select(YouthServiceType.id).where(YouthServiceType.round_id == round_.id)))
    if service_type_id not in services:
        raise YouthError(_("Choose a type of service"), "service_type_id")
    title = _clean(
        title, "title", 200, blank=_("Enter a title"), too_long=_("The title must be %(limit)s characters or fewer")
    )
    description = _clean(
        description,
        "description",
        5_000,
        blank=_("Enter a description"),
        too_long=_("The description must be %(limit)s characters or fewer"),
    )
    audience = _clean(
        audience,
        "audience",
        500,
        blank=_("Enter who the service is for"),
        too_long=_("Who the service is for must be %(limit)s characters or fewer"),
    )
    if sessions_wanted is None or not 1 <= sessions_wanted <= MAX_SESSIONS:
        raise YouthError(
            _("Enter a number of sessions between 1 and %(most)s", most=f"{MAX_SESSIONS:,}"), "sessions_wanted"
        )
    proposal = YouthProposal(
        round_id=round_.id,
        neighbourhood_id=neighbourhood_id,
        service_type_id=service_type_id,
        proposer_id=by.id,
        title=title,
        description=description,
        audience=audience,
        sessions_wanted=sessions_wanted,
        status=ProposalStatus.SUBMITTED,
    )
    db.session.add(proposal)
    db.session.flush()
    _event(
        "proposal_submitted",
        "youth_proposal",
        proposal.id,
        by,
        round_id=round_.id,
        neighbourhood_id=neighbourhood_id,
        service_type_id=service_type_id,
    )
    return proposal


def decide_proposal(
    round_: YouthRound,
    proposal: YouthProposal,
    *,
    decision: ProposalStatus,
    reason: str,
    feasibility: str = "",
    estimated_sessions: int | None,
    by: User | int | None,
) -> YouthProposal:
    """Accept or reject a proposal with the officer's review, before voting opens.

    Rejection needs a reason (the proposer sees it). Acceptance needs the
    sessions the officer estimates, so the proposal has a cost: estimated
    sessions times the service's unit cost, fixed at the time of the decision.
    A decision may be changed until voting opens.
    """
    if proposal.round_id != round_.id:
        raise YouthError(_("This proposal is not part of this round"))
    _require_editable(round_, _("Voting has opened in this round, so decisions on proposals can no longer be changed."))
    if decision not in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise YouthError(_("Choose accept or reject"), "decision")
    reason = _clean(
        reason,
        "reason",
        5_000,
        blank=_("Enter a reason") if decision is ProposalStatus.REJECTED else None,
        too_long=_("The reason must be %(limit)s characters or fewer"),
    )
    feasibility = _clean(
        feasibility,
        "feasibility",
        5_000,
        blank=None,
        too_long=_("Feasibility notes must be %(limit)s characters or fewer"),
    )
    if estimated_sessions is not None and not 1 <= estimated_sessions <= MAX_SESSIONS:
        raise YouthError(
            _("Enter a number of sessions between 1 and %(most)s", most=f"{MAX_SESSIONS:,}"), "estimated_sessions"
        )
    if decision is ProposalStatus.ACCEPTED and estimated_sessions is None:
        raise YouthError(_("Enter the number of sessions the cost is based on"), "estimated_sessions")
    service = db.session.scalar(select(YouthServiceType).where(YouthServiceType.id == proposal.service_type_id))
    proposal.status = decision
    proposal.decision_reason = reason
    proposal.feasibility = feasibility
    proposal.estimated_sessions = estimated_sessions
    proposal.unit_cost_pence = service.unit_cost_pence if service is not None else None
    proposal.decided_by_id = _user_id(by)
    proposal.decided_at = datetime.now(UTC)
    db.session.flush()
    _event(
        "proposal_decided",
        "youth_proposal",
        proposal.id,
        by,
        round_id=round_.id,
        decision=decision.value,
        reason=reason,
        estimated_sessions=estimated_sessions,
        estimated_cost_pence=proposal.estimated_cost_pence,
    )
    return proposal


# --- hooks for the voting stage ------------------------------------------------------------------


@dataclass(frozen=True)
class CostedProposal:
    """An accepted proposal as a vote will offer it: a stable key, its words and its cost."""

    proposal_id: int
    key: str
    title: str
    description: str
    service: str
    cost_pence: int


def accepted_proposals(round_: YouthRound) -> dict[int, list[CostedProposal]]:
    """Accepted proposals of the round, with costs, by neighbourhood id (each list by title)."""
    rows = db.session.execute(
        select(YouthProposal, YouthServiceType.name)
        .join(YouthServiceType, YouthServiceType.id == YouthProposal.service_type_id)
        .where(YouthProposal.round_id == round_.id, YouthProposal.status == ProposalStatus.ACCEPTED)
        .order_by(YouthProposal.title, YouthProposal.id)
    ).all()
    grouped: dict[int, list[CostedProposal]] = {}
    for proposal, service_name in rows:
        grouped.setdefault(proposal.neighbourhood_id, []).append(
            CostedProposal(
                proposal_id=proposal.id,
                key=f"youth-{proposal.id}",
                title=proposal.title,
                description=proposal.description,
                service=service_name,
                cost_pence=proposal.estimated_cost_pence or 0,
            )
        )
    return grouped


def ballot_option_specs(round_: YouthRound, neighbourhood_id: int) -> list[dict[str, Any]]:
    """Keyword arguments for ``app.voting.operations.add_option``, one per accepted proposal.

    The voting stage creates a PB ballot per neighbourhood (budget from
    :class:`YouthBudget`) and adds these as its options.
    """
    return [
        {"key": p.key, "title": p.title, "description": p.description, "cost_pence": p.cost_pence}
        for p in accepted_proposals(round_).get(neighbourhood_id, [])
    ]
