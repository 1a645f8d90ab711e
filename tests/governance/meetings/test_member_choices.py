"""The member and proxy lists on the meeting pages name each member (a select with its options, not blank ones)."""

from __future__ import annotations

import re

from tenants.context import council_context
from tests.governance.meetings.conftest import ready_meeting


def test_the_proxy_and_attendance_pages_list_the_members(world, client_for, active_db):
    with council_context(world.council.id):
        meeting, _resolutions = ready_meeting(world)
        meeting_id = meeting.id
        first = world.line(world.members[0])
        expected = f'<option value="{first.id}">{first.name} ({first.membership_number})</option>'
    for page in ("proxies", "attendance"):
        html = client_for(world.secretary).get(f"{world.prefix}/{meeting_id}/{page}").get_data(as_text=True)
        assert expected in html
        options = re.findall(r'<option value="(\d+)"', html)
        assert len(options) >= len(world.members)  # every admitted member, none of them blank
