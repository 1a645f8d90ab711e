"""Delivery of funded youth services: commissions to providers, their status, sessions and attendance.

Flush, never commit. A commission moves commissioned → in delivery →
delivered, or to cancelled (with a reason the public sees) from either of the
first two. Sessions are recorded one day at a time or as a month's total;
recording the first sessions moves a commission into delivery. Nothing here
holds personal data: attendance is a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.voting import timing
from app.youth.models import (
    CommissionStatus,
    YouthCommission,
    YouthDeliveryRecord,
    YouthProposal,
    YouthProvider,
    YouthRound,
    YouthServiceType,
)
from app.youth.operations import MAX_SESSIONS, YouthError, _clean, _event
from app.youth.voting import funded_proposals

STATUS_LABELS = {
    CommissionStatus.COMMISSIONED: _l("Commissioned"),
    CommissionStatus.IN_DELIVERY: _l("In delivery"),
    CommissionStatus.DELIVERED: _l("Delivered"),
    CommissionStatus.CANCELLED: _l("Cancelled"),
}
# Where each status may go next.
NEXT = {
    CommissionStatus.COMMISSIONED: {CommissionStatus.IN_DELIVERY, CommissionStatus.CANCELLED},
    CommissionStatus.IN_DELIVERY: {CommissionStatus.DELIVERED, CommissionStatus.CANCELLED},
    CommissionStatus.DELIVERED: set(),
    CommissionStatus.CANCELLED: set(),
}
MAX_ATTENDANCE = 1_000_000


class DeliveryConflict(YouthError):
    status = 409


def commission(
    round_: YouthRound, proposal: YouthProposal, *, provider_id: int | None, by: User | int | None
) -> YouthCommission:
    """Commission a funded proposal to one of the council's providers (once per proposal)."""
    if proposal.round_id != round_.id:
        raise YouthError(_("This proposal is not part of this round"))
    if proposal.id not in {p.id for p in funded_proposals(round_)}:
        raise DeliveryConflict(_("Only a proposal the published vote funded can be commissioned."))
    if db.session.scalar(select(YouthCommission.id).where(YouthCommission.proposal_id == proposal.id)) is not None:
        raise DeliveryConflict(_("This proposal has already been commissioned."))
    if (
        provider_id is None
        or db.session.scalar(select(YouthProvider.id).where(YouthProvider.id == provider_id)) is None
    ):
        raise YouthError(_("Choose one of the council's providers"), "provider_id")
    row = YouthCommission(
        round_id=round_.id, proposal_id=proposal.id, provider_id=provider_id, status=CommissionStatus.COMMISSIONED
    )
    db.session.add(row)
    db.session.flush()
    _event("commissioned", "youth_commission", row.id, by, proposal_id=proposal.id, provider_id=provider_id)
    return row


def change_status(
    row: YouthCommission, status: CommissionStatus | str | None, *, reason: str = "", by: User | int | None
) -> YouthCommission:
    """Move a commission on; cancelling needs a reason (shown on the public progress page)."""
    try:
        status = CommissionStatus(status)
    except ValueError:
        raise YouthError(_("Choose a status"), "status") from None
    if status not in NEXT[row.status]:
        raise DeliveryConflict(
            _(
                "A commission with the status “%(now)s” cannot change to “%(next)s”.",
                now=STATUS_LABELS[row.status],
                next=STATUS_LABELS[status],
            )
        )
    reason = _clean(
        reason,
        "reason",
        2_000,
        blank=_("Enter a reason") if status is CommissionStatus.CANCELLED else None,
        too_long=_("The reason must be %(limit)s characters or fewer"),
    )
    row.status = status
    row.cancel_reason = reason if status is CommissionStatus.CANCELLED else ""
    db.session.flush()
    _event("commission_status", "youth_commission", row.id, by, status=status.value, reason=reason)
    return row


