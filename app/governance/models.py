"""The governance core's records: societies, member classes, the register of members and the share ledger.

One set of tables serves every kind of society a council works with (housing
co-operatives, co-operative school trusts, care social enterprises): the
modules add what is particular to them (homes, schools, services) and use
these for membership.

The register keeps what a society registered under the Co-operative and
Community Benefit Societies Act 2014 must keep for each member: name, address,
the date they were admitted, the shares they hold and the date they ceased to
be a member. Shares are never edited: every issue and withdrawal is a new line
in the share ledger, and a member's holding is the sum of their lines (the
database refuses an UPDATE of a ledger line; see the migration).
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class SocietyKind(enum.StrEnum):
    """What a society is; decides which council module its pages belong to."""

    HOUSING_COOP = "housing_coop"
    SCHOOL_TRUST = "school_trust"
    CARE_ENTERPRISE = "care_enterprise"


# The council module (tenants.features.MODULES key) each kind of society lives in.
MODULE_FOR_KIND = {
    SocietyKind.HOUSING_COOP: "housing",
    SocietyKind.SCHOOL_TRUST: "schools",
    SocietyKind.CARE_ENTERPRISE: "care",
}


class MemberStatus(enum.StrEnum):
    """Where a person is on the register."""

    APPLICANT = "applicant"  # applied; waiting for the committee's decision
    MEMBER = "member"  # admitted and not ceased
    REFUSED = "refused"  # the application was refused (the decision is recorded)
    CEASED = "ceased"  # was a member; ``ceased_on`` and ``cessation`` say when and why


class Cessation(enum.StrEnum):
    """Why a membership ended."""

    LEFT = "left"  # resigned
    EXPELLED = "expelled"  # by a decision under the society's rules
    DIED = "died"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"  # e.g. no longer a tenant, pupil's parent, member of staff


class DecisionKind(enum.StrEnum):
    """Decisions about a person's membership, each recorded with who decided, when and why."""

    ADMITTED = "admitted"
    REFUSED = "refused"
    LEFT = "left"
    EXPELLED = "expelled"
    DIED = "died"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"


class ShareEntryKind(enum.StrEnum):
    ISSUE = "issue"
    WITHDRAWAL = "withdrawal"


