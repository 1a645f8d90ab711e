"""The governance core's writes: societies and rules, classes, officers, the register and the share ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance import operations, queries
from app.governance.models import (
    Cessation,
    DecisionKind,
    Member,
    MemberDecision,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
    Society,
    SocietyOfficer,
    SocietyRole,
)
from app.governance.operations import GovernanceError, StateError
from app.voting import timing
from tests.fixtures.factories import new_person
from tests.governance.conftest import admitted, applicant, years_ago

TODAY = timing.today()


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Every test runs inside the society's council."""


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == f"governance.{action}")))


def _writes() -> tuple[int, ...]:
    """Row counts of everything the register operations write."""
    return tuple(_count(m) for m in (Member, MemberDecision, ShareEntry, AuditEvent))


# --- societies -----------------------------------------------------------------------------------


def test_a_society_gets_the_default_rules_and_an_audit_entry(gov):
    society = operations.create_society(name="Hollin Brook Co-op", kind="housing_coop", by_user=gov.admin)
    assert society.notice_clear_days == 14
    assert (society.ordinary_threshold, society.special_threshold) == ("simple_majority", "three_quarters")
    assert (society.share_value_pence, society.shares_on_admission, society.proxy_cap) == (100, 1, 2)
    assert _events("society_created")[-1].subject_id == str(society.id)


def test_society_names_are_unique_in_the_council_whatever_the_case(gov):
    with pytest.raises(GovernanceError) as error:
        operations.create_society(name="cobden tenants co-operative", kind="housing_coop", by_user=gov.admin)
    assert error.value.field == "name" and error.value.status == 422
    assert "already has a society called" in str(error.value)


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"notice_clear_days": -1}, "notice_clear_days"),
        ({"notice_clear_days": 366}, "notice_clear_days"),
        ({"notice_clear_days": True}, "notice_clear_days"),
        ({"quorum_members": -3}, "quorum_members"),
        ({"quorum_percent": 101}, "quorum_percent"),
        ({"ordinary_threshold": "most"}, "ordinary_threshold"),
        ({"special_threshold": "unanimous"}, "special_threshold"),
        ({"ordinary_threshold": "three_quarters", "special_threshold": "two_thirds"}, "special_threshold"),
        ({"proxy_cap": -1}, "proxy_cap"),
        ({"share_value_pence": 0}, "share_value_pence"),
        ({"shares_on_admission": 0}, "shares_on_admission"),
        ({"registration_number": "12 345/R"}, "registration_number"),
        ({"registration_number": "X" * 21}, "registration_number"),
    ],
)
def test_every_rule_is_checked_with_a_message_on_its_field(gov, rules, field):
    before = _count(Society)
    with pytest.raises(GovernanceError) as error:
        operations.create_society(name="Rules Test Co-op", kind="housing_coop", by_user=gov.admin, **rules)
    assert error.value.field == field
    assert str(error.value)
    assert _count(Society) == before


def test_a_blank_name_or_unknown_kind_is_refused(gov):
    with pytest.raises(GovernanceError) as blank:
        operations.create_society(name="  ", kind="housing_coop", by_user=gov.admin)
    with pytest.raises(GovernanceError) as kind:
        operations.create_society(name="Kindless", kind="bank", by_user=gov.admin)
    assert (blank.value.field, kind.value.field) == ("name", "kind")


def test_updating_rules_keeps_what_is_not_given_and_records_what_changed(gov):
    operations.update_society(
        gov.society, by_user=gov.admin, notice_clear_days=21, proxy_cap=None, special_threshold="two_thirds"
    )
    assert gov.society.notice_clear_days == 21 and gov.society.proxy_cap is None
    assert gov.society.ordinary_threshold == "simple_majority"
    assert _events("society_updated")[-1].payload["changed"] == ["notice_clear_days", "proxy_cap", "special_threshold"]
    with pytest.raises(GovernanceError):
        operations.update_society(gov.society, by_user=gov.admin, ordinary_threshold="three_quarters")


# --- classes and officers ------------------------------------------------------------------------


