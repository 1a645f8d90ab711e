"""Reading and checking the register and postcode lookup CSV files, before anything is saved.

Pure: a binary stream in; good rows and problems out, one at a time, so a
250,000-line file is never held as rows in memory (only the references and
postcodes seen, to find repeats). No Flask, no database: the caller passes the
council's neighbourhoods and postcode lookup.

Every line is checked and every problem reported with its line number (the
heading line is line 1) and column, so an officer can fix the whole file in
one go; the caller writes nothing if there is any problem. Problems never
quote names, addresses or dates of birth (they are kept for the report page);
they quote references and postcodes, which the officer needs to find the line.

The register file::

    reference,name,address,postcode,date_of_birth,neighbourhood
    R0001,Ada Lovelace,"1 Smith Street, Rochdale",OL16 1AB,1990-12-10,Castleton

``neighbourhood`` (a name or ONS ward code) is optional, as a column and in
each line: when it is empty the neighbourhood comes from the postcode lookup.
Dates are YYYY-MM-DD or DD/MM/YYYY. Headings are matched ignoring case,
spaces and underscores ("Date of birth" is ``date_of_birth``).

The postcode lookup file::

    postcode,neighbourhood
    OL16 1AB,Castleton
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from app.i18n.stored import StoredMessage, stored_gettext, stored_ngettext
from app.residents.postcodes import normalise_postcode

REGISTER_COLUMNS = ("reference", "name", "address", "postcode", "date_of_birth")
REGISTER_OPTIONAL = ("neighbourhood",)
POSTCODE_COLUMNS = ("postcode", "neighbourhood")
REGISTER_TEMPLATE = ",".join(REGISTER_COLUMNS + REGISTER_OPTIONAL) + "\r\n"
POSTCODE_TEMPLATE = ",".join(POSTCODE_COLUMNS) + "\r\n"

LIMITS = {"reference": 60, "name": 200, "address": 500}
EARLIEST_BIRTH = date(1900, 1, 1)
_QUOTE_LIMIT = 40
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]*$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WARD_CODE = re.compile(r"^[EWSN][0-9]{8}$")
_READ_SIZE = 1 << 16


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file. ``line`` is None for the whole file; ``column`` None for the whole line.

    ``said`` is kept untranslated (the import job runs in no one's language):
    the report page translates it for the officer reading it; ``message`` is
    the English, for tests, logs and the command line.
    """

    line: int | None
    column: str | None
    said: StoredMessage

    @property
    def message(self) -> str:
        return self.said.english()


@dataclass(frozen=True)
class RegisterRow:
    line: int
    reference: str
    name: str
    address: str
    postcode: str
    date_of_birth: date
    neighbourhood_id: int


@dataclass(frozen=True)
class PostcodeRow:
    line: int
    postcode: str
    neighbourhood_id: int


