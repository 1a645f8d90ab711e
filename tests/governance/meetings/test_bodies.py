"""Meetings of the forum and the board are named as such: on the meetings list (grouped by body), a meeting's
own pages and their breadcrumbs, the form calling a meeting, and the notice (email and PDF)."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from app.governance.meetings import notice, operations, queries
from app.governance.meetings.models import Meeting, MeetingBody, MeetingKind
from app.voting import timing
from tenants.context import council_context
from tests.fixtures.sessions import post
from tests.governance.meetings.conftest import add_resolution


def _meeting(world, body: MeetingBody, kind: MeetingKind, title: str, days_ahead: int) -> Meeting:
    now = timing.now()
    return operations.create_meeting(
        world.society,
        kind=kind,
        body=body,
        title=title,
        starts_at=now + timedelta(days=days_ahead),
        place="Community hall",
        online_link="",
        voting_opens_at=now - timedelta(hours=1),
        voting_closes_at=now + timedelta(days=days_ahead, hours=3),
        by=world.secretary,
    )


def _three_meetings(world, active_db) -> dict[str, tuple[int, int]]:
    """An AGM, a forum meeting and a board meeting, each with notice given and a resolution: title -> ids."""
    out = {}
    with council_context(world.council.id):
        for body, kind, title, days in (
            (MeetingBody.BOARD, MeetingKind.SPECIAL, "Board meeting on repairs", 30),
            (MeetingBody.GENERAL_MEETING, MeetingKind.ANNUAL, "AGM 2027", 25),
            (MeetingBody.FORUM, MeetingKind.ANNUAL, "Forum annual meeting", 20),
        ):
            meeting = _meeting(world, body, kind, title, days)
            resolution = add_resolution(world, meeting, title=f"Resolution of {title}")
            operations.give_notice(meeting, world.society, by=world.secretary)
            out[title] = (meeting.id, resolution.id)
        active_db.session.commit()
    return out


def _positions(page: str, *texts: str) -> list[int]:
    found = [page.index(t) for t in texts]
    assert all(i >= 0 for i in found)
    return found


def test_the_meetings_list_is_grouped_by_body_under_the_right_headings(world, client_for, active_db):
    _three_meetings(world, active_db)
    for who in (world.secretary, world.members[0]):
        response = client_for(who).get(f"{world.prefix}/")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<title>Meetings of Rochdale Pioneers Housing Co-operative" in page
        headings = _positions(
            page,
            '<h2 class="govuk-heading-m" id="general_meeting">General meetings</h2>',
            "AGM 2027",
            '<h2 class="govuk-heading-m" id="forum">Forum meetings</h2>',
            "Forum annual meeting",
            '<h2 class="govuk-heading-m" id="board">Board meetings</h2>',
            "Board meeting on repairs",
        )
        assert headings == sorted(headings)
        assert "(Annual general meeting)" in page
        assert "(Annual meeting of the forum)" in page and "(Special meeting of the board)" in page


def test_a_list_with_only_board_meetings_has_no_general_meetings_heading(world, client_for, active_db):
    with council_context(world.council.id):
        _meeting(world, MeetingBody.BOARD, MeetingKind.SPECIAL, "Board meeting on repairs", 20)
        active_db.session.commit()
    page = client_for(world.secretary).get(f"{world.prefix}/").get_data(as_text=True)
    assert "Board meetings" in page and "General meetings" not in page and "general meeting" not in page


def test_a_board_meetings_pages_and_breadcrumbs_name_the_board(world, client_for, active_db):
    meetings = _three_meetings(world, active_db)
    meeting_id, resolution_id = meetings["Board meeting on repairs"]
    base = f"{world.prefix}/{meeting_id}"
    crumb = f'href="/c/{world.slug}/societies/{world.society_id}/meetings/#board">Board meetings</a>'
    secretary, scrutineer = client_for(world.secretary), client_for(world.scrutineer)
    pages = {
        base: secretary,
        f"{base}/minutes": secretary,
        f"{base}/attendance": scrutineer,
        f"{base}/proxies": secretary,
        f"{base}/resolutions/new": secretary,
        f"{base}/resolutions/{resolution_id}/count": scrutineer,
        f"{base}/resolutions/{resolution_id}/result": scrutineer,
    }
    for url, client in pages.items():
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert crumb in page, url
        assert "General meetings" not in page and "general meeting" not in page, url
    detail = secretary.get(base).get_data(as_text=True)
    assert "Special meeting of the board" in detail
    agm_id, _r = meetings["AGM 2027"]
    agm = secretary.get(f"{world.prefix}/{agm_id}").get_data(as_text=True)
    assert "Annual general meeting" in agm
    assert f'href="/c/{world.slug}/societies/{world.society_id}/meetings/#general_meeting">General meetings</a>' in agm


def test_the_notice_of_a_forum_meeting_names_the_forum(world, client_for, active_db):
    meetings = _three_meetings(world, active_db)
    meeting_id, _r = meetings["Forum annual meeting"]
    with council_context(world.council.id):
        meeting = queries.meeting(world.society_id, meeting_id)
        subject, body = notice.email(meeting, world.society, world.council, "Member 1")
    assert subject == "Notice of the annual meeting of the forum of Rochdale Pioneers Housing Co-operative"
    assert "Notice is given that the annual meeting of the forum of Rochdale Pioneers" in body
    assert "general meeting" not in body
    pdf = client_for(world.members[0]).get(f"{world.prefix}/{meeting_id}/notice.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.status_code == 200 and "annual meeting of the forum" in " ".join(text.split())
    assert "general meeting" not in text


def test_calling_a_board_meeting_through_the_form(world, client_for, active_db):
    secretary = client_for(world.secretary)
    form = secretary.get(f"{world.prefix}/new").get_data(as_text=True)
    assert "Call a meeting" in form and "Call a general meeting" not in form
    start = timing.today() + timedelta(days=30)
    created = post(
        secretary,
        f"{world.prefix}/new",
        {
            "body": "board",
            "kind": "special",
            "title": "Board: budget",
            "starts_on": start.isoformat(),
            "starts_time": "18:00",
            "voting_opens_on": timing.today().isoformat(),
            "voting_opens_time": "09:00",
            "voting_closes_on": start.isoformat(),
            "voting_closes_time": "21:00",
            "place": "Hall",
        },
    )
    assert created.status_code == 303
    page = secretary.get(created.headers["Location"]).get_data(as_text=True)
    assert "Special meeting of the board" in page and "Board meetings</a>" in page
