"""Resident profiles: a person's standing as a resident of the current council.

Operations flush, never commit. Verification itself (letter codes, assisted
verification) is built on ``verify``; this module only records the outcome.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.extensions import db
from app.i18n import _l
from app.residents.models import ConsentKind, ConsentRecord, RegisterEntry, ResidentProfile, VerificationMethod


class ProfileError(ValueError):
    """A change to a profile that is not allowed; ``message`` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def profile_for(user_id: int) -> ResidentProfile | None:
    """The user's profile in the current council, if they have one."""
    return db.session.scalar(select(ResidentProfile).where(ResidentProfile.user_id == user_id))


def ensure_profile(user_id: int) -> ResidentProfile:
    """The user's profile in the current council, created (unverified) if needed."""
    profile = profile_for(user_id)
    if profile is None:
        profile = ResidentProfile(user_id=user_id)
        db.session.add(profile)
        db.session.flush()
    return profile


def verify(
    profile: ResidentProfile,
    *,
    how: VerificationMethod,
    neighbourhood_id: int,
    date_of_birth: date | None = None,
    register_entry: RegisterEntry | None = None,
    verified_by_user_id: int | None = None,
) -> ResidentProfile:
    """Record that ``profile`` is a verified resident of ``neighbourhood_id``.

    With a register entry, the neighbourhood and date of birth are the
    register's (what the council vouched for). Verifying again (a move of
    neighbourhood) replaces the earlier verification.
    """
    if register_entry is not None:
        neighbourhood_id = register_entry.neighbourhood_id
        date_of_birth = register_entry.date_of_birth
        profile.register_entry_id = register_entry.id
    if how is VerificationMethod.IN_PERSON and verified_by_user_id is None:
        raise ProfileError(_l("An in-person verification must name the officer who made it"))
    profile.neighbourhood_id = neighbourhood_id
    if date_of_birth is not None:
        profile.date_of_birth = date_of_birth
    profile.verified_at = datetime.now(UTC)
    profile.verified_how = how
    profile.verified_by_user_id = verified_by_user_id
    db.session.flush()
    return profile


def age_on(profile: ResidentProfile, day: date) -> int | None:
    """Age in whole years on ``day`` (None when the date of birth is not known)."""
    born = profile.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def give_consent(
    profile: ResidentProfile,
    kind: ConsentKind,
    *,
    wording_version: str,
    given_by_name: str | None = None,
    recorded_by_user_id: int | None = None,
) -> ConsentRecord:
    """Record a consent now. Parental consent must name the parent or carer who gave it."""
    if kind is ConsentKind.PARENTAL and not (given_by_name or "").strip():
        raise ProfileError(_l("Enter the name of the parent or carer giving consent"))
    record = ConsentRecord(
        profile_id=profile.id,
        kind=kind,
        wording_version=wording_version,
        given_by_name=(given_by_name or "").strip() or None,
        recorded_by_user_id=recorded_by_user_id,
        given_at=datetime.now(UTC),
    )
    db.session.add(record)
    db.session.flush()
    return record


def withdraw_consent(profile: ResidentProfile, kind: ConsentKind) -> int:
    """Withdraw every standing consent of ``kind``; returns how many were withdrawn. History is kept."""
    records = db.session.scalars(
        select(ConsentRecord).where(
            ConsentRecord.profile_id == profile.id, ConsentRecord.kind == kind, ConsentRecord.withdrawn_at.is_(None)
        )
    ).all()
    now = datetime.now(UTC)
    for record in records:
        record.withdrawn_at = now
    db.session.flush()
    return len(records)


def has_consent(profile: ResidentProfile, kind: ConsentKind) -> bool:
    """Whether a consent of ``kind`` is standing (given and not withdrawn)."""
    return (
        db.session.scalar(
            select(ConsentRecord.id)
            .where(
                ConsentRecord.profile_id == profile.id,
                ConsentRecord.kind == kind,
                ConsentRecord.withdrawn_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def consent_history(profile: ResidentProfile) -> list[ConsentRecord]:
    """Every consent record of ``profile``, oldest first."""
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.profile_id == profile.id)
            .order_by(ConsentRecord.given_at, ConsentRecord.id)
        )
    )
