"""Downloads: a ballot's result (JSON, CSV) and its anonymous papers (BLT, Pabulib, CSV).

* The results JSON is the stored canonical document, byte for byte: its
  SHA-256 is the published hash.
* The results CSV is for spreadsheets. Every cell that a spreadsheet could
  read as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return) is prefixed with ``'``.
* The papers go out in a random but deterministic order (sorted by their
  random UUIDs), never with receipt hashes, dates or channels, so an export
  cannot be matched against who voted when. Options are named by their keys,
  which are the ids the count used: recounting an exported file with
  ``rochdale tally`` (with the ballot's method, utility and seed) gives the
  published SHA-256.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import Text, cast, select

from app.csv_cells import guard
from app.extensions import db
from app.i18n import _l
from app.voting.counting import ballot_options, ballot_spec
from app.voting.formats.blt import write_blt
from app.voting.formats.pabulib import PabulibFile, PabulibProject, PabulibVote, dumps, format_amount
from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper
from app.voting.tally import BallotSpec, TallyError, blt_election, unwrap

PB_RULES = {"greedy": "greedy", "mes": "equalshares", "mes-add1": "equalshares/add1"}


class ExportError(ValueError):
    """A ballot that cannot be written in the asked format; the message says why."""


def _csv(rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard(v) for v in row])
    return out.getvalue()


def papers_in_export_order(ballot: Ballot) -> list[Any]:
    """Every paper's content, sorted by paper UUID (one query, no ORM objects)."""
    rows = db.session.execute(
        select(cast(BallotPaper.content, Text)).where(BallotPaper.ballot_id == ballot.id).order_by(BallotPaper.id)
    )
    return [json.loads(content) for (content,) in rows]  # the text is faster to fetch than decoded JSONB


# -- results ---------------------------------------------------------------------------------------


def results_csv(ballot: Ballot, result: dict[str, Any], options: Sequence[BallotOption] | None = None) -> str:
    """The result as a table: one row per option (per stage for ranked counts)."""
    options = ballot_options(ballot) if options is None else options
    title = {o.key: o.title for o in options}
    kind = ballot.kind
    if kind is BallotKind.RANKED:
        candidates = result["candidates"]
        header = ["stage", "action", "subject", *(f"{title.get(c, c)} ({c})" for c in candidates)]
        header += ["non_transferable_total", "quota", "elected", "excluded"]
        rows: list[list[Any]] = [header]
        for stage in result["rounds"]:
            rows.append(
                [
                    stage["stage"],
                    stage["action"],
                    stage["subject"] or "",
                    *(stage["votes"][c] for c in candidates),
                    stage["non_transferable_total"],
                    stage["quota"],
                    " ".join(stage["elected"] + stage["deemed_elected"]),
                    " ".join(stage["excluded"]),
                ]
            )
        return _csv(rows)
    if kind is BallotKind.PB:
        selected = result["selected"]
        approvals = _pb_approvals(result)
        rows = [["key", "title", "cost", "approvals", "funded", "funding_order"]]
        for o in options:
            order = selected.index(o.key) + 1 if o.key in selected else ""
            cost = format_amount(Fraction(o.cost_pence or 0, 100))
            rows.append([o.key, o.title, cost, approvals.get(o.key, ""), "yes" if order else "no", order])
        return _csv(rows)
    if kind is BallotKind.APPROVAL:
        winners = result["winners"]
        rows = [["key", "title", "approvals", "elected"]]
        for o in options:
            rows.append([o.key, o.title, result["details"]["approvals"][o.key], "yes" if o.key in winners else "no"])
        return _csv(rows)
    if kind is BallotKind.POINTS:
        winners = result["winners"]
        rows = [["key", "title", "points", "elected"]]
        for o in options:
            rows.append([o.key, o.title, result["details"]["totals"][o.key], "yes" if o.key in winners else "no"])
        return _csv(rows)
    if kind is BallotKind.DIVISION:
        rows = [["key", "title", "allocation_pence", "exact_pence"]]
        for o in options:
            rows.append([o.key, o.title, result["allocation"][o.key], result["details"]["exact"][o.key]])
        return _csv(rows)
    details = result["details"]
    rows = [["choice", "votes", "of_which_proxy"]]
    for choice in ("for", "against", "abstain"):
        rows.append([choice, details["votes"][choice], details["of_which_proxy"][choice]])
    rows.append(["outcome", result["outcome"], ""])
    return _csv(rows)


def _pb_approvals(result: dict[str, Any]) -> dict[str, int]:
    """Approvals per project, as recorded in the greedy steps of the count (when it has any)."""
    return {step["project"]: step["approvals"] for step in result.get("rounds", []) if "approvals" in step}


# -- anonymous papers ------------------------------------------------------------------------------


def ballots_blt(ballot: Ballot) -> str:
    """Ranked papers as a BLT file (candidates named by option key; identical papers merged)."""
    if ballot.kind is not BallotKind.RANKED:
        raise ExportError(_l("Only ranked ballots can be written as BLT"))
    try:
        return write_blt(blt_election(ballot_spec(ballot), papers_in_export_order(ballot)))
    except TallyError as error:
        raise ExportError(_l("The papers cannot be written as BLT: %(error)s", error=str(error))) from None


