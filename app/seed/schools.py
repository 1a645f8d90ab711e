"""Demo data for co-operative trust schools, built around Kingsmere's trust and its forum election.

The trust (``app.seed.elections``) gets its legal model and partners, five
schools (four in the trust, one exploring on its own), Ofsted judgements,
the council's pipeline against a target of twelve, a pairing with a termly
review and two years of values self-reviews. Idempotent: nothing is added
when the first school is already there.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.governance.models import Society
from app.schools import operations
from app.schools.models import ChecklistItem, School
from app.seed.elections import COUNCIL_SLUG, SOCIETY
from app.voting import timing
from tenants.context import council_context
from tenants.models import Council

# (name, URN, phase, pupils, in the trust, Ofsted judgements: years ago → judgement)
SCHOOLS = (
    ("Kingsmere Academy", "137001", "secondary", 1180, True, {6: "requires_improvement", 2: "good"}),
    ("Orchard Vale Primary", "137002", "primary", 410, True, {4: "good"}),
    ("Fennick Hill Primary", "137003", "primary", 236, True, {3: "requires_improvement"}),
    ("Brookside Special School", "137004", "special", 92, True, {5: "outstanding"}),
    ("St Aldhelm's Primary", "137005", "primary", 305, False, {2: "good"}),
)
PARTNERS = (
    ("Kingsmere College", "college"),
    ("University of the Mere", "university"),
    ("Kingsmere and District NHS Trust", "nhs_trust"),
    ("Mere Valley Co-operative", "cooperative"),
)
RATINGS = {
    1: {"self_help": 3, "self_responsibility": 3, "democracy": 2, "equality": 3, "equity": 2, "solidarity": 3},
    0: {"self_help": 4, "self_responsibility": 3, "democracy": 4, "equality": 4, "equity": 3, "solidarity": 4},
}


def ensure_schools(created: Counter[str]) -> None:
    """Add the Kingsmere schools demo if it is missing (flushes, never commits)."""
    council = db.session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    if council is None:
        return
    with council_context(council.id):
        trust = db.session.scalar(select(Society).where(Society.name == SOCIETY))
        if trust is None or db.session.scalar(select(School.id).where(School.urn == SCHOOLS[0][1])):
            return
        today = timing.today()
        operations.set_legal_model(trust, "academy", by=None)
        for name, kind in PARTNERS:
            operations.add_partner(trust, name=name, kind=kind, by=None)
        schools = {}
        for name, urn, phase, pupils, in_trust, inspections in SCHOOLS:
            school = operations.save_school(
                None, name=name, urn=urn, phase=phase, pupils=pupils, society_id=trust.id if in_trust else None, by=None
            )
            for years_ago, judgement in inspections.items():
                operations.record_judgement(
                    school, inspected_on=today - timedelta(days=365 * years_ago), judgement=judgement, by=None
                )
            schools[name] = school
            created["schools"] += 1
        _pipeline(schools, today)
        operations.set_target(12, by=None)
        pairing = operations.create_pairing(
            supporting=schools["Kingsmere Academy"],
            supported=schools["Fennick Hill Primary"],
            kind="partnership",
            goals="Lift reading at key stage 2 to the local average, and share a pupil voice programme.",
            started_on=today - timedelta(days=300),
            by=None,
        )
        operations.add_review(
            pairing,
            term="spring",
            year=today.year - 1,
            progress="good",
            notes="Reading scores up in years 5 and 6; the school council now meets monthly.",
            by=None,
        )
        for years_ago, ratings in RATINGS.items():
            operations.save_values_review(
                schools["Kingsmere Academy"],
                year=today.year - years_ago,
                ratings=ratings,
                evidence="Student voice panels in every year group; a staff co-operative learning day.",
                by=None,
            )


def _pipeline(schools: dict[str, School], today) -> None:
    """Kingsmere Academy live, Orchard Vale with its trust established, St Aldhelm's consulting."""
    plan = {"Kingsmere Academy": 2, "Orchard Vale Primary": 1, "St Aldhelm's Primary": 0}
    for name, steps in plan.items():
        start = today - timedelta(days=500 + 100 * steps)
        entry = operations.join_pipeline(schools[name], started_on=start, by=None)
        for step in range(steps):
            stage = entry.stage
            for item in db.session.scalars(
                select(ChecklistItem).where(ChecklistItem.entry_id == entry.id, ChecklistItem.stage == stage)
            ):
                operations.tick_item(item, done_on=start + timedelta(days=60 + 150 * step), by=None)
            operations.advance(entry, on=start + timedelta(days=90 + 150 * step), by=None)
