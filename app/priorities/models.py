"""A priorities exercise: one ballot per neighbourhood, made from a template at the same time.

The ballots themselves are ordinary ballots (``app.voting``) with
``module="priorities"``; an exercise only groups them, so the council-wide
results page can put the neighbourhoods side by side.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk


class PrioritiesExercise(CouncilScoped, Timestamps, Base):
    """One priorities exercise: its title, the template it came from and the ballots' kind."""

    __tablename__ = "priorities_exercises"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A key of app.priorities.catalogue.TEMPLATES (kept as text: templates are code, not rows).
    template: Mapped[str] = mapped_column(String(40))
    # The ballots' kind: approval, ranked or points (app.voting.models.BallotKind values).
    kind: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PrioritiesBallot(CouncilScoped, Base):
    """The ballot of one neighbourhood in an exercise."""

    __tablename__ = "priorities_ballots"
    __table_args__ = (
        council_fk(["exercise_id"], "priorities_exercises", ondelete="CASCADE"),
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        council_fk(["neighbourhood_id"], "neighbourhoods", ondelete="RESTRICT"),
        UniqueConstraint("council_id", "exercise_id", "neighbourhood_id"),
        UniqueConstraint("council_id", "ballot_id"),
    )

    exercise_id: Mapped[int] = mapped_column(BigInteger, index=True)
    ballot_id: Mapped[int] = mapped_column(BigInteger)
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)