def test_classes_are_added_in_order_renamed_and_reordered(gov):
    leaseholders = operations.add_member_class(gov.society, name="Leaseholders", vote_cap_percent=25, by_user=gov.admin)
    assert [c.name for c in queries.member_classes(gov.society.id)] == ["Tenants", "Young tenants", "Leaseholders"]
    operations.move_member_class(leaseholders, -1, by_user=gov.admin)
    operations.move_member_class(gov.tenants, -1, by_user=gov.admin)  # already first: stays
    assert [c.name for c in queries.member_classes(gov.society.id)] == ["Tenants", "Leaseholders", "Young tenants"]
    operations.update_member_class(leaseholders, name="Shared owners", vote_cap_percent=None, by_user=gov.admin)
    assert leaseholders.name == "Shared owners" and leaseholders.vote_cap_percent is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "tenants"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Staff", "vote_cap_percent": 0}, "vote_cap_percent"),
        ({"name": "Staff", "vote_cap_percent": 101}, "vote_cap_percent"),
        ({"name": "Staff", "min_age": 0}, "min_age"),
        ({"name": "Staff", "min_age": 121}, "min_age"),
    ],
)
def test_bad_classes_are_refused(gov, values, field):
    with pytest.raises(GovernanceError) as error:
        operations.add_member_class(gov.society, by_user=gov.admin, **values)
    assert error.value.field == field


def test_officers_need_an_account_in_the_council_and_a_role_once(gov):
    assert queries.society_roles(gov.society.id, gov.secretary.id) == {SocietyRole.SECRETARY}
    with pytest.raises(StateError):
        operations.appoint_society_officer(gov.society, gov.secretary, "secretary", by_user=gov.admin)
    with pytest.raises(GovernanceError) as outsider:
        operations.appoint_society_officer(gov.society, gov.stranger, "committee", by_user=gov.admin)
    assert outsider.value.field == "email"
    with pytest.raises(GovernanceError):
        operations.appoint_society_officer(gov.society, gov.resident, "treasurer", by_user=gov.admin)
    officer = operations.appoint_society_officer(gov.society, gov.resident, "committee", by_user=gov.admin)
    operations.remove_society_officer(officer, by_user=gov.admin)
    assert _count(SocietyOfficer, SocietyOfficer.user_id == gov.resident.id) == 0
    assert _events("officer_removed")[-1].payload == {"user_id": gov.resident.id, "role": "committee"}


# --- applications --------------------------------------------------------------------------------


def test_an_online_application_is_an_applicant_line(gov):
    line = operations.apply_for_membership(
        gov.society,
        gov.tenants,
        name=" Rita Resident ",
        address="4 Mill Street",
        postcode="ol161aa",
        email="Rita@Example.org",
        user_id=gov.resident.id,
    )
    assert line.status is MemberStatus.APPLICANT and line.membership_number is None
    assert (line.name, line.postcode, line.email, line.applied_on) == (
        "Rita Resident",
        "OL16 1AA",
        "rita@example.org",
        TODAY,
    )
    assert queries.applications(gov.society.id) == [line]
    assert _events("application_received")[-1].actor_user_id == gov.resident.id


def test_bad_applications_are_refused_and_nothing_is_written(gov):
    other = operations.create_society(name="Other Co-op", kind="housing_coop", by_user=gov.admin)
    other_class = operations.add_member_class(other, name="Members", by_user=gov.admin)
    before = _writes()
    base = {"name": "Pat", "address": "1 Road", "postcode": "OL16 1AA", "email": ""}
    cases = [
        (lambda: operations.apply_for_membership(gov.society, other_class, **base), "member_class_id", 422),
        (lambda: operations.apply_for_membership(gov.society, gov.tenants, **{**base, "name": ""}), "name", 422),
        (lambda: operations.apply_for_membership(gov.society, gov.tenants, **{**base, "address": " "}), "address", 422),
        (
            lambda: operations.apply_for_membership(gov.society, gov.tenants, **{**base, "postcode": "NOPE"}),
            "postcode",
            422,
        ),
        (lambda: operations.apply_for_membership(gov.society, gov.tenants, **{**base, "email": "x@"}), "email", 422),
        (lambda: operations.apply_for_membership(gov.society, gov.young, **base), "date_of_birth", 422),
        (
            lambda: operations.apply_for_membership(
                gov.society, gov.tenants, **base, date_of_birth=TODAY + timedelta(days=1)
            ),
            "date_of_birth",
            422,
        ),
        # The plain member already has a live line, by account and by email.
        (
            lambda: operations.apply_for_membership(gov.society, gov.tenants, **base, user_id=gov.member_user.id),
            None,
            409,
        ),
        (
            lambda: operations.apply_for_membership(
                gov.society, gov.tenants, **{**base, "email": "MEG.member@example.org"}
            ),
            "email",
            409,
        ),
    ]
    for attempt, field, status in cases:
        with pytest.raises(GovernanceError) as error:
            attempt()
        assert (error.value.field, error.value.status) == (field, status)
    assert _writes() == before


