"""The demo councils, as plain data. Every council, place and person is fictional.

Ward codes have the real ONS format (E05 and six digits) but sit in the unused
E059xxxxx range, so they can never be mistaken for a real ward.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.models import CouncilType, Region

# Demonstration only: printed by `make run` and listed in README.md.
DEMO_PASSWORD = "rochdale-demo-1844"  # noqa: S105 - public on purpose


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str


@dataclass(frozen=True)
class DemoOfficer(DemoPerson):
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoCouncil:
    slug: str
    name: str
    council_type: CouncilType
    region: Region
    population: int
    ward_prefix: str  # the first six digits of the fictional ward codes, after "E05"
    neighbourhoods: tuple[str, ...]
    modules: tuple[str, ...]
    admin: DemoPerson
    officers: tuple[DemoOfficer, ...]

    @property
    def email_domain(self) -> str:
        return f"{self.slug}.example.org"

    def ward_code(self, index: int) -> str:
        return f"E05{self.ward_prefix}{index + 1:03d}"


PLATFORM_ADMIN = DemoPerson("platform@rochdale.example.org", "Pat Kendal")

COUNCILS: tuple[DemoCouncil, ...] = (
    DemoCouncil(
        slug="brackenbury",
        name="Brackenbury Metropolitan Borough Council",
        council_type=CouncilType.METROPOLITAN_BOROUGH,
        region=Region.NORTH_WEST,
        population=221_400,
        ward_prefix="901",
        neighbourhoods=(
            "Brackenbury Central",
            "Cobden Park",
            "Greystone Edge",
            "Hollin Brook",
            "Lowerfold",
            "Millbeck",
            "Moorside Heights",
            "Spindle Lane",
            "Tanpits",
            "Weavers Green",
        ),
        modules=("housing", "priorities", "youth"),
        admin=DemoPerson("admin@brackenbury.example.org", "Farida Ashworth"),
        officers=(
            DemoOfficer("housing@brackenbury.example.org", "Declan Marsh", ("housing",)),
            DemoOfficer("youth@brackenbury.example.org", "Ruth Okonkwo", ("youth", "priorities")),
        ),
    ),
    DemoCouncil(
        slug="kingsmere",
        name="Kingsmere City Council",
        council_type=CouncilType.UNITARY,
        region=Region.SOUTH_WEST,
        population=312_600,
        ward_prefix="902",
        neighbourhoods=(
            "Abbeygate",
            "Cathedral Quarter",
            "Fennick Hill",
            "Harbourside",
            "Northgate Fields",
            "Orchard Vale",
            "Quayhead",
            "St Aldwyn's",
        ),
        modules=("schools", "care", "priorities"),
        admin=DemoPerson("admin@kingsmere.example.org", "Gareth Penrose"),
        officers=(
            DemoOfficer("schools@kingsmere.example.org", "Imogen Talbot", ("schools",)),
            DemoOfficer("care@kingsmere.example.org", "Samir Haddad", ("care",)),
        ),
    ),
    DemoCouncil(
        slug="thornfield",
        name="Thornfield District Council",
        council_type=CouncilType.DISTRICT,
        region=Region.EAST_MIDLANDS,
        population=98_700,
        ward_prefix="903",
        neighbourhoods=(
            "Hallow Green",
            "Kettlebrook",
            "Oakhurst and Ferriby Moor",
            "Stenbury",
            "Thornfield Town",
            "Wrenby",
        ),
        modules=("priorities", "housing"),
        admin=DemoPerson("admin@thornfield.example.org", "Helen Cartwright"),
        officers=(
            DemoOfficer("housing@thornfield.example.org", "Tomasz Nowak", ("housing",)),
            DemoOfficer("priorities@thornfield.example.org", "Grace Adeyemi", ("priorities",)),
        ),
    ),
)

RESIDENTS_PER_COUNCIL = 20
_FIRST_NAMES = (
    "Amira", "Ben", "Chloe", "Dev", "Eleanor", "Finn", "Gita", "Harry", "Isla", "Jamal",
    "Kasia", "Liam", "Maya", "Niall", "Olu", "Priya", "Rhys", "Sofia", "Tariq", "Una",
    "Victor", "Wen", "Yasmin", "Zac",
)  # fmt: skip
_SURNAMES = (
    "Bailey", "Chowdhury", "Doyle", "Evans", "Fairclough", "Greenhalgh", "Hussain", "Iqbal",
    "Jones", "Kowalski", "Lees", "Mensah", "Nuttall", "O'Brien", "Patel", "Quinn", "Roberts",
    "Schofield", "Taylor", "Whitworth",
)  # fmt: skip


def residents(council: DemoCouncil) -> tuple[DemoPerson, ...]:
    """The council's fictional residents: deterministic, so seeding twice finds the same people."""
    offset = COUNCILS.index(council) * 7
    people = []
    for n in range(RESIDENTS_PER_COUNCIL):
        first = _FIRST_NAMES[(n + offset) % len(_FIRST_NAMES)]
        last = _SURNAMES[(n * 3 + offset) % len(_SURNAMES)]
        people.append(DemoPerson(f"resident{n + 1:02d}@{council.email_domain}", f"{first} {last}"))
    return tuple(people)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    who: str
    where: str


def demo_logins() -> list[DemoLogin]:
    """One line per kind of person, for the start-up banner and the README."""
    logins = [DemoLogin(PLATFORM_ADMIN.email, "Platform administrator", "every council (/platform)")]
    for council in COUNCILS:
        logins.append(DemoLogin(council.admin.email, "Council administrator", council.name))
        for officer in council.officers:
            logins.append(DemoLogin(officer.email, f"Officer ({', '.join(officer.modules)})", council.name))
        logins.append(
            DemoLogin(
                f"resident01@{council.email_domain}",
                f"Resident (resident01 to resident{RESIDENTS_PER_COUNCIL:02d})",
                council.name,
            )
        )
    return logins
