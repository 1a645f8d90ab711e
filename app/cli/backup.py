"""``rochdale backup`` and ``rochdale restore``: one council's data as a file, and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.options import council_option


class BackupFailed(click.ClickException):
    """A backup or restore that could not be done: ``Error: ...``, exit status 2, nothing written."""

    exit_code = 2


def _tables_bar(label: str):
    from app.backup.tables import council_tables

    return click.progressbar(length=len(council_tables()), label=label, show_pos=True)


@click.command("backup")
@council_option
@click.argument("output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup(council, output: Path) -> None:
    """Write the council's data to OUTPUT (a .zip): every council table, its people, one consistent snapshot.

    Read as the app's database role under the council's row-level security,
    so the file holds that council's rows only. Restore it with `rochdale
    restore`. Example: rochdale backup --council kingsmere kingsmere-2026-11-22.zip
    """
    from app.backup.dump import dump_council

    if output.exists():
        raise BackupFailed(f"{output} exists: choose a new file name")
    partial = output.with_name(output.name + ".partial")
    try:
        with _tables_bar(f"Backing up {council.name}") as bar:
            manifest = dump_council(council, partial, progress=lambda _table: bar.update(1))
        partial.replace(output)  # only a finished backup carries the name asked for
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(part.rows for part in manifest.tables)
    people = manifest.users.rows if manifest.users else 0
    click.echo(f"Wrote {output}: {rows} rows in {len(manifest.tables)} tables, {people} people.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="Restore under this council address instead (a copy beside the original).")
@with_appcontext
def restore(backup_file: Path, slug: str | None) -> None:
    """Restore a council from BACKUP_FILE made by `rochdale backup`, all or nothing.

    The database must be at the same schema revision as the one backed up.
    Runs as the schema owner (DATABASE_OWNER_URL). Example: rochdale restore
    kingsmere-2026-11-22.zip ; or, beside the original: rochdale restore
    kingsmere-2026-11-22.zip --slug kingsmere-restored
    """
    from app.backup.archive import BackupFileError
    from app.backup.restore import RestoreError, restore_council

    try:
        with _tables_bar("Restoring") as bar:
            summary = restore_council(
                backup_file,
                current_app.config["DATABASE_OWNER_URL"],
                slug=slug,
                progress=lambda _table: bar.update(1),
            )
    except (BackupFileError, RestoreError) as error:
        raise BackupFailed(str(error)) from None
    click.echo(
        f"Restored /c/{summary.slug}/ (council {summary.council_id}): {summary.rows} rows; "
        f"{summary.people_matched} people matched by email, {summary.people_added} added."
    )
