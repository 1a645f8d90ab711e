"""Every write a council administrator makes: flush, never commit (the view commits once).

All of these act on the current council (``tenants.context``). Uniqueness is
checked before writing, so the usual refusal is a clear message, and the
database's unique constraints catch the rare race between two administrators:
the write happens inside a savepoint, so a clash undoes only that write and
surfaces as the same clear error.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from app.admin import queries
from app.admin.neighbourhood_csv import NeighbourhoodRow
from app.auth import administrators
from app.auth.models import CouncilRole, Invitation, Role, User
from app.auth.tokens import new_token
from app.extensions import db
from app.i18n import DEFAULT_LANGUAGE, _l, gettext, ngettext
from tenants.context import current_council_id
from tenants.features import MODULES, enabled_modules, set_module_enabled
from tenants.models import Council, Neighbourhood

logger = logging.getLogger(__name__)

FOREIGN_KEY_VIOLATION = "23503"

INVITATION_LIFETIME = timedelta(days=7)
INVITABLE_ROLES = (Role.OFFICER, Role.COUNCIL_ADMIN)


class AdminError(ValueError):
    """An administrator's request that cannot be carried out; ``field`` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class DuplicateNeighbourhoodError(AdminError):
    """A neighbourhood with that name or ONS ward code already exists in this council."""


class NeighbourhoodInUseError(AdminError):
    """Other records (a ballot, say) still refer to the neighbourhood."""


class LastAdministratorError(AdminError):
    """The change would leave the council with no administrator."""


class ModuleNotInPlanError(AdminError):
    """The council's billing plan does not include a module it asked to switch on."""


class InvitationError(AdminError):
    """An invitation cannot be sent to that address."""


def _now() -> datetime:
    return datetime.now(UTC)


# --- modules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleChange:
    key: str
    enabled: bool


def save_module_switches(wanted_on: Collection[str]) -> list[ModuleChange]:
    """Switch on exactly the modules in ``wanted_on``; returns what changed, in ``MODULES`` order."""
    unknown = set(wanted_on) - MODULES.keys()
    if unknown:
        raise AdminError(_l("Unknown module %(module)r", module=sorted(unknown)[0]), field="modules")
    before = enabled_modules()
    _refuse_modules_outside_plan([key for key in MODULES if key in wanted_on and key not in before])
    changes = []
    for key in MODULES:
        enabled = key in wanted_on
        if enabled != (key in before):
            set_module_enabled(key, enabled)
            changes.append(ModuleChange(key, enabled))
    if changes:
        logger.info(
            "Council %s modules changed: %s",
            current_council_id(),
            ", ".join(f"{c.key}={'on' if c.enabled else 'off'}" for c in changes),
        )
    return changes


def _refuse_modules_outside_plan(switching_on: list[str]) -> None:
    """Raise ``ModuleNotInPlanError`` if the plan lacks any of ``switching_on`` (billing off: all allowed)."""
    from app.billing.queries import summary

    entitled = summary().entitled_modules
    refused = [key for key in switching_on if key not in entitled]
    if refused:
        raise ModuleNotInPlanError(
            _l(
                "Your plan does not include %(module)s. Choose a plan that includes it on the billing page",
                module=MODULES[refused[0]].title,
            ),
            field="modules",
        )


# --- neighbourhoods -------------------------------------------------------------------------------


def _check_neighbourhood_unique(name: str, code: str | None, except_id: int | None = None) -> None:
    if queries.neighbourhood_name_taken(name, except_id=except_id):
        raise DuplicateNeighbourhoodError(_l("A neighbourhood called %(name)s already exists", name=name), field="name")
    if code is not None and queries.ward_code_taken(code, except_id=except_id):
        raise DuplicateNeighbourhoodError(
            _l("A neighbourhood with the ONS ward code %(code)s already exists", code=code), field="ons_ward_code"
        )


@contextmanager
def _unique_clashes_refused() -> Iterator[None]:
    """Run the block and flush inside a savepoint; a unique clash becomes ``DuplicateNeighbourhoodError``.

    Only the savepoint is undone, so the request's transaction stays usable
    for showing the form again.
    """
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", "") or ""
        if constraint.endswith("_ons_ward_code"):
            raise DuplicateNeighbourhoodError(
                _l("A neighbourhood with that ONS ward code was added just now"), field="ons_ward_code"
            ) from exc
        if constraint.endswith("_name"):
            raise DuplicateNeighbourhoodError(
                _l("A neighbourhood with that name was added just now"), field="name"
            ) from exc
        raise


