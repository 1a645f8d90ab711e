"""Every write about people and signing in: flush, never commit (the view commits once).

Sign-in answers the same way for an unknown email and a wrong password, and
costs one argon2 hash either way, so neither the page nor its timing tells
whether an account exists (ASVS 6.3.8). Anything that should end other
sessions (signing out, a new password) bumps ``User.session_version``, which
is part of the session identity checked by the user loader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from flask import url_for
from sqlalchemy import func, select

from app.auth import administrators
from app.auth.models import CouncilRole, Invitation, PasswordResetToken, Role, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.tokens import hash_token, new_token
from app.extensions import db
from app.i18n import gettext

logger = logging.getLogger(__name__)

RESET_LINK_LIFETIME = timedelta(hours=1)
# More reset emails than this per account per hour are not sent (the page says the same either way).
MAX_RESET_EMAILS_PER_HOUR = 3
# Longer than any token we issue; anything longer is not looked up at all.
MAX_TOKEN_LENGTH = 200


class LinkState(StrEnum):
    """What an emailed link (password reset or invitation) turned out to be."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


def normalise_email(email: str) -> str:
    """The form an email address is stored and compared in."""
    return email.strip().lower()


def _now() -> datetime:
    return datetime.now(UTC)


# --- signing in and out -------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or ``None``.

    An unknown email still costs one argon2 hash (``verify_password`` with no
    hash), and an inactive account is checked only after the password, so
    every failure takes about as long as every other. A hash made with older
    parameters is replaced on success.
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
        logger.info("Rehashed the password of user %s with current parameters", user.id)
    return user


def record_sign_in(user: User) -> None:
    """Note when ``user`` last signed in."""
    user.last_signed_in_at = _now()
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """Make every session cookie ever issued to ``user`` worthless (ASVS 7.4.1).

    The session identity is ``<id>:<session_version>``; the user loader
    refuses any other version, so a copied or replayed cookie dies too.
    """
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def change_password(user: User, new_password: str) -> None:
    """Set a new password for ``user`` and sign them out everywhere (ASVS 7.4.3).

    The caller validates ``new_password`` against the policy first and signs
    the current session back in with the new session version if it wants to
    keep it.
    """
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    logger.info("Password changed for user %s; other sessions ended", user.id)


# --- password reset -----------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link if ``email`` belongs to an active account; otherwise do nothing.

    The caller shows the same page in both cases. At most
    ``MAX_RESET_EMAILS_PER_HOUR`` links go to one account per hour, so the
    form cannot be used to flood someone's inbox.
    """
    from workers.email import queue_email

    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    recent = db.session.scalar(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.created_at > _now() - timedelta(hours=1))
    )
    if recent >= MAX_RESET_EMAILS_PER_HOUR:
        logger.info("Reset email for user %s not sent: %s already sent this hour", user.id, recent)
        return
    token, token_hash = new_token()
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=token_hash, expires_at=_now() + RESET_LINK_LIFETIME))
    db.session.flush()
    link = url_for("auth.reset_password", token=token, _external=True)
    # In the language of the person asking: the email is for the address they typed in.
    body = [
        gettext("Hello %(name)s,", name=user.name),
        gettext(
            "Someone asked to reset the password for your account. If it was you, use this link to choose a new "
            "password. The link works once, for 1 hour."
        ),
        link,
        gettext("If you did not ask for this, you can ignore this email: your password has not changed."),
    ]
    queue_email(user.email, gettext("Reset your password"), "\n\n".join(body) + "\n")
    logger.info("Password reset link sent to user %s", user.id)


def find_reset_token(token: str) -> tuple[LinkState, PasswordResetToken | None]:
    """The reset token behind ``token`` and whether it can still be used."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkState.UNKNOWN, None
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token)))
    if row is None:
        return LinkState.UNKNOWN, None
    if row.used_at is not None:
        return LinkState.USED, row
    if row.expires_at <= _now():
        return LinkState.EXPIRED, row
    return LinkState.VALID, row


def reset_password(token: str, new_password: str) -> User | None:
    """Use reset link ``token`` to set ``new_password``; ``None`` if the link cannot be used.

    Locks the token row so two submissions of one link cannot both succeed,
    marks it (and every other open link of the account) used, and ends all
    the account's sessions.
    """
    state, row = find_reset_token(token)
    if state is not LinkState.VALID or row is None:
        return None
    row = db.session.scalar(
        select(PasswordResetToken)
        .where(PasswordResetToken.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None or row.used_at is not None:
        return None
    user = db.session.scalar(select(User).where(User.id == row.user_id))
    if user is None or not user.is_active:
        return None
    now = _now()
    for open_token in db.session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
    ):
        open_token.used_at = now
    change_password(user, new_password)
    return user


# --- invitations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationLookup:
    state: LinkState
    invitation: Invitation | None = None


def find_invitation(token: str) -> InvitationLookup:
    """The current council's invitation behind ``token`` and whether it can still be used.

    Another council's invitation is invisible here (ORM filter and RLS), so it
    is ``UNKNOWN`` like a made-up token.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return InvitationLookup(LinkState.UNKNOWN)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        return InvitationLookup(LinkState.UNKNOWN)
    if invitation.accepted_at is not None:
        return InvitationLookup(LinkState.USED, invitation)
    if invitation.expires_at <= _now():
        return InvitationLookup(LinkState.EXPIRED, invitation)
    return InvitationLookup(LinkState.VALID, invitation)


def _lock_open_invitation(invitation: Invitation) -> Invitation | None:
    locked = db.session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None or locked.accepted_at is not None or locked.expires_at <= _now():
        return None
    return locked


def accept_invitation(invitation: Invitation, user: User) -> CouncilRole | None:
    """Give ``user`` the role the invitation offers in the current council.

    ``user`` must be the invited address's account. An existing role in this
    council is replaced by the invited one (the administrator chose it), except
    that the council's last administrator cannot take a lesser role
    (:class:`~app.auth.administrators.LastAdministratorError`). Returns
    ``None``, writing nothing, if the invitation was used or expired meanwhile.
    """
    if normalise_email(invitation.email) != user.email:
        raise ValueError("an invitation can only be accepted by the invited address")
    locked = _lock_open_invitation(invitation)
    if locked is None:
        return None
    role = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == user.id))
    if role is None:
        role = CouncilRole(user_id=user.id, role=locked.role, modules=list(locked.modules))
        db.session.add(role)
    else:
        if locked.role is not Role.COUNCIL_ADMIN:
            # An administrator invited (before they became one) to a lesser role.
            administrators.refuse_leaving_no_administrator(role, administrators.ACCEPT)
        role.role = locked.role
        role.modules = list(locked.modules)
    locked.accepted_at = _now()
    db.session.flush()
    logger.info("User %s accepted invitation %s as %s", user.id, locked.id, locked.role.value)
    return role


def accept_invitation_with_new_account(invitation: Invitation, name: str, password: str) -> User | None:
    """Create the account for the invited address, then accept the invitation with it.

    Returns ``None``, writing nothing, if the address already has an account
    (they must sign in instead) or the invitation was used or expired meanwhile.
    """
    email = normalise_email(invitation.email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return None
    if _lock_open_invitation(invitation) is None:
        return None
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    logger.info("User %s created from invitation %s", user.id, invitation.id)
    accept_invitation(invitation, user)
    return user