def test_a_ceased_or_refused_person_may_apply_again(gov):
    refused = applicant(gov, user_id=gov.resident.id)
    operations.refuse(refused, decided_on=TODAY, decided_by="Committee", reason="Not a tenant", by_user=gov.admin)
    again = applicant(gov, user_id=gov.resident.id)
    assert again.status is MemberStatus.APPLICANT
    assert queries.member_for_user(gov.society.id, gov.resident.id) == again


# --- decisions -----------------------------------------------------------------------------------


def test_admission_gives_the_next_number_issues_shares_and_records_the_decision(gov):
    operations.update_society(gov.society, by_user=gov.admin, share_value_pence=500, shares_on_admission=2)
    line = applicant(gov)
    operations.admit(line, decided_on=TODAY, decided_by="Committee, 3 March, minute 4", by_user=gov.secretary)
    assert (line.status, line.membership_number, line.admitted_on) == (MemberStatus.MEMBER, 2, TODAY)
    [entry] = db.session.scalars(select(ShareEntry).where(ShareEntry.member_id == line.id)).all()
    assert (entry.kind, entry.shares, entry.amount_pence, entry.note) == (
        ShareEntryKind.ISSUE,
        2,
        1000,
        "Issued on admission",
    )
    [decision] = queries.decisions(line.id)
    assert (decision.kind, decision.decided_by, decision.recorded_by_user_id) == (
        DecisionKind.ADMITTED,
        "Committee, 3 March, minute 4",
        gov.secretary.id,
    )
    event = _events("member_admitted")[-1]
    assert event.payload["membership_number"] == 2 and event.actor_user_id == gov.secretary.id


def test_numbers_are_given_in_order_and_never_reused(gov):
    second = admitted(gov)
    operations.cease(second, Cessation.LEFT, ceased_on=TODAY, by_user=gov.admin)
    third = admitted(gov)
    assert (gov.member.membership_number, second.membership_number, third.membership_number) == (1, 2, 3)


def test_admitting_anything_but_an_application_is_refused(gov):
    before = _writes()
    with pytest.raises(StateError) as member:
        operations.admit(gov.member, decided_on=TODAY, decided_by="Committee", by_user=gov.admin)
    assert member.value.status == 409
    line = applicant(gov)
    before = _writes()
    for kwargs, field in (
        ({"decided_on": line.applied_on - timedelta(days=1), "decided_by": "Committee"}, "decided_on"),
        ({"decided_on": TODAY + timedelta(days=1), "decided_by": "Committee"}, "decided_on"),
        ({"decided_on": TODAY, "decided_by": " "}, "decided_by"),
        ({"decided_on": "yesterday", "decided_by": "Committee"}, "decided_on"),
    ):
        with pytest.raises(GovernanceError) as error:
            operations.admit(line, by_user=gov.admin, **kwargs)
        assert error.value.field == field
    assert _writes() == before and line.status is MemberStatus.APPLICANT


def test_refusal_needs_a_reason_and_is_recorded(gov):
    line = applicant(gov)
    with pytest.raises(GovernanceError) as error:
        operations.refuse(line, decided_on=TODAY, decided_by="Committee", reason="", by_user=gov.admin)
    assert error.value.field == "reason"
    operations.refuse(
        line, decided_on=TODAY, decided_by="Committee", reason="Not a tenant of the co-op", by_user=gov.admin
    )
    assert line.status is MemberStatus.REFUSED and line.membership_number is None
    assert queries.decisions(line.id)[0].reason == "Not a tenant of the co-op"
    with pytest.raises(StateError):
        operations.admit(line, decided_on=TODAY, decided_by="Committee", by_user=gov.admin)
    assert _events("application_refused")


