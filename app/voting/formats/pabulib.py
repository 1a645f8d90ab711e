"""Pabulib ``.pb`` files: read and write participatory-budgeting elections.

The format (pabulib.org; Faliszewski et al., "Participatory Budgeting: Data,
Tools and Analysis", 2023) is a ``;``-separated text file with three sections,
in this order, each a section name on its own line followed by a header row:

* ``META`` — ``key;value`` rows: ``budget`` and ``vote_type`` are required
  (``approval``, ``choose-1``, ``ordinal``, ``cumulative`` or ``scoring``);
  ``num_projects`` / ``num_votes``, when present, must match the file;
  ``description``, ``country``, ``unit``, ``instance``, ``rule``,
  ``min_length``, ``max_length``, ``min_sum_cost``, ``max_points``, ... and
  any other key are kept as written.
* ``PROJECTS`` — a header with at least ``project_id`` and ``cost``, then one
  row per project; other columns (``name``, ``category``, ``target``, ...)
  are kept.
* ``VOTES`` — a header with at least ``voter_id`` and ``vote`` (the project
  ids, comma-separated; preference order for ``ordinal``), plus ``points``
  (comma-separated, one per project) for ``cumulative`` and ``scoring``;
  other columns (``age``, ``sex``, ``voting_method``, ...) are kept.

Fields may be quoted (``"a;b"``) and padded with spaces; values are read
stripped. Amounts are integers, decimals (``12.5``; a lone decimal comma
``12,5`` is accepted, as pabutools does) or fractions (``7/2``, which
pabutools writes). A malformed file raises :class:`PabulibError` naming the
line and the problem. Writing keeps every META key, every column and the
order of rows, quoting only where a value needs it, so reading what was
written gives back the same :class:`PabulibFile`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from app.voting.methods.pb.model import ApprovalElection

VOTE_TYPES = ("approval", "choose-1", "ordinal", "cumulative", "scoring")
SECTIONS = ("meta", "projects", "votes")
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)(/\d+)?$")


class PabulibError(ValueError):
    """A malformed Pabulib file; ``line`` is 1-based (``None`` if the file as a whole is at fault)."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass
class PabulibProject:
    """One PROJECTS row: its id, exact cost, and every column as written."""

    project_id: str
    cost: Fraction
    fields: dict[str, str]


@dataclass
class PabulibVote:
    """One VOTES row: the projects (in the order written), points if any, every column as written."""

    voter_id: str
    vote: tuple[str, ...]
    points: tuple[Fraction, ...] | None
    fields: dict[str, str]


@dataclass
class PabulibFile:
    """A whole Pabulib file, faithful enough to write back unchanged."""

    meta: dict[str, str]
    projects: dict[str, PabulibProject]
    votes: list[PabulibVote]
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])
    meta_header: list[str] = field(default_factory=lambda: ["key", "value"])

    @property
    def budget(self) -> Fraction:
        return parse_amount(self.meta["budget"], "budget")

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    def approval_election(self) -> ApprovalElection:
        """The election to count, for ``approval`` and ``choose-1`` files."""
        if self.vote_type not in ("approval", "choose-1"):
            raise PabulibError(None, f"vote_type {self.vote_type!r} has no approval ballots")
        return ApprovalElection.from_ballots(
            self.budget, {p.project_id: p.cost for p in self.projects.values()}, [v.vote for v in self.votes]
        )

    @classmethod
    def from_election(
        cls,
        election: ApprovalElection,
        meta: Mapping[str, str] | None = None,
        project_fields: Mapping[str, Mapping[str, str]] | None = None,
    ) -> PabulibFile:
        """An approval file for ``election``: one VOTES row per voter, ids ``1..n``.

        ``meta`` adds or overrides META keys (``budget``, ``vote_type``,
        ``num_projects`` and ``num_votes`` always come from the election);
        ``project_fields`` adds columns (such as ``name``) per project id.
        """
        header = {"description": "", "country": "", "unit": "", "instance": ""}
        header |= dict(meta or {})
        header |= {
            "num_projects": str(len(election.costs)),
            "num_votes": str(election.n_voters),
            "budget": format_amount(election.budget),
            "vote_type": "approval",
        }
        columns = ["project_id", "cost"]
        extra = project_fields or {}
        for values in extra.values():
            columns += [c for c in values if c not in columns]
        projects = {}
        for project, cost in election.costs.items():
            row = {c: "" for c in columns} | dict(extra.get(project, {}))
            row |= {"project_id": project, "cost": format_amount(cost)}
            projects[project] = PabulibProject(project, cost, row)
        order = {p: i for i, p in enumerate(election.costs)}
        votes = []
        for ballot, weight in election.ballots:
            vote = tuple(sorted(ballot, key=order.__getitem__))
            for _ in range(weight):
                voter = str(len(votes) + 1)
                votes.append(PabulibVote(voter, vote, None, {"voter_id": voter, "vote": ",".join(vote)}))
        return cls(meta=header, projects=projects, votes=votes, project_columns=columns)


