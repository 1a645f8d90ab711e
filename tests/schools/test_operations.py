"""The schools operations: trusts on the governance core, schools, the pipeline, pairings, self-reviews, trustees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance import operations as governance
from app.governance import queries as governance_queries
from app.governance.electorate import SOCIETY_MEMBERS
from app.governance.meetings.models import MeetingBody
from app.governance.models import MemberClass, SocietyKind
from app.schools import operations, queries
from app.schools.models import ChecklistItem, LegalModel, School, Stage
from app.schools.operations import SchoolsError
from app.voting import timing
from tests.schools.conftest import forum_resolution

TODAY = timing.today()


def _school(world):
    return queries.school(world.high)


def test_a_trust_is_a_school_trust_society_with_five_constituencies(in_council):
    society = governance_queries.society(in_council.trust)
    assert society.kind is SocietyKind.SCHOOL_TRUST
    classes = governance_queries.member_classes(society.id)
    assert [c.name for c in classes] == [
        "Parents and carers",
        "Staff",
        "Learners",
        "Local community",
        "Partner organisations",
    ]
    assert {c.name: c.min_age for c in classes}["Learners"] == 18
    assert queries.trust_detail(society.id).legal_model is LegalModel.FOUNDATION_TRUST


def test_a_trust_needs_a_legal_model_and_a_free_name(in_council):
    with pytest.raises(SchoolsError) as bad_model:
        operations.create_trust(name="Another Trust", legal_model="company", description="", by=None)
    assert bad_model.value.field == "legal_model"
    with pytest.raises(governance.GovernanceError) as taken:
        operations.create_trust(
            name="Mereside Co-operative Learning Trust", legal_model="academy", description="", by=None
        )
    assert taken.value.field == "name"


def test_partners_are_unique_per_trust(in_council):
    society = governance_queries.society(in_council.trust)
    operations.add_partner(society, name="Mereside College", kind="college", by=None)
    with pytest.raises(SchoolsError) as again:
        operations.add_partner(society, name="mereside college", kind="university", by=None)
    assert again.value.status == 409
    with pytest.raises(SchoolsError) as kind:
        operations.add_partner(society, name="Acme Ltd", kind="pirate", by=None)
    assert kind.value.field == "kind"
    assert [p.name for p in queries.partners(society.id)] == ["Mereside College"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"urn": "12345"}, "urn"),
        ({"urn": "abcdef"}, "urn"),
        ({"urn": "140002"}, "urn"),  # Lowfield Primary's
        ({"phase": "nursery"}, "phase"),
        ({"pupils": -1}, "pupils"),
        ({"name": " "}, "name"),
    ],
)
def test_a_school_s_details_are_checked(in_council, change, field):
    values = {"name": "New School", "urn": "140003", "phase": "primary", "pupils": 100, "society_id": None}
    with pytest.raises(SchoolsError) as refused:
        operations.save_school(None, **{**values, **change}, by=None)
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(School)) == 2


def test_a_school_can_only_belong_to_a_school_trust(in_council):
    housing = governance.create_society(name="A Housing Co-op", kind=SocietyKind.HOUSING_COOP, by_user=None)
    with pytest.raises(SchoolsError) as refused:
        operations.save_school(None, name="X", urn="140009", phase="primary", pupils=1, society_id=housing.id, by=None)
    assert refused.value.field == "society_id"


def test_ofsted_judgements_are_kept_over_time(in_council):
    school = _school(in_council)
    operations.record_judgement(school, inspected_on=TODAY - timedelta(days=900), judgement="good", by=None)
    operations.record_judgement(school, inspected_on=TODAY - timedelta(days=30), judgement="outstanding", by=None)
    assert [j.judgement.value for j in queries.judgements(school.id)] == ["outstanding", "good"]
    with pytest.raises(SchoolsError):
        operations.record_judgement(school, inspected_on=TODAY + timedelta(days=1), judgement="good", by=None)


def test_the_pipeline_moves_on_only_when_the_stage_s_checklist_is_done(in_council):
    school = _school(in_council)
    entry = operations.join_pipeline(school, started_on=TODAY - timedelta(days=100), by=in_council.officer)
    assert entry.stage is Stage.CONSULTATION
    with pytest.raises(SchoolsError) as early:
        operations.advance(entry, on=TODAY, by=in_council.officer)
    assert early.value.status == 409 and "3 items" in str(early.value)
    for item in queries.checklist(entry.id):
        if item.stage is Stage.CONSULTATION:
            operations.tick_item(item, done_on=TODAY - timedelta(days=10), by=in_council.officer)
    with pytest.raises(SchoolsError) as before:
        operations.advance(entry, on=TODAY - timedelta(days=200), by=in_council.officer)
    assert before.value.field == "on"
    operations.advance(entry, on=TODAY - timedelta(days=5), by=in_council.officer)
    assert entry.stage is Stage.TRUST_ESTABLISHED and entry.established_on == TODAY - timedelta(days=5)
    done = [i for i in queries.checklist(entry.id) if i.done_on]
    assert {i.done_by_user_id for i in done} == {in_council.officer.id}
    with pytest.raises(SchoolsError):
        operations.join_pipeline(school, started_on=TODAY, by=None)


def test_a_ticked_item_cannot_be_ticked_again(in_council):
    entry = operations.join_pipeline(_school(in_council), started_on=TODAY, by=None)
    item = db.session.scalars(select(ChecklistItem).where(ChecklistItem.entry_id == entry.id)).first()
    operations.tick_item(item, done_on=TODAY, by=None)
    with pytest.raises(SchoolsError) as again:
        operations.tick_item(item, done_on=TODAY, by=None)
    assert again.value.status == 409


def test_the_target_and_the_stage_counts(in_council):
    operations.set_target(10, by=in_council.officer)
    operations.set_target(12, by=in_council.officer)
    assert queries.target() == 12
    with pytest.raises(SchoolsError):
        operations.set_target(-3, by=None)
    operations.join_pipeline(_school(in_council), started_on=TODAY - timedelta(days=10), by=None)
    assert queries.stage_counts() == {Stage.CONSULTATION: 1, Stage.TRUST_ESTABLISHED: 0, Stage.LIVE: 0}
    assert queries.stage_counts(TODAY - timedelta(days=20)) == {
        Stage.CONSULTATION: 0,
        Stage.TRUST_ESTABLISHED: 0,
        Stage.LIVE: 0,
    }


def test_pairings_and_termly_reviews(in_council):
    high, primary = queries.school(in_council.high), queries.school(in_council.primary)
    with pytest.raises(SchoolsError) as same:
        operations.create_pairing(
            supporting=high, supported=high, kind="federation", goals="x", started_on=TODAY, by=None
        )
    assert same.value.field == "supported_id"
    pairing = operations.create_pairing(
        supporting=high, supported=primary, kind="federation", goals="Better maths", started_on=TODAY, by=None
    )
    operations.add_review(pairing, term="autumn", year=2026, progress="some", notes="", by=None)
    operations.add_review(pairing, term="spring", year=2026, progress="good", notes="Maths up", by=None)
    with pytest.raises(SchoolsError) as twice:
        operations.add_review(pairing, term="spring", year=2026, progress="strong", notes="", by=None)
    assert twice.value.status == 409
    assert queries.latest_reviews()[pairing.id].progress.value == "good"


def test_a_values_review_per_year_and_the_trust_trend(in_council):
    school = _school(in_council)
    ratings = {v: 3 for v in ("self_help", "self_responsibility", "democracy", "equality", "equity", "solidarity")}
    operations.save_values_review(school, year=2025, ratings=ratings, evidence="A start", by=None)
    operations.save_values_review(school, year=2026, ratings={**ratings, "democracy": 5}, evidence="", by=None)
    operations.save_values_review(school, year=2026, ratings={**ratings, "democracy": 4}, evidence="", by=None)
    assert queries.values_trend([school.id])[2026]["democracy"] == 4
    assert len(queries.values_reviews([school.id])) == 2
    with pytest.raises(SchoolsError) as bad:
        operations.save_values_review(school, year=2026, ratings={**ratings, "equity": 6}, evidence="", by=None)
    assert bad.value.field == "equity"


def test_the_forum_appoints_trustees_by_resolution(in_council):
    society, resolution = forum_resolution(in_council.trust)
    trustee = operations.appoint_trustee(
        society, resolution=resolution, name="Tara Trustee", member=None, from_on=TODAY, by=None
    )
    assert queries.trustees(society.id) == [trustee]
    operations.end_trustee(trustee, to_on=TODAY + timedelta(days=365), by=None)
    with pytest.raises(SchoolsError) as twice:
        operations.end_trustee(trustee, to_on=TODAY, by=None)
    assert twice.value.status == 409
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "schools_trustee"))
    assert set(actions) == {"schools.trustee_appointed", "schools.trustee_term_ended"}


@pytest.mark.parametrize(("body", "passed"), [(MeetingBody.BOARD, True), (MeetingBody.FORUM, False)])
def test_only_a_passed_forum_resolution_appoints(in_council, body, passed):
    society, resolution = forum_resolution(in_council.trust, body=body, passed=passed)
    with pytest.raises(SchoolsError) as refused:
        operations.appoint_trustee(society, resolution=resolution, name="T", member=None, from_on=TODAY, by=None)
    assert refused.value.field == "resolution_id"


def test_an_under_18_learner_without_consent_is_refused_with_the_reason(in_council):
    """Learners under 18 join with a parent's or carer's consent: admission is refused without it, saying why."""
    from app.voting.models import Ballot

    society = governance_queries.society(in_council.trust)
    learners = db.session.scalar(select(MemberClass).where(MemberClass.id == in_council.classes["Learners"]))
    line = governance.apply_for_membership(
        society, learners, name="Lee Learner", address="1 School Lane", postcode="OL16 1AA", email="",
        user_id=in_council.parent.id, date_of_birth=TODAY.replace(year=TODAY.year - 15),
    )  # fmt: skip
    with pytest.raises(governance.GovernanceError) as refused:
        governance.admit(line, decided_on=TODAY, decided_by="Trust board, minute 3", by_user=None)
    assert "Lee Learner is younger than 18" in str(refused.value) and "consent" in str(refused.value)
    assert line.membership_number is None
    governance.record_guardian_consent(line, consent_by="Pat Parent", consent_on=TODAY, by_user=None)
    governance.admit(line, decided_on=TODAY, decided_by="Trust board, minute 3", by_user=None)
    ballot = Ballot(closes_at=None)
    rule = {"type": "society_members", "society_id": society.id, "member_class_ids": [learners.id]}
    assert SOCIETY_MEMBERS.is_eligible(ballot, rule, in_council.parent) == (True, "")
