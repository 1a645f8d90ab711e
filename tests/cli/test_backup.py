"""`rochdale backup` / `rochdale restore`: a demo council round-trips into a fresh database, and recounts the same.

The demo data is loaded for real (committed), backed up as the app's role,
and restored into a second database migrated to the same revision, as after
losing a server. Every council table's rows come back, every stored ballot
result recounts to the same SHA-256, and the file holds no other council's row.
"""

from __future__ import annotations

import os
import zipfile

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app, provision
from app.auth.models import CouncilRole, Role, User
from app.backup.archive import read_manifest
from app.backup.tables import council_tables
from app.cli import main
from app.extensions import db
from app.voting import operations
from app.voting.counting import run_count
from app.voting.models import BallotKind, BallotResult
from tenants.context import council_context
from tenants.models import Council
from tests.voting.app.conftest import build_ballot

SLUG = "kingsmere"


@pytest.fixture(scope="module")
def demo_backup(app, database_urls, tmp_path_factory):
    """The demo data loaded and committed, and kingsmere's backup file; emptied afterwards."""
    from tests.fixtures.app import truncate_all

    truncate_all(database_urls["owner"])
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(main, ["seed", "demo"], catch_exceptions=False).exit_code == 0
        _counted_ballot(SLUG)
        path = tmp_path_factory.mktemp("backup") / "kingsmere.zip"
        result = runner.invoke(main, ["backup", "--council", SLUG, str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        db.session.remove()
    yield path, result.output
    truncate_all(database_urls["owner"])


def _counted_ballot(slug: str) -> None:
    """A ranked ballot in the council, voted in by its residents, closed and counted (committed)."""
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    residents = db.session.scalars(
        select(User).join(CouncilRole, CouncilRole.user_id == User.id).where(CouncilRole.role == Role.RESIDENT)
    ).all()
    ballot = build_ballot(council.id, BallotKind.RANKED, module=None, title="Who should chair the forum?")
    rankings = [["cy", "ada"], ["ben", "cy", "ada"], ["ada"], ["cy", "ben"]]
    with council_context(council.id):
        for n, person in enumerate(residents):
            operations.cast_vote(ballot, person, rankings[n % len(rankings)])
        operations.close_ballot(ballot, early=True)
        db.session.commit()
        run_count(ballot.id)
        db.session.commit()


@pytest.fixture
def fresh_app(app_config, superuser_url):
    """An app on a second, empty database migrated to the same revision."""
    name = f"rochdale_restore_{os.getpid()}"
    provision.create_database(superuser_url, name, drop_existing=True)
    config = {
        **app_config,
        "SQLALCHEMY_DATABASE_URI": provision.with_role_and_database(superuser_url, provision.APP_ROLE, name),
        "DATABASE_OWNER_URL": provision.with_role_and_database(superuser_url, provision.OWNER_ROLE, name),
    }
    application = create_app(config)
    with application.app_context():
        upgrade()
    application.config["SUPERUSER_URL"] = provision.with_role_and_database(superuser_url, "postgres", name)
    yield application
    with application.app_context():
        db.engine.dispose()
    provision.drop_database(superuser_url, name)


def _restore(application, path, *args):
    with application.app_context():
        result = application.test_cli_runner().invoke(main, ["restore", str(path), *args], catch_exceptions=False)
        db.session.remove()
    return result


def _rows_per_table(superuser_url: str, council_id: int) -> dict[str, int]:
    """Each council table's row count for ``council_id``, read past RLS as the superuser."""
    with psycopg.connect(provision.plain_url(superuser_url)) as conn:
        return {
            table.name: conn.execute(
                f'SELECT count(*) FROM "{table.name}" WHERE council_id = %s', (council_id,)
            ).fetchone()[0]
            for table in council_tables()
        }


def _council_id(application, slug: str) -> int:
    with application.app_context():
        council_id = db.session.scalar(select(Council.id).where(Council.slug == slug))
        db.session.remove()
    return council_id


def _recount_all(application, council_id: int) -> list[tuple[str, str]]:
    """(stored, recounted) SHA-256 of every ballot result of the council."""
    pairs = []
    with application.app_context(), council_context(council_id):
        for result in db.session.scalars(select(BallotResult)).all():
            outcome = run_count(result.ballot_id)
            pairs.append((result.sha256, outcome.sha256))
            db.session.rollback()
        db.session.remove()
    return pairs


def test_the_file_holds_only_the_councils_own_rows(demo_backup, app):
    path, output = demo_backup
    assert "Wrote" in output
    council_id = _council_id(app, SLUG)
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        assert manifest.council["slug"] == SLUG
        for part in manifest.tables:
            if part.name == "councils":
                continue
            position = part.columns.index("council_id")
            lines = archive.read(f"tables/{part.name}.copy").decode().splitlines()
            assert len(lines) == part.rows
            assert {line.split("\t")[position] for line in lines} <= {str(council_id)}, part.name
    assert sum(part.rows for part in manifest.tables) > 50  # the demo council really has data


def test_restore_into_a_fresh_database_gives_back_every_row_and_the_same_results(
    demo_backup, app, database_urls, fresh_app
):
    path, _ = demo_backup
    result = _restore(fresh_app, path)
    assert result.exit_code == 0, result.output
    assert "Restored /c/kingsmere/" in result.output
    original = _council_id(app, SLUG)
    assert _council_id(fresh_app, SLUG) == original  # the id was free, so it is kept
    assert _rows_per_table(fresh_app.config["SUPERUSER_URL"], original) == _rows_per_table(
        database_urls["superuser"], original
    )
    recounts = _recount_all(fresh_app, original)
    assert recounts, "the demo council should have counted ballots"
    assert all(stored == recounted for stored, recounted in recounts), recounts

    # Again: the council is there now, so it is refused and nothing more is written.
    before = _rows_per_table(fresh_app.config["SUPERUSER_URL"], original)
    again = _restore(fresh_app, path)
    assert again.exit_code == 2
    assert "exists here" in again.output
    assert _rows_per_table(fresh_app.config["SUPERUSER_URL"], original) == before

    # As a copy beside it: a new council id, the same people matched by email, the same results.
    copy = _restore(fresh_app, path, "--slug", "kingsmere-copy")
    assert copy.exit_code == 0, copy.output
    assert "0 added" in copy.output
    copy_id = _council_id(fresh_app, "kingsmere-copy")
    assert copy_id != original
    assert _rows_per_table(fresh_app.config["SUPERUSER_URL"], copy_id) == before
    assert all(stored == recounted for stored, recounted in _recount_all(fresh_app, copy_id))


def test_a_damaged_file_is_refused_and_nothing_is_written(demo_backup, fresh_app, tmp_path):
    path, _ = demo_backup
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "tables/voting_papers.copy":
                data = data.replace(b"\t", b"\t\t", 1) if data else b"tampered\n"
            target.writestr(item, data)
    result = _restore(fresh_app, damaged)
    assert result.exit_code == 2
    assert "damaged" in result.output
    assert _council_id(fresh_app, SLUG) is None


def test_backup_refuses_to_overwrite_a_file(demo_backup, app):
    path, _ = demo_backup
    with app.app_context():
        result = app.test_cli_runner().invoke(main, ["backup", "--council", SLUG, str(path)])
        db.session.remove()
    assert result.exit_code == 2
    assert "exists" in result.output
