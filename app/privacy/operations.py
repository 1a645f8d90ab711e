"""Data rights requests: recording a download, asking for erasure, extending and completing (flush, never commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.operations import record_event
from app.auth.administrators import LastAdministratorError
from app.auth.models import User
from app.extensions import db
from app.i18n import LazyString, _l
from app.privacy.due_dates import MAX_EXTENSION_MONTHS, due_date
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.privacy.registry import PROVIDERS
from app.voting import timing

SUBJECT = "privacy_request"
REASON_MAX = 2000


class PrivacyError(Exception):
    """A request refused with a message for the person; ``field`` is the form field at fault."""

    def __init__(self, message: LazyString | str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status


def _new_request(user: User, kind: RequestKind) -> DataRightsRequest:
    received = timing.today()
    request = DataRightsRequest(user_id=user.id, kind=kind, received_on=received, due_on=due_date(received))
    db.session.add(request)
    return request


def record_download(user: User) -> DataRightsRequest:
    """Record that ``user`` downloaded their copy: an access request answered at once, and an audit entry."""
    request = _new_request(user, RequestKind.ACCESS)
    request.status = RequestStatus.COMPLETED
    request.completed_at = timing.now()
    request.completed_by_user_id = user.id
    db.session.flush()
    record_event("privacy.data_downloaded", SUBJECT, request.id, actor_user_id=user.id)
    return request


def open_erasure(user_id: int) -> DataRightsRequest | None:
    """The person's erasure request still waiting for an officer, if any."""
    return db.session.scalar(
        select(DataRightsRequest).where(
            DataRightsRequest.user_id == user_id,
            DataRightsRequest.kind == RequestKind.ERASURE,
            DataRightsRequest.status == RequestStatus.RECEIVED,
        )
    )


def request_erasure(user: User) -> DataRightsRequest:
    """Receive ``user``'s erasure request (one open at a time) and start its one-month clock."""
    already = PrivacyError(_l("You have already asked for your data to be erased. The council is dealing with it."))
    if open_erasure(user.id) is not None:
        raise already
    try:
        # A savepoint: a second click racing this one meets the unique index, not a 500.
        with db.session.begin_nested():
            request = _new_request(user, RequestKind.ERASURE)
            db.session.flush()
    except IntegrityError:
        raise already from None
    record_event(
        "privacy.erasure_requested",
        SUBJECT,
        request.id,
        payload={"due_on": request.due_on.isoformat()},
        actor_user_id=user.id,
    )
    return request


def _require_open(request: DataRightsRequest) -> None:
    """Lock the request's row and check it is still open, so two officers cannot both act on it."""
    db.session.scalar(
        select(DataRightsRequest)
        .where(DataRightsRequest.id == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if request.status is not RequestStatus.RECEIVED:
        raise PrivacyError(_l("This request has already been completed."), status=409)


def extend_request(request: DataRightsRequest, months: int | None, reason: str, *, by: User) -> DataRightsRequest:
    """Extend a complex request to 1 or 2 further months after the first (UK GDPR Art. 12(3)), with the reason."""
    _require_open(request)
    reason = (reason or "").strip()
    if months is None or not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise PrivacyError(_l("Choose an extension of one or two months"), field="months")
    if months < request.extension_months:
        raise PrivacyError(_l("An extension cannot be shortened once the person has been told of it"), field="months")
    if not reason:
        raise PrivacyError(_l("Enter why the request needs more time"), field="reason")
    if len(reason) > REASON_MAX:
        raise PrivacyError(_l("The reason must be 2,000 characters or fewer"), field="reason")
    request.extension_months = months
    request.extension_reason = reason
    request.due_on = due_date(request.received_on, months)
    db.session.flush()
    record_event(
        "privacy.request_extended",
        SUBJECT,
        request.id,
        payload={"months": months, "due_on": request.due_on.isoformat(), "reason": reason},
        actor_user_id=by.id,
    )
    return request


def complete_erasure(request: DataRightsRequest, *, by: User) -> DataRightsRequest:
    """Erase the requester's personal data in every module, then mark the request completed.

    Each provider removes or anonymises what it holds (``app.privacy.registry``),
    the account last. Everything happens in the caller's one transaction: if
    any step fails, the view rolls back and nothing is half-erased. The
    council's last administrator (or another council's) is refused with a
    409: the council must invite another administrator first.
    """
    _require_open(request)
    if request.kind is not RequestKind.ERASURE:
        raise PrivacyError(_l("Only an erasure request is completed here."), status=409)
    if request.user_id is None:
        raise PrivacyError(_l("The account this request was about no longer exists."), status=409)
    if request.user_id == by.id:
        raise PrivacyError(_l("Another officer must complete your own erasure request."), status=403)
    try:
        for provider in PROVIDERS:
            provider.erase(request.user_id)
    except LastAdministratorError as exc:
        # The caller rolls back what the providers before the account's had erased.
        raise PrivacyError(exc.message, status=409) from None
    request.status = RequestStatus.COMPLETED
    request.completed_at = timing.now()
    request.completed_by_user_id = by.id
    db.session.flush()
    record_event(
        "privacy.erasure_completed",
        SUBJECT,
        request.id,
        payload={"modules": [p.key for p in PROVIDERS]},
        actor_user_id=by.id,
    )
    return request
