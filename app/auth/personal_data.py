"""The account's personal data for residents' data rights (``app.privacy.registry``).

The account is global (one sign-in identity across councils); its erasure
anonymises it rather than deleting it, because participation rows, proxies and
the audit chain still point at it. After erasure it cannot sign in, carries no
name, and its email address is free for a new account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.auth import administrators
from app.auth.models import CouncilRole, Invitation, PasswordResetToken, User
from app.extensions import db
from app.privacy.records import actions_as_officer, record, records, rows_where

ERASED_NAME = "Erased account"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): no mail can reach it


def _user(user_id: int) -> User:
    return db.session.scalar(select(User).where(User.id == user_id))


def erased_email(user_id: int) -> str:
    """The address an erased account carries: unique, undeliverable and naming nobody."""
    return f"erased-{user_id}@{ERASED_EMAIL_DOMAIN}"


def export_for_user(user_id: int) -> dict[str, Any]:
    """The account, the role in this council, reset links asked for, invitations received and sent."""
    user = _user(user_id)
    return {
        "account": record(user, skip=("password_hash", "session_version")),
        "council_role": [record(r) for r in rows_where(CouncilRole.user_id, user_id)],
        "password_reset_links": records(rows_where(PasswordResetToken.user_id, user_id), skip=("token_hash",)),
        "invitations_received": records(rows_where(Invitation.email, [user.email]), skip=("token_hash",))
        if user.email
        else [],
        "as_officer": actions_as_officer(user_id, Invitation.invited_by_id),
    }


def erase_for_user(user_id: int) -> None:
    """Remove the council role and invitations to the address; anonymise and deactivate the account.

    Bumping ``session_version`` signs the person out everywhere at once.
    Refused (:class:`~app.auth.administrators.LastAdministratorError`, before
    anything changes) when the person is the last administrator of this
    council or of any other, since the closed account signs in nowhere.
    """
    administrators.refuse_closing_last_administrator(user_id)
    user = _user(user_id)
    db.session.execute(delete(CouncilRole).where(CouncilRole.user_id == user_id))
    db.session.execute(delete(Invitation).where(Invitation.email == user.email))
    db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user_id))
    user.name = ERASED_NAME
    user.email = erased_email(user_id)
    user.password_hash = None
    user.is_active = False
    user.is_platform_admin = False
    user.last_signed_in_at = None
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()
