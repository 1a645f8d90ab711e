"""Benchmarking tables: a council's own figures and choices (council-scoped), and what it has published (global).

``benchmark_figures``, ``benchmark_sharing`` and ``benchmark_peers`` are council
data under row-level security like any other. ``benchmark_published`` is the
one global table: it holds only what councils chose to share, after disclosure
control, and it names the council as ``publisher_id`` (not ``council_id``)
because every council may read it. Its own RLS policies let anyone read it and
a council write only its own rows (see the migration), so the publish step of
one council cannot touch another's figures.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, value_enum
from app.modules.benchmarking.disclosure import Visibility


class FigureSource(enum.StrEnum):
    COMPUTED = "computed"  # by the nightly job, from the council's own data
    UPLOADED = "uploaded"  # by an officer, for a metric the platform cannot compute


class BenchmarkFigure(CouncilScoped, Timestamps, Base):
    """A council's own figure for one metric and period (month or quarter starting ``period_start``)."""

    __tablename__ = "benchmark_figures"
    __table_args__ = (UniqueConstraint("council_id", "metric_code", "period_start"),)

    metric_code: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    source: Mapped[FigureSource] = mapped_column(value_enum(FigureSource, "benchmark_figure_source"))


class BenchmarkSharing(CouncilScoped, Timestamps, Base):
    """Who may see the council's figures for one metric, and the embargo date before which nobody else may."""

    __tablename__ = "benchmark_sharing"
    __table_args__ = (UniqueConstraint("council_id", "metric_code"),)

    metric_code: Mapped[str] = mapped_column(String(60))
    visibility: Mapped[Visibility] = mapped_column(
        value_enum(Visibility, "benchmark_visibility"), default=Visibility.PRIVATE
    )
    embargo_until: Mapped[date | None] = mapped_column(Date)


class BenchmarkPeer(CouncilScoped, Base):
    """A council in this council's own peer group."""

    __tablename__ = "benchmark_peers"
    __table_args__ = (UniqueConstraint("council_id", "peer_council_id"),)

    peer_council_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("councils.id", ondelete="CASCADE"))


class PublishedFigure(Base):
    """A published figure: global, written only by the publishing council's publish step.

    ``value`` is None when disclosure control suppressed it; nothing else about
    the figure (numerator, denominator, raw value) is ever stored here.
    """

    __tablename__ = "benchmark_published"
    __table_args__ = (
        CheckConstraint("visibility <> 'private'", name="never_private"),
        CheckConstraint("suppressed = (value IS NULL)", name="suppressed_has_no_value"),
        # Covering: the network and council pages read every council's figure for a metric and period
        # from the index alone (rows are stored council by council, as each council publishes).
        Index(
            "ix_benchmark_published_metric_period",
            "metric_code",
            "period_start",
            postgresql_include=["publisher_id", "visibility", "value"],
        ),
    )

    publisher_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True
    )
    metric_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    visibility: Mapped[Visibility] = mapped_column(value_enum(Visibility, "benchmark_visibility"))
    value: Mapped[float | None] = mapped_column(Float)
    suppressed: Mapped[bool] = mapped_column(Boolean)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
