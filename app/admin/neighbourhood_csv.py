"""Reading and checking a CSV file of neighbourhoods, before anything is saved.

Pure: bytes in, rows and problems out; no Flask, no database. The caller
passes the council's existing names and codes so duplicates of what is
already there are reported too. Every line is checked and every problem
reported with its line number (the heading line is line 1), so a council
officer can fix the whole file in one go; if there is any problem the caller
imports nothing.

The format::

    name,ons_ward_code
    Balderstone and Kirkholt,E05000650
    Castleton,

UTF-8 with or without a byte order mark (Excel's "CSV UTF-8" adds one), any
line endings, the two headings in either order, the code optional. Blank lines
are skipped. A line identical to an existing neighbourhood is reported as a
duplicate, not skipped silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.admin.neighbourhood_rules import (
    clean_name,
    clean_ward_code,
    name_key,
    name_problem,
    ward_code_problem,
)
from app.i18n import gettext as _

HEADINGS = ("name", "ons_ward_code")
MAX_ROWS = 5000
TEMPLATE = ",".join(HEADINGS) + "\r\n"
_QUOTE_LIMIT = 60


@dataclass(frozen=True)
class NeighbourhoodRow:
    """One good line of the file."""

    line: int
    name: str
    ons_ward_code: str | None


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file; ``line`` is ``None`` when it is about the whole file."""

    line: int | None
    message: str


@dataclass
class ParsedFile:
    """The outcome of reading a file: rows to import only when there are no problems."""

    rows: list[NeighbourhoodRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _quoted(text: str) -> str:
    shown = text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"
    return f'"{shown}"'


def _file_problem(message: str, line: int | None = None) -> ParsedFile:
    return ParsedFile(rows=[], problems=[Problem(line, message)])


def _decode(data: bytes) -> str | Problem:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem(line, _("The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again"))


def _column_positions(heading_cells: list[str]) -> dict[str, int] | None:
    cells = [cell.strip().lower() for cell in heading_cells]
    while cells and not cells[-1]:
        cells.pop()  # spreadsheets often add empty columns at the end
    if sorted(cells) != sorted(HEADINGS):
        return None
    return {heading: cells.index(heading) for heading in HEADINGS}


def parse_neighbourhoods(
    data: bytes,
    *,
    existing_names: Iterable[str] = (),
    existing_codes: Iterable[str] = (),
    max_rows: int = MAX_ROWS,
) -> ParsedFile:
    """Read ``data`` (the uploaded file) and check every line.

    ``existing_names`` and ``existing_codes`` are the council's current
    neighbourhoods; a line repeating one of them is a problem. Returns the rows
    when there are no problems, otherwise no rows and every problem found.
    """
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        return _file_problem(_("The selected file is empty"))
    text = _decode(data)
    if isinstance(text, Problem):
        return ParsedFile(problems=[text])

    taken_names = {name_key(name) for name in existing_names}
    taken_codes = set(existing_codes)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        heading_cells = next(reader)
    except (csv.Error, StopIteration):
        heading_cells = []
    columns = _column_positions(heading_cells)
    if columns is None:
        return _file_problem(_("The first line must be the column headings name,ons_ward_code"), line=1)

    parsed = ParsedFile()
    names_seen: dict[str, int] = {}
    codes_seen: dict[str, int] = {}
    count = 0
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            line = last_line + 1
            return ParsedFile(
                problems=[
                    *parsed.problems,
                    Problem(
                        line, _("This line cannot be read: check its quotation marks. Lines after it were not checked")
                    ),
                ]
            )
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > max_rows:
            return _file_problem(
                _(
                    "The file has more than %(most)s neighbourhoods. Split it into files of %(most)s or fewer",
                    most=f"{max_rows:,}",
                )
            )
        row = NeighbourhoodRow(
            line, clean_name(_cell(cells, columns["name"])), clean_ward_code(_cell(cells, columns["ons_ward_code"]))
        )
        parsed.problems.extend(_check_row(row, cells, columns, taken_names, taken_codes, names_seen, codes_seen))
        parsed.rows.append(row)

    if count == 0:
        return _file_problem(
            _("The file has no neighbourhoods in it. Add one line for each neighbourhood under the headings")
        )
    if parsed.problems:
        parsed.rows = []
    return parsed


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _check_row(
    row: NeighbourhoodRow,
    cells: list[str],
    columns: dict[str, int],
    taken_names: set[str],
    taken_codes: set[str],
    names_seen: dict[str, int],
    codes_seen: dict[str, int],
) -> list[Problem]:
    line, name, code = row.line, row.name, row.ons_ward_code
    problems: list[Problem] = []
    if any(cell.strip() for i, cell in enumerate(cells) if i not in columns.values()):
        problems.append(
            Problem(line, _("This line has more than 2 values. Put quotation marks around a name with a comma in it"))
        )

    # The form's "Enter a name" reads oddly about a file, so a missing name is described instead.
    trouble = _("The name is missing") if not name else name_problem(name)
    if trouble:
        problems.append(Problem(line, trouble))
    else:
        key = name_key(name)
        if key in names_seen:
            problems.append(
                Problem(line, _("The name %(name)s is also on line %(line)s", name=_quoted(name), line=names_seen[key]))
            )
        elif key in taken_names:
            problems.append(Problem(line, _("A neighbourhood called %(name)s already exists", name=_quoted(name))))
        names_seen.setdefault(key, line)

    trouble = ward_code_problem(code)
    if trouble:
        problems.append(Problem(line, trouble))
    elif code is not None:
        if code in codes_seen:
            problems.append(
                Problem(
                    line, _("The ONS ward code %(code)s is also on line %(line)s", code=code, line=codes_seen[code])
                )
            )
        elif code in taken_codes:
            problems.append(
                Problem(line, _("A neighbourhood with the ONS ward code %(code)s already exists", code=code))
            )
        codes_seen.setdefault(code, line)
    return problems
