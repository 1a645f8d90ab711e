"""Which module answers for which personal data: one ``Provider`` line per module.

Every provider is a module with two functions, run with the council already
in context:

* ``export_for_user(user_id: int) -> dict``: everything the module holds about
  the person, as sections (``{"section": [record, ...] | record | None}``);
  values are plain Python (dates, enums, bytes) and become JSON in
  ``app.privacy.export``;
* ``erase_for_user(user_id: int) -> None``: remove or anonymise it (flush,
  never commit), keeping what the law or a ballot's integrity requires.

``covers`` names every ``table.column`` that points at a person (a user, a
register line, a resident profile or register entry) the provider answers for;
``tests/privacy/test_registry.py`` walks the models and fails on any such
column that no provider covers, so a new table cannot be forgotten.

To add a module (the schools and care modules do exactly this), add one line
to ``PROVIDERS`` before ``account``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from app.i18n import LazyString, _l


@dataclass(frozen=True)
class Provider:
    key: str
    title: LazyString
    module: str  # dotted path of the module with export_for_user and erase_for_user
    covers: tuple[str, ...]

    def export(self, user_id: int) -> dict[str, Any]:
        """The module's copy of what it holds about ``user_id``."""
        return import_module(self.module).export_for_user(user_id)

    def erase(self, user_id: int) -> None:
        """The module's erasure for ``user_id`` (flushes)."""
        import_module(self.module).erase_for_user(user_id)


# Erasure runs in this order. The account comes last: the others find rows by the account
# (its id, its email), which the account's erasure anonymises.
PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "residents",
        _l("Resident profile, register entry and voting codes"),
        "app.residents.personal_data",
        (
            "resident_profiles.user_id",
            "resident_profiles.verified_by_user_id",
            "resident_profiles.register_entry_id",
            "resident_consents.profile_id",
            "resident_consents.recorded_by_user_id",
            "register_imports.uploaded_by_user_id",
            "voting_codes.register_entry_id",
            "voting_codes.used_by_user_id",
            "letter_runs.requested_by_user_id",
        ),
    ),
    Provider(
        "voting",
        _l("Voting"),
        "app.voting.personal_data",
        (
            "voting_participations.user_id",
            "voting_proxies.member_user_id",
            "voting_proxies.holder_user_id",
            "voting_proxies.recorded_by_id",
            "voting_paper_entries.first_by_id",
            "voting_paper_entries.second_by_id",
            "voting_results.overridden_by_id",
        ),
    ),
    Provider(
        "governance",
        _l("Co-operative societies: membership, shares, meetings and elections"),
        "app.governance.personal_data",
        (
            "gov_members.user_id",
            "gov_member_decisions.member_id",
            "gov_member_decisions.recorded_by_user_id",
            "gov_share_entries.member_id",
            "gov_share_entries.recorded_by_user_id",
            "gov_society_officers.user_id",
            "gov_meetings.created_by_user_id",
            "gov_resolutions.signed_off_by_user_id",
            "gov_meeting_attendance.member_id",
            "gov_meeting_attendance.recorded_by_user_id",
            "gov_channel_voters.member_id",
            "gov_channel_voters.recorded_by_user_id",
            "gov_channel_counts.entered_by_user_id",
            "gov_notice_emails.member_id",
            "gov_election_nominations.member_id",
            "gov_election_nominations.nominator_member_id",
            "gov_election_nominations.checked_by_user_id",
            "gov_body_members.member_id",
        ),
    ),
    Provider(
        "housing",
        _l("Housing"),
        "app.housing.personal_data",
        (
            "housing_tenants.user_id",
            "housing_tenants.member_id",
            "housing_repairs.reported_by_user_id",
            "housing_transfer_ballots.created_by_id",
            "housing_survey_responses.user_id",
        ),
    ),
    Provider(
        "youth",
        _l("Youth service choices"),
        "app.youth.personal_data",
        ("youth_proposals.proposer_id", "youth_proposals.decided_by_id"),
    ),
    Provider(
        "priorities",
        _l("Neighbourhood priorities"),
        "app.priorities.personal_data",
        ("priorities_exercises.created_by_id",),
    ),
    Provider(
        "schools",
        _l("Co-operative trust schools"),
        "app.schools.personal_data",
        (
            "schools_checklist_items.done_by_user_id",
            "schools_values_reviews.entered_by_user_id",
            "schools_trustees.member_id",
        ),
    ),
    Provider(
        "care",
        _l("Care and support"),
        "app.care.personal_data",
        (
            "care_named_people.user_id",
            "care_team_members.user_id",
            "care_people.user_id",
            "care_people.carer_user_id",
            "care_plan_versions.written_by_user_id",
            "care_plan_reviews.recorded_by_user_id",
            "care_plan_comments.user_id",
            "care_plan_reads.user_id",
            "care_stories.user_id",
            "care_survey_responses.user_id",
        ),
    ),
    Provider(
        "billing",
        _l("Billing"),
        "app.billing.personal_data",
        ("billing_subscription_requests.requested_by_id",),
    ),
    Provider(
        "audit", _l("Audit log entries of things you did"), "app.audit.personal_data", ("audit_events.actor_user_id",)
    ),
    Provider(
        "privacy",
        _l("Your data rights requests"),
        "app.privacy.personal_data",
        ("privacy_requests.user_id", "privacy_requests.completed_by_user_id"),
    ),
    Provider(
        "account",
        _l("Your account and role"),
        "app.auth.personal_data",
        ("council_roles.user_id", "password_reset_tokens.user_id", "invitations.invited_by_id"),
    ),
)


def covered_columns() -> set[str]:
    """Every ``table.column`` some provider answers for."""
    return {column for provider in PROVIDERS for column in provider.covers}