@pytest.mark.parametrize("cessation", list(Cessation))
def test_every_cessation_withdraws_the_shares_and_is_a_decision(gov, cessation):
    operations.issue_shares(gov.member, 4, by_user=gov.admin)
    operations.cease(
        gov.member,
        cessation,
        ceased_on=TODAY,
        decided_by="General meeting, minute 7",
        reason="Rule 12",
        by_user=gov.admin,
    )
    assert (gov.member.status, gov.member.cessation, gov.member.ceased_on) == (MemberStatus.CEASED, cessation, TODAY)
    assert gov.member.membership_number == 1  # kept on the register
    assert queries.shares_held(gov.member.id) == 0
    last = queries.share_ledger(gov.society.id)[-1]
    assert (last.kind, last.shares, last.amount_pence) == (ShareEntryKind.WITHDRAWAL, 5, 500)
    assert queries.decisions(gov.member.id)[-1].kind is operations.DECISION_FOR_CESSATION[cessation]
    assert _events("membership_ended")[-1].payload["shares_withdrawn"] == 5


def test_expulsion_needs_the_decision_and_a_reason_and_ceasing_twice_is_refused(gov):
    before = _writes()
    for decided_by, reason, field in (("", "Arrears", "decided_by"), ("Committee, minute 9", " ", "reason")):
        with pytest.raises(GovernanceError) as error:
            operations.cease(
                gov.member, "expelled", ceased_on=TODAY, decided_by=decided_by, reason=reason, by_user=gov.admin
            )
        assert error.value.field == field
    with pytest.raises(GovernanceError) as early:
        operations.cease(gov.member, "left", ceased_on=gov.member.admitted_on - timedelta(days=1), by_user=gov.admin)
    assert early.value.field == "ceased_on"
    with pytest.raises(GovernanceError):
        operations.cease(gov.member, "retired", ceased_on=TODAY, by_user=gov.admin)
    assert _writes() == before and gov.member.status is MemberStatus.MEMBER
    operations.cease(
        gov.member, "expelled", ceased_on=TODAY, decided_by="Committee, minute 9", reason="Arrears", by_user=gov.admin
    )
    before = _writes()
    with pytest.raises(StateError) as twice:
        operations.cease(gov.member, "left", ceased_on=TODAY, by_user=gov.admin)
    assert twice.value.status == 409 and "already ended" in str(twice.value)
    with pytest.raises(StateError):
        operations.cease(applicant(gov), "left", ceased_on=TODAY, by_user=gov.admin)
    assert _count(ShareEntry) == before[2]


def test_an_applicant_under_the_minimum_age_is_admitted_only_with_consent(gov):
    young = applicant(gov, gov.young, date_of_birth=years_ago(15))
    with pytest.raises(GovernanceError) as refused:
        operations.admit(young, decided_on=TODAY, decided_by="Committee, minute 2", by_user=gov.admin)
    assert refused.value.status == 422 and "younger than 18" in str(refused.value)
    assert young.status is MemberStatus.APPLICANT and young.membership_number is None
    operations.record_guardian_consent(young, consent_by="Pat Parent", consent_on=TODAY, by_user=gov.admin)
    operations.admit(young, decided_on=TODAY, decided_by="Committee, minute 2", by_user=gov.admin)
    assert young.status is MemberStatus.MEMBER
    adult = applicant(gov, gov.young, date_of_birth=years_ago(18))
    operations.admit(adult, decided_on=TODAY, decided_by="Committee, minute 2", by_user=gov.admin)


