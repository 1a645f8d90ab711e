"""A resident's personal data for residents' data rights (``app.privacy.registry``).

Covers the resident profile and its consents, the person's entry on the
council's register of eligible residents, and the voting codes posted to them
(with the letter runs that printed them).

Erasure deletes the profile (its consents go with it), the register entry and
the codes. The register is the council's import of its own records: if the
council's next register file still lists the person, the entry comes back, so
the officer completing the request is told to have the source records
corrected too (the confirmation page says so).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from app.extensions import db
from app.letters.models import LetterRun, VotingCode
from app.privacy.records import actions_as_officer, record, records, rows_where
from app.residents.models import ConsentRecord, RegisterEntry, RegisterImport, ResidentProfile


def _profile(user_id: int) -> ResidentProfile | None:
    return db.session.scalar(select(ResidentProfile).where(ResidentProfile.user_id == user_id))


def _codes(user_id: int, entry_id: int | None) -> list[VotingCode]:
    mine = VotingCode.used_by_user_id == user_id
    if entry_id is not None:
        mine = or_(mine, VotingCode.register_entry_id == entry_id)
    return list(db.session.scalars(select(VotingCode).where(mine).order_by(VotingCode.id)))


def export_for_user(user_id: int) -> dict[str, Any]:
    """The profile, consents, register entry, voting codes and the letters that carried them."""
    profile = _profile(user_id)
    entry_id = profile.register_entry_id if profile else None
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.id == entry_id)) if entry_id else None
    codes = _codes(user_id, entry_id)
    runs = rows_where(LetterRun.id, sorted({c.run_id for c in codes})) if codes else []
    return {
        "profile": record(profile) if profile else None,
        "consents": records(rows_where(ConsentRecord.profile_id, profile.id)) if profile else [],
        "register_entry": record(entry) if entry else None,
        "voting_codes": records(codes),
        "letters": records(runs, skip=("pdf", "csv", "job_id")),
        "as_officer": actions_as_officer(
            user_id,
            ResidentProfile.verified_by_user_id,
            ConsentRecord.recorded_by_user_id,
            RegisterImport.uploaded_by_user_id,
            LetterRun.requested_by_user_id,
        ),
    }


def erase_for_user(user_id: int) -> None:
    """Delete the voting codes, the profile with its consents, and the register entry."""
    profile = _profile(user_id)
    entry_id = profile.register_entry_id if profile else None
    for code in _codes(user_id, entry_id):
        db.session.delete(code)
    if profile is not None:
        db.session.execute(delete(ConsentRecord).where(ConsentRecord.profile_id == profile.id))
        db.session.delete(profile)
    db.session.flush()
    if entry_id is not None:
        db.session.execute(delete(RegisterEntry).where(RegisterEntry.id == entry_id))
    db.session.flush()
