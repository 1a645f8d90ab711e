"""``rochdale councils``: create councils, list them, switch their modules."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.cli.options import council_option, format_table
from tenants.features import MODULES
from tenants.models import CouncilType, Region


@click.group()
def councils() -> None:
    """Councils (the tenants): create, list, switch modules on and off."""


def _create(**fields):
    """Create a council with the platform operation when it exists, else the CLI's own."""
    try:
        from app.platform.operations import create_council
    except ImportError:
        from app.cli.operations import create_council
    return create_council(**fields)


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
@with_appcontext
def create(slug: str, name: str, council_type: str, region: str, population: int, modules: tuple[str, ...]) -> None:
    """Create a council, optionally with some modules switched on.

    Example: rochdale councils create --slug kingsmere --name "Kingsmere City
    Council" --type unitary --region south_west --population 312000 --module housing
    """
    from app.extensions import db
    from tenants.context import council_context
    from tenants.features import set_module_enabled

    try:
        council = _create(
            slug=slug,
            name=name,
            council_type=CouncilType(council_type),
            region=Region(region),
            population=population,
        )
        with council_context(council.id):
            for key in modules:
                set_module_enabled(key, True)
    except ValueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {council.name} at /c/{council.slug}/ (id {council.id}).")


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
