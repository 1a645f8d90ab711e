"""Verifying residents: with the code from their letter, or in person by an officer.

``redeem_code`` looks the typed code up by its keyed hash, says exactly what is
wrong with it (unknown, replaced by a newer letter, expired, already used),
and otherwise marks it used and verifies the profile into the register
entry's neighbourhood. Marking it used is one conditional ``UPDATE ... WHERE
used_at IS NULL``: of two requests with the same code, the second waits for
the first's row lock and then updates nothing, so a code verifies one person once.

Operations flush, never commit.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import select, update

from app.audit.operations import record_event
from app.extensions import db
from app.i18n import _l
from app.letters import codes
from app.letters.models import VotingCode
from app.residents import profiles
from app.residents.models import RegisterEntry, ResidentProfile, VerificationMethod


class CodeProblem(enum.StrEnum):
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    USED = "used"


class Evidence(enum.StrEnum):
    """What an officer saw when verifying someone in person."""

    COUNCIL_TAX = "council_tax_bill"
    TENANCY = "tenancy_agreement"
    SCHOOL_LETTER = "school_letter"
    UTILITY_BILL = "utility_bill"
    OTHER = "other"


class Outcome:
    """What came of a typed code: the profile verified, or the problem."""

    def __init__(self, problem: CodeProblem | None = None, profile: ResidentProfile | None = None) -> None:
        self.problem = problem
        self.profile = profile

    @property
    def ok(self) -> bool:
        return self.problem is None


def redeem_code(profile: ResidentProfile, typed: str, *, now: datetime | None = None) -> Outcome:
    """Verify ``profile`` with the code typed, or say why not (flushes, never commits)."""
    now = now or datetime.now(UTC)
    try:
        code_hash = codes.hash_code(typed, codes.pepper_from_config(current_app.config))
    except codes.CodeFormatError:
        return Outcome(CodeProblem.MALFORMED)
    code = db.session.scalar(select(VotingCode).where(VotingCode.code_hash == code_hash))
    if code is None:
        return Outcome(CodeProblem.UNKNOWN)
    if code.used_at is not None:
        return Outcome(CodeProblem.USED)
    if code.superseded_at is not None:
        return Outcome(CodeProblem.SUPERSEDED)
    if codes.is_expired(code.expires_on, now):
        return Outcome(CodeProblem.EXPIRED)
    claimed = db.session.execute(
        update(VotingCode)
        .where(VotingCode.id == code.id, VotingCode.used_at.is_(None), VotingCode.superseded_at.is_(None))
        .values(used_at=now, used_by_user_id=profile.user_id)
        .returning(VotingCode.id)
    ).scalar()
    if claimed is None:  # someone else used it between our read and our write
        return Outcome(CodeProblem.USED)
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.id == code.register_entry_id))
    profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=0, register_entry=entry)
    # The audit entry names the code's row, never the code.
    record_event(
        "resident.verified_by_code",
        "resident_profile",
        profile.id,
        payload={"voting_code_id": code.id, "neighbourhood_id": entry.neighbourhood_id},
        actor_user_id=profile.user_id,
    )
    return Outcome(profile=profile)


def verify_in_person(
    profile: ResidentProfile,
    *,
    officer_id: int,
    officer_name: str,
    evidence: Evidence,
    register_entry: RegisterEntry | None = None,
    neighbourhood_id: int | None = None,
    date_of_birth: date | None = None,
) -> ResidentProfile:
    """An officer verifies ``profile`` after seeing ``evidence`` (flushes, never commits).

    Either a register entry (its neighbourhood and date of birth are used) or a
    neighbourhood and date of birth the officer checked.
    """
    if register_entry is None and (neighbourhood_id is None or date_of_birth is None):
        raise profiles.ProfileError(_l("Choose a register entry, or a neighbourhood and date of birth"))
    profiles.verify(
        profile,
        how=VerificationMethod.IN_PERSON,
        neighbourhood_id=neighbourhood_id or 0,
        date_of_birth=date_of_birth,
        register_entry=register_entry,
        verified_by_user_id=officer_id,
    )
    record_event(
        "resident.verified_in_person",
        "resident_profile",
        profile.id,
        payload={
            "officer": officer_name,
            "evidence": evidence.value,
            "register_entry_id": register_entry.id if register_entry else None,
            "neighbourhood_id": profile.neighbourhood_id,
        },
        actor_user_id=officer_id,
    )
    return profile
