"""Operations without the web: benchmarking figures, and a person's data exported and erased."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from app.care import metrics, operations, personal_data, queries
from app.care.models import CareEnterprise, CarePerson, CareService, CareStory, CareSurveyResponse
from app.extensions import db
from app.governance import operations as governance
from app.governance import queries as governance_queries
from app.voting import timing


def _enterprise(world):
    return db.session.scalar(select(CareEnterprise).where(CareEnterprise.id == world.enterprise))


def _record(world):
    return db.session.scalar(select(CarePerson).where(CarePerson.id == world.record))


def test_figures_with_no_answers_and_no_members(in_council):
    figures = metrics.council_figures(date(2026, 1, 1), date(2026, 12, 31))
    assert figures["care_satisfaction"] == {"value": None, "numerator": 0, "denominator": 0}
    for key in ("care_members_staff", "care_members_people_supported", "care_members_carers"):
        assert figures[key] == {"value": 0, "numerator": 0, "denominator": 1}


def test_figures_count_satisfied_answers_in_the_period_and_members_per_class(in_council):
    world = in_council
    service = db.session.scalar(select(CareService).where(CareService.id == world.home_care))
    day = date(2026, 3, 1)
    for overall in (1, 2, 3, 7):
        db.session.add(CareSurveyResponse(service_id=service.id, answered_on=day, overall=overall, control=1))
    db.session.add(CareSurveyResponse(service_id=service.id, answered_on=date(2025, 3, 1), overall=7, control=1))
    enterprise = _enterprise(world)
    society = governance_queries.society(enterprise.society_id)
    joined = date(2026, 2, 1)
    for user, class_id in (
        (world.staff, enterprise.staff_class_id),
        (world.other_staff, enterprise.staff_class_id),
        (world.carer, enterprise.carers_class_id),
    ):
        member = governance.apply_for_membership(
            society,
            governance_queries.member_class(society.id, class_id),
            name=user.name,
            address="1 High Street, Rochdale",
            postcode="OL16 1AA",
            email=user.email,
            user_id=user.id,
            applied_on=joined,
        )
        governance.admit(member, decided_on=joined, decided_by="Board, minute 1", by_user=None)
    figures = metrics.council_figures(date(2026, 1, 1), date(2026, 12, 31))
    assert figures["care_satisfaction"] == {"value": 50.0, "numerator": 2, "denominator": 4}
    assert figures["care_members_staff"] == {"value": 2, "numerator": 2, "denominator": 1}
    assert figures["care_members_people_supported"]["value"] == 0
    assert figures["care_members_carers"]["value"] == 1
    json.dumps(figures)


def test_the_export_holds_the_persons_record_plan_reads_and_stories(in_council):
    world = in_council
    record = _record(world)
    operations.record_read(record, by=world.staff.id)
    operations.add_comment(record, body="More time at the allotment please", by=world.person.id)
    operations.record_review(record, reviewed_on=timing.today(), notes="All fine", by=world.staff.id)
    operations.submit_story(_enterprise(world), title="Good", body="Kind staff", author_name="Pat", by=world.person.id)
    data = personal_data.export_for_user(world.person.id)
    json.dumps(data)
    [mine] = data["people_supported"]
    assert mine["name"] == "Pat Person"
    assert "allotment" in mine["plan_versions"][0]["outcomes"]
    assert mine["reviews"][0]["notes"] == "All fine"
    assert mine["read_log"][0]["user_id"] == world.staff.id
    assert data["comments_written"][0]["body"] == "More time at the allotment please"
    assert data["stories"][0]["title"] == "Good" and data["stories"][0]["author_name"] == "Pat"
    assert personal_data.export_for_user(world.neighbour.id)["people_supported"] == []


def test_erasure_removes_the_record_and_makes_stories_anonymous(in_council):
    world = in_council
    record = _record(world)
    operations.record_read(record, by=world.person.id)
    story = operations.submit_story(_enterprise(world), title="T", body="Kind", author_name="Pat", by=world.person.id)
    personal_data.erase_for_user(world.person.id)
    assert db.session.scalar(select(CarePerson).where(CarePerson.id == world.record)) is None
    assert queries.plan_versions(world.record) == [] and queries.reads(world.record) == []
    kept = db.session.scalar(select(CareStory).where(CareStory.id == story.id))
    assert kept.user_id is None and kept.author_name == "" and kept.body == "Kind"
    assert personal_data.export_for_user(world.person.id) == {
        "people_supported": [],
        "comments_written": [],
        "stories": [],
        "survey_answers": [],
    }


def test_erasing_a_carer_unlinks_them_and_keeps_the_persons_record(in_council):
    world = in_council
    personal_data.erase_for_user(world.carer.id)
    assert _record(world).carer_user_id is None


def test_a_plan_needs_outcomes_and_a_review_date(in_council):
    world = in_council
    record = _record(world)
    for kwargs, field in (
        ({"outcomes": "", "who_helps": "", "review_on": timing.today()}, "outcomes"),
        ({"outcomes": "x", "who_helps": "", "review_on": None}, "review_on"),
    ):
        try:
            operations.update_plan(record, by=None, **kwargs)
        except operations.CareError as exc:
            assert exc.field == field
        else:
            raise AssertionError("accepted a bad plan")
    try:
        operations.record_review(record, reviewed_on=timing.today() + timedelta(days=1), notes="x", by=None)
    except operations.CareError as exc:
        assert exc.field == "reviewed_on"
    assert len(queries.plan_versions(world.record)) == 1
