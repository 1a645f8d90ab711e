"""Reading and checking an officer's CSV of quarterly figures, before anything is saved.

Pure: bytes in, rows and problems out. Every line is checked and every problem
listed with its line number (the heading line is line 1); when there is any
problem nothing is saved. The format::

    metric,period,unit,value,denominator
    local_spend_share,2026-Q2,percent,41.5,1200
    coop_enterprises_supported,2026-Q2,count,37,

``metric`` is a code from the catalogue for a metric the platform does not
compute; ``unit`` must be that metric's unit; ``denominator`` (what the rate is
out of) is required for rates and left blank for counts. A metric and quarter
may appear once in the file and must not already have a figure, unless the officer
says the file corrects figures uploaded before (the caller then passes no ``existing``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date

from app.i18n import gettext as _
from app.modules.benchmarking.catalogue import METRICS
from app.modules.benchmarking.periods import parse_quarter, quarter_start

HEADINGS = ("metric", "period", "unit", "value", "denominator")
TEMPLATE = ",".join(HEADINGS) + "\r\n"
MAX_ROWS = 2000


@dataclass(frozen=True)
class UploadRow:
    line: int
    metric_code: str
    period_start: date
    value: float
    denominator: float | None


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


@dataclass
class ParsedUpload:
    rows: list[UploadRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_upload(data: bytes, *, today: date, existing: Container[tuple[str, date]] = ()) -> ParsedUpload:
    """Check every line of ``data``; the rows when all is well, otherwise every problem and no rows.

    ``existing`` holds the (metric code, quarter start) pairs that already have a figure.
    """
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        return ParsedUpload(problems=[Problem(None, _("The selected file is empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ParsedUpload(
            problems=[Problem(line, _("The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again"))]
        )
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return ParsedUpload(problems=[Problem(None, _("The file is not a valid CSV file"))])
    heading = [c.strip().lower() for c in lines[0]] if lines else []
    if tuple(heading[: len(HEADINGS)]) != HEADINGS:
        return ParsedUpload(problems=[Problem(1, _("The first line must be the headings: %(h)s", h=TEMPLATE.strip()))])
    if len(lines) - 1 > MAX_ROWS:
        return ParsedUpload(problems=[Problem(None, _("The file has more than %(max)d lines", max=MAX_ROWS))])
    parsed = ParsedUpload()
    seen: dict[tuple[str, date], int] = {}
    this_quarter = quarter_start(today)
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = [c.strip() for c in cells] + [""] * (len(HEADINGS) - len(cells))
        code, period_text, _unit, value_text, denominator_text = cells[: len(HEADINGS)]
        problems = _check_line(number, cells, seen, existing, this_quarter)
        parsed.problems.extend(problems)
        if not problems:
            period = parse_quarter(period_text)
            denominator = _number(denominator_text) if denominator_text else None
            parsed.rows.append(UploadRow(number, code, period, _number(value_text), denominator))  # type: ignore[arg-type]
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(None, _("The file has no figures in it")))
    if parsed.problems:
        parsed.rows = []
    return parsed


def _check_line(
    number: int,
    cells: list[str],
    seen: dict[tuple[str, date], int],
    existing: Container[tuple[str, date]],
    this_quarter: date,
) -> list[Problem]:
    code, period_text, unit, value_text, denominator_text = cells[: len(HEADINGS)]
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(number, message))

    metric = METRICS.get(code)
    if metric is None:
        problem(_("There is no metric with the code “%(code)s”", code=code[:60]))
    elif metric.computed:
        problem(_("The platform computes “%(code)s” itself, so it cannot be uploaded", code=code))
    period = parse_quarter(period_text)
    if period is None:
        problem(_("The period must be a quarter written like 2026-Q2, not “%(text)s”", text=period_text[:20]))
    elif period >= this_quarter:
        problem(_("The quarter %(period)s has not finished yet", period=period_text))
    value = _number(value_text)
    if value is None:
        problem(_("The value must be a number, not “%(text)s”", text=value_text[:20]))
    denominator = _number(denominator_text) if denominator_text else None
    if denominator_text and (denominator is None or denominator < 0):
        problem(_("The denominator must be a number of 0 or more, not “%(text)s”", text=denominator_text[:20]))
    if metric is None or metric.computed:
        return problems
    if unit != metric.unit.value:
        problem(
            _("The unit of “%(code)s” is %(unit)s, not “%(given)s”", code=code, unit=metric.unit.value, given=unit[:20])
        )
    if value is not None and not metric.in_range(value):
        problem(
            _(
                "The value %(value)s of “%(code)s” is outside its range, %(low)s to %(high)s",
                value=value_text,
                code=code,
                low=f"{metric.minimum:g}",
                high=f"{metric.maximum:g}",
            )
        )
    if not metric.unit.is_count and not denominator_text:
        problem(_("“%(code)s” is a rate: give the denominator it is out of", code=code))
    if period is not None:
        key = (code, period)
        if key in seen:
            problem(
                _("%(code)s for %(period)s is also on line %(line)d", code=code, period=period_text, line=seen[key])
            )
        else:
            seen[key] = number
        if key in existing:
            problem(
                _(
                    "%(code)s already has a figure for %(period)s. To correct it, choose to replace figures "
                    "uploaded before",
                    code=code,
                    period=period_text,
                )
            )
    return problems
