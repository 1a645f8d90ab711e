"""Tables of the residents package.

* ``RegisterEntry``: one person on the council's register of eligible
  residents, as imported from the council's CSV file (``reference`` is the
  council's own id for them, unique per council).
* ``PostcodeNeighbourhood``: the postcode → neighbourhood lookup.
* ``RegisterImport``: one uploaded file and what became of it. The file is
  kept only until its job has run (it holds personal data), the problems
  found (line, column, message: no cell values) are kept for the report page.
* ``ResidentProfile`` and ``ConsentRecord``: a person's standing as a resident
  of a council, once verified, and the consents they (or a parent or carer)
  gave, each with its own timestamps.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class RegisterEntry(CouncilScoped, Timestamps, Base):
    """A person on the register of eligible residents."""

    __tablename__ = "resident_register"
    __table_args__ = (
        UniqueConstraint("council_id", "reference"),
        council_fk(
            ["neighbourhood_id"], "neighbourhoods", ondelete="RESTRICT", name="fk_resident_register_neighbourhood"
        ),
        Index("ix_resident_register_council_id_postcode", "council_id", "postcode"),
        Index("ix_resident_register_council_id_neighbourhood_id", "council_id", "neighbourhood_id"),
    )

    reference: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    postcode: Mapped[str] = mapped_column(String(8))  # normalised: "OL16 1AB"
    date_of_birth: Mapped[date] = mapped_column(Date)
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)


class PostcodeNeighbourhood(CouncilScoped, Timestamps, Base):
    """Which neighbourhood a postcode is in (one row per postcode per council)."""

    __tablename__ = "postcode_neighbourhoods"
    __table_args__ = (
        UniqueConstraint("council_id", "postcode"),
        council_fk(
            ["neighbourhood_id"], "neighbourhoods", ondelete="CASCADE", name="fk_postcode_neighbourhoods_neighbourhood"
        ),
    )

    postcode: Mapped[str] = mapped_column(String(8))
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)


class ImportKind(enum.StrEnum):
    REGISTER = "register"
    POSTCODES = "postcodes"


class ImportMode(enum.StrEnum):
    """What a register file does to the register already there.

    ``REPLACE``: the file is the whole register. People in it are added or
    updated (matched by reference); people not in it are removed.
    ``UPSERT``: people in the file are added or updated; nobody is removed.
    A postcode lookup file always replaces the whole lookup.
    """

    REPLACE = "replace"
    UPSERT = "upsert"


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    REJECTED = "rejected"  # the file had problems: nothing was written
    FINISHED = "finished"
    FAILED = "failed"  # the job stopped on an error of ours


class RegisterImport(CouncilScoped, Timestamps, Base):
    """One uploaded register or postcode file and its outcome."""

    __tablename__ = "register_imports"

    kind: Mapped[ImportKind] = mapped_column(value_enum(ImportKind, "register_import_kind"))
    mode: Mapped[ImportMode] = mapped_column(value_enum(ImportMode, "register_import_mode"))
    status: Mapped[ImportStatus] = mapped_column(
        value_enum(ImportStatus, "register_import_status"), default=ImportStatus.QUEUED
    )
    filename: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The uploaded bytes, until the job has read them; deferred so listing imports never loads them.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    job_id: Mapped[str] = mapped_column(String(200))
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rows: Mapped[int | None] = mapped_column(Integer)
    added: Mapped[int | None] = mapped_column(Integer)
    updated: Mapped[int | None] = mapped_column(Integer)
    unchanged: Mapped[int | None] = mapped_column(Integer)
    removed: Mapped[int | None] = mapped_column(Integer)
    problem_count: Mapped[int | None] = mapped_column(Integer)
    # [[line, column, English message, {"msgid": ..., "params": ...}], ...]: the first PROBLEM_LIMIT
    # problems, never a cell's personal data. The message id and values let the report page translate
    # each problem (app.i18n.stored); rows from before that have only the first three.
    problems: Mapped[list | None] = mapped_column(JSONB)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VerificationMethod(enum.StrEnum):
    LETTER_CODE = "letter_code"  # a one-time code from a posted letter
    IN_PERSON = "in_person"  # an officer checked evidence (assisted verification)


class ResidentProfile(CouncilScoped, Timestamps, Base):
    """A person's standing as a resident of one council.

    Unverified until ``verified_at`` is set; a verified resident belongs to
    ``neighbourhood_id``. ``date_of_birth`` drives age rules (youth ballots).
    """

    __tablename__ = "resident_profiles"
    __table_args__ = (
        UniqueConstraint("council_id", "user_id"),
        council_fk(
            ["neighbourhood_id"], "neighbourhoods", ondelete="RESTRICT", name="fk_resident_profiles_neighbourhood"
        ),
        council_fk(
            ["register_entry_id"], "resident_register", ondelete="SET NULL", name="fk_resident_profiles_register_entry"
        ),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    neighbourhood_id: Mapped[int | None] = mapped_column(BigInteger)
    register_entry_id: Mapped[int | None] = mapped_column(BigInteger)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_how: Mapped[VerificationMethod | None] = mapped_column(
        value_enum(VerificationMethod, "resident_verification_method")
    )
    verified_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class ConsentKind(enum.StrEnum):
    TERMS = "terms"  # the council's terms for taking part
    CONTACT = "contact"  # emails about phases and results
    PARENTAL = "parental"  # a parent or carer agrees a young person's vote counts


class ConsentRecord(CouncilScoped, Base):
    """A consent given, and when it was withdrawn; never edited otherwise, so the history stays."""

    __tablename__ = "resident_consents"
    __table_args__ = (
        council_fk(["profile_id"], "resident_profiles", ondelete="CASCADE", name="fk_resident_consents_profile"),
        Index("ix_resident_consents_council_id_profile_id", "council_id", "profile_id"),
    )

    profile_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[ConsentKind] = mapped_column(value_enum(ConsentKind, "resident_consent_kind"))
    # Which wording was agreed to (a version label the page showed).
    wording_version: Mapped[str] = mapped_column(String(40))
    # For parental consent: who gave it (as they typed it); None when the resident consented themselves.
    given_by_name: Mapped[str | None] = mapped_column(String(200))
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
