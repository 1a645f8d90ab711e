"""``rochdale councils``: create councils, list them, switch their modules."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.cli.options import council_option, format_table
from app.i18n import in_english
from tenants.features import MODULES
from tenants.models import CouncilType, Region


@click.group()
def councils() -> None:
    """Councils (the tenants): create, list, switch modules on and off."""


@councils.command("create")
@click.option("--slug", required=True, help="Short name used in URLs (/c/<slug>/): lower case, digits, hyphens.")
@click.option("--name", required=True, help='Full name, e.g. "Kingsmere City Council".')
@click.option(
    "--type",
    "council_type",
    required=True,
    type=click.Choice([t.value for t in CouncilType]),
    help="Kind of council.",
)
@click.option("--region", required=True, type=click.Choice([r.value for r in Region]), help="UK region or nation.")
@click.option("--population", required=True, type=click.IntRange(min=0), help="Resident population.")
@click.option(
    "--module",
    "modules",
    multiple=True,
    type=click.Choice(list(MODULES)),
    help="Switch this module on (repeat for several).",
)
@click.option(
    "--admin-email",
    metavar="EMAIL",
    help="Invite this address to be the council's first administrator; the link is emailed "
    "(set SERVER_NAME so that it points at your site).",
)
@with_appcontext
def create(
    slug: str,
    name: str,
    council_type: str,
    region: str,
    population: int,
    modules: tuple[str, ...],
    admin_email: str | None,
) -> None:
    """Create a council, optionally with modules switched on and its first administrator invited.

    Uses the same checks as the platform administration pages; on any problem
    nothing is written. Example: rochdale councils create --slug kingsmere
    --name "Kingsmere City Council" --type unitary --region south_west
    --population 312000 --module housing --admin-email chief@kingsmere.example.org
    """
    from app.extensions import db
    from app.platform.operations import create_council_and_invite

    if admin_email is not None:
        admin_email = _checked_email(admin_email)
    from tenants.context import council_context
    from tenants.features import set_module_enabled

    try:
        council, invitation = create_council_and_invite(
            slug=slug,
            name=name,
            council_type=CouncilType(council_type),
            region=Region(region),
            population=population,
            first_admin_email=admin_email,
        )
        with council_context(council.id):
            for key in modules:
                set_module_enabled(key, True)
    except ValueError as exc:  # the operations' input errors are ValueErrors with a message for people
        db.session.rollback()
        raise click.ClickException(in_english(getattr(exc, "message", None) or exc)) from exc
    # Read before the commit expires them: afterwards the invitation is visible only inside its council.
    invited = invitation.email if invitation is not None else None
    created = f"Created {council.name} at /c/{council.slug}/ (id {council.id})."
    db.session.commit()
    click.echo(created)
    if invited:
        click.echo(f"Invited {invited} to be its administrator; the link is on its way by email.")


def _checked_email(raw: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(f"{raw!r} is not an email address: {exc}", param_hint="--admin-email") from exc


@councils.command("list")
@with_appcontext
def list_councils() -> None:
    """List every council with its type, region, population and modules."""
    from app.auth.models import CouncilRole
    from app.extensions import db
    from tenants.context import council_context
    from tenants.features import enabled_modules
    from tenants.models import Council, Neighbourhood

    rows = []
    for council in db.session.scalars(select(Council).order_by(Council.slug)):
        # Modules, neighbourhoods and people are council data: read them as that council.
        with council_context(council.id):
            modules = ", ".join(sorted(enabled_modules())) or "-"
            neighbourhoods = db.session.scalar(select(func.count()).select_from(Neighbourhood))
            people = db.session.scalar(select(func.count()).select_from(CouncilRole))
        rows.append(
            (
                council.slug,
                council.name,
                council.council_type.label,
                council.region.label,
                f"{council.population:,}",
                neighbourhoods,
                people,
                "yes" if council.is_active else "no",
                modules,
            )
        )
    if not rows:
        click.echo("No councils yet. Create one with `rochdale councils create` or load `rochdale seed demo`.")
        return
    headers = ("Slug", "Name", "Type", "Region", "Population", "Areas", "People", "Active", "Modules")
    click.echo(format_table(headers, rows))
    db.session.rollback()


def _switch(council, module: str, enabled: bool) -> None:
    from app.extensions import db
    from tenants.features import set_module_enabled

    set_module_enabled(module, enabled)
    db.session.commit()
    state = "on" if enabled else "off"
    click.echo(f"{MODULES[module].title} is now {state} for {council.name}.")


@councils.command("enable-module")
@click.argument("module", type=click.Choice(list(MODULES)))
@with_appcontext
@council_option
def enable_module(council, module: str) -> None:
    """Switch MODULE on for the council."""
    _switch(council, module, True)


@councils.command("disable-module")
@click.argument("module", type=click.Choice(list(MODULES)))
@with_appcontext
@council_option
def disable_module(council, module: str) -> None:
    """Switch MODULE off for the council (its pages then answer 404)."""
    _switch(council, module, False)
