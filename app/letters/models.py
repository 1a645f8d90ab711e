"""Tables of voting-code letters.

* ``LetterRun``: one officer's request to print letters, the job's outcome,
  and the two files it made (the PDF and the mail-merge CSV). The files are
  kept in the database, deferred so listings never load them: the web process
  and the worker then need no shared folder, the files commit in the same
  transaction as the codes they print (no file without codes, no codes without
  a file), and the council's row-level security guards them like any other
  council data. They hold plain codes, so an officer can delete them once printed.
* ``VotingCode``: one code per register entry per run, stored only as its
  keyed hash (``app.letters.codes.hash_code``). A code is live until it
  expires, is used (``used_at``), or a later run supersedes it.
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
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class RunScope(enum.StrEnum):
    ALL = "all"  # everyone on the register; their earlier codes are superseded
    MISSING = "missing"  # only people without a live code


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    FINISHED = "finished"
    EMPTY = "empty"  # nobody needed a letter
    FAILED = "failed"


class LetterRun(CouncilScoped, Timestamps, Base):
    """One print run of voting-code letters and its files."""

    __tablename__ = "letter_runs"

    scope: Mapped[RunScope] = mapped_column(value_enum(RunScope, "letter_run_scope"))
    status: Mapped[RunStatus] = mapped_column(value_enum(RunStatus, "letter_run_status"), default=RunStatus.QUEUED)
    job_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    valid_days: Mapped[int] = mapped_column(Integer)
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    letters: Mapped[int | None] = mapped_column(Integer)
    superseded: Mapped[int | None] = mapped_column(Integer)
    expires_on: Mapped[date | None] = mapped_column(Date)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    csv: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    files_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VotingCode(CouncilScoped, Timestamps, Base):
    """One resident's one-time code from one run, stored hashed."""

    __tablename__ = "voting_codes"
    __table_args__ = (
        UniqueConstraint("council_id", "code_hash"),
        council_fk(
            ["register_entry_id"], "resident_register", ondelete="CASCADE", name="fk_voting_codes_register_entry"
        ),
        council_fk(["run_id"], "letter_runs", ondelete="CASCADE", name="fk_voting_codes_run"),
        Index("ix_voting_codes_council_id_register_entry_id", "council_id", "register_entry_id"),
    )

    register_entry_id: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[int] = mapped_column(BigInteger)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[date] = mapped_column(Date)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
