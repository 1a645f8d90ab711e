"""Resident figures for the benchmarking dashboard (``app.modules.benchmarking.providers``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.modules.benchmarking.figures import Figure, collect, day_start, rate
from app.residents.models import ResidentProfile
from tenants.context import current_council_id
from tenants.models import Council


def council_figures(start: date, end: date) -> dict[str, Figure]:
    """Residents verified by the end of the period per 1,000 of the council's population."""
    verified = db.session.scalar(
        select(func.count()).select_from(ResidentProfile).where(ResidentProfile.verified_at < day_start(end))
    )
    population = db.session.scalar(select(Council.population).where(Council.id == current_council_id()))
    return collect(residents_verified_per_1000=rate(int(verified or 0), population or 0, per=1000))
