"""Every column that points at a person has a provider, so a new table cannot be forgotten.

The walk reads the models (``db.metadata``, complete through ``app.models``):
any foreign key to a user, a register line, a resident profile or a register
entry must be in some provider's ``covers``. A new module's table fails here
until its ``personal_data`` module is added to ``app.privacy.registry``.
"""

from __future__ import annotations

from importlib import import_module

import app.models  # noqa: F401  (every model module, so the metadata is complete)
from app.extensions import db
from app.privacy.registry import PROVIDERS, covered_columns

# Tables whose rows are a person; a column pointing at one of them is the person's data.
PERSON_TABLES = {"users", "gov_members", "resident_profiles", "resident_register"}


def person_columns() -> set[str]:
    found = set()
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name in PERSON_TABLES and fk.parent.name != "council_id":
                found.add(f"{table.name}.{fk.parent.name}")
    return found


def test_every_column_pointing_at_a_person_has_a_provider():
    missing = sorted(person_columns() - covered_columns())
    assert not missing, "no provider in app.privacy.registry covers: " + ", ".join(missing)


def test_providers_cover_only_columns_that_exist():
    columns = {f"{t.name}.{c.name}" for t in db.metadata.tables.values() for c in t.columns}
    assert not sorted(covered_columns() - columns)


def test_the_walk_finds_the_tables_we_know_of():
    columns = person_columns()
    assert {"voting_participations.user_id", "gov_share_entries.member_id", "resident_consents.profile_id"} <= columns


def test_every_provider_has_the_two_functions_and_the_account_comes_last():
    for provider in PROVIDERS:
        module = import_module(provider.module)
        assert callable(module.export_for_user) and callable(module.erase_for_user), provider.key
    assert PROVIDERS[-1].key == "account"
    assert len({p.key for p in PROVIDERS}) == len(PROVIDERS)
