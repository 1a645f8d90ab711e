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


# Field names of the copy (the JSON file uses the keys).
FIELDS = {
    "accepted_at": _l("Accepted at"),
    "action": _l("Action"),
    "actor_user_id": _l("Actor user number"),
    "address": _l("Address"),
    "admitted_on": _l("Admitted on"),
    "amount_pence": _l("Amount in pence"),
    "answers": _l("Answers"),
    "applied_on": _l("Applied on"),
    "as": _l("Named as"),
    "assigned_at": _l("Assigned at"),
    "at": _l("When"),
    "audience": _l("Audience"),
    "ballot": _l("Ballot"),
    "ballot_id": _l("Ballot number"),
    "body_name": _l("Body name"),
    "cancelled_at": _l("Cancelled at"),
    "cast_on": _l("Cast on"),
    "category": _l("Category"),
    "ceased_on": _l("Ceased on"),
    "cessation": _l("Cessation"),
    "channel": _l("Channel"),
    "checked_at": _l("Checked at"),
    "checked_by_user_id": _l("Checked by user number"),
    "code_hash": _l("Code (stored scrambled)"),
    "completed_at": _l("Completed at"),
    "completed_by_user_id": _l("Completed by user number"),
    "content_type": _l("File type"),
    "contractor_id": _l("Contractor number"),
    "created_at": _l("Created at"),
    "data": _l("File"),
    "date_of_birth": _l("Date of birth"),
    "decided_at": _l("Decided at"),
    "decided_by": _l("Decided by"),
    "decided_by_id": _l("Decided by number"),
    "decided_on": _l("Decided on"),
    "decision_reason": _l("Decision reason"),
    "description": _l("Description"),
    "due_at": _l("Due at"),
    "due_on": _l("Due on"),
    "election_id": _l("Election number"),
    "email": _l("Email"),
    "ends_on": _l("Ends on"),
    "entry_date": _l("Entry date"),
    "estate_id": _l("Estate number"),
    "estimated_sessions": _l("Estimated sessions"),
    "expires_at": _l("Expires at"),
    "expires_on": _l("Expires on"),
    "extension_months": _l("Extension months"),
    "extension_reason": _l("Extension reason"),
    "feasibility": _l("Feasibility"),
    "files_deleted_at": _l("Files deleted at"),
    "finished_at": _l("Finished at"),
    "given_at": _l("Given at"),
    "given_by_name": _l("Given by name"),
    "guardian_consent_by": _l("Guardian consent by"),
    "guardian_consent_on": _l("Guardian consent on"),
    "height": _l("Height"),
    "holder_user_id": _l("Holder user number"),
    "home": _l("Home"),
    "home_id": _l("Home number"),
    "id": _l("Record number"),
    "investigated_at": _l("Investigated at"),
    "invited_by_id": _l("Invited by number"),
    "is_active": _l("Can sign in"),
    "is_platform_admin": _l("Platform administrator"),
    "kind": _l("Kind"),
    "language": _l("Language"),
    "last_signed_in_at": _l("Last signed in at"),
    "letters": _l("Letters printed"),
    "location": _l("Location"),
    "make_safe_by": _l("Make safe by"),
    "make_safe_days": _l("Make safe days"),
    "meeting_id": _l("Meeting number"),
    "member_class_id": _l("Member class number"),
    "member_id": _l("Member number"),
    "member_user_id": _l("Member user number"),
    "membership_number": _l("Membership number"),
    "mode": _l("Mode"),
    "modules": _l("Modules"),
    "name": _l("Name"),
    "neighbourhood_id": _l("Neighbourhood number"),
    "nomination_id": _l("Nomination number"),
    "nominator_member_id": _l("Nominator member number"),
    "note": _l("Note"),
    "occurred_at": _l("Occurred at"),
    "offer_answered_at": _l("Offer answered at"),
    "offer_status": _l("Offer status"),
    "payload": _l("Details"),
    "position": _l("Position"),
    "postcode": _l("Postcode"),
    "profile_id": _l("Profile number"),
    "proposer_id": _l("Proposer number"),
    "queued_at": _l("Queued at"),
    "reason": _l("Reason"),
    "received_on": _l("Received on"),
    "record": _l("Record"),
    "recorded_by_user_id": _l("Recorded by user number"),
    "reference": _l("Reference"),
    "register_entry_id": _l("Register entry number"),
    "repair_id": _l("Repair number"),
    "reported_at": _l("Reported at"),
    "reported_by_user_id": _l("Reported by user number"),
    "requested_by_user_id": _l("Requested by user number"),
    "resolution_id": _l("Resolution number"),
    "result": _l("Result"),
    "role": _l("Role"),
    "round_id": _l("Round number"),
    "run_id": _l("Run number"),
    "satisfaction": _l("Satisfaction"),
    "satisfaction_at": _l("Satisfaction at"),
    "satisfaction_comment": _l("Satisfaction comment"),
    "scope": _l("Scope"),
    "seat_id": _l("Seat number"),
    "seq": _l("Entry number in the log"),
    "service_type_id": _l("Service type number"),
    "sessions_wanted": _l("Sessions wanted"),
    "shares": _l("Shares"),
    "society": _l("Society"),
    "society_id": _l("Society number"),
    "started_at": _l("Started at"),
    "starts_on": _l("Starts on"),
    "statement": _l("Statement"),
    "status": _l("Status"),
    "subject_id": _l("Subject number"),
    "subject_type": _l("Subject type"),
    "superseded": _l("Codes superseded"),
    "superseded_at": _l("Superseded at"),
    "survey_id": _l("Survey number"),
    "target_amount": _l("Target amount"),
    "target_unit": _l("Target unit"),
    "tenancy_id": _l("Tenancy number"),
    "term_ends_on": _l("Term ends on"),
    "term_starts_on": _l("Term starts on"),
    "title": _l("Title"),
    "unit_cost_pence": _l("Unit cost in pence"),
    "unopposed": _l("Unopposed"),
    "updated_at": _l("Updated at"),
    "urgency": _l("Urgency"),
    "used_at": _l("Used at"),
    "used_by_user_id": _l("Used by user number"),
    "user_id": _l("Account number"),
    "valid_days": _l("Valid days"),
    "verified_at": _l("Verified at"),
    "verified_by_user_id": _l("Verified by user number"),
    "verified_how": _l("Verified how"),
    "width": _l("Width"),
    "withdrawn_at": _l("Withdrawn at"),
    "withdrawn_reason": _l("Withdrawn reason"),
    "wording_version": _l("Wording version"),
}


def section_label(key: str) -> str:
    """The section's heading; a section we have no words for (a new module's) shows its key."""
    label = SECTIONS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def field_label(key: str) -> str:
    """A field's name as shown; one we have no words for (a new module's) shows its key, spaced."""
    label = FIELDS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


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