@dataclass
class Outcome:
    """Everything a file gave, for callers that can hold it (tests, small files)."""

    rows: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class NeighbourhoodIndex:
    """The council's neighbourhoods, found by name (ignoring case and spacing) or ONS ward code."""

    def __init__(self, neighbourhoods: Iterable[tuple[int, str, str | None]]) -> None:
        self._by_key: dict[str, int] = {}
        for neighbourhood_id, name, code in neighbourhoods:
            self._by_key[_name_key(name)] = neighbourhood_id
            if code:
                self._by_key[code.upper()] = neighbourhood_id

    def find(self, text: str) -> int | None:
        text = text.strip()
        if _WARD_CODE.match(text.upper()):
            return self._by_key.get(text.upper())
        return self._by_key.get(_name_key(text))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _heading_key(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def _shown(text: str) -> str:
    """A cell's text as a problem quotes it (inside quotation marks written in the message): cut if long."""
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


# One whole sentence for each column, so a translator never sees a column name glued into a sentence.
_MISSING = {
    "reference": stored_gettext("The reference is missing"),
    "name": stored_gettext("The name is missing"),
    "address": stored_gettext("The address is missing"),
    "postcode": stored_gettext("The postcode is missing"),
    "date_of_birth": stored_gettext("The date of birth is missing"),
    "neighbourhood": stored_gettext("The neighbourhood is missing"),
}


def _too_long(key: str, limit: int) -> StoredMessage:
    if key == "reference":
        return stored_gettext("The reference is longer than %(limit)s characters", limit=limit)
    if key == "name":
        return stored_gettext("The name is longer than %(limit)s characters", limit=limit)
    return stored_gettext("The address is longer than %(limit)s characters", limit=limit)


def parse_date(text: str) -> date | StoredMessage:
    """A date of birth from YYYY-MM-DD or DD/MM/YYYY; else the reason it is not one."""
    text = text.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            return stored_gettext('"%(value)s" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY', value=_shown(text))
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return stored_gettext('"%(value)s" is not a real date', value=_shown(text))


def _lines(stream: BinaryIO, problems: list[Problem]) -> Iterator[str]:
    """Decode ``stream`` as UTF-8 (a byte order mark allowed), one physical line at a time.

    Splits on "\n" only, so the csv module sees each line once and its
    ``line_num`` is the physical line number. Stops at the first byte that is
    not UTF-8, adding a problem naming its line.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    line = 1
    while True:
        chunk = stream.read(_READ_SIZE)
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            # Check the whole lines before the bad byte, then stop.
            good = chunk[: max(exc.start, 0)].decode("utf-8", errors="replace").lstrip("\ufeff")
            *complete, pending = (pending + good).split("\n")
            for part in complete:
                line += 1
                yield part + "\n"
            problems.append(
                Problem(
                    line,
                    None,
                    stored_gettext(
                        "This line is not UTF-8 text. Save the file as CSV UTF-8 and upload it again. "
                        "Lines after it were not checked"
                    ),
                )
            )
            return
        *complete, pending = (pending + text).split("\n")
        for part in complete:
            line += 1
            yield part + "\n"
        if final:
            if pending:
                yield pending
            return


class _Reader:
    """csv.reader over the decoded lines, giving (first line number, cells) and collecting problems."""

    def __init__(self, stream: BinaryIO) -> None:
        self.problems: list[Problem] = []
        self._reader = csv.reader(_lines(stream, self.problems), strict=True)
        self._last = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error:
                self.problems.append(
                    Problem(
                        self._last + 1,
                        None,
                        stored_gettext(
                            "This line cannot be read: check its quotation marks. Lines after it were not checked"
                        ),
                    )
                )
                return
            line, self._last = self._last + 1, self._reader.line_num
            yield line, cells


def _columns(
    line: int, cells: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[dict[str, int], list[Problem]]:
    """Where each heading is; problems for missing, repeated or unknown headings."""
    keys = [_heading_key(cell) for cell in cells]
    while keys and not keys[-1]:
        keys.pop()  # spreadsheets often add empty columns at the end
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    expected = ",".join(required + optional)
    for index, key in enumerate(keys):
        if key in positions:
            problems.append(
                Problem(line, key, stored_gettext("The heading %(heading)s appears more than once", heading=key))
            )
        elif key in required or key in optional:
            positions[key] = index
        else:
            heading = cells[index].strip()
            if heading:
                said = stored_gettext(
                    'The heading "%(heading)s" (column %(number)s) is not one we know. Use %(expected)s',
                    heading=_shown(heading),
                    number=index + 1,
                    expected=expected,
                )
            else:
                said = stored_gettext(
                    "Column %(number)s has an empty heading. Use %(expected)s", number=index + 1, expected=expected
                )
            problems.append(Problem(line, None, said))
    for key in required:
        if key not in positions:
            problems.append(
                Problem(
                    line,
                    key,
                    stored_gettext(
                        "The column %(column)s is missing. The headings must be %(expected)s",
                        column=key,
                        expected=expected,
                    ),
                )
            )
    return positions, problems


def _header(
    reader: _Reader, required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[Iterator[tuple[int, list[str]]], dict[str, int] | None, list[Problem]]:
    rows = iter(reader)
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines before the headings
        positions, problems = _columns(line, cells, required, optional)
        return rows, (None if problems else positions), problems
    return rows, None, []


def _empty(stream_problems: list[Problem]) -> list[Problem]:
    return stream_problems or [Problem(None, None, stored_gettext("The selected file is empty"))]


def _cell(cells: list[str], positions: dict[str, int], key: str) -> str:
    index = positions.get(key)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _extra_cells(line: int, cells: list[str], positions: dict[str, int]) -> list[Problem]:
    if any(cell.strip() for i, cell in enumerate(cells) if i >= max(positions.values()) + 1):
        return [
            Problem(
                line,
                None,
                stored_ngettext(
                    "This line has more than %(num)d value. Put quotation marks around a value with a comma in it",
                    "This line has more than %(num)d values. Put quotation marks around a value with a comma in it",
                    len(positions),
                ),
            )
        ]
    return []


def read_register(
    stream: BinaryIO,
    *,
    neighbourhoods: NeighbourhoodIndex,
    postcode_lookup: Mapping[str, int],
    today: date,
) -> Iterator[RegisterRow | Problem]:
    """Check a register file line by line, yielding each good row and each problem in file order.

    ``postcode_lookup`` maps normalised postcodes to neighbourhood ids; it is
    used for lines with no neighbourhood. ``today`` bounds dates of birth.
    """
    reader = _Reader(stream)
    rows, positions, problems = _header(reader, REGISTER_COLUMNS, REGISTER_OPTIONAL)
    yield from problems
    if positions is None:
        if not problems:
            yield from _empty(reader.problems)
        else:
            yield from reader.problems
        return
    seen: dict[str, int] = {}
    count = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        yield from _register_line(line, cells, positions, seen, neighbourhoods, postcode_lookup, today)
    yield from reader.problems
    if count == 0 and not reader.problems:
        yield Problem(
            None,
            None,
            stored_gettext("The file has no residents in it. Add one line for each resident under the headings"),
        )


def _register_line(
    line: int,
    cells: list[str],
    positions: dict[str, int],
    seen: dict[str, int],
    neighbourhoods: NeighbourhoodIndex,
    postcode_lookup: Mapping[str, int],
    today: date,
) -> Iterator[RegisterRow | Problem]:
    problems = _extra_cells(line, cells, positions)
    values = {key: _cell(cells, positions, key) for key in positions}
    for key in ("reference", "name", "address", "postcode", "date_of_birth"):
        if not values[key]:
            problems.append(Problem(line, key, _MISSING[key]))
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            problems.append(Problem(line, key, _too_long(key, limit)))

    reference = values["reference"]
    if reference and len(reference) <= LIMITS["reference"]:
        if not _REFERENCE.match(reference):
            problems.append(
                Problem(
                    line,
                    "reference",
                    stored_gettext(
                        'The reference "%(reference)s" may only have letters, digits and / . _ -',
                        reference=_shown(reference),
                    ),
                )
            )
        elif reference in seen:
            problems.append(
                Problem(
                    line,
                    "reference",
                    stored_gettext(
                        "The reference %(reference)s is also on line %(line)s",
                        reference=reference,
                        line=seen[reference],
                    ),
                )
            )
        else:
            seen[reference] = line

    postcode = None
    if values["postcode"]:
        postcode = normalise_postcode(values["postcode"])
        if postcode is None:
            problems.append(
                Problem(
                    line,
                    "postcode",
                    stored_gettext('"%(postcode)s" is not a UK postcode', postcode=_shown(values["postcode"])),
                )
            )

    born = None
    if values["date_of_birth"]:
        parsed = parse_date(values["date_of_birth"])
        if isinstance(parsed, StoredMessage):
            problems.append(Problem(line, "date_of_birth", parsed))
        elif parsed > today:
            problems.append(Problem(line, "date_of_birth", stored_gettext("The date of birth is in the future")))
        elif parsed < EARLIEST_BIRTH:
            problems.append(Problem(line, "date_of_birth", stored_gettext("The date of birth is before 1900")))
        else:
            born = parsed

    neighbourhood_id = None
    named = values.get("neighbourhood", "")
    if named:
        neighbourhood_id = neighbourhoods.find(named)
        if neighbourhood_id is None:
            problems.append(Problem(line, "neighbourhood", _no_such_neighbourhood(named)))
    elif postcode is not None:
        neighbourhood_id = postcode_lookup.get(postcode)
        if neighbourhood_id is None:
            problems.append(
                Problem(
                    line,
                    "neighbourhood",
                    stored_gettext(
                        "No neighbourhood is given and the postcode %(postcode)s is not in the postcode lookup",
                        postcode=postcode,
                    ),
                )
            )

    if problems:
        yield from problems
        return
    yield RegisterRow(
        line,
        reference,
        " ".join(values["name"].split()),
        " ".join(values["address"].split()),
        postcode,  # type: ignore[arg-type]
        born,  # type: ignore[arg-type]
        neighbourhood_id,  # type: ignore[arg-type]
    )


def read_postcodes(stream: BinaryIO, *, neighbourhoods: NeighbourhoodIndex) -> Iterator[PostcodeRow | Problem]:
    """Check a postcode lookup file line by line, yielding each good row and each problem in file order."""
    reader = _Reader(stream)
    rows, positions, problems = _header(reader, POSTCODE_COLUMNS, ())
    yield from problems
    if positions is None:
        yield from (reader.problems if problems else _empty(reader.problems))
        return
    seen: dict[str, int] = {}
    count = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        found = _extra_cells(line, cells, positions)
        raw, named = _cell(cells, positions, "postcode"), _cell(cells, positions, "neighbourhood")
        postcode = normalise_postcode(raw) if raw else None
        if not raw:
            found.append(Problem(line, "postcode", _MISSING["postcode"]))
        elif postcode is None:
            found.append(
                Problem(line, "postcode", stored_gettext('"%(postcode)s" is not a UK postcode', postcode=_shown(raw)))
            )
        elif postcode in seen:
            found.append(
                Problem(
                    line,
                    "postcode",
                    stored_gettext(
                        "The postcode %(postcode)s is also on line %(line)s", postcode=postcode, line=seen[postcode]
                    ),
                )
            )
        else:
            seen[postcode] = line
        neighbourhood_id = neighbourhoods.find(named) if named else None
        if not named:
            found.append(Problem(line, "neighbourhood", _MISSING["neighbourhood"]))
        elif neighbourhood_id is None:
            found.append(Problem(line, "neighbourhood", _no_such_neighbourhood(named)))
        if found:
            yield from found
        else:
            yield PostcodeRow(line, postcode, neighbourhood_id)  # type: ignore[arg-type]
    yield from reader.problems
    if count == 0 and not reader.problems:
        yield Problem(
            None,
            None,
            stored_gettext("The file has no postcodes in it. Add one line for each postcode under the headings"),
        )


def _no_such_neighbourhood(named: str) -> StoredMessage:
    return stored_gettext('There is no neighbourhood called "%(name)s" (or with that code)', name=_shown(named))


def collect(items: Iterable[RegisterRow | PostcodeRow | Problem]) -> Outcome:
    """All rows and problems of a file (for tests and small files; the import job streams instead)."""
    outcome = Outcome()
    for item in items:
        (outcome.problems if isinstance(item, Problem) else outcome.rows).append(item)
    if outcome.problems:
        outcome.rows = []
    return outcome
