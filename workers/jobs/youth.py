"""Youth round notifications: one email per resident who asked to be told (see ``app.youth.notify``)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.youth import notify
from app.youth.models import YouthRound
from tenants.context import current_council_id
from tenants.models import Council
from workers.context import council_job
from workers.email import queue_email
from workers.queues import EMAILS, PERIODIC


@council_job(queue=EMAILS, timeout=600)
def send_round_notification(round_id: int, kind: str) -> int:
    """Queue the ``kind`` email of round ``round_id`` to each opted-in resident; returns how many.

    The job is enqueued once per round and kind (its id says so), so a second
    run after a failure resends nothing the first one committed.
    """
    round_ = db.session.scalar(select(YouthRound).where(YouthRound.id == round_id))
    council = db.session.scalar(select(Council).where(Council.id == current_council_id()))
    if round_ is None or council is None or kind not in notify.KINDS:
        return 0
    people = notify.recipients()
    for user_id, address in people:
        subject, body, headers = notify.message(round_, kind, council, user_id)
        queue_email(address, subject, body, headers=headers)
    return len(people)


@council_job(queue=PERIODIC, timeout=120)
def announce_youth_phases() -> list[tuple[int, str]]:
    """Email residents (who asked) that a youth round's phase has begun on its date; each once.

    Periodic (every ten minutes). Councils without the youth module are skipped.
    """
    from app.voting import timing
    from app.youth.queries import MODULE
    from tenants.features import is_module_enabled

    if not is_module_enabled(MODULE):
        return []
    sent = notify.announce_phases_begun(timing.today())
    db.session.commit()
    return sent
