"""Members younger than their class's minimum age (learners under 18): they join and vote with a guardian's consent."""

from __future__ import annotations

from datetime import date

from app.governance.models import Member, MemberClass


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def needs_guardian_consent(line: Member, member_class: MemberClass | None, day: date) -> bool:
    """Whether a member younger than their class's minimum age still lacks a parent's or carer's consent."""
    if member_class is None or member_class.min_age is None or line.date_of_birth is None:
        return False
    return age_on(line.date_of_birth, day) < member_class.min_age and line.guardian_consent_on is None
