"""Demo care enterprise for a council running the care module (Kingsmere).

Idempotent like the rest of the demo: an enterprise that already exists (by
its society's name) is left alone. Everything goes through
:mod:`app.care.operations` and :mod:`app.governance.operations`, so the demo
has audit entries like real use. Residents 15 to 20 play the parts (the
forum election seed uses the first ones): two staff in the home care team,
one in the day centre, a person supported with a plan and their carer.
The council's care officer is named plan officer and moderator.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.care import operations
from app.care.models import CareSurveyResponse
from app.extensions import db
from app.governance import operations as governance
from app.governance import queries as governance_queries
from app.governance.models import Society
from app.seed.data import DemoCouncil, residents
from app.voting import timing

ENTERPRISE_NAME = "Kingsmere Care Co-operative"


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def ensure_care(demo: DemoCouncil, created: Counter[str]) -> None:
    """Create the demo enterprise in the current council unless it exists (flushes, never commits)."""
    if "care" not in demo.modules:
        return
    if db.session.scalar(select(Society.id).where(Society.name == ENTERPRISE_NAME)) is not None:
        return
    officer = _user(next(o.email for o in demo.officers if "care" in o.modules))
    people = [_user(p.email) for p in residents(demo)[14:20]]
    staff, staff2, day_staff, person, carer, teller = people
    enterprise = operations.create_enterprise(name=ENTERPRISE_NAME, model="multi_stakeholder", by=officer)
    home_care = operations.add_service(enterprise, name="Home care Kingsmere East", kind="home_care", by=officer)
    day = operations.add_service(enterprise, name="Willow Day Centre", kind="day_services", by=officer)
    operations.add_service(enterprise, name="Oak House short breaks", kind="short_breaks", by=officer)
    east = operations.add_team(home_care, name="East team", by=officer)
    willow = operations.add_team(day, name="Willow team", by=officer)
    for member, team in ((staff, east), (staff2, east), (day_staff, willow)):
        operations.add_team_member(team, member, by=officer)
    operations.name_person(enterprise, officer, "plan_officer", by=officer)
    operations.name_person(enterprise, officer, "moderator", by=officer)
    record = operations.add_person(east, name=person.name, user=person, carer=carer, by=officer)
    today = timing.today()
    operations.update_plan(
        record,
        outcomes="I want to stay in my own home and get to the allotment club on Tuesdays.\n"
        "I like to cook my own tea with a bit of help.",
        who_helps="The East team visits every morning; my daughter does the weekly shop.",
        review_on=today + timedelta(days=120),
        by=staff,
    )
    operations.record_review(
        record, reviewed_on=today - timedelta(days=30), notes="Morning visits moved to 9am.", by=staff
    )
    # Members of the enterprise in each class, admitted by the board.
    society = governance_queries.society(enterprise.society_id)
    for user, class_id in (
        (staff, enterprise.staff_class_id),
        (staff2, enterprise.staff_class_id),
        (day_staff, enterprise.staff_class_id),
        (person, enterprise.people_class_id),
        (carer, enterprise.carers_class_id),
    ):
        line = governance.apply_for_membership(
            society,
            governance_queries.member_class(society.id, class_id),
            name=user.name,
            address=f"{user.id} Mill Lane, Kingsmere",
            postcode="",
            email=user.email,
            user_id=user.id,
            applied_on=today - timedelta(days=60),
        )
        governance.admit(line, decided_on=today - timedelta(days=45), decided_by="Board, minute 2", by_user=None)
    story = operations.submit_story(
        enterprise,
        title="They listen",
        body="The East team always ask how I want things done. It makes a real difference.",
        author_name=teller.name.split()[0],
        service_id=home_care.id,
        by=teller,
    )
    operations.publish_story(story, by=officer)
    operations.reply_to_story(story, reply="Thank you. We have shared this with the East team.", by=officer)
    operations.submit_story(
        enterprise, title="Lunch was cold", body="Ring me on 07700 900456 about the lunches.", service_id=day.id
    )
    for service, overall, control in (
        (home_care, 1, 1),
        (home_care, 2, 2),
        (home_care, 4, 3),
        (day, 2, 1),
        (day, 5, 3),
    ):
        db.session.add(
            CareSurveyResponse(
                service_id=service.id, answered_on=today - timedelta(days=10), overall=overall, control=control
            )
        )
    db.session.flush()
    created["care enterprises"] += 1