# -- amounts -------------------------------------------------------------------------------------


def parse_amount(text: str, what: str, line: int | None = None, *, signed: bool = False) -> Fraction:
    """An exact amount from ``12``, ``12.5``, ``12,5`` or ``7/2``."""
    value = text.strip()
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    if not _NUMBER.match(value):
        raise PabulibError(line, f"{what} is not a number: {text!r}")
    try:
        amount = Fraction(value)
    except ZeroDivisionError:
        raise PabulibError(line, f"{what} divides by zero: {text!r}") from None
    if amount < 0 and not signed:
        raise PabulibError(line, f"{what} must not be negative: {text!r}")
    return amount


def format_amount(amount: Fraction) -> str:
    """``12``, ``12.5`` when the decimal is exact, else ``p/q``."""
    amount = Fraction(amount)
    if amount.denominator == 1:
        return str(amount.numerator)
    denominator = amount.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{amount.numerator}/{amount.denominator}"
    places = max(twos, fives)
    scaled = abs(amount.numerator) * 10**places // amount.denominator
    sign = "-" if amount < 0 else ""
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


# -- reading -------------------------------------------------------------------------------------


def _cells(row: list[str], width: int, line: int, section: str) -> list[str]:
    cells = [cell.strip() for cell in row]
    if len(cells) > width and not any(cells[width:]):
        cells = cells[:width]  # trailing separators
    if len(cells) != width:
        raise PabulibError(line, f"{section} row has {len(cells)} fields; the header has {width}")
    return cells


def _header(row: list[str], line: int, section: str, required: Iterable[str]) -> list[str]:
    columns = [cell.strip() for cell in row]
    while columns and not columns[-1]:
        columns.pop()
    if any(not c for c in columns):
        raise PabulibError(line, f"{section} header has an empty column name")
    if len(set(columns)) != len(columns):
        raise PabulibError(line, f"{section} header names a column twice")
    missing = [c for c in required if c not in columns]
    if missing:
        raise PabulibError(line, f"{section} header lacks {', '.join(missing)}")
    return columns


class _Reader:
    """Reads rows section by section; each method handles one kind of row."""

    def __init__(self) -> None:
        self.pb = PabulibFile(meta={}, projects={}, votes=[], project_columns=[], vote_columns=[], meta_header=[])
        self.meta_lines: dict[str, int] = {}
        self.voters: set[str] = set()
        self.section = ""
        self.expect_header = False
        self.vote_type = ""

    def row(self, row: list[str], line: int) -> None:
        if self.section == "votes" and not self.expect_header:  # the bulk of a file: no section names here
            columns = self.pb.vote_columns
            cells = dict(zip(columns, _cells(row, len(columns), line, "VOTES"), strict=True))
            self.pb.votes.append(_vote(cells, self.pb.projects, self.vote_type, line, self.voters))
            return
        name = row[0].strip().lower()
        if self.section != "votes" and name in SECTIONS and not any(cell.strip() for cell in row[1:]):
            self.start_section(name, line)
        elif not self.section:
            raise PabulibError(line, "the file must start with a META section")
        elif self.expect_header:
            self.header(row, line)
        elif self.section == "meta":
            self.meta_row(row, line)
        else:
            self.project_row(row, line)

    def start_section(self, name: str, line: int) -> None:
        expected = SECTIONS[SECTIONS.index(self.section) + 1] if self.section else "meta"
        if name != expected:
            raise PabulibError(line, f"section {name.upper()} found where {expected.upper()} was expected")
        self.section, self.expect_header = name, True
        if name == "votes":
            self.vote_type = _check_meta(self.pb.meta, self.meta_lines, line)

    def header(self, row: list[str], line: int) -> None:
        self.expect_header = False
        if self.section == "meta":
            self.pb.meta_header = _header(row, line, "META", [])
            if len(self.pb.meta_header) != 2:
                raise PabulibError(line, "META header must have two columns (key;value)")
        elif self.section == "projects":
            self.pb.project_columns = _header(row, line, "PROJECTS", ["project_id", "cost"])
        else:
            points = ["points"] if self.vote_type in ("cumulative", "scoring") else []
            self.pb.vote_columns = _header(row, line, "VOTES", ["voter_id", "vote", *points])

    def meta_row(self, row: list[str], line: int) -> None:
        key, value = _cells(row, 2, line, "META")
        if not key:
            raise PabulibError(line, "META key is empty")
        if key in self.pb.meta:
            raise PabulibError(line, f"META key {key!r} appears twice")
        self.pb.meta[key] = value
        self.meta_lines[key] = line

    def project_row(self, row: list[str], line: int) -> None:
        columns = self.pb.project_columns
        cells = dict(zip(columns, _cells(row, len(columns), line, "PROJECTS"), strict=True))
        project = cells["project_id"]
        if not project:
            raise PabulibError(line, "project_id is empty")
        if project in self.pb.projects:
            raise PabulibError(line, f"project {project!r} appears twice")
        cost = parse_amount(cells["cost"], f"cost of project {project!r}", line)
        self.pb.projects[project] = PabulibProject(project, cost, cells)

    def finish(self) -> PabulibFile:
        if self.section != "votes" or self.expect_header:
            missing = "VOTES" if self.section != "votes" else "the VOTES header"
            raise PabulibError(None, f"the file ends before {missing}")
        _check_counts(self.pb.meta, self.meta_lines, len(self.pb.projects), len(self.pb.votes))
        return self.pb


