"""``rochdale tally FILE``: recount a BLT or Pabulib ``.pb`` file from the shell.

Needs no database, no Redis and no settings: it reads the file, counts it with
the same code as the count job (``app.voting.tally``) and prints the winners,
the rounds and the SHA-256 of the canonical result, so anyone can check a
published result against the published anonymous ballots. Any problem (a
missing or malformed file, a method that does not fit the file) is printed as
``Error: ...`` naming the line where there is one, with exit status 2.
"""

from __future__ import annotations

import json
from typing import Any

import click

from app.cli.options import format_table
from app.voting.tally import FILE_METHODS, RANKED_METHODS, FileCount, TallyError, count_file


class TallyFailed(click.ClickException):
    """A file or method problem: printed as ``Error: ...``, exit status 2 (like a usage error)."""

    exit_code = 2


@click.command("tally")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--method",
    type=click.Choice(FILE_METHODS),
    help="Counting method. Default: stv for BLT files (seats from the file), mes-add1 for .pb files.",
)
@click.option(
    "--utility",
    type=click.Choice(["cost", "approval"]),
    help="PB satisfaction for greedy and Equal Shares (default cost).",
)
@click.option("--seats", type=int, help="Seats to fill (BLT: overrides the file; approval: the number of winners).")
@click.option("--seed", help="Break ties by a seeded lot with this published seed (default: lexicographic).")
@click.option(
    "--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output."
)
def tally(file: str, method: str | None, utility: str | None, seats: int | None, seed: str | None, output: str) -> None:
    """Recount FILE (.blt or .pb) and print the winners and the rounds.

    Examples: rochdale tally ward3.blt --method meek ; rochdale tally
    youth.pb --method greedy --format json
    """
    try:
        counted = count_file(file, method=method, utility=utility, seats=seats, seed=seed)
    except TallyError as error:
        raise TallyFailed(str(error)) from None
    if output == "json":
        click.echo(json.dumps(counted.tally.summary(), ensure_ascii=False, sort_keys=True))
    else:
        click.echo(render_table(counted))


# -- the table format ------------------------------------------------------------------------------


def render_table(counted: FileCount) -> str:
    """A readable, round-by-round account of the count."""
    t = counted.tally
    body = t.result
    lines = [f"File:     {counted.path} ({counted.file_format})", f"Method:   {t.method} ({body['rules_version']})"]
    tie = body.get("tie_break") or {}
    if tie.get("rule"):
        lines.append(f"Ties:     {tie['rule']}" + (f" (seed {tie['seed']})" if tie.get("seed") else ""))
    lines += ["", _rounds_table(t.method, body), ""]
    lines.append("Winners:  " + (", ".join(t.winners) if t.winners else "(none)"))
    lines.append(f"SHA-256:  {t.sha256}")
    return "\n".join(lines)


def _rounds_table(method: str, body: dict[str, Any]) -> str:
    if method in RANKED_METHODS:
        return _ranked_table(body)
    if method in ("greedy", "mes", "mes-add1"):
        return _pb_table(body)
    if method in ("mean", "markets"):
        rows = [[line, body["allocation"][line], body["details"]["exact"][line]] for line in body["lines"]]
        return format_table(["Line", "Allocation", "Exact"], rows)
    approvals = body["details"]["approvals"]
    winners = set(body["winners"])
    rows = [[o, approvals[o], "elected" if o in winners else ""] for o in body["details"]["ranking"]]
    return format_table(["Option", "Approvals", "Result"], rows)


def _ranked_table(body: dict[str, Any]) -> str:
    candidates = body["candidates"]
    headers = ["Stage", "Action", *candidates, "Non-transferable", "Quota", "Outcome"]
    rows = []
    for stage in body["rounds"]:
        action = stage["action"] + (f": {stage['subject']}" if stage["subject"] else "")
        outcome = []
        if stage["elected"]:
            outcome.append("elected " + ", ".join(stage["elected"]))
        if stage["deemed_elected"]:
            outcome.append("deemed elected " + ", ".join(stage["deemed_elected"]))
        if stage["excluded"]:
            outcome.append("excluded " + ", ".join(stage["excluded"]))
        rows.append(
            [
                stage["stage"],
                action,
                *(stage["votes"][c] for c in candidates),
                stage["non_transferable_total"],
                stage["quota"],
                "; ".join(outcome),
            ]
        )
    return format_table(headers, rows)


def _pb_table(body: dict[str, Any]) -> str:
    rows = []
    for number, step in enumerate(body["rounds"], start=1):
        if "funded" in step:  # a greedy step
            outcome = "funded" if step["funded"] else "skipped (does not fit)"
            detail = f"approvals {step['approvals']}"
            remaining = step["remaining"]
        else:  # an Equal Shares round
            outcome = "funded"
            detail = f"price per voter {step.get('price_per_voter')}"
            remaining = step.get("money_left", "")
        rows.append([number, step.get("project", ""), step.get("cost", ""), detail, outcome, remaining])
    return format_table(["Step", "Project", "Cost", "Support", "Outcome", "Left"], rows)
