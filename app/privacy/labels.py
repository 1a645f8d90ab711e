"""Words for the readable copy: section and field names, and how each value is shown."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from app.i18n import _l, gettext
from app.voting import timing

SECTIONS = {
    "account": _l("Account"),
    "council_role": _l("Role in this council"),
    "password_reset_links": _l("Password reset links asked for"),
    "invitations_received": _l("Invitations received"),
    "as_officer": _l("Records you made as an officer or society officer"),
    "profile": _l("Resident profile"),
    "consents": _l("Consents"),
    "register_entry": _l("Entry on the register of residents"),
    "voting_codes": _l("Voting codes sent to you"),
    "letters": _l("Letters that carried your voting codes"),
    "participations": _l("Ballots you took part in (never how you voted)"),
    "proxies_given": _l("Proxies you appointed"),
    "proxies_held": _l("Proxies you held for others"),
    "register_lines": _l("Register of members"),
    "share_ledger": _l("Share ledger"),
    "membership_decisions": _l("Decisions about your membership"),
    "meeting_attendance": _l("Meetings you attended"),
    "voted_by_post_or_in_the_room": _l("Resolutions you voted on by post or in the room (never how)"),
    "meeting_notices": _l("Meeting notices emailed to you"),
    "nominations": _l("Nominations in elections"),
    "seats_held": _l("Seats you were elected to"),
    "society_roles": _l("Roles in societies"),
    "tenancies": _l("Tenancies"),
    "repairs_reported": _l("Repairs you reported"),
    "repair_photos": _l("Photos of repairs you reported"),
    "survey_responses": _l("Tenant survey answers"),
    "proposals": _l("Proposals you made"),
    "entries": _l("Audit log entries"),
    "requests": _l("Data rights requests"),
}


def section_label(key: str) -> str:
    """The section's heading; a section we have no words for (a new module's) shows its key."""
    label = SECTIONS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def field_label(key: str) -> str:
    """A field's name as shown: its key, spaced (the JSON file uses the same keys)."""
    return key.replace("_", " ").capitalize()


def shown(value: Any) -> str:
    """A value as text for the page: dates in GOV.UK style, bytes by size, structures as JSON."""
    if value is None or value == "":
        return gettext("Not recorded")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return timing.format_datetime(value)
    if isinstance(value, date):
        return timing.format_date(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return gettext("A file of %(size)s bytes (in the JSON download)", size=f"{len(bytes(value)):,}")
    if isinstance(value, dict | list | tuple):
        from app.privacy.export import jsonable

        return json.dumps(jsonable(value), ensure_ascii=False)
    return str(value)
