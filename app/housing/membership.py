"""The one place the housing module asks the governance core for a membership application.

A tenant who accepts the co-op's offer applies to the co-op's tenants class;
the committee then admits them through the register pages (the governance
core), which give the membership number and issue the share.
"""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.governance.models import Member, MemberClass, MemberStatus, Society


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
    """Create the tenant's application (an ``applicant`` line of the register) and flush it.

    The caller has checked that the person has no live line in the society.
    """
    # TODO(lead): switch to app.governance.operations.apply_for_membership once merged
    line = Member(
        society_id=society.id,
        member_class_id=member_class.id,
        user_id=user_id,
        name=name,
        address=address,
        postcode=postcode,
        email=email,
        status=MemberStatus.APPLICANT,
        applied_on=applied_on,
    )
    db.session.add(line)
    db.session.flush()
    return line
