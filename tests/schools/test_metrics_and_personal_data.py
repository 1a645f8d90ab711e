"""Benchmarking figures (``app.schools.metrics``) and data rights (``app.schools.personal_data``)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.governance import operations as governance
from app.governance import queries as governance_queries
from app.governance.models import MemberClass
from app.schools import metrics, operations, personal_data, queries
from app.schools.models import ChecklistItem, Trustee, ValuesReview
from app.voting import timing
from tests.schools.conftest import forum_resolution

TODAY = timing.today()


def _member(world, name: str, user_id=None):
    society = governance_queries.society(world.trust)
    parents = db.session.scalar(select(MemberClass).where(MemberClass.id == world.classes["Parents and carers"]))
    line = governance.apply_for_membership(
        society, parents, name=name, address="1 Road", postcode="OL16 1AA", email="", user_id=user_id,
        applied_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    return governance.admit(line, decided_on=TODAY - timedelta(days=30), decided_by="Board", by_user=None)


def test_council_figures_with_nothing_computable(in_council):
    operations.save_school(
        queries.school(in_council.high), name="Mereside High", urn="140001", phase="secondary", pupils=900,
        society_id=None, by=None,
    )  # fmt: skip
    figures = metrics.council_figures(TODAY - timedelta(days=365), TODAY)
    assert figures["schools_coop_live"] == {"value": 0, "numerator": 0, "denominator": None}
    assert figures["schools_trust_members_per_pupil"] == {"value": None, "numerator": 0, "denominator": 0}


def test_council_figures_count_live_and_exploring_schools_and_members_per_pupil(in_council):
    high = queries.school(in_council.high)
    entry = operations.join_pipeline(high, started_on=TODAY - timedelta(days=100), by=None)
    for item in queries.checklist(entry.id):
        operations.tick_item(item, done_on=TODAY - timedelta(days=50), by=None)
    operations.advance(entry, on=TODAY - timedelta(days=40), by=None)
    operations.advance(entry, on=TODAY - timedelta(days=20), by=None)
    operations.join_pipeline(queries.school(in_council.primary), started_on=TODAY - timedelta(days=5), by=None)
    for n in range(3):
        _member(in_council, f"Parent {n}")
    figures = metrics.council_figures(TODAY - timedelta(days=365), TODAY)
    assert figures["schools_coop_live"]["value"] == 1
    assert figures["schools_coop_pipeline"]["value"] == 1
    assert figures["schools_trust_members_per_pupil"] == {"value": 0.0033, "numerator": 3, "denominator": 900}
    # A month ago: the high school had its trust established, not live; the primary had not started.
    past = metrics.council_figures(TODAY - timedelta(days=365), TODAY - timedelta(days=30))
    assert past["schools_coop_live"]["value"] == 0 and past["schools_coop_pipeline"]["value"] == 1
    json.dumps(figures)


def test_export_and_erase_a_person_s_schools_records(in_council):
    person = in_council.parent
    line = _member(in_council, "Pat Parent", user_id=person.id)
    society, resolution = forum_resolution(in_council.trust)
    past = operations.appoint_trustee(
        society, resolution=resolution, name="", member=line, from_on=TODAY - timedelta(days=400), by=None
    )
    operations.end_trustee(past, to_on=TODAY - timedelta(days=10), by=None)
    serving = operations.appoint_trustee(
        society, resolution=resolution, name="", member=line, from_on=TODAY - timedelta(days=5), by=None
    )
    entry = operations.join_pipeline(queries.school(in_council.high), started_on=TODAY, by=None)
    operations.tick_item(queries.checklist(entry.id)[0], done_on=TODAY, by=person)
    ratings = dict.fromkeys(("self_help", "self_responsibility", "democracy", "equality", "equity", "solidarity"), 3)
    operations.save_values_review(queries.school(in_council.high), year=2026, ratings=ratings, evidence="", by=person)
    other = operations.appoint_trustee(
        society, resolution=resolution, name="Olu Other", member=None, from_on=TODAY, by=None
    )

    exported = personal_data.export_for_user(person.id)
    json.dumps(exported)
    assert [t["name"] for t in exported["trustee_appointments"]] == ["Pat Parent", "Pat Parent"]
    assert len(exported["checklist_items_ticked"]) == 1 and exported["values_reviews_entered"][0]["year"] == 2026

    personal_data.erase_for_user(person.id)
    rows = {t.id: t for t in db.session.scalars(select(Trustee))}
    assert rows[past.id].name == "Former trustee" and rows[past.id].member_id is None
    assert rows[serving.id].name == "Pat Parent"  # a serving trustee stays named
    assert rows[other.id].name == "Olu Other"
    assert db.session.scalar(select(ChecklistItem).where(ChecklistItem.done_by_user_id == person.id)) is None
    assert db.session.scalar(select(ValuesReview.entered_by_user_id)) is None
    assert [t["name"] for t in personal_data.export_for_user(person.id)["trustee_appointments"]] == ["Pat Parent"]
