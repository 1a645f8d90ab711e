"""The one place the housing module asks the governance core for a membership application.

A tenant who accepts the co-op's offer applies to the co-op's tenants class
through :func:`app.governance.operations.apply_for_membership` (so the same
checks and audit apply as to any application); the committee then admits them
through the register pages, which give the membership number and issue the
share.
"""

from __future__ import annotations

from datetime import date

from app.governance import operations as governance
from app.governance.models import Member, MemberClass, Society


class MembershipRefused(Exception):
    """The governance core refused the application; ``message`` says why, for the tenant."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def apply_as_tenant(
    society: Society,
    member_class: MemberClass,
    *,
    name: str,
    address: str,
    postcode: str,
    email: str,
    user_id: int | None,
    applied_on: date,
) -> Member:
    """Make the tenant's application (an ``applicant`` line of the register) and flush it.

    The caller has checked that the person has no live line in the society;
    anything else the core refuses (an address it cannot take) is raised as
    :class:`MembershipRefused` with the core's message.
    """
    try:
        return governance.apply_for_membership(
            society,
            member_class,
            name=name,
            address=address,
            postcode=postcode,
            email=email,
            user_id=user_id,
            applied_on=applied_on,
            by_user=user_id,
        )
    except governance.GovernanceError as refused:
        raise MembershipRefused(refused.message) from None
