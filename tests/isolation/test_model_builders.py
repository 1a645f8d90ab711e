"""Every council-owned model can be seeded, so the sweeps cover it without being told.

A new ``CouncilScoped`` model whose row the generic builder cannot make (a check
constraint, a reference to a global table, a type it does not know) fails here,
naming the model, until ``tests/fixtures/tenancy.py`` gets a builder for it.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User as UserModel
from tenants.models import Council, CouncilType, Region
from tests.fixtures.tenancy import (
    BUILDERS,
    COUNCIL_ROW_IDS,
    VOCABULARY_COLUMNS,
    BuildContext,
    CannotBuild,
    build_row,
    council_scoped_models,
    council_tables,
    model_for_table,
    superuser_engine,
)


def test_council_models_are_discovered():
    names = {m.__name__ for m in council_scoped_models()}
    # The foundation's own council tables, as a floor: discovery must find at least these.
    assert {"Neighbourhood", "CouncilModule", "CouncilRole", "Invitation", "JobRun"} <= names


def test_builders_are_only_for_council_models():
    tables = {m.__table__.name for m in council_scoped_models()}
    stray = sorted(set(BUILDERS) - tables)
    assert not stray, f"BUILDERS has entries for tables of no council-scoped model: {stray}"


def test_every_council_model_can_be_built_and_inserted(app, database_urls):
    """Build and insert one row of every council model, in one transaction that is rolled back."""
    engine = superuser_engine(database_urls)
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            outer = conn.begin()
            council_id = conn.execute(
                sa.insert(Council.__table__)
                .values(
                    slug="builder-check",
                    name="Builder check",
                    council_type=CouncilType.UNITARY,
                    region=Region.WALES,
                    population=1,
                )
                .returning(Council.__table__.c.id)
            ).scalar_one()
            user_id, other_user_id = (
                conn.execute(
                    sa.insert(UserModel.__table__)
                    .values(email=f"builder-check-{n}@example.org", name="Builder check")
                    .returning(UserModel.__table__.c.id)
                ).scalar_one()
                for n in (1, 2)
            )
            ctx = BuildContext(
                label="Z",
                council_id=council_id,
                row_id=COUNCIL_ROW_IDS["A"],
                member_user_id=user_id,
                people={"member": user_id, "resident": other_user_id},
                markers=set(),
                tokens=[],
            )
            for table in council_tables():
                model = model_for_table(table)
                try:
                    row = build_row(model, ctx, {"users": user_id})
                except CannotBuild as exc:
                    problems.append(f"{model.__name__}: {exc}")
                    continue
                savepoint = conn.begin_nested()
                try:
                    conn.execute(sa.insert(table).values(**row))
                    savepoint.commit()
                    ctx.ids[table.name] = row["id"]
                except sa.exc.DBAPIError as exc:
                    savepoint.rollback()
                    problems.append(f"{model.__name__}: insert failed: {str(exc.orig).splitlines()[0]}")
            outer.rollback()
    finally:
        engine.dispose()
    assert not problems, (
        "Council models the sweeps cannot seed; add a builder to BUILDERS in tests/fixtures/tenancy.py:\n"
        + "\n".join(problems)
    )


def test_seeded_councils_hold_a_row_of_every_model_with_canaries(tenancy_world, database_urls):
    """Each seeded council has its row of every model, and B's text columns carry B's canaries."""
    engine = superuser_engine(database_urls)
    missing, blank = [], []
    try:
        with engine.connect() as conn:
            for label in ("A", "B"):
                council = tenancy_world[label]
                for table in council_tables():
                    row = (
                        conn.execute(
                            sa.select(table).where(
                                table.c.council_id == council.id, table.c.id == council.ids[table.name]
                            )
                        )
                        .mappings()
                        .first()
                    )
                    if row is None:
                        missing.append(f"{label}: {table.name}")
                        continue
                    for column in table.columns:
                        if isinstance(column.type, sa.Enum) or not isinstance(column.type, sa.String | sa.Text):
                            continue
                        if f"{table.name}.{column.name}" in VOCABULARY_COLUMNS:
                            continue
                        value = row[column.key]
                        if value is None:
                            continue  # a builder left it empty on purpose: nothing to leak
                        if not value or not council.leaks_in(str(value)):
                            blank.append(f"{label}: {table.name}.{column.name} = {value!r}")
    finally:
        engine.dispose()
    assert not missing, f"seeded councils lack rows: {missing}"
    assert not blank, f"text columns without a canary or marker (a leak of them would go unseen): {blank}"


def test_model_for_table_round_trips():
    for model in council_scoped_models():
        assert model_for_table(model.__table__) is model
