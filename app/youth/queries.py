"""Reads for the youth pages: permissions, rounds, budgets, the catalogue and proposals."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import func, select

from app.auth.roles import current_council_role
from app.extensions import db
from app.youth.models import ProposalStatus, YouthBudget, YouthProposal, YouthProvider, YouthRound, YouthServiceType
from tenants.models import Neighbourhood

MODULE = "youth"


def can_manage() -> bool:
    """Council administrators, officers with the youth module, and platform administrators."""
    if not current_user.is_authenticated:
        return False
    if current_user.is_platform_admin:
        return True
    role = current_council_role()
    return role is not None and role.can_manage(MODULE)


def belongs_to_council() -> bool:
    """Signed in with a role in this council (residents, officers, administrators)."""
    return current_user.is_authenticated and current_council_role() is not None


def rounds() -> list[YouthRound]:
    return list(
        db.session.scalars(select(YouthRound).order_by(YouthRound.proposals_open_on.desc(), YouthRound.id.desc()))
    )


@dataclass(frozen=True)
class BudgetLine:
    neighbourhood: Neighbourhood
    amount_pence: int | None  # None: not taking part in the round


def budget_lines(round_: YouthRound, *, only_taking_part: bool = False) -> list[BudgetLine]:
    """Every neighbourhood of the council with its budget in the round, by name."""
    amounts = dict(
        db.session.execute(
            select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence).where(YouthBudget.round_id == round_.id)
        ).all()
    )
    lines = [
        BudgetLine(n, amounts.get(n.id)) for n in db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name))
    ]
    return [line for line in lines if line.amount_pence is not None] if only_taking_part else lines


def budget_for(round_: YouthRound, neighbourhood_id: int) -> int | None:
    return db.session.scalar(
        select(YouthBudget.amount_pence).where(
            YouthBudget.round_id == round_.id, YouthBudget.neighbourhood_id == neighbourhood_id
        )
    )


def providers() -> list[YouthProvider]:
    return list(db.session.scalars(select(YouthProvider).order_by(YouthProvider.name)))


def services(round_: YouthRound) -> list[tuple[YouthServiceType, YouthProvider | None]]:
    """The round's catalogue, by name, each with its provider (if one is set)."""
    return list(
        db.session.execute(
            select(YouthServiceType, YouthProvider)
            .outerjoin(YouthProvider, YouthProvider.id == YouthServiceType.provider_id)
            .where(YouthServiceType.round_id == round_.id)
            .order_by(YouthServiceType.name)
        ).all()
    )


def service_names(round_: YouthRound) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(YouthServiceType.id, YouthServiceType.name).where(YouthServiceType.round_id == round_.id)
        ).all()
    )


def neighbourhood_names() -> dict[int, str]:
    return dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())


def proposals(round_: YouthRound, status: ProposalStatus | None = None) -> list[YouthProposal]:
    query = select(YouthProposal).where(YouthProposal.round_id == round_.id)
    if status is not None:
        query = query.where(YouthProposal.status == status)
    return list(db.session.scalars(query.order_by(YouthProposal.created_at, YouthProposal.id)))


def proposal_counts(round_: YouthRound) -> dict[ProposalStatus, int]:
    rows = db.session.execute(
        select(YouthProposal.status, func.count())
        .where(YouthProposal.round_id == round_.id)
        .group_by(YouthProposal.status)
    ).all()
    counts = {status: 0 for status in ProposalStatus}
    counts.update(dict(rows))
    return counts


def accepted_in(round_: YouthRound, neighbourhood_id: int) -> list[YouthProposal]:
    return list(
        db.session.scalars(
            select(YouthProposal)
            .where(
                YouthProposal.round_id == round_.id,
                YouthProposal.neighbourhood_id == neighbourhood_id,
                YouthProposal.status == ProposalStatus.ACCEPTED,
            )
            .order_by(YouthProposal.title, YouthProposal.id)
        )
    )


def submitted_count_in(round_: YouthRound, neighbourhood_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(YouthProposal)
        .where(YouthProposal.round_id == round_.id, YouthProposal.neighbourhood_id == neighbourhood_id)
    )


def my_proposals(user_id: int) -> list[tuple[YouthProposal, YouthRound]]:
    """The person's own proposals in every round, newest first."""
    return list(
        db.session.execute(
            select(YouthProposal, YouthRound)
            .join(YouthRound, YouthRound.id == YouthProposal.round_id)
            .where(YouthProposal.proposer_id == user_id)
            .order_by(YouthProposal.created_at.desc(), YouthProposal.id.desc())
        ).all()
    )
