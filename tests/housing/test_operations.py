"""Housing operations: tenancies and the membership offer, repairs and their clocks, targets, the CSV import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance.models import Member
from app.housing import homes_csv, operations, queries
from app.housing.models import (
    HousingEstate,
    HousingHome,
    HousingRepair,
    HousingTenant,
    OfferStatus,
    RepairCategory,
    RepairStatus,
    TargetUnit,
    Urgency,
)
from app.voting import timing


def _home(ref: str) -> HousingHome:
    return db.session.scalar(select(HousingHome).where(HousingHome.reference == ref))


def _tenant_line(user) -> HousingTenant:
    return db.session.scalar(select(HousingTenant).where(HousingTenant.user_id == user.id))


def test_a_tenancy_in_a_co_op_home_offers_membership_and_a_council_home_does_not(world, in_council):
    assert _tenant_line(world.tenant).offer_status is OfferStatus.OFFERED
    assert _tenant_line(world.council_tenant).offer_status is OfferStatus.NONE
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "housing.tenancy_started")
        )
        == 2
    )


def test_a_named_tenant_without_an_account_gets_no_online_offer(world, in_council):
    tenancy = operations.start_tenancy(
        _home("KH-2"), starts_on=timing.today(), people=[operations.TenantDetails("Pat Paper")], by=world.officer
    )
    (line,) = queries.tenants(tenancy.id)
    assert line.user_id is None and line.offer_status is OfferStatus.NONE


def test_an_email_that_is_not_a_council_account_is_refused(world, in_council):
    with pytest.raises(operations.HousingError, match="No account of this council uses"):
        operations.start_tenancy(
            _home("KH-2"),
            starts_on=timing.today(),
            people=[operations.TenantDetails("Stan", world.stranger.email)],
            by=world.officer,
        )


def test_overlapping_tenancies_of_one_home_are_refused(world, in_council):
    with pytest.raises(operations.ConflictError):
        operations.start_tenancy(
            _home("KH-1"), starts_on=timing.today(), people=[operations.TenantDetails("Second")], by=None
        )


def test_accepting_twice_or_after_the_tenancy_ended_is_refused(world, in_council):
    line = _tenant_line(world.tenant)
    operations.accept_offer(line, world.tenant)
    with pytest.raises(operations.ConflictError):
        operations.accept_offer(line, world.tenant)
    assert db.session.scalar(select(func.count()).select_from(Member)) == 1


def test_an_ended_tenancy_withdraws_the_open_offer(world, in_council):
    tenancy = next(iter(queries.tenancies(world.kh1)))
    operations.end_tenancy(tenancy, ends_on=timing.today(), by=world.officer)
    assert _tenant_line(world.tenant).offer_status is OfferStatus.NONE
    assert queries.homes_of(world.tenant.id, timing.today()) == []


def test_a_co_op_without_a_tenants_class_cannot_take_the_application(world, in_council):
    from app.governance.models import MemberClass

    member_class = db.session.scalar(select(MemberClass))
    member_class.name = "Community"
    with pytest.raises(operations.ConflictError, match="no tenants class"):
        operations.accept_offer(_tenant_line(world.tenant), world.tenant)


def _report(world, home_ref="KH-1", *, category="damp_mould", urgency="routine", now=None):
    return operations.report_repair(
        _home(home_ref),
        category=category,
        urgency=urgency,
        location="bedroom",
        description="Black mould on the bedroom wall",
        photos=[],
        by=world.tenant,
        now=now,
    )


def test_damp_and_mould_gets_the_investigation_then_the_make_safe_clock(world, in_council):
    reported = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # Wednesday, GMT
    repair = _report(world, now=reported)
    assert (repair.target_amount, repair.target_unit, repair.make_safe_days) == (14, TargetUnit.CALENDAR_DAYS, 7)
    assert repair.due_at == datetime(2027, 3, 25, 0, 0, tzinfo=UTC)
    contractor = operations.save_contractor(
        None, society_id=world.coop, name="Dry Homes Ltd", trades="", email="", phone="", by=None
    )
    operations.assign_repair(repair, contractor.id, by=world.committee, now=reported)
    investigated = datetime(2027, 3, 20, 15, 0, tzinfo=UTC)
    operations.start_repair(repair, by=world.committee, now=investigated)
    assert repair.investigated_at == investigated
    assert repair.make_safe_by == datetime(2027, 3, 28, 0, 0, tzinfo=UTC)  # end of Saturday 27 March, GMT
    assert queries.deadline_of(repair) == repair.make_safe_by


def test_an_emergency_is_24_hours(world, in_council):
    reported = datetime(2027, 3, 6, 15, 0, tzinfo=UTC)
    repair = _report(world, category="plumbing", urgency="emergency", now=reported)
    assert repair.due_at == reported + timedelta(hours=24)


def test_the_co_ops_own_target_applies_to_its_homes_only(world, in_council):
    operations.set_target(
        world.coop,
        RepairCategory.PLUMBING,
        Urgency.ROUTINE,
        amount=10,
        unit="working_days",
        make_safe_days=None,
        by=world.committee,
    )
    moment = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Monday
    ours = _report(world, category="plumbing", now=moment)
    council = _report(world, "BS-1", category="plumbing", now=moment)
    assert (ours.target_amount, ours.target_unit) == (10, TargetUnit.WORKING_DAYS)
    assert ours.due_at == datetime(2027, 3, 16, 0, 0, tzinfo=UTC)  # end of Monday 15 March
    assert (council.target_amount, council.target_unit) == (28, TargetUnit.CALENDAR_DAYS)
    # Setting the default back removes the co-op's row.
    operations.set_target(
        world.coop,
        RepairCategory.PLUMBING,
        Urgency.ROUTINE,
        amount=28,
        unit="calendar_days",
        make_safe_days=None,
        by=world.committee,
    )
    assert queries.stored_target(world.coop, RepairCategory.PLUMBING, Urgency.ROUTINE) is None


def test_bad_targets_are_refused(world, in_council):
    with pytest.raises(operations.HousingError) as err:
        operations.set_target(
            None,
            RepairCategory.DAMP_MOULD,
            Urgency.ROUTINE,
            amount=10,
            unit="calendar_days",
            make_safe_days=None,
            by=None,
        )
    assert err.value.field == "make_safe_days"
    with pytest.raises(operations.HousingError):
        operations.set_target(
            None, RepairCategory.OTHER, Urgency.ROUTINE, amount=0, unit="hours", make_safe_days=None, by=None
        )
    with pytest.raises(operations.HousingError):
        operations.set_target(
            None, RepairCategory.OTHER, Urgency.ROUTINE, amount=3, unit="fortnights", make_safe_days=None, by=None
        )


def test_status_moves_only_forward(world, in_council):
    repair = _report(world, category="plumbing")
    with pytest.raises(operations.ConflictError):
        operations.complete_repair(repair, note="", by=None)
    with pytest.raises(operations.ConflictError):
        operations.start_repair(repair, by=None)
    with pytest.raises(operations.HousingError):
        operations.assign_repair(repair, 999_999, by=None)  # not one of the co-op's or the council's contractors
    operations.cancel_repair(repair, reason="Reported twice", by=None)
    assert repair.status is RepairStatus.CANCELLED
    with pytest.raises(operations.ConflictError):
        operations.cancel_repair(repair, reason="again", by=None)


def test_a_co_ops_contractor_cannot_take_a_council_homes_repair(world, in_council):
    theirs = operations.save_contractor(
        None, society_id=world.coop, name="Co-op Builders", trades="", email="", phone="", by=None
    )
    repair = _report(world, "BS-1", category="plumbing")
    with pytest.raises(operations.HousingError, match="Choose a contractor"):
        operations.assign_repair(repair, theirs.id, by=None)


def test_the_queue_puts_overdue_repairs_first(world, in_council):
    now = timing.now()
    late = _report(world, category="plumbing", urgency="emergency", now=now - timedelta(hours=30))
    soon = _report(world, category="plumbing", urgency="emergency", now=now - timedelta(hours=1))
    later = _report(world, category="other", urgency="routine", now=now - timedelta(hours=2))
    done = _report(world, category="other", urgency="routine", now=now - timedelta(days=3))
    contractor = operations.save_contractor(
        None, society_id=None, name="Council DLO", trades="", email="", phone="", by=None
    )
    operations.assign_repair(done, contractor.id, by=None)
    operations.complete_repair(done, note="", by=None)
    ids = [row.repair.id for row in queries.repair_queue()]
    assert ids == [late.id, soon.id, later.id]
    assert [r.repair.id for r in queries.repair_queue(world.coop, all_estates=False)] == ids


def test_benchmark_figures(world, in_council):
    contractor = operations.save_contractor(None, society_id=None, name="DLO", trades="", email="", phone="", by=None)
    base = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    for hours_taken, urgency in ((10, "emergency"), (30, "emergency"), (48, "routine")):
        repair = _report(world, category="plumbing", urgency=urgency, now=base)
        operations.assign_repair(repair, contractor.id, by=None, now=base)
        operations.complete_repair(repair, note="", by=None, now=base + timedelta(hours=hours_taken))
    share = queries.repairs_within_target()
    assert (share.part, share.whole) == (2, 3)  # the 30-hour emergency missed its 24 hours
    assert queries.median_days_to_complete() == pytest.approx(30 / 24)
    assert queries.repairs_within_target(since=base + timedelta(days=5)).whole == 0


def test_rating_is_for_completed_repairs_once(world, in_council):
    repair = _report(world, category="plumbing")
    with pytest.raises(operations.ConflictError):
        operations.rate_repair(repair, score=1, comment="", by=world.tenant)
    contractor = operations.save_contractor(None, society_id=None, name="DLO", trades="", email="", phone="", by=None)
    operations.assign_repair(repair, contractor.id, by=None)
    operations.complete_repair(repair, note="", by=None)
    with pytest.raises(operations.HousingError):
        operations.rate_repair(repair, score=7, comment="", by=world.tenant)
    operations.rate_repair(repair, score=2, comment="Quick", by=world.tenant)
    assert repair.satisfaction == 2


# --- the CSV import of homes ---------------------------------------------------------------------


GOOD = (
    "reference,address,postcode,bedrooms,home_type,block\n"
    'KH-10,"10 Kirkholt House, Rochdale",ol11 2ab,1,flat,Kirkholt House\n'
    'KH-11,"11 Kirkholt House, Rochdale",OL11 2AB,2,flat,Kirkholt House\n'
    "KH-20,20 Well Lane,OL11 2AD,3,house,\n"
)


def test_a_good_file_imports_every_home_and_its_blocks(world, in_council):
    parsed = homes_csv.parse_homes(GOOD.encode(), existing_references=queries.home_references())
    assert parsed.ok, parsed.problems
    estate = db.session.scalar(select(HousingEstate).where(HousingEstate.id == world.kirkholt))
    assert operations.import_homes(estate, parsed.rows, by=world.officer) == 3
    home = _home("KH-10")
    assert home.postcode == "OL11 2AB" and home.block_id is not None
    assert [b.name for b in queries.blocks(estate.id)] == ["Kirkholt House"]


def test_every_problem_is_reported_and_nothing_imported(world, in_council):
    bad = (
        b"reference,address,postcode,bedrooms,home_type\n"
        b"KH-1,1 Anywhere,OL11 2AB,2,flat\n"  # reference already used
        b"KH-30,,NOT A CODE,two,castle\n"
        b"KH-31,31 Road,OL11 2AB,1,flat\n"
        b"KH-31,31 Road again,OL11 2AB,1,flat\n"
    )
    parsed = homes_csv.parse_homes(bad, existing_references=queries.home_references())
    assert not parsed.ok and parsed.rows == []
    lines = [(p.line, p.message) for p in parsed.problems]
    assert (2, "A home with the reference KH-1 already exists") in lines
    assert {line for line, _ in lines} == {2, 3, 5}
    assert len([1 for line, _ in lines if line == 3]) == 4  # address, postcode, bedrooms, type
    assert "also on line 4" in dict(lines)[5]


def test_wrong_headings_and_non_utf8_are_refused():
    assert homes_csv.parse_homes(b"ref,addr\nx,y\n").problems[0].line == 1
    assert "not UTF-8" in homes_csv.parse_homes("reference\nCafé".encode("latin-1")).problems[0].message
    assert homes_csv.parse_homes(b"").problems[0].message == "The selected file is empty"


def test_repairs_are_kept_with_their_homes(world, in_council):
    _report(world, category="plumbing")
    assert db.session.scalar(select(func.count()).select_from(HousingRepair)) == 1
