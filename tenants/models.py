"""The tenant and the council-level records every module relies on."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Identity, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, value_enum


class CouncilType(enum.StrEnum):
    METROPOLITAN_BOROUGH = "metropolitan_borough"
    LONDON_BOROUGH = "london_borough"
    UNITARY = "unitary"
    COUNTY = "county"
    DISTRICT = "district"
    SCOTTISH_COUNCIL = "scottish_council"
    WELSH_COUNCIL = "welsh_council"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Region(enum.StrEnum):
    NORTH_EAST = "north_east"
    NORTH_WEST = "north_west"
    YORKSHIRE_AND_THE_HUMBER = "yorkshire_and_the_humber"
    EAST_MIDLANDS = "east_midlands"
    WEST_MIDLANDS = "west_midlands"
    EAST_OF_ENGLAND = "east_of_england"
    LONDON = "london"
    SOUTH_EAST = "south_east"
    SOUTH_WEST = "south_west"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").title().replace(" And The ", " and the ").replace(" Of ", " of ")


class Council(Timestamps, Base):
    """A council: the tenant. Global table (no RLS): a council's own row is public knowledge."""

    __tablename__ = "councils"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("population >= 0", name="population_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    council_type: Mapped[CouncilType] = mapped_column(value_enum(CouncilType, "council_type"))
    region: Mapped[Region] = mapped_column(value_enum(Region, "region"))
    population: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class Neighbourhood(CouncilScoped, Timestamps, Base):
    """A ward or area inside a council, identified by its ONS ward code where it has one."""

    __tablename__ = "neighbourhoods"
    __table_args__ = (
        UniqueConstraint("council_id", "name"),
        UniqueConstraint("council_id", "ons_ward_code"),
        CheckConstraint("ons_ward_code ~ '^[EWSN][0-9]{8}$'", name="ons_ward_code_format"),
    )

    name: Mapped[str] = mapped_column(String(200))
    ons_ward_code: Mapped[str | None] = mapped_column(String(9))


class CouncilModule(CouncilScoped, Timestamps, Base):
    """Whether a council runs one of the modules in ``tenants.features.MODULES``."""

    __tablename__ = "council_modules"
    __table_args__ = (UniqueConstraint("council_id", "module"),)

    module: Mapped[str] = mapped_column(String(40))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