def ballots_pb(ballot: Ballot, *, unit: str = "") -> str:
    """PB, approval and budget-division papers as a Pabulib ``.pb`` file, one voter per paper."""
    spec = ballot_spec(ballot)
    options = ballot_options(ballot)
    for o in options:
        if any(ch in o.key for ch in ',;"\n\r'):
            raise ExportError(_l("The option key “%(key)s” cannot be written in a Pabulib file", key=o.key))
    papers = papers_in_export_order(ballot)
    meta = {
        "description": ballot.title,
        "country": "United Kingdom",
        "unit": unit,
        "instance": str(ballot.id),
        "num_projects": str(len(options)),
        "num_votes": str(len(papers)),
    }
    names = {o.key: o.title for o in options}
    if ballot.kind is BallotKind.PB:
        meta |= {"budget": format_amount(spec.budget), "vote_type": "approval", "rule": PB_RULES[ballot.method]}
        meta["currency"] = "GBP"
        costs = {k: format_amount(v) for k, v in spec.costs().items()}
        return dumps(_pb_file(meta, options, costs, names, [_approved(c) for c in papers], None))
    if ballot.kind is BallotKind.APPROVAL:
        # Approval voting for k winners is written as a PB election of unit costs with budget k.
        meta |= {"budget": str(spec.seats), "vote_type": "approval", "rule": "approval", "seats": str(spec.seats)}
        if spec.max_approvals is not None:
            meta["max_length"] = str(spec.max_approvals)
        costs = {o.key: "1" for o in options}
        return dumps(_pb_file(meta, options, costs, names, [_approved(c) for c in papers], None))
    if ballot.kind is BallotKind.DIVISION:
        budget = spec.budget_pence
        meta |= {
            "budget": format_amount(Fraction(budget, 100)),
            "vote_type": "cumulative",
            "rule": "mean" if ballot.method == "mean" else "independent-markets",
            "currency": "GBP",
            "max_sum_points": str(budget),
            "points_unit": "pence",
        }
        costs = {o.key: "0" for o in options}
        extra = {"floor": spec.pence_map("floors"), "ceiling": spec.pence_map("ceilings")}
        return dumps(_pb_file(meta, options, costs, names, [_allocation(c, spec) for c in papers], extra))
    raise ExportError(_l("Only participatory budgets, approval votes and budget divisions can be written as Pabulib"))


def _approved(content: Any) -> tuple[tuple[str, ...], None]:
    value = unwrap(content)
    return tuple(value), None


def _allocation(content: Any, spec: BallotSpec) -> tuple[tuple[str, ...], tuple[int, ...]]:
    value = unwrap(content)
    lines = tuple(k for k in spec.options if int(value.get(k, 0)) > 0)
    return lines, tuple(int(value[k]) for k in lines)


def _pb_file(
    meta: dict[str, str],
    options: Sequence[BallotOption],
    costs: dict[str, str],
    names: dict[str, str],
    votes: list[tuple[tuple[str, ...], tuple[int, ...] | None]],
    extra: dict[str, dict[str, int]] | None,
) -> PabulibFile:
    columns = ["project_id", "cost", "name", *(extra or {})]
    projects = {}
    for o in options:
        fields = {"project_id": o.key, "cost": costs[o.key], "name": names[o.key]}
        for column, values in (extra or {}).items():
            fields[column] = str(values[o.key]) if o.key in values else ""
        projects[o.key] = PabulibProject(o.key, Fraction(costs[o.key]), fields)
    vote_columns = ["voter_id", "vote"] + (["points"] if extra is not None else [])
    rows = []
    for number, (vote, points) in enumerate(votes, start=1):
        fields = {"voter_id": str(number), "vote": ",".join(vote)}
        if points is not None:
            fields["points"] = ",".join(map(str, points))
        rows.append(PabulibVote(str(number), vote, None, fields))
    return PabulibFile(meta=meta, projects=projects, votes=rows, project_columns=columns, vote_columns=vote_columns)


def ballots_csv(ballot: Ballot) -> str:
    """Every paper as one CSV row, options as columns (rank, 1 for approved, pence or points).

    Resolutions: the choice.
    """
    papers = papers_in_export_order(ballot)
    if ballot.kind is BallotKind.RESOLUTION:
        return _csv([["paper", "choice"], *([n, unwrap(c)] for n, c in enumerate(papers, start=1))])
    keys = [o.key for o in ballot_options(ballot)]
    rows: list[list[Any]] = [["paper", *keys]]
    for number, content in enumerate(papers, start=1):
        value = unwrap(content)
        if ballot.kind is BallotKind.RANKED:
            rank = {key: position for position, key in enumerate(value, start=1)}
            rows.append([number, *(rank.get(k, "") for k in keys)])
        elif ballot.kind is BallotKind.DIVISION:
            rows.append([number, *(value.get(k, 0) for k in keys)])
        elif ballot.kind is BallotKind.POINTS:
            rows.append([number, *(content.get(k, 0) for k in keys)])
        else:
            chosen = set(value)
            rows.append([number, *(1 if k in chosen else 0 for k in keys)])
    return _csv(rows)