class Society(CouncilScoped, Timestamps, Base):
    """A co-operative within a council, with the rules its general meetings follow.

    The thresholds name :data:`app.voting.methods.resolutions.THRESHOLDS`
    entries; the quorum is the larger of ``quorum_members`` and
    ``quorum_percent`` % of the members on the register.
    """

    __tablename__ = "gov_societies"
    __table_args__ = (
        UniqueConstraint("council_id", "name"),
        CheckConstraint("notice_clear_days >= 0 AND notice_clear_days <= 365", name="notice_range"),
        CheckConstraint("quorum_members >= 0", name="quorum_members_not_negative"),
        CheckConstraint("quorum_percent >= 0 AND quorum_percent <= 100", name="quorum_percent_range"),
        CheckConstraint("proxy_cap IS NULL OR proxy_cap >= 0", name="proxy_cap_not_negative"),
        CheckConstraint("share_value_pence > 0", name="share_value_positive"),
        CheckConstraint("shares_on_admission >= 1", name="shares_on_admission_positive"),
        CheckConstraint(
            "ordinary_threshold IN ('simple_majority', 'two_thirds', 'three_quarters')", name="ordinary_threshold_known"
        ),
        CheckConstraint(
            "special_threshold IN ('simple_majority', 'two_thirds', 'three_quarters')", name="special_threshold_known"
        ),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SocietyKind] = mapped_column(value_enum(SocietyKind, "gov_society_kind"))
    # The FCA register number ("12345R"), blank until registered.
    registration_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    registered_office: Mapped[str] = mapped_column(Text, default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Rules for general meetings.
    notice_clear_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    quorum_members: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quorum_percent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ordinary_threshold: Mapped[str] = mapped_column(
        String(20), default="simple_majority", server_default="simple_majority"
    )
    special_threshold: Mapped[str] = mapped_column(
        String(20), default="three_quarters", server_default="three_quarters"
    )
    # How many proxies one holder may carry; None means no cap, 0 means the rules allow no proxies.
    proxy_cap: Mapped[int | None] = mapped_column(Integer, default=2, server_default="2")
    proxies_count_in_quorum: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # Shares: one £1 share per member by default.
    share_value_pence: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    shares_on_admission: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class MemberClass(CouncilScoped, Timestamps, Base):
    """A class or constituency of members (tenants; parents, staff, learners; people who use services…).

    ``vote_cap_percent``, when set, caps the class's share of the votes at a
    general meeting (multi-stakeholder rules: e.g. staff hold at most 40 %).
    """

    __tablename__ = "gov_member_classes"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id", "name"),
        CheckConstraint(
            "vote_cap_percent IS NULL OR (vote_cap_percent > 0 AND vote_cap_percent <= 100)", name="vote_cap_range"
        ),
        CheckConstraint("min_age IS NULL OR (min_age >= 0 AND min_age <= 120)", name="min_age_range"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    vote_cap_percent: Mapped[int | None] = mapped_column(Integer)
    # Members of this class younger than this need a parent's or carer's consent (learners under 18).
    min_age: Mapped[int | None] = mapped_column(Integer)


class Member(CouncilScoped, Timestamps, Base):
    """One person's line in the register of members, from application to cessation.

    ``membership_number`` is given on admission, in order, and never reused.
    ``user_id`` links the line to a platform account when the person has one
    (a member's own page); a register can hold people without accounts.
    """

    __tablename__ = "gov_members"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        council_fk(["member_class_id"], "gov_member_classes"),
        UniqueConstraint("council_id", "society_id", "membership_number"),
        # One live line per person per society (an applicant or a member); past lines stay.
        Index(
            "uq_gov_members_one_live_per_user",
            "council_id",
            "society_id",
            "user_id",
            unique=True,
            postgresql_where=column("user_id").is_not(None) & column("status").in_(("applicant", "member")),
        ),
        Index("ix_gov_members_society_status", "council_id", "society_id", "status"),
        CheckConstraint("(admitted_on IS NOT NULL) = (status IN ('member', 'ceased'))", name="admitted_when_member"),
        CheckConstraint("(ceased_on IS NOT NULL) = (status = 'ceased')", name="ceased_on_when_ceased"),
        CheckConstraint("(status = 'ceased') = (cessation IS NOT NULL)", name="cessation_when_ceased"),
        CheckConstraint("(membership_number IS NULL) = (admitted_on IS NULL)", name="number_on_admission"),
        CheckConstraint("admitted_on IS NULL OR admitted_on >= applied_on", name="admitted_after_applying"),
        CheckConstraint("ceased_on IS NULL OR ceased_on >= admitted_on", name="ceased_after_admission"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    member_class_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    membership_number: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    status: Mapped[MemberStatus] = mapped_column(value_enum(MemberStatus, "gov_member_status"))
    applied_on: Mapped[date] = mapped_column(Date)
    admitted_on: Mapped[date | None] = mapped_column(Date)
    ceased_on: Mapped[date | None] = mapped_column(Date)
    cessation: Mapped[Cessation | None] = mapped_column(value_enum(Cessation, "gov_cessation"))
    # A parent's or carer's consent, for a class with a minimum age (name of the person who consented, and when).
    guardian_consent_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    guardian_consent_on: Mapped[date | None] = mapped_column(Date)


class MemberDecision(CouncilScoped, Timestamps, Base):
    """A recorded decision about a membership: who decided (the body and its minute), when, why, who recorded it.

    Admissions, refusals and expulsions are decisions of the committee or a
    general meeting under the society's rules; ``decided_by`` names that body
    and its minute ("Committee, 3 March 2026, minute 4").
    """

    __tablename__ = "gov_member_decisions"
    __table_args__ = (
        council_fk(["member_id"], "gov_members", ondelete="CASCADE"),
        Index("ix_gov_member_decisions_member", "council_id", "member_id"),
    )

    member_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[DecisionKind] = mapped_column(value_enum(DecisionKind, "gov_decision_kind"))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(300), default="", server_default="")
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class ShareEntry(CouncilScoped, Timestamps, Base):
    """One line of the share ledger: shares issued to or withdrawn from a member. Never updated.

    A holding is the sum of issues less withdrawals; a correction is a new
    line that reverses the wrong one (with a note), as a paper ledger would.
    """

    __tablename__ = "gov_share_entries"
    __table_args__ = (
        council_fk(["member_id"], "gov_members", ondelete="CASCADE"),
        Index("ix_gov_share_entries_member", "council_id", "member_id"),
        CheckConstraint("shares > 0", name="shares_positive"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[ShareEntryKind] = mapped_column(value_enum(ShareEntryKind, "gov_share_entry_kind"))
    shares: Mapped[int] = mapped_column(Integer)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    entry_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class SocietyRole(enum.StrEnum):
    """What a person does for a society, beyond being a member (council officers can do all of it)."""

    SECRETARY = "secretary"  # keeps the registers, calls meetings
    COMMITTEE = "committee"  # decides admissions, puts motions
    SCRUTINEER = "scrutineer"  # enters in-room and postal counts, signs off result sheets


class SocietyOfficer(CouncilScoped, Timestamps, Base):
    """A person holding a role for a society (the secretary, a committee member, a scrutineer)."""

    __tablename__ = "gov_society_officers"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id", "user_id", "role"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[SocietyRole] = mapped_column(value_enum(SocietyRole, "gov_society_role"))
