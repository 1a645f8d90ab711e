"""`rochdale councils create|list|enable-module|disable-module` against the test database."""

from sqlalchemy import func, select

from tenants.context import council_context
from tenants.features import enabled_modules
from tenants.models import Council, CouncilType, Region

CREATE = [
    "councils",
    "create",
    "--slug",
    "testshire",
    "--name",
    "Testshire County Council",
    "--type",
    "county",
    "--region",
    "east_of_england",
    "--population",
    "754000",
]


def test_create_makes_a_council_with_its_modules(rochdale, db):
    result = rochdale(*CREATE, "--module", "housing", "--module", "care")
    assert result.exit_code == 0, result.output
    assert "Created Testshire County Council at /c/testshire/" in result.output

    council = db.session.scalar(select(Council).where(Council.slug == "testshire"))
    assert council.name == "Testshire County Council"
    assert council.council_type is CouncilType.COUNTY
    assert council.region is Region.EAST_OF_ENGLAND
    assert council.population == 754_000
    with council_context(council.id):
        assert enabled_modules() == {"housing", "care"}


def test_create_refuses_a_duplicate_slug_and_writes_nothing(rochdale, db, create_council):
    create_council(slug="testshire", name="The First Testshire")
    db.session.commit()  # as if made earlier: the command's own rollback must not reach it
    result = rochdale(*CREATE)
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert db.session.scalar(select(func.count()).select_from(Council).where(Council.slug == "testshire")) == 1


def test_create_refuses_a_malformed_slug(rochdale, db):
    args = list(CREATE)
    args[args.index("testshire")] = "Test Shire!"
    result = rochdale(*args)
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert "lower-case letters" in result.output
    assert db.session.scalar(select(func.count()).select_from(Council)) == 0


def test_create_refuses_an_unknown_type_before_touching_the_database(rochdale, db):
    args = list(CREATE)
    args[args.index("county")] = "parish"
    result = rochdale(*args)
    assert result.exit_code == 2
    assert "parish" in result.output


def test_list_prints_a_table_with_modules_and_counts(rochdale, create_council, create_neighbourhood):
    first = create_council(slug="alphaton", name="Alphaton Borough Council", population=123_456)
    create_council(slug="betaby", name="Betaby District Council")
    rochdale("councils", "enable-module", "--council", "alphaton", "youth")
    with council_context(first.id):
        create_neighbourhood(name="Alphaton North", ons_ward_code="E05900001")

    result = rochdale("councils", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["Slug", "Name", "Type"]
    assert set(lines[1]) <= {"-", " "}
    alphaton = next(line for line in lines if line.startswith("alphaton"))
    assert "Alphaton Borough Council" in alphaton
    assert "123,456" in alphaton
    assert alphaton.rstrip().endswith("youth")
    betaby = next(line for line in lines if line.startswith("betaby"))
    assert betaby.rstrip().endswith("-")


def test_list_with_no_councils_says_how_to_make_one(rochdale):
    result = rochdale("councils", "list")
    assert result.exit_code == 0
    assert "No councils yet" in result.output


def test_enable_and_disable_module_act_for_the_named_council_only(rochdale, create_council):
    one = create_council(slug="one-council")
    two = create_council(slug="two-council")
    assert rochdale("councils", "enable-module", "--council", "one-council", "schools").exit_code == 0
    with council_context(one.id):
        assert enabled_modules() == {"schools"}
    with council_context(two.id):
        assert enabled_modules() == set()

    result = rochdale("councils", "disable-module", "--council", "one-council", "schools")
    assert result.exit_code == 0
    assert "is now off" in result.output
    with council_context(one.id):
        assert enabled_modules() == set()


def test_unknown_council_is_a_usage_error(rochdale):
    result = rochdale("councils", "enable-module", "--council", "nowhere", "schools")
    assert result.exit_code == 2
    assert "no council has the slug 'nowhere'" in result.output


def test_create_can_invite_the_first_administrator(rochdale, db):
    from app.auth.models import Invitation, Role
    from workers.models import OutboundEmail

    result = rochdale(*CREATE, "--admin-email", "Chief@Testshire.example.org")
    assert result.exit_code == 0, result.output
    assert "Invited chief@testshire.example.org" in result.output
    council = db.session.scalar(select(Council).where(Council.slug == "testshire"))
    with council_context(council.id):
        invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "chief@testshire.example.org"
    assert invitation.role is Role.COUNCIL_ADMIN
    email = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to_address == invitation.email))
    assert "/c/testshire/invitations/" in email.body


def test_create_with_a_bad_admin_email_writes_nothing(rochdale, db):
    result = rochdale(*CREATE, "--admin-email", "not an address")
    assert result.exit_code == 2
    assert "is not an email address" in result.output
    assert db.session.scalar(select(func.count()).select_from(Council)) == 0