def add_neighbourhood(name: str, ons_ward_code: str | None) -> Neighbourhood:
    """Add a neighbourhood to the current council.

    ``name`` and ``ons_ward_code`` must already be cleaned and valid
    (``app.admin.neighbourhood_rules``). Raises ``DuplicateNeighbourhoodError``
    if either is taken, checked first and enforced by the unique constraints.
    """
    _check_neighbourhood_unique(name, ons_ward_code)
    neighbourhood = Neighbourhood(name=name, ons_ward_code=ons_ward_code)
    with _unique_clashes_refused():
        db.session.add(neighbourhood)
    return neighbourhood


def update_neighbourhood(neighbourhood: Neighbourhood, name: str, ons_ward_code: str | None) -> Neighbourhood:
    """Rename ``neighbourhood`` or change its ward code (same checks as ``add_neighbourhood``)."""
    _check_neighbourhood_unique(name, ons_ward_code, except_id=neighbourhood.id)
    try:
        with _unique_clashes_refused():
            neighbourhood.name = name
            neighbourhood.ons_ward_code = ons_ward_code
    except DuplicateNeighbourhoodError:
        db.session.refresh(neighbourhood)  # back to what is stored
        raise
    return neighbourhood


def delete_neighbourhood(neighbourhood: Neighbourhood) -> None:
    """Delete ``neighbourhood`` from the current council.

    Raises ``NeighbourhoodInUseError`` when other records still refer to it (the
    database's foreign keys decide, so a module added later is covered too);
    only the savepoint is undone, and nothing is deleted.
    """
    try:
        with db.session.begin_nested():
            db.session.delete(neighbourhood)
            db.session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != FOREIGN_KEY_VIOLATION:
            raise
        db.session.refresh(neighbourhood)
        raise NeighbourhoodInUseError(
            _l(
                "%(name)s cannot be deleted because other records use it, such as a ballot for "
                "that neighbourhood. Remove or move those first",
                name=neighbourhood.name,
            )
        ) from exc
    logger.info("Council %s deleted neighbourhood %s", neighbourhood.council_id, neighbourhood.id)


def import_neighbourhoods(rows: list[NeighbourhoodRow]) -> int:
    """Add every row, all or nothing; returns how many were added.

    ``rows`` come from ``neighbourhood_csv.parse_neighbourhoods`` with no
    problems, so they were checked against the council's neighbourhoods at
    upload time. If another administrator added a clashing one since, the
    savepoint is undone and ``DuplicateNeighbourhoodError`` raised: nothing of
    the file is kept.
    """
    neighbourhoods = [Neighbourhood(name=row.name, ons_ward_code=row.ons_ward_code) for row in rows]
    try:
        with _unique_clashes_refused():
            db.session.add_all(neighbourhoods)
    except DuplicateNeighbourhoodError as exc:
        raise DuplicateNeighbourhoodError(
            _l(
                "Someone added a neighbourhood with the same name or ONS ward code while the file was being checked. "
                "Nothing was imported. Upload the file again to see which lines clash"
            ),
            field="csv_file",
        ) from exc
    logger.info("Council %s imported %s neighbourhoods", current_council_id(), len(neighbourhoods))
    return len(neighbourhoods)


# --- officers, administrators and invitations -----------------------------------------------------


def _refuse_if_last_administrator(council_role: CouncilRole, change: str) -> None:
    """The council's one rule (``app.auth.administrators``), refused as this module's error on the role field."""
    try:
        administrators.refuse_leaving_no_administrator(council_role, change)
    except administrators.LastAdministratorError as exc:
        raise LastAdministratorError(exc.message, field="role") from None


def _invitation_email(council: Council, role: Role, inviter: str | None, link: str) -> tuple[str, str]:
    """Subject and body of an invitation, in English.

    We do not know the invited person's language, so the email is English
    whatever language the administrator uses; the sentences are in the
    catalogue, so a later change can send them in the person's language.
    """
    with force_locale(DEFAULT_LANGUAGE):
        names = {"council": council.name}
        if role is Role.OFFICER and inviter:
            invited = gettext(
                "%(inviter)s has invited you to help run %(council)s on Rochdale as an officer.",
                inviter=inviter,
                **names,
            )
        elif role is Role.OFFICER:
            invited = gettext("You have been invited to help run %(council)s on Rochdale as an officer.", **names)
        elif inviter:
            invited = gettext(
                "%(inviter)s has invited you to help run %(council)s on Rochdale as a council administrator.",
                inviter=inviter,
                **names,
            )
        else:
            invited = gettext(
                "You have been invited to help run %(council)s on Rochdale as a council administrator.", **names
            )
        days = INVITATION_LIFETIME.days
        paragraphs = [
            gettext("Hello,"),
            invited,
            ngettext(
                "To accept, open this link within %(num)d day:", "To accept, open this link within %(num)d days:", days
            ),
            link,
            gettext("If you were not expecting this invitation, you can ignore this email."),
        ]
        return gettext("Invitation to help run %(council)s", **names), "\n\n".join(paragraphs) + "\n"


