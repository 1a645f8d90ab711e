"""CSV exports of a society's register of members and share ledger.

Every cell goes through :func:`app.csv_cells.guard`, so a name or note that
starts like a formula (``=HYPERLINK(...)``) opens in a spreadsheet as text.
Column headings are in the language of the request (the officer's); the
values are as recorded. The register has the columns the Co-operative and
Community Benefit Societies Act 2014 requires a society to keep (name,
address, date admitted, shares held and paid, date ceased), with the
membership number, class and contact email address.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.csv_cells import guard
from app.governance import queries
from app.governance.models import Cessation, Member, ShareEntryKind, Society
from app.i18n import gettext as _
from app.voting import timing


def pounds(pence: int) -> str:
    """Pence as a plain amount for a spreadsheet: ``150`` → ``1.50``."""
    whole, rest = divmod(int(pence), 100)
    return f"{whole}.{rest:02d}"


def cessation_label(cessation: Cessation | None) -> str:
    labels = {
        Cessation.LEFT: _("Left"),
        Cessation.DIED: _("Died"),
        Cessation.NO_LONGER_ELIGIBLE: _("No longer eligible"),
        Cessation.EXPELLED: _("Expelled"),
    }
    return labels.get(cessation, "") if cessation is not None else ""


def kind_label(kind: ShareEntryKind) -> str:
    return _("Issue") if kind is ShareEntryKind.ISSUE else _("Withdrawal")


def filename(society: Society, what: str, extension: str) -> str:
    """``cobden-tenants-co-operative-register-2026-11-22.csv``: ASCII only, safe in a header."""
    slug = re.sub(r"[^a-z0-9]+", "-", society.name.lower()).strip("-")[:60] or "society"
    return f"{slug}-{what}-{timing.today().isoformat()}.{extension}"


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard(h) for h in header])
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def register_rows(society: Society) -> tuple[list[str], list[list[Any]]]:
    """The register of members as a heading and rows (everyone admitted, ceased members too)."""
    classes = {c.id: c.name for c in queries.member_classes(society.id)}
    held = queries.holdings(society.id)
    header = [
        _("Membership number"),
        _("Name"),
        _("Address"),
        _("Postcode"),
        _("Email"),
        _("Class"),
        _("Date admitted"),
        _("Shares held"),
        _("Amount paid (£)"),
        _("Date ceased"),
        _("Reason ceased"),
    ]
    rows = []
    for line in queries.register(society.id):
        shares = held.get(line.id, 0)
        rows.append(
            [
                line.membership_number,
                line.name,
                " ".join(line.address.split()),
                line.postcode,
                line.email,
                classes.get(line.member_class_id, ""),
                line.admitted_on.isoformat() if line.admitted_on else "",
                shares,
                pounds(shares * society.share_value_pence),
                line.ceased_on.isoformat() if line.ceased_on else "",
                cessation_label(line.cessation),
            ]
        )
    return header, rows


def ledger_rows(society: Society) -> tuple[list[str], list[list[Any]]]:
    """The share ledger as a heading and rows, in the order the lines were written."""
    members: dict[int, Member] = {m.id: m for m in queries.register(society.id)}
    header = [
        _("Line"),
        _("Date"),
        _("Membership number"),
        _("Name"),
        _("Entry"),
        _("Shares"),
        _("Amount (£)"),
        _("Note"),
    ]
    rows = []
    for entry in queries.share_ledger(society.id):
        line = members.get(entry.member_id)
        rows.append(
            [
                entry.id,
                entry.entry_date.isoformat(),
                line.membership_number if line else "",
                line.name if line else "",
                kind_label(entry.kind),
                entry.shares,
                pounds(entry.amount_pence),
                entry.note,
            ]
        )
    return header, rows


def register_csv(society: Society) -> bytes:
    """The register of members as CSV (UTF-8, formula-safe cells)."""
    return _csv(*register_rows(society))


def ledger_csv(society: Society) -> bytes:
    """The share ledger as CSV (UTF-8, formula-safe cells)."""
    return _csv(*ledger_rows(society))
