"""The metric catalogue: every figure councils can compare, defined once, in code.

Each metric says what it measures in plain English, how it is computed, its
unit, which direction is better, the module it belongs to, the range a valid
figure lies in, and how often it is produced: monthly by the nightly job for
metrics the platform computes from a council's own data, quarterly by an
officer's upload for those it cannot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.i18n import LazyString
from app.i18n import lazy_gettext as _l


class Unit(enum.StrEnum):
    """What a figure is; the disclosure rules depend on it (see ``disclosure``)."""

    COUNT = "count"  # a number of people or things: the 10-5 rule
    PERCENT = "percent"  # a rate out of 100: suppressed when its denominator is small
    PER_THOUSAND = "per_thousand"  # a rate per 1,000
    RATIO = "ratio"  # a rate per one (members per pupil)
    POUNDS = "pounds"  # money per person: a rate
    DAYS = "days"  # a median over cases: suppressed when there are few cases

    @property
    def is_count(self) -> bool:
        return self is Unit.COUNT


class Better(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"  # computed by the nightly job
    QUARTERLY = "quarterly"  # uploaded by an officer


@dataclass(frozen=True)
class Metric:
    code: str
    name: LazyString
    unit: Unit
    better: Better
    module: str
    definition: LazyString
    computation: LazyString
    minimum: float
    maximum: float
    frequency: Frequency = Frequency.MONTHLY
    # Another metric whose parts this one is (``care_members_total`` = the sum of its parts).
    parts: tuple[str, ...] = ()

    @property
    def computed(self) -> bool:
        return self.frequency is Frequency.MONTHLY

    def in_range(self, value: float) -> bool:
        return self.minimum <= value <= self.maximum


_BIG = 10_000_000.0

_METRICS = (
    Metric(
        "priorities_turnout",
        _l("Turnout in neighbourhood priorities ballots"),
        Unit.PERCENT,
        Better.HIGHER,
        "priorities",
        _l("Of the residents who could vote in a priorities ballot that closed in the period, the share who voted."),
        _l("Votes cast in priorities ballots closed in the period, divided by the residents eligible to vote in them."),
        0,
        100,
    ),
    Metric(
        "youth_turnout",
        _l("Turnout in youth service ballots"),
        Unit.PERCENT,
        Better.HIGHER,
        "youth",
        _l(
            "Of the young people who could vote in a youth services ballot that closed in the period, "
            "the share who voted."
        ),
        _l("Votes cast in youth ballots closed in the period, divided by the residents eligible to vote in them."),
        0,
        100,
    ),
    Metric(
        "residents_verified_per_1000",
        _l("Verified residents per 1,000 population"),
        Unit.PER_THOUSAND,
        Better.HIGHER,
        "residents",
        _l(
            "How many residents have a verified account on the platform, for every 1,000 people living "
            "in the council area."
        ),
        _l("Resident accounts verified by the end of the period, divided by the council's population, times 1,000."),
        0,
        1000,
    ),
    Metric(
        "housing_repairs_within_target",
        _l("Housing repairs completed within target"),
        Unit.PERCENT,
        Better.HIGHER,
        "housing",
        _l("Of the repairs completed in the period, the share completed by their target date (like the RP02 measure)."),
        _l("Repairs completed by their deadline in the period, divided by all repairs completed in the period."),
        0,
        100,
    ),
    Metric(
        "housing_median_days_to_repair",
        _l("Median days to complete a repair"),
        Unit.DAYS,
        Better.LOWER,
        "housing",
        _l(
            "The middle time, in days, from a repair being reported to its completion, for repairs "
            "completed in the period."
        ),
        _l("The median of completion time minus report time over repairs completed in the period."),
        0,
        3650,
    ),
    Metric(
        "housing_tsm_overall_satisfaction",
        _l("Tenant satisfaction with the overall service (TSM TP01)"),
        Unit.PERCENT,
        Better.HIGHER,
        "housing",
        _l(
            "Of the tenants who answered a satisfaction survey that closed in the period, the share "
            "very or fairly satisfied overall."
        ),
        _l(
            "Answers of very or fairly satisfied to question TP01, divided by all answers to TP01, "
            "over surveys closed in the period."
        ),
        0,
        100,
    ),
    Metric(
        "youth_budget_per_young_person",
        _l("Youth budget per young person"),
        Unit.POUNDS,
        Better.HIGHER,
        "youth",
        _l("The money put in the hands of young people to decide on, for each young person who could vote on it."),
        _l(
            "The budgets of youth rounds whose voting opened in the period, divided by the residents "
            "eligible to vote in them."
        ),
        0,
        100_000,
    ),
    Metric(
        "youth_services_delivered_as_planned",
        _l("Youth services delivered as planned"),
        Unit.PERCENT,
        Better.HIGHER,
        "youth",
        _l("Of the youth service sessions planned for funded proposals, the share that have been delivered."),
        _l("Sessions delivered divided by sessions planned, over every funded proposal of the council so far."),
        0,
        100,
    ),
    # Schools and care: computed by app/schools/metrics.py and app/care/metrics.py (see providers.PROVIDERS).
    Metric(
        "schools_coop_live",
        _l("Co-operative schools live"),
        Unit.COUNT,
        Better.HIGHER,
        "schools",
        _l("Schools that are co-operative trust schools at the end of the period."),
        _l("A count of the council's schools whose trust has been set up."),
        0,
        _BIG,
    ),
    Metric(
        "schools_coop_pipeline",
        _l("Co-operative schools in the pipeline"),
        Unit.COUNT,
        Better.HIGHER,
        "schools",
        _l("Schools consulting on or preparing to become co-operative trust schools at the end of the period."),
        _l("A count of the council's schools in consultation or conversion."),
        0,
        _BIG,
    ),
    Metric(
        "schools_trust_members_per_pupil",
        _l("Trust members per pupil"),
        Unit.RATIO,
        Better.HIGHER,
        "schools",
        _l("Members of co-operative school trusts for each pupil on roll."),
        _l("Trust members at the end of the period divided by pupils on roll at the trust schools."),
        0,
        100,
    ),
    Metric(
        "care_satisfaction",
        _l("Satisfaction with care and support"),
        Unit.PERCENT,
        Better.HIGHER,
        "care",
        _l("Of the people supported who answered the survey, the share satisfied with their care and support."),
        _l("Satisfied answers divided by all answers in the period."),
        0,
        100,
    ),
    Metric(
        "care_members_staff",
        _l("Care enterprise members: staff"),
        Unit.COUNT,
        Better.HIGHER,
        "care",
        _l("Staff who are members of the council's care social enterprises."),
        _l("A count of members in the staff class at the end of the period."),
        0,
        _BIG,
    ),
    Metric(
        "care_members_people_supported",
        _l("Care enterprise members: people supported"),
        Unit.COUNT,
        Better.HIGHER,
        "care",
        _l("People receiving care or support who are members of the council's care social enterprises."),
        _l("A count of members in the people-supported class at the end of the period."),
        0,
        _BIG,
    ),
    Metric(
        "care_members_carers",
        _l("Care enterprise members: carers"),
        Unit.COUNT,
        Better.HIGHER,
        "care",
        _l("Family and unpaid carers who are members of the council's care social enterprises."),
        _l("A count of members in the carers class at the end of the period."),
        0,
        _BIG,
    ),
    Metric(
        "care_members_total",
        _l("Care enterprise members: all classes"),
        Unit.COUNT,
        Better.HIGHER,
        "care",
        _l("Every member of the council's care social enterprises, in any class."),
        _l("The sum of the staff, people supported and carers classes."),
        0,
        _BIG,
        parts=("care_members_staff", "care_members_people_supported", "care_members_carers"),
    ),
    # Figures the platform cannot compute: uploaded each quarter by an officer.
    Metric(
        "local_spend_share",
        _l("Council spending with local suppliers"),
        Unit.PERCENT,
        Better.HIGHER,
        "network",
        _l(
            "Of the council's spending with suppliers in the quarter, the share spent with suppliers based in the area."
        ),
        _l("Uploaded by the council from its finance system: local supplier spend divided by all supplier spend."),
        0,
        100,
        Frequency.QUARTERLY,
    ),
    Metric(
        "coop_enterprises_supported",
        _l("Co-operative enterprises supported"),
        Unit.COUNT,
        Better.HIGHER,
        "network",
        _l("Co-operatives and community businesses the council gave advice, premises or money to in the quarter."),
        _l("Uploaded by the council: a count of the enterprises supported."),
        0,
        100_000,
        Frequency.QUARTERLY,
    ),
    Metric(
        "volunteer_hours_per_1000",
        _l("Volunteering hours per 1,000 residents"),
        Unit.PER_THOUSAND,
        Better.HIGHER,
        "network",
        _l("Hours volunteered through council-supported schemes in the quarter, for every 1,000 residents."),
        _l("Uploaded by the council: hours recorded divided by the population, times 1,000."),
        0,
        1_000_000,
        Frequency.QUARTERLY,
    ),
)

METRICS: dict[str, Metric] = {m.code: m for m in _METRICS}
UNIT_NAMES = {
    Unit.COUNT: _l("count"),
    Unit.PERCENT: _l("percentage"),
    Unit.PER_THOUSAND: _l("rate per 1,000"),
    Unit.RATIO: _l("ratio"),
    Unit.POUNDS: _l("pounds"),
    Unit.DAYS: _l("days"),
}


def metric(code: str) -> Metric | None:
    """The metric with ``code``, or None."""
    return METRICS.get(code)


def uploaded_metrics() -> list[Metric]:
    return [m for m in METRICS.values() if not m.computed]