def loads(text: str) -> PabulibFile:
    """Parse a Pabulib file's text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', skipinitialspace=True)
    reader = _Reader()
    end = 0
    try:
        for row in rows:
            line, end = end + 1, rows.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            try:
                reader.row(row, line)
            except PabulibError as error:
                if end == line:
                    raise
                hint = f"{error.problem} (the row runs on to line {end}: is a quote left open?)"
                raise PabulibError(line, hint) from None
    except csv.Error as error:
        raise PabulibError(end + 1, f"unreadable row: {error}") from None
    return reader.finish()


def _check_meta(meta: dict[str, str], lines: dict[str, int], line: int) -> str:
    if "budget" not in meta:
        raise PabulibError(line, "META has no budget")
    parse_amount(meta["budget"], "budget", lines["budget"])
    vote_type = meta.get("vote_type")
    if vote_type is None:
        raise PabulibError(line, "META has no vote_type")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(lines["vote_type"], f"unknown vote_type {vote_type!r}")
    return vote_type


def _check_counts(meta: dict[str, str], lines: dict[str, int], n_projects: int, n_votes: int) -> None:
    for key, actual, what in (("num_projects", n_projects, "projects"), ("num_votes", n_votes, "votes")):
        if key in meta:
            if not meta[key].isdigit():
                raise PabulibError(lines[key], f"{key} is not a whole number: {meta[key]!r}")
            if int(meta[key]) != actual:
                raise PabulibError(lines[key], f"{key} says {meta[key]} but the file has {actual} {what}")


def _vote(cells: dict[str, str], projects: dict[str, Any], vote_type: str, line: int, seen: set[str]) -> PabulibVote:
    voter = cells["voter_id"]
    if not voter:
        raise PabulibError(line, "voter_id is empty")
    if voter in seen:
        raise PabulibError(line, f"voter {voter!r} appears twice")
    seen.add(voter)
    listed = cells["vote"]
    vote = tuple(map(str.strip, listed.split(","))) if listed else ()
    named = set(vote)
    if not named <= projects.keys():
        unknown = next(p for p in vote if p not in projects)
        raise PabulibError(line, f"voter {voter!r} votes for unknown project {unknown!r}")
    if len(named) != len(vote):
        raise PabulibError(line, f"voter {voter!r} names a project twice")
    if vote_type == "choose-1" and len(vote) > 1:
        raise PabulibError(line, f"voter {voter!r} chooses {len(vote)} projects in a choose-1 vote")
    points = None
    if vote_type in ("cumulative", "scoring"):
        raw = cells["points"]
        given = [p.strip() for p in raw.split(",")] if raw else []
        if len(given) != len(vote):
            raise PabulibError(line, f"voter {voter!r} has {len(vote)} projects but {len(given)} points")
        signed = vote_type == "scoring"
        points = tuple(parse_amount(p, f"points of voter {voter!r}", line, signed=signed) for p in given)
    return PabulibVote(voter, vote, points, cells)


def read(path: str | Path) -> PabulibFile:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return loads(handle.read())


# -- writing -------------------------------------------------------------------------------------


def dumps(pb: PabulibFile) -> str:
    """The file's text: sections in order, ``;``-separated, quoted only where needed.

    Project ids must survive the round trip: no commas (votes list ids
    comma-separated) and no surrounding spaces (values are read stripped).
    """
    for project in pb.projects:
        if "," in project or project != project.strip() or not project:
            raise PabulibError(None, f"project id {project!r} cannot be written: no commas or surrounding spaces")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(pb.meta_header or ["key", "value"])
    writer.writerows(pb.meta.items())
    writer.writerow(["PROJECTS"])
    writer.writerow(pb.project_columns)
    columns = pb.project_columns
    writer.writerows([project.fields.get(c, "") for c in columns] for project in pb.projects.values())
    writer.writerow(["VOTES"])
    writer.writerow(pb.vote_columns)
    columns = pb.vote_columns
    writer.writerows([vote.fields.get(c, "") for c in columns] for vote in pb.votes)
    return out.getvalue()


def write(pb: PabulibFile, path: str | Path) -> None:
    """Write a ``.pb`` file (UTF-8, no byte-order mark)."""
    Path(path).write_text(dumps(pb), encoding="utf-8")