def test_guardian_consent_is_recorded_for_applicants_and_members(gov):
    young = applicant(gov, gov.young, date_of_birth=years_ago(15))
    operations.record_guardian_consent(young, consent_by="Pat Parent", consent_on=TODAY, by_user=gov.admin)
    assert (young.guardian_consent_by, young.guardian_consent_on) == ("Pat Parent", TODAY)
    with pytest.raises(GovernanceError) as future:
        operations.record_guardian_consent(
            young, consent_by="Pat", consent_on=TODAY + timedelta(days=2), by_user=gov.admin
        )
    assert future.value.field == "consent_on"
    operations.cease(gov.member, "left", ceased_on=TODAY, by_user=gov.admin)
    with pytest.raises(StateError):
        operations.record_guardian_consent(gov.member, consent_by="Pat", consent_on=TODAY, by_user=gov.admin)


# --- shares --------------------------------------------------------------------------------------


def test_issues_and_withdrawals_are_lines_and_the_holding_is_their_sum(gov):
    operations.issue_shares(gov.member, 10, note="Top-up", by_user=gov.admin)
    operations.withdraw_shares(gov.member, 3, note="Withdrawal on notice", by_user=gov.admin)
    assert queries.shares_held(gov.member.id) == 8
    assert queries.holdings(gov.society.id) == {gov.member.id: 8}
    assert [(e.kind.value, e.shares, e.amount_pence) for e in queries.share_ledger(gov.society.id)] == [
        ("issue", 1, 100),
        ("issue", 10, 1000),
        ("withdrawal", 3, 300),
    ]


def test_a_withdrawal_over_the_holding_is_refused(gov):
    before = _writes()
    with pytest.raises(StateError) as error:
        operations.withdraw_shares(gov.member, 2, by_user=gov.admin)
    assert error.value.field == "shares" and "holds 1" in str(error.value)
    for shares in (0, -1, "two"):
        with pytest.raises(GovernanceError):
            operations.withdraw_shares(gov.member, shares, by_user=gov.admin)
    assert _writes() == before


def test_a_ceased_member_cannot_be_issued_shares(gov):
    operations.cease(gov.member, "left", ceased_on=TODAY, by_user=gov.admin)
    with pytest.raises(StateError):
        operations.issue_shares(gov.member, 1, by_user=gov.admin)
    with pytest.raises(StateError):
        operations.issue_shares(applicant(gov), 1, by_user=gov.admin)


def test_a_correction_is_a_reversing_line_with_a_note(gov):
    wrong = operations.issue_shares(gov.member, 5, by_user=gov.admin)
    reversal = operations.correct_share_entry(wrong, note="Entered against the wrong member", by_user=gov.admin)
    assert (reversal.kind, reversal.shares, reversal.amount_pence) == (ShareEntryKind.WITHDRAWAL, 5, 500)
    assert reversal.note == f"Correction of ledger line {wrong.id}: Entered against the wrong member"
    assert queries.shares_held(gov.member.id) == 1
    with pytest.raises(GovernanceError):
        operations.correct_share_entry(wrong, note="", by_user=gov.admin)
    with pytest.raises(StateError):  # the member no longer holds the 5 shares it issued
        operations.correct_share_entry(wrong, note="again", by_user=gov.admin)
    back = operations.correct_share_entry(reversal, note="The first line was right", by_user=gov.admin)
    assert back.kind is ShareEntryKind.ISSUE and queries.shares_held(gov.member.id) == 6


def test_the_database_refuses_to_update_a_ledger_line(gov):
    entry = queries.share_ledger(gov.society.id)[0]
    with pytest.raises(Exception, match="append-only"), db.session.begin_nested():
        db.session.execute(text("UPDATE gov_share_entries SET shares = 99 WHERE id = :id"), {"id": entry.id})
    assert queries.shares_held(gov.member.id) == 1


def test_the_audit_chain_records_every_decision(gov):
    line = applicant(gov)
    operations.admit(line, decided_on=TODAY, decided_by="Committee", by_user=gov.admin)
    operations.cease(line, "died", ceased_on=TODAY, by_user=gov.admin)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-3:] == [
        "governance.application_received",
        "governance.member_admitted",
        "governance.membership_ended",
    ]
    from app.audit.operations import verify_chain

    assert verify_chain().ok


def test_a_person_with_no_account_is_on_the_register_too(gov):
    line = admitted(gov, name="Nell No-Account", email="")
    assert line.user_id is None and line in queries.register(gov.society.id)
    person = new_person("Later Account")
    assert queries.member_for_user(gov.society.id, person.id) is None
