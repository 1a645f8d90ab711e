"""Issue 5's journey in a real browser without JavaScript, axe-core on every page it visits.

A tenant of a home managed by a housing co-op accepts the offer of
membership and the co-op's secretary admits them on the register pages; the
tenant reports a repair with a photo; the secretary calls an annual general
meeting with a special resolution, gives notice and records a proxy received
before the meeting (a second proxy for the same holder is refused at the
cap); the tenant joins the meeting online and votes in the window; the
scrutineer records members in the room, enters the in-room count and the
proxy vote, closes voting and signs off the merged result sheet; the
secretary publishes it and the tenant reads it.

Seeded with operations (what no page does): the council and people, the
co-op with its rules, tenants class, secretary and scrutineer, four members
admitted earlier, the estate, the home and the tenancy.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.governance import operations as governance
from app.governance.meetings.models import Attendance, AttendanceMode, Resolution
from app.governance.models import Member, MemberStatus, SocietyKind, SocietyRole
from app.housing import operations as housing
from app.housing.models import HousingRepair, HousingRepairPhoto, RepairStatus
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COOP = "Ashfield Road Tenants' Co-operative"
TENANT = "tom.tenant@example.org"
SECRETARY = "sara.secretary@example.org"
SCRUTINEER = "suresh.scrutineer@example.org"
# Members admitted before the journey: (email, name). Their membership numbers are 1 to 4 in this order.
MEMBERS = (
    ("ada.room@example.org", "Ada Room"),
    ("bo.proxy@example.org", "Bo Proxy"),
    ("cy.holder@example.org", "Cy Holder"),
    ("eve.absent@example.org", "Eve Absent"),
)
RESOLUTION = "Change rule 12"


@pytest.fixture
def coop(browser_world: BrowserWorld, committed_db: Any) -> dict[str, Any]:
    db = committed_db
    password = hash_password(BrowserWorld.password)
    people = {
        email: User(email=email, name=name, password_hash=password)
        for email, name in (
            (TENANT, "Tom Tenant"),
            (SECRETARY, "Sara Secretary"),
            (SCRUTINEER, "Suresh Scrutineer"),
            *MEMBERS,
        )
    }
    db.session.add_all(people.values())
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        for person in people.values():
            db.session.add(CouncilRole(user_id=person.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("housing", True)
        society = governance.create_society(
            name=COOP,
            kind=SocietyKind.HOUSING_COOP,
            notice_clear_days=14,
            quorum_members=3,
            quorum_percent=50,
            ordinary_threshold="simple_majority",
            special_threshold="three_quarters",
            proxy_cap=1,
            proxies_count_in_quorum=True,
            by_user=None,
        )
        tenants = governance.add_member_class(society, name="Tenants", by_user=None)
        governance.appoint_society_officer(society, people[SECRETARY], SocietyRole.SECRETARY, by_user=None)
        governance.appoint_society_officer(society, people[SCRUTINEER], SocietyRole.SCRUTINEER, by_user=None)
        today = timing.today()
        for number, (email, name) in enumerate(MEMBERS, start=1):
            line = governance.apply_for_membership(
                society,
                tenants,
                name=name,
                address=f"{number} Ashfield Road, Rochdale",
                postcode="OL11 3AR",
                email=email,
                user_id=people[email].id,
                applied_on=today - timedelta(days=90),
            )
            governance.admit(
                line, decided_on=today - timedelta(days=60), decided_by="Committee, minute 4", by_user=None
            )
        estate = housing.save_estate(None, name="Ashfield Road", description="", society_id=society.id, by=None)
        home = housing.save_home(
            estate, None, housing.HomeDetails("AR-5", "5 Ashfield Road, Rochdale", "OL11 3AR", 2, "house"), by=None
        )
        housing.start_tenancy(
            home,
            starts_on=today - timedelta(days=30),
            people=[housing.TenantDetails("Tom Tenant", TENANT)],
            by=None,
        )
        db.session.commit()
    db.session.close()
    return {"prefix": browser_world.prefix, "council_id": council_id}


def _link(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def _to_the_society(page: Any, prefix: str) -> None:
    page.goto(f"{prefix}/societies/")
    _link(page, COOP)


def _to_the_meeting(page: Any, prefix: str, meeting: str) -> None:
    _to_the_society(page, prefix)
    _link(page, "Meetings")
    _link(page, meeting)


def tenant_accepts_the_offer_and_reports_a_repair(page: Any, prefix: str, photo: Path) -> None:
    sign_in(page, TENANT)
    page.goto(f"{prefix}/housing/")
    assert_accessible(page, "the tenant's home page with the offer of membership")
    press_button(page, "Apply to join the co-operative")
    assert page.get_by_text("Your application to join the co-operative has been sent").is_visible()
    assert_accessible(page, "the home page after applying")

    page.get_by_role("button", name="Report a repair").click()
    page.wait_for_load_state()
    assert_accessible(page, "the repair form")
    page.get_by_label("Damp or mould").check()
    page.get_by_label("Routine").check()
    page.get_by_label("Where in the home is it?").select_option("bedroom")
    page.get_by_label("Describe the problem").fill("Mould on the ceiling of the front bedroom.")
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    press_button(page, "Report the repair")
    assert page.get_by_text("left to investigate the damp or mould").is_visible()
    assert page.get_by_role("img", name="Photo 1 of the problem, as the tenant sent it").is_visible()
    assert_accessible(page, "the repair with its clock")
    sign_out(page)


def secretary_admits_the_tenant(page: Any, prefix: str) -> None:
    sign_in(page, SECRETARY)
    _to_the_society(page, prefix)
    assert_accessible(page, "the society's page for its secretary")
    _link(page, "1 application waiting for a decision")
    assert_accessible(page, "the applications")
    _link(page, "Decide Tom Tenant")
    assert_accessible(page, "the decision form")
    today = timing.today()
    page.get_by_label("Admit as a member").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Who decided, and the minute reference").fill("Committee meeting, minute 7")
    press_button(page, "Record the decision")
    assert page.get_by_text("Tom Tenant is admitted as member 5.").is_visible()
    assert_accessible(page, "the new member's record")


def secretary_calls_the_agm(page: Any, prefix: str, meeting: str) -> None:
    """Still signed in as the secretary: the meeting 20 days ahead, online voting open from today until it ends."""
    page.get_by_role("link", name=COOP).first.click()
    page.wait_for_load_state()
    _link(page, "Meetings")
    assert_accessible(page, "the society's meetings")
    press_button(page, "Call a meeting")  # a link drawn as a button
    assert_accessible(page, "the form calling a meeting")
    today = timing.today()
    held_on = today + timedelta(days=20)
    page.get_by_label("Annual meeting", exact=True).check()
    page.get_by_label("Title").fill(meeting)
    page.get_by_label("Date of the meeting").fill(held_on.isoformat())
    page.get_by_label("Time the meeting starts").fill("18:00")
    page.get_by_label("Date online voting opens").fill(today.isoformat())
    page.get_by_label("Time online voting opens").fill("00:00")
    page.get_by_label("Date online voting closes").fill(held_on.isoformat())
    page.get_by_label("Time online voting closes").fill("21:00")
    page.get_by_label("Place", exact=True).fill("Ashfield Community Centre, Rochdale")
    press_button(page, "Create the meeting")
    assert page.get_by_text("Meeting created.").is_visible()
    assert_accessible(page, "the new meeting")

    page.get_by_label("Add an agenda item").fill("Annual report and accounts")
    press_button(page, "Add to the agenda")
    assert page.get_by_text("Annual report and accounts").is_visible()

    _link(page, "Add a resolution")
    assert_accessible(page, "the resolution form")
    page.get_by_label("Special resolution").check()
    page.get_by_label("Title").fill(RESOLUTION)
    page.get_by_label("Text of the resolution").fill("That rule 12 is changed so that the committee has nine members.")
    page.get_by_label("Proposed by").fill("Ada Room")
    press_button(page, "Add the resolution")
    assert page.get_by_text("Resolution added.").is_visible()

    press_button(page, "Give notice of the meeting")
    assert page.get_by_text("Notice given.").is_visible()
    assert page.get_by_text(f"Given on {timing.format_date(today)}").is_visible()
    assert_accessible(page, "the meeting after notice")
    press_button(page, f"Put {RESOLUTION} to the meeting")
    assert page.get_by_text("The resolution has been put to the meeting.").is_visible()
    assert page.get_by_text("Voting open until").is_visible()
    assert_accessible(page, "the meeting with voting open")

    # A proxy received before the meeting; a second one for the same holder is over the cap of one.
    _link(page, "Proxies")
    assert_accessible(page, "the proxies page")
    page.get_by_label("Member appointing a proxy").select_option(label="Bo Proxy (2)")
    page.get_by_label("Proxy holder").select_option(label="Cy Holder (3)")
    press_button(page, "Record the proxy")
    assert page.get_by_text("Cy Holder holds Bo Proxy's proxy.").is_visible()
    page.get_by_label("Member appointing a proxy").select_option(label="Eve Absent (4)")
    page.get_by_label("Proxy holder").select_option(label="Cy Holder (3)")
    press_button(page, "Record the proxy")
    assert page.get_by_text("already holds 1 proxy").first.is_visible()
    assert_accessible(page, "the proxy over the cap, refused")
    assert page.get_by_text("Cy Holder holds the proxy of Bo Proxy").is_visible()
    assert page.get_by_text("holds the proxy of Eve Absent").count() == 0
    sign_out(page)


def tenant_joins_and_votes_online(page: Any, prefix: str, meeting: str) -> None:
    sign_in(page, TENANT)
    _to_the_society(page, prefix)
    assert_accessible(page, "the society's page for its new member")
    _link(page, "Meetings")
    # A housing co-operative's members meet in general meeting: the meeting is listed under that heading.
    assert page.get_by_role("heading", name="General meetings").is_visible()
    assert_accessible(page, "the meetings for a member")
    _link(page, meeting)
    assert_accessible(page, "the meeting for a member")
    press_button(page, "Join the meeting online")
    assert page.get_by_text("You are recorded as attending this meeting.").is_visible()
    assert_accessible(page, "the meeting after joining online")
    _link(page, f"Vote on {RESOLUTION}")
    assert_accessible(page, "the online ballot paper")
    page.get_by_label("For", exact=True).check()
    press_button(page, "Cast your vote")
    assert page.get_by_text("Your vote has been cast").first.is_visible()
    assert page.locator("#receipt-code").inner_text().strip()
    assert_accessible(page, "the receipt")
    _link(page, "Back to the meeting")
    assert page.get_by_text("You have voted on this resolution.").is_visible()
    sign_out(page)


def scrutineer_counts_and_signs_off(page: Any, prefix: str, meeting: str) -> None:
    sign_in(page, SCRUTINEER)
    _to_the_meeting(page, prefix, meeting)
    assert_accessible(page, "the meeting for the scrutineer")
    _link(page, "Attendance in the room")
    assert_accessible(page, "the attendance page")
    for label in ("Ada Room (1)", "Cy Holder (3)"):
        page.get_by_label("Member arriving in the room").select_option(label=label)
        press_button(page, "Record as attending")
    assert page.get_by_role("cell", name="Cy Holder (3)").is_visible()
    assert_accessible(page, "the attendance with two in the room")
    _link(page, meeting)
    _link(page, f"Enter counts for {RESOLUTION}")
    assert_accessible(page, "the count page")
    # The tenant voted online, so a vote in the room for them is refused with the reason.
    page.get_by_label("Member", exact=True).select_option(label="Tom Tenant (5)")
    press_button(page, "Record the voter")
    assert page.get_by_text("Tom Tenant has already voted online").first.is_visible()
    assert_accessible(page, "the count page refusing a second vote")
    for label in ("Ada Room (1)", "Cy Holder (3)"):
        page.get_by_label("Member", exact=True).select_option(label=label)
        page.locator("#voter-channel-2").check()  # In the room
        press_button(page, "Record the voter")
    assert page.get_by_text("Recorded: 0 by post, 2 in the room.").is_visible()
    page.locator("#count-channel-2").check()  # Hands or cards in the room
    page.locator("#votes_for").fill("1")
    page.locator("#votes_against").fill("0")
    page.locator("#abstentions").fill("1")
    press_button(page, "Save the count")
    assert page.get_by_text("In the room: 1 for, 0 against, 1 abstaining.").is_visible()
    page.get_by_label("Proxy", exact=True).select_option(label="Cy Holder for Bo Proxy")
    page.locator("input[name=choice][value=for]").check()
    press_button(page, "Record the proxy vote")
    assert page.get_by_text("The proxy vote is recorded.").is_visible()
    assert_accessible(page, "the count so far")
    press_button(page, "Close voting now")
    assert page.get_by_text("Voting on this resolution is closed.").is_visible()
    assert_accessible(page, "the count page with voting closed")
    press_button(page, "Sign off the result sheet")
    assert page.get_by_text("You have signed off the result sheet.").is_visible()
    assert page.get_by_text("Signed off by Suresh Scrutineer").is_visible()
    assert_accessible(page, "the signed-off result sheet")
    sign_out(page)


def secretary_publishes(page: Any, prefix: str, meeting: str) -> None:
    sign_in(page, SECRETARY)
    _to_the_meeting(page, prefix, meeting)
    _link(page, f"Result of {RESOLUTION}")
    assert_accessible(page, "the result sheet before publishing")
    press_button(page, "Publish the result to members")
    assert page.get_by_text("The result is published to members.").is_visible()
    assert_accessible(page, "the published result for the secretary")
    sign_out(page)


def tenant_reads_the_result(page: Any, prefix: str, meeting: str) -> None:
    sign_in(page, TENANT)
    _to_the_meeting(page, prefix, meeting)
    assert page.get_by_text("Result published").is_visible()
    _link(page, f"Result of {RESOLUTION}")
    assert_accessible(page, "the published result for a member")

    def row(channel: str) -> list[str]:
        cells = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=channel, exact=True))
        return [c.strip() for c in cells.get_by_role("cell").all_inner_texts()]

    assert row("Online") == ["1", "0", "0"]
    assert row("By post") == ["0", "0", "0"]
    assert row("In the room") == ["1", "0", "1"]
    assert row("By proxy") == ["1", "0", "0"]
    assert row("Total") == ["3", "0", "1"]
    sheet = dict(line.split(": ", 1) for line in page.locator("#inequalities").inner_text().splitlines())
    assert sheet["For"] == "1 + 0 + 1 + 1 (proxy) = 3"
    assert sheet["Present"].startswith("3 ") and sheet["Present"].endswith("= 4")  # 3 in person, 1 by proxy
    # Quorum: at least 3 members and half of the 5; present 4.
    assert sheet["Quorum"].endswith("present against required: 4 >= 3 (met)")
    assert sheet["Threshold (three_quarters of votes_cast)"].endswith("(met)")
    assert page.locator("#outcome").inner_text().strip() == "The resolution was passed."
    assert page.get_by_text("Published to members on").is_visible()
    _link(page, meeting)
    _link(page, "Minutes and decisions")
    assert page.get_by_text(RESOLUTION).first.is_visible()
    assert_accessible(page, "the minutes and decisions for a member")


def test_a_tenant_joins_reports_a_repair_and_votes_at_the_agm(page_without_js, coop, committed_db, tmp_path: Path):
    page, prefix = page_without_js, coop["prefix"]
    meeting = f"Annual general meeting {timing.today().year}"
    photo = tmp_path / "ceiling.png"
    Image.new("RGB", (40, 30), (60, 70, 60)).save(photo, "PNG")

    tenant_accepts_the_offer_and_reports_a_repair(page, prefix, photo)
    secretary_admits_the_tenant(page, prefix)
    secretary_calls_the_agm(page, prefix, meeting)
    tenant_joins_and_votes_online(page, prefix, meeting)
    scrutineer_counts_and_signs_off(page, prefix, meeting)
    secretary_publishes(page, prefix, meeting)
    tenant_reads_the_result(page, prefix, meeting)

    db = committed_db
    with council_context(coop["council_id"]):
        tenant = db.session.scalar(select(Member).where(Member.name == "Tom Tenant"))
        assert tenant.status is MemberStatus.MEMBER and tenant.membership_number == 5
        repair = db.session.scalar(select(HousingRepair))
        assert repair.status is RepairStatus.REPORTED
        assert db.session.scalar(select(func.count()).select_from(HousingRepairPhoto)) == 1
        resolution = db.session.scalar(select(Resolution))
        assert resolution.outcome == "passed" and resolution.published_at is not None
        modes = sorted(a.mode for a in db.session.scalars(select(Attendance)))
        assert modes == [AttendanceMode.ONLINE, AttendanceMode.ROOM, AttendanceMode.ROOM]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"meeting.notice_given", "meeting.result_signed_off", "meeting.result_published"} <= actions
        db.session.rollback()
