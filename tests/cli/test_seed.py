"""`rochdale seed demo`: three fictional councils, loaded once however often it runs."""

import re

from sqlalchemy import func, select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import verify_password
from app.seed.data import COUNCILS, DEMO_PASSWORD, PLATFORM_ADMIN, RESIDENTS_PER_COUNCIL
from tenants.context import council_context
from tenants.features import enabled_modules
from tenants.models import Council, Neighbourhood


def _counts(db):
    counts = {
        "councils": db.session.scalar(select(func.count()).select_from(Council)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
    }
    for council in db.session.scalars(select(Council)):
        with council_context(council.id):
            counts[council.slug] = (
                db.session.scalar(select(func.count()).select_from(Neighbourhood)),
                db.session.scalar(select(func.count()).select_from(CouncilRole)),
                frozenset(enabled_modules()),
            )
    return counts


def test_seed_demo_loads_three_councils_with_people(rochdale, db):
    result = rochdale("seed", "demo")
    assert result.exit_code == 0, result.output
    assert "Created 3 councils" in result.output
    assert DEMO_PASSWORD in result.output

    councils = db.session.scalars(select(Council).order_by(Council.slug)).all()
    assert [c.slug for c in councils] == ["brackenbury", "kingsmere", "thornfield"]
    for demo in COUNCILS:
        council = next(c for c in councils if c.slug == demo.slug)
        assert council.name == demo.name
        assert council.population > 0
        with council_context(council.id):
            wards = db.session.scalars(select(Neighbourhood)).all()
            assert 6 <= len(wards) <= 12
            codes = [w.ons_ward_code for w in wards]
            assert all(re.fullmatch(r"E05\d{6}", code) for code in codes)
            assert len(set(codes)) == len(codes)
            roles = db.session.scalars(select(CouncilRole)).all()
            by_role = {role: [r for r in roles if r.role is role] for role in Role}
            assert len(by_role[Role.COUNCIL_ADMIN]) == 1
            assert len(by_role[Role.RESIDENT]) == RESIDENTS_PER_COUNCIL
            officers = by_role[Role.OFFICER]
            assert len(officers) == 2
            assert officers[0].modules != officers[1].modules
            assert enabled_modules() == set(demo.modules)

    admin = db.session.scalar(select(User).where(User.email == PLATFORM_ADMIN.email))
    assert admin.is_platform_admin
    assert verify_password(admin.password_hash, DEMO_PASSWORD)
    officer = db.session.scalar(select(User).where(User.email == COUNCILS[0].officers[0].email))
    assert not officer.is_platform_admin
    assert verify_password(officer.password_hash, DEMO_PASSWORD)


def test_seed_demo_twice_adds_nothing(rochdale, db):
    assert rochdale("seed", "demo").exit_code == 0
    first = _counts(db)
    result = rochdale("seed", "demo")
    assert result.exit_code == 0, result.output
    assert "nothing added" in result.output
    assert _counts(db) == first


def test_seed_demo_keeps_a_council_s_own_module_choice(rochdale, db):
    assert rochdale("seed", "demo").exit_code == 0
    assert rochdale("councils", "disable-module", "--council", "brackenbury", "housing").exit_code == 0
    assert rochdale("seed", "demo").exit_code == 0
    brackenbury = db.session.scalar(select(Council).where(Council.slug == "brackenbury"))
    with council_context(brackenbury.id):
        assert "housing" not in enabled_modules()


def test_seed_demo_fills_in_what_is_missing(rochdale, db, create_council):
    # A council that already exists under a demo slug is reused, not duplicated.
    existing = create_council(slug="kingsmere", name="Kingsmere City Council")
    result = rochdale("seed", "demo")
    assert result.exit_code == 0, result.output
    assert "Created 2 councils" in result.output
    with council_context(existing.id):
        assert db.session.scalar(select(func.count()).select_from(Neighbourhood)) == len(COUNCILS[1].neighbourhoods)
