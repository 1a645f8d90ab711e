"""Loading the demo data: idempotent, so running it twice adds nothing.

Each row is looked up by its natural key (council slug, neighbourhood name,
email, the person's role in a council) and only created when missing. Existing
rows are left alone, so a demo someone has clicked around in keeps its changes.
The work is split into steps so the CLI can show a progress bar; nothing is
committed here (the caller commits once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.extensions import db
from app.seed.data import COUNCILS, DEMO_PASSWORD, PLATFORM_ADMIN, DemoCouncil, DemoPerson, residents
from app.seed.housing import HOUSING_DEMO_COUNCIL
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council, CouncilModule, Neighbourhood


@dataclass(frozen=True)
class SeedStep:
    label: str
    run: Callable[[], None]


@dataclass
class DemoSeeder:
    """Creates whatever of the demo data is missing; ``created`` counts what it added."""

    created: Counter[str] = field(default_factory=Counter)
    _password_hash: str | None = None

    def steps(self) -> list[SeedStep]:
        """Every step in order: the platform admin, then each council's rows."""
        steps = [
            SeedStep("platform administrator", self.ensure_platform_admin),
            SeedStep("billing plans", self.ensure_billing_plans),
        ]
        for council in COUNCILS:
            steps.append(SeedStep(f"{council.slug}: council", lambda c=council: self.ensure_council(c)))
            steps.append(SeedStep(f"{council.slug}: neighbourhoods", lambda c=council: self.ensure_neighbourhoods(c)))
            steps.append(SeedStep(f"{council.slug}: modules", lambda c=council: self.ensure_modules(c)))
            steps.append(SeedStep(f"{council.slug}: staff", lambda c=council: self.ensure_staff(c)))
            steps.append(SeedStep(f"{council.slug}: residents", lambda c=council: self.ensure_residents(c)))
            steps.append(SeedStep(f"{council.slug}: societies", lambda c=council: self.ensure_societies(c)))
            if council.slug == HOUSING_DEMO_COUNCIL:
                steps.append(SeedStep(f"{council.slug}: housing", lambda c=council: self.ensure_housing(c)))
                steps.append(SeedStep(f"{council.slug}: general meeting", lambda c=council: self.ensure_meetings(c)))
                steps.append(
                    SeedStep(f"{council.slug}: data rights requests", lambda c=council: self.ensure_privacy(c))
                )
            if "care" in council.modules:
                steps.append(SeedStep(f"{council.slug}: care enterprise", lambda c=council: self.ensure_care(c)))
        steps.append(SeedStep("kingsmere: stakeholder forum election", self.ensure_elections))
        steps.append(SeedStep("kingsmere: co-operative trust schools", self.ensure_schools))
        for council in COUNCILS:
            steps.append(SeedStep(f"{council.slug}: benchmarking", lambda c=council: self.ensure_benchmarks(c)))
        return steps

    def run(self) -> Counter[str]:
        """Run every step (no progress reporting); returns what was created."""
        for step in self.steps():
            step.run()
        return self.created

    # -- people -----------------------------------------------------------

    def _hash(self) -> str:
        # One argon2 hash for the shared demo password: hashing it for each of
        # some seventy people would take seconds and prove nothing.
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self._password_hash

    def _user(self, person: DemoPerson, *, is_platform_admin: bool = False) -> User:
        user = db.session.scalar(select(User).where(User.email == person.email))
        if user is None:
            user = User(
                email=person.email,
                name=person.name,
                password_hash=self._hash(),
                is_platform_admin=is_platform_admin,
            )
            db.session.add(user)
            db.session.flush()
            self.created["users"] += 1
        return user

    def _role(self, council: Council, user: User, role: Role, modules: tuple[str, ...] = ()) -> None:
        with council_context(council.id):
            existing = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == user.id))
            if existing is None:
                db.session.add(CouncilRole(user_id=user.id, role=role, modules=list(modules)))
                db.session.flush()
                self.created["council roles"] += 1

    def ensure_platform_admin(self) -> None:
        self._user(PLATFORM_ADMIN, is_platform_admin=True)

    # -- councils ---------------------------------------------------------

    def _council(self, demo: DemoCouncil) -> Council:
        council = db.session.scalar(select(Council).where(Council.slug == demo.slug))
        if council is None:
            raise LookupError(f"demo council {demo.slug!r} has not been created yet")
        return council

    def ensure_council(self, demo: DemoCouncil) -> None:
        if db.session.scalar(select(Council.id).where(Council.slug == demo.slug)) is not None:
            return
        db.session.add(
            Council(
                slug=demo.slug,
                name=demo.name,
                council_type=demo.council_type,
                region=demo.region,
                population=demo.population,
            )
        )
        db.session.flush()
        self.created["councils"] += 1

    def ensure_neighbourhoods(self, demo: DemoCouncil) -> None:
        council = self._council(demo)
        with council_context(council.id):
            existing = set(db.session.scalars(select(Neighbourhood.name)))
            for index, name in enumerate(demo.neighbourhoods):
                if name not in existing:
                    db.session.add(Neighbourhood(name=name, ons_ward_code=demo.ward_code(index)))
                    self.created["neighbourhoods"] += 1
            db.session.flush()

    def ensure_modules(self, demo: DemoCouncil) -> None:
        council = self._council(demo)
        with council_context(council.id):
            # A switch that exists, on or off, is the council's own choice: keep it.
            decided = set(db.session.scalars(select(CouncilModule.module)))
            for key in demo.modules:
                if key not in decided:
                    set_module_enabled(key, True)
                    self.created["modules switched on"] += 1

    def ensure_billing_plans(self) -> None:
        """The standard plans (``app.seed.billing``)."""
        from app.seed.billing import ensure_plans

        ensure_plans(self.created)

    def ensure_staff(self, demo: DemoCouncil) -> None:
        council = self._council(demo)
        self._role(council, self._user(demo.admin), Role.COUNCIL_ADMIN)
        for officer in demo.officers:
            self._role(council, self._user(officer), Role.OFFICER, officer.modules)

    def ensure_elections(self) -> None:
        from app.seed.elections import ensure_forum_election

        ensure_forum_election(self.created)

    def ensure_schools(self) -> None:
        """Kingsmere's schools, pipeline, pairing and self-reviews around its trust (``app.seed.schools``)."""
        from app.seed.schools import ensure_schools

        ensure_schools(self.created)

    def ensure_societies(self, demo: DemoCouncil) -> None:
        from app.seed.governance import ensure_societies

        ensure_societies(demo, self.created)

    def ensure_residents(self, demo: DemoCouncil) -> None:
        council = self._council(demo)
        for person in residents(demo):
            self._role(council, self._user(person), Role.RESIDENT)

    def ensure_housing(self, demo: DemoCouncil) -> None:
        """Estates, homes, a tenants' co-op, tenancies and a repair (``app.seed.housing``)."""
        from app.seed.housing import ensure_housing

        council = self._council(demo)
        with council_context(council.id):
            ensure_housing(self.created, [person.email for person in residents(demo)])

    def ensure_benchmarks(self, demo: DemoCouncil) -> None:
        """Two years of benchmarking figures, shared and published (``app.seed.benchmarking``)."""
        from app.seed.benchmarking import ensure_benchmarks

        with council_context(self._council(demo).id):
            ensure_benchmarks(demo.slug, self.created)

    def ensure_care(self, demo: DemoCouncil) -> None:
        """A care enterprise with services, teams, a support plan, stories and survey answers (``app.seed.care``)."""
        from app.seed.care import ensure_care

        with council_context(self._council(demo).id):
            ensure_care(demo, self.created)

    def ensure_meetings(self, demo: DemoCouncil) -> None:
        """The housing co-op's AGM with notice given and two resolutions (``app.seed.meetings``)."""
        from app.seed.meetings import ensure_agm

        with council_context(self._council(demo).id):
            ensure_agm(self.created)

    def ensure_privacy(self, demo: DemoCouncil) -> None:
        """Residents' access and erasure requests with running clocks (``app.seed.privacy``)."""
        from app.seed.privacy import ensure_requests

        with council_context(self._council(demo).id):
            ensure_requests(self.created, [person.email for person in residents(demo)])


def database_is_empty() -> bool:
    """Whether there are no councils and no people yet (``make run`` seeds only then)."""
    councils = db.session.scalar(select(func.count()).select_from(Council))
    users = db.session.scalar(select(func.count()).select_from(User))
    return not councils and not users


def demo_data_present() -> bool:
    """Whether the demo platform administrator exists (so the demo logins work)."""
    return db.session.scalar(select(User.id).where(User.email == PLATFORM_ADMIN.email)) is not None
