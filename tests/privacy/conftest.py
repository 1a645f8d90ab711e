"""A council where one resident, Rosa, has data in every module, for the data rights tests.

``world`` builds (in the test's database strategy, committed at the end):

* an administrator (who handles requests) and Rosa, a resident, plus two
  other residents and a resident of another council;
* Rosa's resident profile (verified, with a consent), her register entry and
  a voting code from a letter run;
* an approval ballot Rosa and the other two voted in, closed and counted;
* a proxy Rosa gave another resident on a second ballot;
* a housing co-op where Rosa is a current member (with shares and meeting
  attendance), and a society where she ceased to be a member in 2010;
* Rosa's tenancy of a home, a repair she reported with a photo, her survey answers;
* a youth proposal she made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.extensions import db
from app.governance.meetings.models import Attendance, AttendanceMode, Meeting, MeetingKind
from app.governance.models import (
    Cessation,
    Member,
    MemberClass,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
    Society,
    SocietyKind,
    SocietyOfficer,
    SocietyRole,
)
from app.housing import operations as housing
from app.housing.models import (
    HousingRepair,
    HousingRepairPhoto,
    HousingSurvey,
    HousingSurveyResponse,
    RepairCategory,
    RepairLocation,
    RepairStatus,
    SurveyStatus,
    TargetUnit,
    Urgency,
)
from app.letters.models import LetterRun, RunScope, VotingCode
from app.residents.models import (
    ConsentKind,
    ConsentRecord,
    RegisterEntry,
    ResidentProfile,
    VerificationMethod,
)
from app.voting import counting, timing
from app.voting import operations as voting
from app.voting.models import Ballot, BallotKind, Proxy
from app.youth.models import YouthProposal, YouthRound, YouthServiceType
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Neighbourhood
from tests.fixtures.factories import new_person
from tests.voting.app.conftest import build_ballot


@dataclass
class World:
    council: Any
    other_council: Any
    admin: User
    rosa: User
    voters: list[User]
    stranger: User
    ballot_id: int
    result_sha256: str
    coop_member_id: int
    former_member_id: int

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}"


def _add(*rows: Any) -> None:
    db.session.add_all(rows)
    db.session.flush()


def _resident_records(rosa: User, admin: User) -> None:
    ward = Neighbourhood(name="Castleton")
    _add(ward)
    entry = RegisterEntry(
        reference="R-0001",
        name="Rosa Resident",
        address="1 Privacy Street, Rochdale",
        postcode="OL16 1AB",
        date_of_birth=date(1980, 5, 17),
        neighbourhood_id=ward.id,
    )
    _add(entry)
    profile = ResidentProfile(
        user_id=rosa.id,
        neighbourhood_id=ward.id,
        register_entry_id=entry.id,
        date_of_birth=date(1980, 5, 17),
        verified_at=timing.now(),
        verified_how=VerificationMethod.IN_PERSON,
        verified_by_user_id=admin.id,
    )
    _add(profile)
    run = LetterRun(scope=RunScope.ALL, job_id="letters:test", valid_days=30)
    _add(run)
    _add(
        ConsentRecord(profile_id=profile.id, kind=ConsentKind.TERMS, wording_version="v1", given_at=timing.now()),
        VotingCode(
            register_entry_id=entry.id,
            run_id=run.id,
            code_hash=uuid.uuid4().hex * 2,
            expires_on=timing.today() + timedelta(days=30),
        ),
    )


def _voting(council_id: int, admin: User, rosa: User, voters: list[User]) -> tuple[int, str]:
    ballot = build_ballot(council_id, BallotKind.APPROVAL, by=admin, title="Which park improvements?")
    with council_context(council_id):
        ballot = db.session.scalar(db.select(Ballot).where(Ballot.id == ballot.id))
        for person, choice in zip([rosa, *voters], (["a", "b"], ["a"], ["c", "b"]), strict=True):
            voting.cast_vote(ballot, person, choice)
        voting.close_ballot(ballot, by=admin)
        outcome = counting.run_count(ballot.id)
        second = build_ballot(council_id, BallotKind.APPROVAL, by=admin, title="Which bus routes?")
        _add(Proxy(ballot_id=second.id, member_user_id=rosa.id, holder_user_id=voters[0].id, recorded_by_id=admin.id))
        return ballot.id, outcome.sha256


def _governance(rosa: User, admin: User) -> tuple[int, int]:
    coop = Society(name="Castleton Housing Co-operative", kind=SocietyKind.HOUSING_COOP)
    old = Society(name="Old Mill Co-operative", kind=SocietyKind.HOUSING_COOP)
    _add(coop, old)
    tenants, members = MemberClass(society_id=coop.id, name="Tenants"), MemberClass(society_id=old.id, name="Members")
    _add(tenants, members)
    admitted = timing.today() - timedelta(days=400)
    line = Member(
        society_id=coop.id,
        member_class_id=tenants.id,
        user_id=rosa.id,
        membership_number=1,
        name="Rosa Resident",
        address="1 Privacy Street, Rochdale",
        postcode="OL16 1AB",
        email=rosa.email,
        status=MemberStatus.MEMBER,
        applied_on=admitted,
        admitted_on=admitted,
    )
    former = Member(
        society_id=old.id,
        member_class_id=members.id,
        user_id=rosa.id,
        membership_number=7,
        name="Rosa Resident",
        address="9 Old Mill Lane, Rochdale",
        postcode="OL12 9ZZ",
        email=rosa.email,
        date_of_birth=date(1980, 5, 17),
        status=MemberStatus.CEASED,
        applied_on=date(2001, 1, 1),
        admitted_on=date(2001, 2, 1),
        ceased_on=date(2010, 3, 1),
        cessation=Cessation.LEFT,
    )
    _add(line, former)
    meeting = Meeting(
        society_id=coop.id,
        kind=next(iter(MeetingKind)),
        title="Annual general meeting",
        starts_at=timing.now() - timedelta(days=30),
        voting_opens_at=timing.now() - timedelta(days=31),
        voting_closes_at=timing.now() - timedelta(days=30),
        created_by_user_id=admin.id,
    )
    _add(meeting)
    _add(
        ShareEntry(
            member_id=line.id,
            kind=ShareEntryKind.ISSUE,
            shares=1,
            amount_pence=100,
            entry_date=admitted,
            recorded_by_user_id=admin.id,
        ),
        ShareEntry(
            member_id=former.id, kind=ShareEntryKind.ISSUE, shares=1, amount_pence=100, entry_date=date(2001, 2, 1)
        ),
        Attendance(meeting_id=meeting.id, member_id=line.id, mode=next(iter(AttendanceMode))),
        SocietyOfficer(society_id=coop.id, user_id=rosa.id, role=SocietyRole.COMMITTEE),
    )
    return line.id, former.id


def _housing(rosa: User) -> None:
    estate = housing.save_estate(None, name="Castleton Estate", description="", society_id=None, by=None)
    home = housing.save_home(
        estate, None, housing.HomeDetails("CE-1", "1 Privacy Street, Rochdale", "OL16 1AB", 2, "flat"), by=None
    )
    housing.start_tenancy(
        home,
        starts_on=timing.today() - timedelta(days=100),
        people=[housing.TenantDetails("Rosa Resident", rosa.email)],
        by=None,
    )
    now = timing.now()
    repair = HousingRepair(
        home_id=home.id,
        reported_by_user_id=rosa.id,
        category=next(iter(RepairCategory)),
        urgency=next(iter(Urgency)),
        location=next(iter(RepairLocation)),
        description="The kitchen tap drips.",
        status=RepairStatus.REPORTED,
        reported_at=now,
        target_amount=20,
        target_unit=next(iter(TargetUnit)),
        due_at=now + timedelta(days=20),
        satisfaction_comment="Rosa's own words about the repair",
    )
    _add(repair)
    survey = HousingSurvey(title="Tenant satisfaction 2026", status=next(iter(SurveyStatus)))
    _add(survey)
    _add(
        HousingRepairPhoto(repair_id=repair.id, position=1, content_type="image/png", width=1, height=1, data=b"png"),
        HousingSurveyResponse(survey_id=survey.id, estate_id=estate.id, user_id=rosa.id, answers={"TP01": 4}),
    )


def _youth(rosa: User) -> None:
    today = timing.today()
    round_ = YouthRound(
        title="Youth services 2027",
        proposals_open_on=today,
        review_opens_on=today + timedelta(days=10),
        voting_opens_on=today + timedelta(days=20),
        results_on=today + timedelta(days=30),
        delivery_on=today + timedelta(days=40),
    )
    _add(round_)
    service = YouthServiceType(round_id=round_.id, name="Sport", unit_cost_pence=5000)
    ward = db.session.scalar(db.select(Neighbourhood))
    _add(service)
    _add(
        YouthProposal(
            round_id=round_.id,
            neighbourhood_id=ward.id,
            service_type_id=service.id,
            proposer_id=rosa.id,
            title="Friday football",
            description="Football on Friday nights.",
            audience="Everyone aged 11 to 16",
            sessions_wanted=40,
        )
    )


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"privacy-{uuid.uuid4().hex[:6]}", name="Rochdale Borough Council")
    other = create_council(slug=f"elsewhere-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    admin, rosa = new_person("Ada Admin"), new_person("Rosa Resident")
    voters = [new_person("Vic Voter"), new_person("Val Voter")]
    stranger = new_person("Stan Stranger")
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    for person in (rosa, *voters):
        grant_role(person, council, Role.RESIDENT)
    grant_role(stranger, other, Role.RESIDENT)
    with council_context(council.id):
        for module in ("housing", "youth", "priorities"):
            set_module_enabled(module, True)
        _resident_records(rosa, admin)
        member_id, former_id = _governance(rosa, admin)
        _housing(rosa)
        _youth(rosa)
    db.session.commit()
    ballot_id, sha = _voting(council.id, admin, rosa, voters)
    db.session.commit()
    return World(council, other, admin, rosa, voters, stranger, ballot_id, sha, member_id, former_id)
