"""People: global sign-in identities and their council-scoped roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Identity,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps
from app.i18n import LazyString, _l


class Role(enum.StrEnum):
    COUNCIL_ADMIN = "council_admin"
    OFFICER = "officer"
    RESIDENT = "resident"

    @property
    def label(self) -> LazyString:
        """The role's name for pages, in the reader's language."""
        return {"council_admin": _l("Council administrator"), "officer": _l("Officer"), "resident": _l("Resident")}[
            self.value
        ]


class User(Timestamps, Base):
    """A person who can sign in. Global: one identity across every council."""

    __tablename__ = "users"
    # Emails are stored lower-cased, so uniqueness is case-insensitive.
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower_case"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # Part of the session identity: bumping it signs the person out everywhere.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class CouncilRole(CouncilScoped, Timestamps, Base):
    """What a person may do in one council. Officers carry per-module permissions."""

    __tablename__ = "council_roles"
    __table_args__ = (UniqueConstraint("council_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="council_role", values_callable=lambda e: [m.value for m in e], validate_strings=True)
    )
    # Module keys (tenants.features.MODULES) an officer may manage; admins may manage all.
    modules: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list, server_default="{}")

    def can_manage(self, module: str) -> bool:
        return self.role is Role.COUNCIL_ADMIN or (self.role is Role.OFFICER and module in self.modules)


class PasswordResetToken(Base):
    """A single-use, time-limited password reset link (only its SHA-256 is stored)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invitation(CouncilScoped, Timestamps, Base):
    """An emailed invitation to join a council as an officer or administrator."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("council_id", "token_hash"),)

    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="council_role", values_callable=lambda e: [m.value for m in e], create_type=False)
    )
    modules: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list, server_default="{}")
    token_hash: Mapped[str] = mapped_column(String(64))
    invited_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