def _clean_modules(role: Role, modules: Iterable[str]) -> list[str]:
    if role is not Role.OFFICER:
        return []  # administrators manage every module
    chosen = set(modules)
    unknown = chosen - MODULES.keys()
    if unknown:
        raise AdminError(_l("Unknown module %(module)r", module=sorted(unknown)[0]), field="modules")
    return [key for key in MODULES if key in chosen]


def change_staff_role(council_role: CouncilRole, role: Role, modules: Iterable[str]) -> CouncilRole:
    """Make a member of staff an officer (managing ``modules``) or an administrator.

    Refuses with ``LastAdministratorError`` to turn the council's only
    administrator into an officer.
    """
    if role not in INVITABLE_ROLES:
        raise AdminError(_l("Choose officer or council administrator"), field="role")
    chosen = _clean_modules(role, modules)
    if role is not Role.COUNCIL_ADMIN:
        _refuse_if_last_administrator(council_role, administrators.DEMOTE)
    council_role.role = role
    council_role.modules = chosen
    db.session.flush()
    logger.info("Council %s role %s is now %s", council_role.council_id, council_role.id, role.value)
    return council_role


def remove_staff_role(council_role: CouncilRole) -> None:
    """Take away someone's role in this council (their sign-in identity stays).

    Refuses with ``LastAdministratorError`` to remove the only administrator,
    whoever asks, so a council is never left without one.
    """
    _refuse_if_last_administrator(council_role, administrators.REMOVE)
    db.session.delete(council_role)
    db.session.flush()
    logger.info("Council %s removed role %s", council_role.council_id, council_role.id)


def invitation_link(council: Council, token: str) -> str:
    """The full address of the page where ``token``'s invitation is accepted.

    Works in a request and, with ``SERVER_NAME`` set, in a command or job.
    """
    try:
        return url_for("council.council_auth.accept_invitation", council=council.slug, token=token, _external=True)
    except (BuildError, RuntimeError):
        # The accept page is not registered (or no server name is known): build the documented path.
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "https")
        host = current_app.config.get("SERVER_NAME") or "localhost"
        return f"{scheme}://{host}/c/{council.slug}/invitations/{token}"


def invite(
    council: Council, email: str, role: Role, modules: Iterable[str] = (), invited_by: User | None = None
) -> Invitation:
    """Invite ``email`` to help run ``council`` as an officer or administrator, and email the link.

    ``council`` must be the current council. The link's token is stored only
    as its SHA-256 and works for ``INVITATION_LIFETIME``. Refuses with
    ``InvitationError`` if the address is already an officer or administrator
    here, or has an unexpired invitation. (A resident may be invited: accepting
    replaces their resident role.) The email goes out only if the caller commits.
    """
    from workers.email import queue_email

    if council.id != current_council_id():
        raise ValueError("invite() must run in the invited council's context")
    if role not in INVITABLE_ROLES:
        raise InvitationError(_l("Choose officer or council administrator"), field="role")
    email = email.strip().lower()
    existing = queries.role_of_email(email)
    if existing is not None and existing.role in INVITABLE_ROLES:
        raise InvitationError(
            _l("%(email)s is already an officer here", email=email)
            if existing.role is Role.OFFICER
            else _l("%(email)s is already a council administrator here", email=email),
            field="email",
        )
    if queries.live_invitation_for(email) is not None:
        raise InvitationError(
            _l("%(email)s has already been invited. Revoke that invitation to send a new one", email=email),
            field="email",
        )
    token, token_hash = new_token()
    invitation = Invitation(
        email=email,
        role=role,
        modules=_clean_modules(role, modules),
        token_hash=token_hash,
        invited_by_id=invited_by.id if invited_by is not None else None,
        expires_at=_now() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    subject, body = _invitation_email(
        council, role, invited_by.name if invited_by is not None else None, invitation_link(council, token)
    )
    queue_email(email, subject[:200], body)
    logger.info("Council %s invited a new %s (invitation %s)", council.id, role.value, invitation.id)
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    if invitation.accepted_at is not None:
        raise InvitationError(_l("That invitation has already been accepted"))
    db.session.delete(invitation)
    db.session.flush()
    logger.info("Council %s revoked invitation %s", invitation.council_id, invitation.id)
