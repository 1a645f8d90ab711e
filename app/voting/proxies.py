"""Proxies for resolutions: a member appoints a holder, who votes for them.

An officer records each appointment (member → holder) before the ballot
closes. The rules, from the ballot's parameters and the society's rules:

* only resolutions take proxies, and only when ``proxy_cap`` is not ``0``;
* the member must be in the ballot's electorate and must not have voted;
  a member appoints one holder (a second appointment is refused, not stacked);
* a member cannot hold their own proxy;
* a holder may hold at most ``proxy_cap`` proxies (``None``: no cap). The cap
  is enforced here, under a lock on the ballot, so the count can trust every
  proxy vote it finds.

The holder votes for the member with :func:`cast_proxy_vote`: in one
transaction, the member's participation row (channel ``proxy``, so the member
cannot vote again, and the holder cannot vote twice for them) and an
anonymous paper with channel ``proxy``. The count reads proxy papers as proxy
votes (``of_which_proxy`` in the result). Appointments are audited with the
two people's ids (who holds whose proxy is part of the meeting's record);
votes are not, exactly as for any other vote.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.i18n import LazyString, _l, ngettext
from app.voting import timing
from app.voting.electorate import is_eligible
from app.voting.models import Ballot, BallotKind, BallotStatus, Channel, Participation, Proxy
from app.voting.operations import (
    AlreadyVotedError,
    NotOpenError,
    VotingError,
    ballot_options,
    cast_paper,
    has_voted,
    lock_ballot,
    window_refusal,
)
from app.voting.papers import validate_paper
from tenants.context import current_council_id

SUBJECT = "ballot"
RECORDABLE = (BallotStatus.DRAFT, BallotStatus.SCHEDULED, BallotStatus.OPEN)


class ProxyError(VotingError):
    """A proxy appointment or proxy vote the rules refuse; ``field`` names the form field, if any."""

    status = 409

    def __init__(self, message: str, field: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        if status is not None:
            self.status = status


def proxy_cap(ballot: Ballot) -> int | None:
    cap = (ballot.parameters or {}).get("proxy_cap")
    return cap if isinstance(cap, int) and not isinstance(cap, bool) else None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def held_by(ballot: Ballot, holder_user_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Proxy)
        .where(Proxy.ballot_id == ballot.id, Proxy.holder_user_id == holder_user_id)
    )


def record_proxy(ballot: Ballot, member: User, holder: User, *, officer_id: int | None) -> Proxy:
    """Record that ``member`` appoints ``holder`` as proxy for ``ballot`` (rules in the module docstring)."""
    ballot = lock_ballot(ballot)
    if ballot.kind is not BallotKind.RESOLUTION:
        raise ProxyError(_l("Only resolutions take proxy votes"))
    if ballot.status not in RECORDABLE:
        raise ProxyError(_l("Proxies can be recorded until the ballot closes; this ballot has closed"))
    cap = proxy_cap(ballot)
    if cap == 0:
        raise ProxyError(_l("The rules of this resolution allow no proxies"))
    if member.id == holder.id:
        raise ProxyError(_l("A member cannot hold their own proxy"), "holder_email")
    eligible, _ = is_eligible(ballot, member)
    if not eligible:
        raise ProxyError(
            _l("%(name)s is not in this ballot's electorate, so cannot appoint a proxy", name=member.name),
            "member_email",
        )
    if has_voted(ballot, member.id):
        raise ProxyError(_l("%(name)s has already voted, so cannot appoint a proxy", name=member.name), "member_email")
    existing = db.session.scalar(select(Proxy).where(Proxy.ballot_id == ballot.id, Proxy.member_user_id == member.id))
    if existing is not None:
        raise ProxyError(_l("%(name)s has already appointed a proxy for this ballot", name=member.name), "member_email")
    if cap is not None and held_by(ballot, holder.id) >= cap:
        raise ProxyError(
            LazyString(
                lambda: ngettext(
                    "%(name)s already holds %(num)d proxy, the most the rules allow",
                    "%(name)s already holds %(num)d proxies, the most the rules allow",
                    cap,
                    name=holder.name,
                )
            ),
            "holder_email",
        )
    proxy = Proxy(ballot_id=ballot.id, member_user_id=member.id, holder_user_id=holder.id, recorded_by_id=officer_id)
    db.session.add(proxy)
    db.session.flush()
    record_event(
        "ballot.proxy_recorded",
        SUBJECT,
        ballot.id,
        payload={"member_user_id": member.id, "holder_user_id": holder.id},
        actor_user_id=officer_id,
    )
    return proxy


def remove_proxy(ballot: Ballot, proxy: Proxy, *, officer_id: int | None) -> None:
    """Withdraw an appointment whose vote has not been cast."""
    ballot = lock_ballot(ballot)
    if has_voted(ballot, proxy.member_user_id):
        raise ProxyError(_l("The member has voted (in person or by this proxy), so the proxy stands"))
    member, holder = proxy.member_user_id, proxy.holder_user_id
    db.session.delete(proxy)
    db.session.flush()
    record_event(
        "ballot.proxy_removed",
        SUBJECT,
        ballot.id,
        payload={"member_user_id": member, "holder_user_id": holder},
        actor_user_id=officer_id,
    )


def proxies(ballot: Ballot) -> list[tuple[Proxy, User, User]]:
    """Every appointment with the member and the holder, in the order recorded."""
    rows = db.session.scalars(select(Proxy).where(Proxy.ballot_id == ballot.id).order_by(Proxy.created_at, Proxy.id))
    out = []
    for proxy in rows:
        member = db.session.scalar(select(User).where(User.id == proxy.member_user_id))
        holder = db.session.scalar(select(User).where(User.id == proxy.holder_user_id))
        out.append((proxy, member, holder))
    return out


def held_proxies(ballot: Ballot, holder_user_id: int) -> list[tuple[Proxy, User, bool]]:
    """The proxies ``holder_user_id`` holds for ``ballot``: each member, and whether their vote is cast."""
    rows = db.session.scalars(
        select(Proxy).where(Proxy.ballot_id == ballot.id, Proxy.holder_user_id == holder_user_id).order_by(Proxy.id)
    )
    out = []
    for proxy in rows:
        member = db.session.scalar(select(User).where(User.id == proxy.member_user_id))
        out.append((proxy, member, has_voted(ballot, proxy.member_user_id)))
    return out


def cast_proxy_vote(ballot: Ballot, holder: User, member_user_id: int, content: Any) -> str:
    """The holder casts the member's vote: participation (channel proxy) and an anonymous paper. Returns the receipt.

    Refused (:class:`ProxyError`) when ``holder`` does not hold that member's
    proxy; :class:`NotOpenError` outside the window; :class:`AlreadyVotedError`
    when the member has voted (in person or by proxy). The caller commits.
    """
    ballot = lock_ballot(ballot, share=True)
    refusal = window_refusal(ballot)
    if refusal:
        raise NotOpenError(refusal)
    proxy = db.session.scalar(
        select(Proxy).where(
            Proxy.ballot_id == ballot.id, Proxy.member_user_id == member_user_id, Proxy.holder_user_id == holder.id
        )
    )
    if proxy is None:
        raise ProxyError(_l("You do not hold this member's proxy for this ballot"), status=403)
    options = ballot_options(ballot)
    canonical = validate_paper(ballot, options, content)
    day = timing.today()
    inserted = db.session.execute(
        insert(Participation)
        .values(
            council_id=current_council_id(),
            ballot_id=ballot.id,
            user_id=member_user_id,
            channel=Channel.PROXY,
            cast_on=day,
        )
        .on_conflict_do_nothing(index_elements=["council_id", "ballot_id", "user_id"])
        .returning(Participation.id)
    ).first()
    if inserted is None:
        raise AlreadyVotedError(_l("This member has already voted, in person or by proxy"))
    return cast_paper(ballot, canonical, channel=Channel.PROXY, cast_on=day, options=options)
