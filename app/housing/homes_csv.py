"""Reading and checking a CSV file of homes for one estate, before anything is saved.

Pure: bytes in, rows and problems out; no Flask, no database. Every line is
checked and every problem reported with its line number (the heading line is
line 1), so an officer can fix the whole file at once; when there is any
problem nothing is imported. The format::

    reference,address,postcode,bedrooms,home_type,block
    KH-001,"Flat 1, Kirkholt House, Rochdale",OL11 2AB,2,flat,Kirkholt House
    KH-020,"20 Well i' th' Lane, Rochdale",OL11 2AD,3,house,

UTF-8 with or without a byte order mark, any line endings, headings in any
order; ``block`` may be left out or blank; ``home_type`` is one of flat,
maisonette, house, bungalow, bedsit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.housing.models import HomeType
from app.i18n import gettext as _
from app.residents.postcodes import normalise_postcode

REQUIRED = ("reference", "address", "postcode", "bedrooms", "home_type")
OPTIONAL = ("block",)
TEMPLATE = ",".join(REQUIRED + OPTIONAL) + "\r\n"
MAX_ROWS = 5000
MAX_BEDROOMS = 20


@dataclass(frozen=True)
class HomeRow:
    line: int
    reference: str
    address: str
    postcode: str
    bedrooms: int
    home_type: str
    block: str


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


@dataclass
class ParsedHomes:
    rows: list[HomeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def parse_homes(data: bytes, *, existing_references: Iterable[str] = (), max_rows: int = MAX_ROWS) -> ParsedHomes:
    """Check every line of ``data``; the rows when all is well, otherwise every problem and no rows."""
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        return ParsedHomes(problems=[Problem(None, _("The selected file is empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ParsedHomes(
            problems=[Problem(line, _("The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again"))]
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        heading = next(reader)
    except (StopIteration, csv.Error):
        return ParsedHomes(problems=[Problem(1, _("The first line must be the headings"))])
    cells = [c.strip().lower() for c in heading]
    while cells and not cells[-1]:
        cells.pop()
    missing = [h for h in REQUIRED if h not in cells]
    unknown = [c for c in cells if c not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(cells)) != len(cells):
        return ParsedHomes(
            problems=[Problem(1, _("The headings must be %(headings)s", headings=", ".join(REQUIRED + OPTIONAL)))]
        )
    where = {h: cells.index(h) for h in cells}
    taken = {r.strip().lower() for r in existing_references}
    seen: dict[str, int] = {}
    parsed = ParsedHomes()
    try:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(parsed.rows) + len(parsed.problems) >= max_rows:
                parsed.problems.append(
                    Problem(
                        None, _("The file has more than %(most)s homes. Split it into smaller files", most=max_rows)
                    )
                )
                break
            row = _check(number, record, where, taken, seen, parsed.problems)
            if row is not None:
                parsed.rows.append(row)
    except csv.Error:
        parsed.problems.append(Problem(None, _("The file is not a readable CSV file (check its quotation marks)")))
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(None, _("The file has no homes in it")))
    if parsed.problems:
        parsed.rows = []
    return parsed


def _check(
    number: int,
    record: list[str],
    where: dict[str, int],
    taken: set[str],
    seen: dict[str, int],
    problems: list[Problem],
) -> HomeRow | None:
    def cell(name: str) -> str:
        index = where.get(name)
        return record[index].strip() if index is not None and index < len(record) else ""

    found = []
    reference = cell("reference")
    if not reference:
        found.append(_("Enter the home's reference"))
    elif len(reference) > 40:
        found.append(_("The reference must be 40 characters or fewer"))
    elif reference.lower() in taken:
        found.append(_("A home with the reference %(ref)s already exists", ref=reference))
    elif reference.lower() in seen:
        found.append(_("The reference %(ref)s is also on line %(line)s", ref=reference, line=seen[reference.lower()]))
    address = cell("address")
    if not address:
        found.append(_("Enter the address"))
    elif len(address) > 500:
        found.append(_("The address must be 500 characters or fewer"))
    postcode = normalise_postcode(cell("postcode"))
    if postcode is None:
        found.append(_("Enter a real postcode, like OL16 1AB"))
    bedrooms_text = cell("bedrooms")
    bedrooms = int(bedrooms_text) if bedrooms_text.isdigit() and len(bedrooms_text) < 4 else None
    if bedrooms is None or bedrooms > MAX_BEDROOMS:
        found.append(_("Enter the number of bedrooms, from 0 (a bedsit) to %(most)s", most=MAX_BEDROOMS))
    home_type = cell("home_type").lower()
    if home_type not in {t.value for t in HomeType}:
        found.append(_("The home type must be one of %(types)s", types=", ".join(t.value for t in HomeType)))
    block = cell("block")
    if len(block) > 120:
        found.append(_("The block's name must be 120 characters or fewer"))
    if found:
        problems.extend(Problem(number, message) for message in found)
        return None
    seen[reference.lower()] = number
    return HomeRow(number, reference, address, postcode, bedrooms, home_type, block)
