"""Disclosure control (pure): the 10-5 rule, small denominators, secondary suppression, sharing and embargo."""

from __future__ import annotations

from datetime import date

from app.modules.benchmarking.disclosure import Raw, Sharing, Visibility, release, round_count
from app.modules.benchmarking.stats import spread

TODAY = date(2026, 11, 22)
NET = Sharing(Visibility.NETWORK)
PUB = Sharing(Visibility.PUBLIC)
CARE = ("care_members_total", "care_members_staff", "care_members_people_supported", "care_members_carers")


def test_counts_under_ten_are_suppressed_and_others_rounded_to_five():
    assert [round_count(v) for v in (10, 12, 12.5, 13, 17, 22.4)] == [10, 10, 15, 15, 15, 20]
    out = release(
        {"schools_coop_live": Raw(9), "schools_coop_pipeline": Raw(23)},
        {"schools_coop_live": NET, "schools_coop_pipeline": NET},
        TODAY,
    )
    assert out["schools_coop_live"].value is None and out["schools_coop_live"].suppressed
    assert out["schools_coop_pipeline"].value == 25


def test_rates_with_a_small_or_unknown_denominator_are_suppressed():
    sharing = {"priorities_turnout": PUB, "youth_turnout": PUB, "housing_median_days_to_repair": PUB}
    out = release(
        {
            "priorities_turnout": Raw(33.3, 3, 9),
            "youth_turnout": Raw(40.0, 4, 10),
            "housing_median_days_to_repair": Raw(4.5, None, None),
        },
        sharing,
        TODAY,
    )
    assert out["priorities_turnout"].suppressed
    assert out["youth_turnout"].value == 40.0
    assert out["housing_median_days_to_repair"].suppressed


def test_private_and_embargoed_metrics_are_left_out_altogether():
    raw = {
        "priorities_turnout": Raw(50, 50, 100),
        "youth_turnout": Raw(50, 50, 100),
        "coop_enterprises_supported": Raw(50),
    }
    sharing = {
        "youth_turnout": Sharing(Visibility.PUBLIC, embargo_until=date(2026, 12, 1)),
        "coop_enterprises_supported": Sharing(Visibility.NETWORK, embargo_until=TODAY),
    }
    out = release(raw, sharing, TODAY)
    assert set(out) == {"coop_enterprises_supported"}  # priorities private by default; youth still embargoed


def test_secondary_suppression_hides_a_second_part_so_the_first_cannot_be_worked_out():
    raw = {
        "care_members_staff": Raw(7),
        "care_members_people_supported": Raw(41),
        "care_members_carers": Raw(23),
        "care_members_total": Raw(71),
    }
    out = release(raw, dict.fromkeys(CARE, PUB), TODAY)
    assert out["care_members_staff"].suppressed
    assert out["care_members_carers"].suppressed  # the smaller of the others
    assert out["care_members_people_supported"].value == 40
    assert out["care_members_total"].value == 70
    shown = [r.value for r in out.values() if not r.suppressed]
    assert 7 not in shown and 7.0 not in shown


def test_a_total_is_never_shared_more_widely_than_its_parts():
    raw = {code: Raw(50) for code in CARE}
    sharing = dict.fromkeys(CARE, PUB) | {"care_members_carers": Sharing(Visibility.PRIVATE)}
    out = release(raw, sharing, TODAY)
    assert "care_members_total" not in out and "care_members_carers" not in out
    sharing["care_members_carers"] = NET
    assert release(raw, sharing, TODAY)["care_members_total"].visibility is Visibility.NETWORK


def test_quartiles():
    s = spread([1, 2, 3, 4, 5])
    assert (s.count, s.lower, s.median, s.upper) == (5, 2, 3, 4)
