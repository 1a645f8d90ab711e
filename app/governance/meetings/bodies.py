"""Words for a meeting that depend on which body meets: the members in general meeting, the forum or the board.

A school trust's stakeholder forum and board, and a care enterprise's board,
hold their meetings on the same pages as the members' general meetings; each
list, heading, breadcrumb and notice names the body that meets, so a board
meeting is never called a general meeting.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.governance.meetings.models import Meeting, MeetingBody, MeetingKind
from app.i18n import _l

# The order the bodies' meetings are listed in.
BODIES = (MeetingBody.GENERAL_MEETING, MeetingBody.FORUM, MeetingBody.BOARD)

# A heading over a body's meetings (the society's meetings page, breadcrumbs).
HEADINGS = {
    MeetingBody.GENERAL_MEETING: _l("General meetings"),
    MeetingBody.FORUM: _l("Forum meetings"),
    MeetingBody.BOARD: _l("Board meetings"),
}

# What the meeting is, as a label on its own ("Kind of meeting" on its page).
KIND_NAMES = {
    (MeetingBody.GENERAL_MEETING, MeetingKind.ANNUAL): _l("Annual general meeting"),
    (MeetingBody.GENERAL_MEETING, MeetingKind.SPECIAL): _l("Special general meeting"),
    (MeetingBody.FORUM, MeetingKind.ANNUAL): _l("Annual meeting of the forum"),
    (MeetingBody.FORUM, MeetingKind.SPECIAL): _l("Special meeting of the forum"),
    (MeetingBody.BOARD, MeetingKind.ANNUAL): _l("Annual meeting of the board"),
    (MeetingBody.BOARD, MeetingKind.SPECIAL): _l("Special meeting of the board"),
}

# The same inside a sentence of the notice ("Notice is given that the special meeting of the board of ...").
KIND_WORDS = {
    (MeetingBody.GENERAL_MEETING, MeetingKind.ANNUAL): _l("annual general meeting"),
    (MeetingBody.GENERAL_MEETING, MeetingKind.SPECIAL): _l("special general meeting"),
    (MeetingBody.FORUM, MeetingKind.ANNUAL): _l("annual meeting of the forum"),
    (MeetingBody.FORUM, MeetingKind.SPECIAL): _l("special meeting of the forum"),
    (MeetingBody.BOARD, MeetingKind.ANNUAL): _l("annual meeting of the board"),
    (MeetingBody.BOARD, MeetingKind.SPECIAL): _l("special meeting of the board"),
}


def heading(meeting: Meeting) -> str:
    """The heading the meeting is listed under ("Board meetings")."""
    return str(HEADINGS[meeting.body])


def kind_name(meeting: Meeting) -> str:
    """What the meeting is ("Special meeting of the board")."""
    return str(KIND_NAMES[(meeting.body, meeting.kind)])


def kind_words(meeting: Meeting) -> str:
    """What the meeting is, inside a sentence ("special meeting of the board")."""
    return str(KIND_WORDS[(meeting.body, meeting.kind)])


def grouped(meetings: Iterable[Meeting]) -> list[tuple[MeetingBody, str, list[Meeting]]]:
    """The meetings by body, in :data:`BODIES` order, each with its heading; bodies with no meeting left out."""
    rows = list(meetings)
    groups = []
    for body in BODIES:
        mine = [m for m in rows if m.body is body]
        if mine:
            groups.append((body, str(HEADINGS[body]), mine))
    return groups