def record_sessions(
    row: YouthCommission,
    *,
    held_on: date | None,
    sessions: int | None,
    attendance: int | None,
    by: User | int | None,
) -> YouthDeliveryRecord:
    """Record sessions held on a day (or in a month, dated its first day) and how many attended in total."""
    if row.status not in (CommissionStatus.COMMISSIONED, CommissionStatus.IN_DELIVERY):
        raise DeliveryConflict(_("Sessions can only be recorded while a service is commissioned or in delivery."))
    if held_on is None:
        raise YouthError(_("Enter the date the sessions were held"), "held_on")
    if held_on > timing.today():
        raise YouthError(_("The date must be today or in the past"), "held_on")
    if sessions is None or not 1 <= sessions <= MAX_SESSIONS:
        raise YouthError(_("Enter a number of sessions between 1 and %(most)s", most=f"{MAX_SESSIONS:,}"), "sessions")
    if attendance is None or not 0 <= attendance <= MAX_ATTENDANCE:
        raise YouthError(_("Enter the number who attended, 0 or more"), "attendance")
    record = YouthDeliveryRecord(commission_id=row.id, held_on=held_on, sessions=sessions, attendance=attendance)
    db.session.add(record)
    if row.status is CommissionStatus.COMMISSIONED:
        row.status = CommissionStatus.IN_DELIVERY
    db.session.flush()
    _event(
        "sessions_recorded",
        "youth_commission",
        row.id,
        by,
        held_on=held_on.isoformat(),
        sessions=sessions,
        attendance=attendance,
    )
    return record


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """One funded service's progress, as the public sees it (no personal data)."""

    proposal: YouthProposal
    service: str
    provider: str | None
    commission: YouthCommission | None
    sessions_planned: int
    sessions_delivered: int
    attendance: int

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.commission.status]) if self.commission else _("Not commissioned yet")


def _delivered_totals(commission_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not commission_ids:
        return {}
    rows = db.session.execute(
        select(
            YouthDeliveryRecord.commission_id,
            func.sum(YouthDeliveryRecord.sessions),
            func.sum(YouthDeliveryRecord.attendance),
        )
        .where(YouthDeliveryRecord.commission_id.in_(commission_ids))
        .group_by(YouthDeliveryRecord.commission_id)
    ).all()
    return {cid: (int(s), int(a)) for cid, s, a in rows}


def progress(round_: YouthRound, neighbourhood_id: int | None = None) -> list[Progress]:
    """Every funded proposal of the round (optionally one neighbourhood's), with its delivery so far."""
    funded = [p for p in funded_proposals(round_) if neighbourhood_id is None or p.neighbourhood_id == neighbourhood_id]
    commissions = {
        c.proposal_id: c
        for c in db.session.scalars(select(YouthCommission).where(YouthCommission.round_id == round_.id))
    }
    totals = _delivered_totals([c.id for c in commissions.values()])
    service_names = dict(
        db.session.execute(
            select(YouthServiceType.id, YouthServiceType.name).where(YouthServiceType.round_id == round_.id)
        ).all()
    )
    provider_names = dict(db.session.execute(select(YouthProvider.id, YouthProvider.name)).all())
    lines = []
    for proposal in funded:
        row = commissions.get(proposal.id)
        delivered, attended = totals.get(row.id, (0, 0)) if row else (0, 0)
        lines.append(
            Progress(
                proposal=proposal,
                service=service_names.get(proposal.service_type_id, ""),
                provider=provider_names.get(row.provider_id) if row else None,
                commission=row,
                sessions_planned=proposal.estimated_sessions or 0,
                sessions_delivered=delivered,
                attendance=attended,
            )
        )
    return lines


def records(row: YouthCommission) -> list[YouthDeliveryRecord]:
    return list(
        db.session.scalars(
            select(YouthDeliveryRecord)
            .where(YouthDeliveryRecord.commission_id == row.id)
            .order_by(YouthDeliveryRecord.held_on, YouthDeliveryRecord.id)
        )
    )


@dataclass(frozen=True)
class DeliveryFigures:
    """A council's youth delivery in numbers, for the benchmarking dashboard."""

    funded: int  # proposals funded by published votes
    funded_pence: int  # their reviewed cost
    commissioned: int
    delivered: int  # commissions delivered in full
    cancelled: int
    sessions_planned: int
    sessions_delivered: int
    attendance: int


def council_delivery_figures() -> DeliveryFigures:
    """Delivery figures across every round of the current council (reads under the council's context)."""
    lines = [line for round_ in db.session.scalars(select(YouthRound)) for line in progress(round_)]
    statuses = [line.commission.status for line in lines if line.commission]
    return DeliveryFigures(
        funded=len(lines),
        funded_pence=sum(line.proposal.estimated_cost_pence or 0 for line in lines),
        commissioned=len(statuses),
        delivered=statuses.count(CommissionStatus.DELIVERED),
        cancelled=statuses.count(CommissionStatus.CANCELLED),
        sessions_planned=sum(line.sessions_planned for line in lines),
        sessions_delivered=sum(line.sessions_delivered for line in lines),
        attendance=sum(line.attendance for line in lines),
    )
