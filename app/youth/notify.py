"""Emails to residents when a youth round's phase opens or its results are published.

Who gets them: residents of the council with a standing contact consent
(``ConsentKind.CONTACT``). Each email carries a one-click unsubscribe link (a
signed token naming the council and the person, no expiry: an old email's link
must still work) and a ``List-Unsubscribe`` header with the same link.
:func:`notify` enqueues the sending job after commit; the job queues one
email per resident, each sent by the email worker.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from werkzeug.routing import BuildError

from app.auth.models import User
from app.extensions import db
from app.i18n import gettext as _
from app.residents import profiles
from app.residents.models import ConsentKind, ConsentRecord, ResidentProfile
from app.youth.models import Phase, YouthRound
from app.youth.phases import PHASE_STARTS, phase_from_dates
from tenants.context import current_council_id
from tenants.models import Council

SALT = "youth-unsubscribe"
RESULTS = "results"  # the notification kind for published results; the others are phase values
KINDS = frozenset({RESULTS, *(p.value for p in Phase if p is not Phase.UPCOMING)})


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(council_id: int, user_id: int) -> str:
    return _serializer().dumps([council_id, user_id])


def read_token(token: str) -> tuple[int, int] | None:
    """The (council id, user id) a token names, or ``None`` if it was not signed by us."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        return None
    return value[0], value[1]


def unsubscribe(user_id: int) -> bool:
    """Withdraw the person's contact consent in the current council; whether any was standing."""
    profile = profiles.profile_for(user_id)
    return profile is not None and profiles.withdraw_consent(profile, ConsentKind.CONTACT) > 0


def notify(round_: YouthRound, kind: str) -> str:
    """Send the ``kind`` notification of ``round_`` once the current transaction commits (once per round and kind)."""
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.youth import send_round_notification

    if kind not in KINDS:
        raise ValueError(f"unknown youth notification {kind!r}")
    return enqueue_after_commit(send_round_notification, round_.id, kind, council_id=current_council_id())


def recipients() -> list[tuple[int, str]]:
    """(user id, email) of the council's residents with a standing contact consent."""
    return list(
        db.session.execute(
            select(User.id, User.email)
            .join(ResidentProfile, ResidentProfile.user_id == User.id)
            .where(
                select(ConsentRecord.id)
                .where(
                    ConsentRecord.profile_id == ResidentProfile.id,
                    ConsentRecord.kind == ConsentKind.CONTACT,
                    ConsentRecord.withdrawn_at.is_(None),
                )
                .exists()
            )
            .order_by(User.id)
        ).all()
    )


def _link(endpoint: str, council: Council, path: str, **values) -> str:
    """A full link in a request or, with ``SERVER_NAME`` set, in a job; else built from the documented path."""
    try:
        return url_for(endpoint, council=council.slug, _external=True, **values)
    except (BuildError, RuntimeError):
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "https")
        host = current_app.config.get("SERVER_NAME") or "localhost"
        return f"{scheme}://{host}/c/{council.slug}{path}"


def _phase_started(phase: Phase, title: str) -> tuple[str, str]:
    """Subject and first sentence announcing ``phase``: one whole sentence per phase, for translators."""
    if phase is Phase.PROPOSALS:
        return (
            _("%(title)s: the proposals phase has started", title=title),
            _("The proposals phase of %(title)s has started.", title=title),
        )
    if phase is Phase.REVIEW:
        return (
            _("%(title)s: the officer review phase has started", title=title),
            _("The officer review phase of %(title)s has started.", title=title),
        )
    if phase is Phase.VOTING:
        return (
            _("%(title)s: the voting phase has started", title=title),
            _("The voting phase of %(title)s has started.", title=title),
        )
    return (
        _("%(title)s: the delivery phase has started", title=title),
        _("The delivery phase of %(title)s has started.", title=title),
    )


def message(round_: YouthRound, kind: str, council: Council, user_id: int) -> tuple[str, str, dict[str, str]]:
    """Subject, body and headers of one resident's email."""
    token = unsubscribe_token(council.id, user_id)
    stop = _link("council.youth.unsubscribe", council, f"/youth/unsubscribe/{token}", token=token)
    page = _link("council.youth.round", council, f"/youth/{round_.id}", round_id=round_.id)
    if kind == RESULTS:
        subject = _("Results of %(title)s are published", title=round_.title)
        lead = _("The votes in %(title)s have been counted and the results are published.", title=round_.title)
    else:
        subject, lead = _phase_started(Phase(kind), round_.title)
    body = "\n\n".join(
        [
            lead,
            _("See the round: %(link)s", link=page),
            _(
                "You get these emails because you asked %(council)s to tell you about youth services.",
                council=council.name,
            ),
            _("To stop them, open this link: %(link)s", link=stop),
        ]
    )
    return (
        subject.replace("\n", " "),
        body + "\n",
        {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


# Phases that begin on their date alone. Voting is announced when an officer opens it (the
# ballots must exist first) and results when an officer announces them.
PHASES_ANNOUNCED_BY_DATE = (Phase.PROPOSALS, Phase.REVIEW, Phase.DELIVERY)
# A phase that began longer ago than this is not announced late (e.g. when this is first deployed).
LATE_ANNOUNCEMENT_LIMIT = timedelta(days=7)


def announce_phases_begun(today: date) -> list[tuple[int, str]]:
    """Queue the email of each round's phase that began on its date within the last week; returns (round, phase).

    Rounds an officer has put in a phase by hand are left to the officer's button. Each
    announcement is one job per round and phase (:func:`notify`), so running this every few
    minutes sends each one once.
    """
    sent = []
    starts = dict(PHASE_STARTS)
    for round_ in db.session.scalars(select(YouthRound).where(YouthRound.phase_override.is_(None))):
        phase = phase_from_dates(round_, today)
        if phase not in PHASES_ANNOUNCED_BY_DATE:
            continue
        began = getattr(round_, starts[phase])
        if today - began > LATE_ANNOUNCEMENT_LIMIT:
            continue
        notify(round_, phase.value)
        sent.append((round_.id, phase.value))
    return sent
