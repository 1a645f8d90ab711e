"""What a results page shows, read from the stored result document (no writes).

One :class:`ResultView` per page: the winners in words, a chart with the same
figures as a table, the round-by-round table of the method, and for the Method
of Equal Shares a side-by-side with what greedy would have funded and, for
each project that differs, why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.voting.charts import Bar, Line, bar_chart
from app.voting.methods.pb import ApprovalElection, greedy
from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotResult
from app.voting.papers import RESOLUTION_LABELS
from app.voting.tally import BallotSpec, TallyError

GREEDY_VERSUS_EQUAL_SHARES = (
    "Greedy funds the most popular projects first, going down the list until the money runs out, so the "
    "largest group of voters can decide everything. Equal Shares gives each voter an equal share of the "
    "budget and funds a project only when its supporters can pay for it together from their shares, so "
    "groups of voters with different priorities each see some of their projects funded."
)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # columns to right-align


@dataclass
class Difference:
    title: str
    equal_shares: bool
    greedy: bool
    why: str


@dataclass
class ResultView:
    headline: str
    winners: list[str]
    chart: Any
    chart_table: Table
    rounds: Table | None = None
    round_notes: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    comparison: Table | None = None
    differences: list[Difference] = field(default_factory=list)
    override: dict[str, Any] | None = None


def pounds(amount: Any) -> str:
    """A canonical amount (``"12"``, ``"25/2"``) or a number of pounds as ``£12.50``; exact, rounded to the penny."""
    value = Fraction(str(amount)) if not isinstance(amount, Fraction | int) else Fraction(amount)
    pence = round(value * 100)
    whole, rest = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{whole:,}" if rest == 0 else f"{sign}£{whole:,}.{rest:02d}"


def pence(amount: int) -> str:
    return pounds(Fraction(int(amount), 100))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def build_view(ballot: Ballot, options: list[BallotOption], result: BallotResult, spec: BallotSpec) -> ResultView:
    """The results page of ``ballot`` from its stored ``result``."""
    body = json.loads(result.document)
    titles = {o.key: o.title for o in options}
    if ballot.kind is BallotKind.RANKED:
        view = _ranked(body, titles)
    elif ballot.kind is BallotKind.PB:
        view = _pb(ballot, body, titles, options, spec)
    elif ballot.kind is BallotKind.APPROVAL:
        view = _approval(body, titles)
    elif ballot.kind is BallotKind.DIVISION:
        view = _division(body, titles)
    elif ballot.kind is BallotKind.POINTS:
        view = _points(body, titles)
    else:
        view = _resolution(body)
    if result.override_document:
        override = json.loads(result.override_document)
        view.override = {
            "selected": [titles.get(k, k) for k in override["selected"]],
            "spent": pounds(override["spent"]),
            "reason": override["reason"],
        }
    return view


# -- ranked ----------------------------------------------------------------------------------------


def _ranked(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    candidates = body["candidates"]
    winners = body["winners"]
    name = {c: titles.get(c, c) for c in candidates}
    stages = body["rounds"]
    first, last = stages[0], stages[-1]
    bars = [
        Bar(name[c], Decimal(first["votes"][c]), first["votes"][c], c in winners, "elected" if c in winners else "")
        for c in candidates
    ]
    quota = Decimal(body["quota"])
    seats = body["seats"]
    chart = bar_chart(
        "first-preferences",
        "First-preference votes for each candidate",
        f"{_plural(body['valid_papers'], 'valid paper')}; {_plural(seats, 'seat')}; quota {body['quota']}. "
        f"Elected: {', '.join(name[w] for w in winners) or 'nobody'}.",
        bars,
        Line(quota, f"Quota {body['quota']}") if body["method"] != "irv" else None,
    )
    chart_table = Table(
        "First-preference votes",
        ["Candidate", "First preferences", "Result"],
        [[name[c], first["votes"][c], "Elected" if c in winners else ""] for c in candidates],
        {1},
    )
    headers = ["Candidate", *(f"Stage {s['stage']}" for s in stages)]
    rows = []
    for c in candidates:
        row = [name[c]]
        for s in stages:
            cell = s["votes"][c]
            if c in s["elected"] or c in s["deemed_elected"]:
                cell += " elected"
            elif c in s["excluded"]:
                cell += " excluded"
            row.append(cell)
        rows.append(row)
    rows.append(["Non-transferable", *(s["non_transferable_total"] for s in stages)])
    rows.append(["Quota" if body["method"] != "irv" else "Majority needed", *(s["quota"] for s in stages)])
    notes = []
    for s in stages:
        what = s["action"].capitalize()
        if s["subject"]:
            what += f" of {name.get(s['subject'], s['subject'])}"
            if s["action"] == "surplus":
                what += f" (surplus {s['notes'].get('surplus', '')})"
        for tie in s["ties"]:
            tied = ", ".join(name.get(t, t) for t in tie["tied"])
            how = f"stage {tie['stage']}" if tie["stage"] else tie["by"]
            what += f". Tie for {tie['purpose']} between {tied}: {name.get(tie['chosen'], tie['chosen'])} ({how})"
        notes.append(f"Stage {s['stage']}: {what}.")
    view = ResultView(
        headline=f"{_plural(len(winners), 'candidate')} elected" if seats > 1 else "Elected",
        winners=[name[w] for w in winners],
        chart=chart,
        chart_table=chart_table,
        rounds=Table("Votes at each stage of the count", headers, rows, set(range(1, len(headers)))),
        round_notes=notes,
        facts=[
            ("Valid papers", f"{body['valid_papers']:,}"),
            ("Empty papers", f"{body['empty_papers']:,}"),
            ("Seats", str(seats)),
            ("Quota" if body["method"] != "irv" else "Majority", body["quota"]),
            ("Votes for the last stage", ", ".join(f"{name[c]} {last['votes'][c]}" for c in candidates)),
        ],
    )
    return view


# -- participatory budgeting -----------------------------------------------------------------------


def approvals_by_option(ballot: Ballot) -> dict[str, int]:
    """How many papers approve each option (one SQL statement over the papers)."""
    choices = (
        select(func.jsonb_array_elements_text(BallotPaper.content).label("choice"))
        .where(BallotPaper.ballot_id == ballot.id, func.jsonb_typeof(BallotPaper.content) == "array")
        .subquery()
    )
    rows = db.session.execute(select(choices.c.choice, func.count()).group_by(choices.c.choice))
    return {choice: n for choice, n in rows}


def _pb(ballot: Ballot, body: dict[str, Any], titles: dict[str, str], options, spec: BallotSpec) -> ResultView:
    selected = body["selected"]
    approvals = approvals_by_option(ballot)
    costs = {o.key: Fraction(o.cost_pence or 0, 100) for o in options}
    bars = [
        Bar(
            titles[o.key],
            approvals.get(o.key, 0),
            f"{approvals.get(o.key, 0):,} votes, {pounds(costs[o.key])}",
            o.key in selected,
            "funded" if o.key in selected else "",
        )
        for o in options
    ]
    chart = bar_chart(
        "project-support",
        "Votes for each project",
        f"Budget {pounds(body['budget'])}; {_plural(len(selected), 'project')} funded, "
        f"costing {pounds(body['spent'])}: " + (", ".join(titles.get(k, k) for k in selected) or "none") + ".",
        bars,
    )
    order = {k: n for n, k in enumerate(selected, start=1)}
    chart_table = Table(
        "Projects, their cost and votes",
        ["Project", "Cost", "Votes", "Funded"],
        [
            [
                titles[o.key],
                pounds(costs[o.key]),
                f"{approvals.get(o.key, 0):,}",
                f"Yes ({_ordinal(order[o.key])} funded)" if o.key in order else "No",
            ]
            for o in options
        ],
        {1, 2},
    )
    rounds, notes = _pb_rounds(body, titles)
    view = ResultView(
        headline=f"{_plural(len(selected), 'project')} funded",
        winners=[f"{titles.get(k, k)} ({pounds(costs.get(k, 0))})" for k in selected],
        chart=chart,
        chart_table=chart_table,
        rounds=rounds,
        round_notes=notes,
        facts=[
            ("Budget", pounds(body["budget"])),
            ("Spent", pounds(body["spent"])),
            ("Left over", pounds(Fraction(body["budget"]) - Fraction(body["spent"]))),
            ("Voters", f"{body['details'].get('voters', 0):,}"),
        ],
    )
    if ballot.method in ("mes", "mes-add1"):
        _compare_with_greedy(view, body, titles, options, approvals, spec)
    return view


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pb_rounds(body: dict[str, Any], titles: dict[str, str]) -> tuple[Table, list[str]]:
    rows = []
    for n, step in enumerate(body["rounds"], start=1):
        title = titles.get(step["project"], step["project"])
        if step.get("phase", "greedy") == "equal_shares":
            rows.append(
                [
                    str(n),
                    "Equal Shares",
                    title,
                    pounds(step["cost"]),
                    f"{step['supporters']:,}",
                    f"{pounds(step['price_per_voter'])} each",
                    "Funded",
                ]
            )
        else:
            outcome = "Funded" if step["funded"] else "Does not fit"
            rows.append(
                [
                    str(n),
                    "Most votes first",
                    title,
                    pounds(step["cost"]),
                    f"{step['approvals']:,}",
                    f"{pounds(step['remaining'])} left",
                    outcome,
                ]
            )
    details = body["details"]
    notes = []
    if details.get("completion") == "add1":
        notes.append(
            f"Equal Shares ran {_plural(details.get('passes', 1), 'time')}, raising each voter's share by £1 each "
            f"time while the outcome still fitted the budget; the share used was {pounds(details['share'])}. "
            "The money left over was then spent on the most popular projects that still fitted."
        )
    elif details.get("share") is not None:
        notes.append(f"Each voter's equal share of the budget was {pounds(details['share'])}.")
    table = Table(
        "How the projects were chosen, step by step",
        ["Step", "Rule", "Project", "Cost", "Supporters", "Price or money left", "Outcome"],
        rows,
        {0, 3, 4},
    )
    return table, notes


def _compare_with_greedy(
    view: ResultView, body: dict[str, Any], titles: dict[str, str], options, approvals: dict[str, int], spec: BallotSpec
) -> None:
    """What greedy (most votes first) would have funded, and why each differing project differs."""
    costs = {o.key: Fraction(o.cost_pence or 0, 100) for o in options}
    try:
        # Greedy depends only on each project's number of votes, so one weighted ballot per project is enough.
        election = ApprovalElection.from_weighted(
            spec.budget, costs, [(frozenset([k]), n) for k, n in approvals.items() if k in costs]
        )
        utility = spec.utility
        tie_break = spec.tie_break
    except (TallyError, ValueError):
        return
    greedy_result = greedy(election, utility=utility, tie_break=tie_break)
    by_greedy = list(greedy_result.selected)
    by_mes = list(body["selected"])
    view.comparison = Table(
        "Equal Shares and greedy side by side",
        ["Project", "Cost", "Votes", "Equal Shares", "Greedy (most votes first)"],
        [
            [
                titles[o.key],
                pounds(costs[o.key]),
                f"{approvals.get(o.key, 0):,}",
                "Funded" if o.key in by_mes else "Not funded",
                "Funded" if o.key in by_greedy else "Not funded",
            ]
            for o in options
        ],
        {1, 2},
    )
    remaining_before = {}
    left = spec.budget
    for step in greedy_result.rounds:
        remaining_before[step["project"]] = left
        left = Fraction(step["remaining"])
    rank = {step["project"]: n for n, step in enumerate(greedy_result.rounds, start=1)}
    mes_steps = {step["project"]: step for step in body["rounds"] if step.get("phase") == "equal_shares"}
    for o in options:
        key, title = o.key, titles[o.key]
        in_mes, in_greedy = key in by_mes, key in by_greedy
        if in_mes == in_greedy:
            continue
        votes = approvals.get(key, 0)
        if in_mes:
            step = mes_steps.get(key)
            how = (
                f"its {_plural(step['supporters'], 'supporter')} could pay for it together from their equal "
                f"shares ({pounds(step['price_per_voter'])} each at most)"
                if step
                else "there was money left after Equal Shares and it was the most popular project that still fitted"
            )
            why = (
                f"Equal Shares funds {title} because {how}. Greedy does not: it came {_ordinal(rank[key])} by votes "
                f"({votes:,}), and by then only {pounds(remaining_before[key])} was left, less than its cost of "
                f"{pounds(costs[key])}."
            )
        else:
            why = (
                f"Greedy funds {title} because it is popular ({votes:,} votes, {_ordinal(rank[key])} by votes) and "
                f"still fitted the budget when its turn came. Equal Shares does not: its supporters had already "
                f"spent much of their shares on other projects they voted for, so together they could not cover "
                f"its cost of {pounds(costs[key])}."
            )
        view.differences.append(Difference(title, in_mes, in_greedy, why))


# -- approval, division, resolution ----------------------------------------------------------------


def _approval(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    approvals = body["details"]["approvals"]
    winners = body["winners"]
    ranking = body["details"]["ranking"]
    bars = [
        Bar(titles.get(k, k), approvals[k], f"{approvals[k]:,}", k in winners, "elected" if k in winners else "")
        for k in ranking
    ]
    chart = bar_chart(
        "approvals",
        "Votes for each option",
        f"{_plural(body['details']['ballots'], 'paper')}; "
        f"{_plural(body['seats'], 'winner')}: {', '.join(titles.get(w, w) for w in winners)}.",
        bars,
    )
    table = Table(
        "Votes for each option, most first",
        ["Option", "Votes", "Result"],
        [[titles.get(k, k), f"{approvals[k]:,}", "Elected" if k in winners else ""] for k in ranking],
        {1},
    )
    notes = []
    cut = body["details"].get("cut_tie")
    if cut:
        tied = ", ".join(titles.get(t, t) for t in cut["tied"])
        notes.append(
            f"{tied} tied on {cut['approvals']:,} votes for the last place; the tie was broken by "
            f"{body['tie_break']['rule']} in favour of {', '.join(titles.get(t, t) for t in cut['elected'])}."
        )
    return ResultView(
        headline=f"{_plural(len(winners), 'winner')}",
        winners=[titles.get(w, w) for w in winners],
        chart=chart,
        chart_table=table,
        round_notes=notes,
        facts=[("Papers", f"{body['details']['ballots']:,}"), ("Winners", str(body["seats"]))],
    )


def _points(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    totals = body["details"]["totals"]
    winners = body["winners"]
    ranking = body["details"]["ranking"]
    papers = body["details"]["ballots"]
    bars = [
        Bar(titles.get(k, k), totals[k], f"{totals[k]:,}", k in winners, "elected" if k in winners else "")
        for k in ranking
    ]
    chart = bar_chart(
        "points",
        "Points for each option",
        f"{_plural(papers, 'paper')}, each sharing up to {body['points']:,} points; "
        f"{_plural(body['seats'], 'winner')}: {', '.join(titles.get(w, w) for w in winners)}.",
        bars,
    )
    table = Table(
        "Points for each option, most first",
        ["Option", "Points", "Result"],
        [[titles.get(k, k), f"{totals[k]:,}", "Elected" if k in winners else ""] for k in ranking],
        {1},
    )
    notes = []
    cut = body["details"].get("cut_tie")
    if cut:
        tied = ", ".join(titles.get(t, t) for t in cut["tied"])
        notes.append(
            f"{tied} tied on {cut['points']:,} points for the last place; the tie was broken by "
            f"{body['tie_break']['rule']} in favour of {', '.join(titles.get(t, t) for t in cut['elected'])}."
        )
    cap = body.get("max_per_option")
    return ResultView(
        headline=f"{_plural(len(winners), 'winner')}",
        winners=[titles.get(w, w) for w in winners],
        chart=chart,
        chart_table=table,
        round_notes=notes,
        facts=[
            ("Papers", f"{papers:,}"),
            ("Winners", str(body["seats"])),
            ("Points each voter shares out", f"{body['points']:,}"),
            ("Most points for one option", "No limit" if cap is None else f"{cap:,}"),
        ],
    )


def _division(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    lines = body["lines"]
    allocation = body["allocation"]
    bars = [Bar(titles.get(k, k), int(allocation[k]), pence(allocation[k]), True, "") for k in lines]
    chart = bar_chart(
        "division",
        "How the budget is divided",
        f"Budget {pence(body['budget'])}: " + ", ".join(f"{titles.get(k, k)} {pence(allocation[k])}" for k in lines),
        bars,
    )
    table = Table(
        "The budget divided",
        ["Line", "Amount", "Floor", "Ceiling"],
        [[titles.get(k, k), pence(allocation[k]), pence(body["floors"][k]), pence(body["ceilings"][k])] for k in lines],
        {1, 2, 3},
    )
    return ResultView(
        headline="The budget is divided",
        winners=[f"{titles.get(k, k)}: {pence(allocation[k])}" for k in lines],
        chart=chart,
        chart_table=table,
        facts=[("Budget", pence(body["budget"])), ("Papers", f"{body['details']['ballots']:,}")],
        round_notes=[
            "Amounts are rounded to whole pence by the largest-remainder rule, so they add up to the budget exactly."
        ],
    )


def _resolution(body: dict[str, Any]) -> ResultView:
    details = body["details"]
    votes, proxy = details["votes"], details["of_which_proxy"]
    outcome = body["outcome"]
    bars = [
        Bar(
            RESOLUTION_LABELS[c],
            votes[c],
            f"{votes[c]:,}",
            c == "for" and outcome == "passed",
            "passed" if c == "for" and outcome == "passed" else "",
        )
        for c in ("for", "against", "abstain")
    ]
    headline = {
        "passed": "The resolution passed",
        "failed": "The resolution failed",
        "inquorate": "The meeting was not quorate",
    }[outcome]
    chart = bar_chart(
        "resolution",
        "Votes on the resolution",
        f"{headline}. " + ", ".join(f"{RESOLUTION_LABELS[c]} {votes[c]:,}" for c in ("for", "against", "abstain")),
        bars,
    )
    table = Table(
        "Votes on the resolution",
        ["Vote", "Votes", "Of which by proxy"],
        [[RESOLUTION_LABELS[c], f"{votes[c]:,}", f"{proxy[c]:,}"] for c in ("for", "against", "abstain")],
        {1, 2},
    )
    quorum, threshold = details["quorum"], details["threshold"]
    return ResultView(
        headline=headline,
        winners=[],
        chart=chart,
        chart_table=table,
        facts=[
            ("Members", f"{quorum['members']:,}"),
            ("Present", f"{quorum['present']:,}"),
            ("Quorum needed", f"{quorum['required']:,} ({'met' if quorum['met'] else 'not met'})"),
            ("Majority needed", threshold["rule"].replace("_", " ")),
            ("Test", threshold["inequality"]),
        ],
    )
