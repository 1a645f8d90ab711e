"""Two admissions to one society at the same moment never get the same membership number.

Real commits and two threads, each with its own app context (so its own
session and connection): the first admits and holds its transaction open; the
second must wait for the society's lock and then take the next number.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.governance import operations
from app.governance.models import Member
from app.voting import timing
from tenants.context import council_context
from tests.governance.conftest import applicant


def test_simultaneous_admissions_take_turns_for_numbers(app, committed_db, gov):
    council_id = gov.council.id  # read once: the row's session belongs to this thread
    with council_context(council_id):
        ids = [applicant(gov).id, applicant(gov).id]
        db.session.commit()
    first_admitted, results, errors = threading.Event(), {}, []

    def admit(member_id: int, *, hold: bool) -> None:
        try:
            with app.app_context(), council_context(council_id):
                member = db.session.scalar(select(Member).where(Member.id == member_id))
                if not hold:
                    first_admitted.wait(10)
                operations.admit(
                    member, decided_on=timing.today() - timedelta(days=1), decided_by="Committee", by_user=None
                )
                results[member_id] = member.membership_number
                if hold:
                    first_admitted.set()
                    threading.Event().wait(0.5)  # the other thread is now waiting on the lock
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)
            first_admitted.set()

    threads = [
        threading.Thread(target=admit, args=(ids[0],), kwargs={"hold": True}),
        threading.Thread(target=admit, args=(ids[1],), kwargs={"hold": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    # The fixture's member holds number 1.
    assert sorted(results.values()) == [2, 3]
    assert results[ids[0]] == 2
