"""Access and erasure across every module: the copy is complete; erasure keeps ballots secret and counts intact."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.audit.operations import verify_chain
from app.auth.models import CouncilRole, User
from app.auth.personal_data import erased_email
from app.extensions import db
from app.governance.models import Member, ShareEntry, SocietyOfficer
from app.housing.models import HousingRepair, HousingRepairPhoto, HousingSurveyResponse, HousingTenant
from app.letters.models import VotingCode
from app.privacy import export, operations
from app.privacy.due_dates import due_date
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.residents.models import ConsentRecord, RegisterEntry, ResidentProfile
from app.voting import counting, timing
from app.voting.models import Ballot, BallotPaper, BallotResult, Participation, Proxy
from app.youth.models import YouthProposal
from tenants.context import council_context


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _erase(world):
    request = operations.request_erasure(world.rosa)
    operations.complete_erasure(request, by=world.admin)
    db.session.commit()
    return request


def test_the_copy_holds_something_from_every_module(world):
    with council_context(world.council.id):
        operations.record_download(world.rosa)  # an audit entry and a request of hers
        copy = {part.provider.key: part for part in export.collect(world.rosa.id)}
        # Priorities hold people only as officers who created an exercise; Rosa is not one.
        held = ("residents", "voting", "governance", "housing", "youth", "audit", "privacy", "account")
        assert [key for key in held if copy[key].is_empty] == []
        assert copy["priorities"].is_empty
        assert copy["audit"].sections["entries"][0]["action"] == "privacy.data_downloaded"
        assert copy["residents"].sections["register_entry"]["name"] == "Rosa Resident"
        assert len(copy["residents"].sections["voting_codes"]) == 1
        assert [p["ballot"] for p in copy["voting"].sections["participations"]] == ["Which park improvements?"]
        assert copy["voting"].sections["proxies_given"][0]["holder_user_id"] == world.voters[0].id
        assert {line["society"] for line in copy["governance"].sections["register_lines"]} == {
            "Castleton Housing Co-operative",
            "Old Mill Co-operative",
        }
        assert len(copy["governance"].sections["share_ledger"]) == 2
        assert len(copy["governance"].sections["meeting_attendance"]) == 1
        assert copy["housing"].sections["tenancies"][0]["home"] == "1 Privacy Street, Rochdale"
        assert copy["housing"].sections["repair_photos"][0]["data"] == b"png"
        assert copy["youth"].sections["proposals"][0]["title"] == "Friday football"
        assert copy["account"].sections["account"]["email"] == world.rosa.email
        assert "password_hash" not in copy["account"].sections["account"]
        # A paper is never in anyone's copy: nothing links it to the voter.
        assert "voting_papers" not in json.dumps(export.jsonable([p.sections for p in copy.values()]))


def test_the_json_file_is_valid_and_complete(world):
    with council_context(world.council.id):
        body = export.to_json(
            export.collect(world.rosa.id), council=world.council.name, user_id=world.rosa.id, generated_at=timing.now()
        )
    document = json.loads(body)
    assert document["council"] == "Rochdale Borough Council"
    assert set(document["modules"]) >= {"residents", "voting", "governance", "housing", "youth", "audit", "account"}
    photo = document["modules"]["housing"]["repair_photos"][0]
    assert photo["data"] == {"base64": "cG5n"}
    assert document["modules"]["residents"]["register_entry"]["date_of_birth"] == "1980-05-17"


def test_the_copy_of_another_council_is_empty(world):
    with council_context(world.other_council.id):
        copy = {part.provider.key: part for part in export.collect(world.rosa.id)}
    assert all(part.is_empty for key, part in copy.items() if key != "account")
    assert copy["account"].sections["council_role"] == []


def test_erasure_keeps_ballots_secret_and_counts_and_hashes_intact(world):
    with council_context(world.council.id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == world.ballot_id))
        papers_before = sorted(db.session.scalars(select(BallotPaper.receipt_hash)))
        stored = db.session.scalar(select(BallotResult).where(BallotResult.ballot_id == ballot.id))
        document_before = stored.document
        _erase(world)

        assert _count(Participation, Participation.ballot_id == ballot.id) == 3
        assert sorted(db.session.scalars(select(BallotPaper.receipt_hash))) == papers_before
        assert _count(Proxy) == 1
        tally, load = counting.tally_ballot(ballot)
        assert load.total == 3
        assert tally.sha256 == world.result_sha256
        again = counting.run_count(ballot.id)
        assert (again.status, again.stored_sha256) == ("same", world.result_sha256)
        stored = db.session.scalar(select(BallotResult).where(BallotResult.ballot_id == ballot.id))
        assert stored.document == document_before and stored.sha256 == world.result_sha256


def test_erasure_removes_or_anonymises_everything_else(world):
    rosa_id, email = world.rosa.id, world.rosa.email
    with council_context(world.council.id):
        request = _erase(world)
        user = db.session.scalar(select(User).where(User.id == rosa_id))
        assert (user.name, user.email, user.is_active, user.password_hash) == (
            "Erased account",
            erased_email(rosa_id),
            False,
            None,
        )
        assert _count(CouncilRole, CouncilRole.user_id == rosa_id) == 0
        assert _count(ResidentProfile) == 0 and _count(ConsentRecord) == 0
        assert _count(RegisterEntry) == 0 and _count(VotingCode) == 0
        # The register keeps both lines and the ledger; the current member keeps her name (the Act),
        # the former member of 2010 does not; neither line is linked to the account or has an email.
        current = db.session.scalar(select(Member).where(Member.id == world.coop_member_id))
        former = db.session.scalar(select(Member).where(Member.id == world.former_member_id))
        assert (current.name, current.user_id, current.email) == ("Rosa Resident", None, "")
        assert (former.name, former.address, former.date_of_birth, former.user_id) == ("Name removed", "", None, None)
        assert former.membership_number == 7 and former.ceased_on is not None
        assert _count(ShareEntry) == 2
        assert _count(SocietyOfficer) == 0
        tenant = db.session.scalar(select(HousingTenant))
        assert (tenant.name, tenant.user_id, tenant.email) == ("Rosa Resident", None, "")  # the tenancy runs on
        repair = db.session.scalar(select(HousingRepair))
        assert (repair.reported_by_user_id, repair.satisfaction_comment) == (None, "")
        assert _count(HousingRepairPhoto) == 0
        assert db.session.scalar(select(HousingSurveyResponse)).answers == {"TP01": 4}
        assert _count(HousingSurveyResponse, HousingSurveyResponse.user_id.is_not(None)) == 0
        assert db.session.scalar(select(YouthProposal)).proposer_id is None
        # Nothing about her is left in the copy but the record of the request itself.
        copy = {part.provider.key: part for part in export.collect(rosa_id)}
        assert email not in json.dumps(export.jsonable([p.sections for p in copy.values()]))
        assert copy["residents"].is_empty and copy["housing"].is_empty and copy["youth"].is_empty
        # Completed, recorded, and the audit chain still verifies.
        assert (request.status, request.completed_by_user_id) == (RequestStatus.COMPLETED, world.admin.id)
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"privacy.erasure_requested", "privacy.erasure_completed"} <= actions
        assert verify_chain().ok
    # The email address is free for a new account.
    db.session.add(User(email=email, name="Someone new"))
    db.session.flush()


def test_a_failing_module_leaves_nothing_half_erased(world, monkeypatch):
    from app.privacy import registry
    from tests.privacy.failing_provider import ErasureFailed

    failing = registry.Provider("failing", registry.PROVIDERS[0].title, "tests.privacy.failing_provider", ())
    # Every real module erases first, then this one fails: the view's rollback must undo them all.
    monkeypatch.setattr(operations, "PROVIDERS", (*registry.PROVIDERS[:-1], failing, registry.PROVIDERS[-1]))
    with council_context(world.council.id):
        request = operations.request_erasure(world.rosa)
        db.session.commit()
        request_id = request.id
        with pytest.raises(ErasureFailed):
            operations.complete_erasure(request, by=world.admin)
        db.session.rollback()
        assert _count(ResidentProfile) == 1 and _count(HousingRepairPhoto) == 1
        assert _count(Member, Member.user_id == world.rosa.id) == 2
        assert db.session.scalar(select(User.is_active).where(User.id == world.rosa.id)) is True
        again = db.session.scalar(select(DataRightsRequest).where(DataRightsRequest.id == request_id))
        assert again.status is RequestStatus.RECEIVED


def test_one_open_erasure_request_at_a_time(world):
    with council_context(world.council.id):
        first = operations.request_erasure(world.rosa)
        assert first.due_on == due_date(first.received_on)
        with pytest.raises(operations.PrivacyError):
            operations.request_erasure(world.rosa)


def test_an_officer_cannot_complete_their_own_erasure(world):
    with council_context(world.council.id):
        request = operations.request_erasure(world.admin)
        with pytest.raises(operations.PrivacyError) as refused:
            operations.complete_erasure(request, by=world.admin)
        assert refused.value.status == 403


def test_extension_moves_the_due_date_and_needs_a_reason(world):
    with council_context(world.council.id):
        request = operations.request_erasure(world.rosa)
        with pytest.raises(operations.PrivacyError) as blank:
            operations.extend_request(request, 2, "  ", by=world.admin)
        assert blank.value.field == "reason"
        for months in (None, 0, 3):
            with pytest.raises(operations.PrivacyError):
                operations.extend_request(request, months, "Many records", by=world.admin)
        operations.extend_request(request, 2, "Records in three co-operatives", by=world.admin)
        assert request.due_on == due_date(request.received_on, 2)
        with pytest.raises(operations.PrivacyError):
            operations.extend_request(request, 1, "Shorter", by=world.admin)


def test_a_download_is_an_answered_access_request_and_audited(world):
    with council_context(world.council.id):
        request = operations.record_download(world.rosa)
        assert (request.kind, request.status, request.completed_by_user_id) == (
            RequestKind.ACCESS,
            RequestStatus.COMPLETED,
            world.rosa.id,
        )
        assert request.due_on - request.received_on >= timedelta(days=28)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.data_downloaded"))
        assert event.actor_user_id == world.rosa.id and event.subject_id == str(request.id)


def test_every_field_and_section_of_the_copy_has_words_for_the_page(world):
    from app.privacy.labels import FIELDS, SECTIONS

    with council_context(world.council.id):
        operations.record_download(world.rosa)
        copy = export.collect(world.rosa.id)
    sections, fields = set(), set()
    for part in copy:
        # Sections with something in them: a module added later (schools, care) holds nothing about Rosa.
        for key, value in part.sections.items():
            if not value:
                continue
            sections.add(key)
            for item in [value] if isinstance(value, dict) else value or []:
                fields |= set(item)
    assert not sections - set(SECTIONS)
    assert not fields - set(FIELDS)
