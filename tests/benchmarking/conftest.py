"""Two councils with published benchmarking figures, their officers, and a resident.

``home`` shares turnout publicly, repairs with the network, keeps TSM private
and holds youth turnout under embargo; its staff count (7) is suppressed.
``other`` publishes the same metrics publicly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.modules.benchmarking import operations
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.figures import Figure
from app.modules.benchmarking.models import FigureSource
from app.voting import timing
from tenants.context import council_context

MONTH = date(2026, 9, 1)
SECRET_TSM = 61.234  # private: must never reach another council
SECRET_STAFF = 7  # suppressed: must never be published


@dataclass
class World:
    home: Any
    other: Any
    home_officer: User
    other_officer: User
    resident: User


def fig(value: float, denominator: float | None = None) -> Figure:
    return Figure(value=value, numerator=None, denominator=denominator)


@pytest.fixture
def world(active_db, create_council, create_user, grant_role) -> World:
    home = create_council(slug=f"home-{uuid.uuid4().hex[:6]}", name="Homeshire Council", population=150_000)
    other = create_council(slug=f"other-{uuid.uuid4().hex[:6]}", name="Otherborough Council", population=300_000)
    home_officer, other_officer, resident = create_user(), create_user(), create_user()
    grant_role(home_officer, home, Role.OFFICER)
    grant_role(other_officer, other, Role.OFFICER)
    grant_role(resident, other, Role.RESIDENT)
    today = timing.today()
    everything = {
        "priorities_turnout": fig(37.5, 400),
        "housing_repairs_within_target": fig(88.8, 250),
        "housing_tsm_overall_satisfaction": fig(SECRET_TSM, 300),
        "youth_turnout": fig(22.2, 90),
        "care_members_staff": fig(SECRET_STAFF),
        "care_members_people_supported": fig(41),
        "care_members_carers": fig(23),
        "care_members_total": fig(71),
    }
    home_choices = {
        "priorities_turnout": (Visibility.PUBLIC, None),
        "housing_repairs_within_target": (Visibility.NETWORK, None),
        "housing_tsm_overall_satisfaction": (Visibility.PRIVATE, None),
        "youth_turnout": (Visibility.PUBLIC, today + timedelta(days=30)),
        "care_members_staff": (Visibility.PUBLIC, None),
        "care_members_people_supported": (Visibility.PUBLIC, None),
        "care_members_carers": (Visibility.PUBLIC, None),
        "care_members_total": (Visibility.PUBLIC, None),
    }
    with council_context(home.id):
        operations.store_figures(MONTH, everything, FigureSource.COMPUTED)
        operations.set_sharing(home_choices, today=today, actor_user_id=None)
    with council_context(other.id):
        operations.store_figures(
            MONTH,
            {
                "priorities_turnout": fig(45.0, 500),
                "housing_repairs_within_target": fig(70.0, 100),
                "housing_tsm_overall_satisfaction": fig(80.0, 200),
            },
            FigureSource.COMPUTED,
        )
        operations.set_sharing(
            {
                c: (Visibility.PUBLIC, None)
                for c in ("priorities_turnout", "housing_repairs_within_target", "housing_tsm_overall_satisfaction")
            },
            today=today,
            actor_user_id=None,
        )
    active_db.session.commit()
    return World(home, other, home_officer, other_officer, resident)
