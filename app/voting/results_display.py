"""What a results page shows, read from the stored result document (no writes).

Every word is in the reader's language: :func:`build_view` runs while a page
is made, so it uses ``gettext``/``ngettext`` with whole sentences and named
placeholders. Counted things use plural forms; a note with several facts is
several sentences, never one glued from pieces. The words the counting code
writes into the result document (a stage's action, a tie's purpose, the
tie-break rule) are keys, each mapped here to its own sentence.

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
from app.i18n import _l, current_language, gettext, ngettext
from app.voting.charts import Bar, Line, bar_chart
from app.voting.methods.pb import ApprovalElection, greedy
from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotResult
from app.voting.papers import RESOLUTION_LABELS
from app.voting.tally import BallotSpec, TallyError

GREEDY_VERSUS_EQUAL_SHARES = _l(
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


def _n(n: int) -> str:
    """A count as written on the page (with thousands separators)."""
    return f"{n:,}"


def _names(names) -> str:
    return ", ".join(names)


def _ordinal(n: int) -> str:
    """``n`` as an ordinal in English ("2nd"); in another language the number, which its sentence places."""
    if current_language() != "en":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _tie_rule(rule: str, chosen: str) -> str:
    """The sentence saying how a tie was broken under the ballot's tie-break ``rule``."""
    if rule == "lot":
        return gettext("The tie was broken by lot in favour of %(chosen)s.", chosen=chosen)
    if rule == "lexicographic":
        return gettext("The tie was broken by the fixed order of the options in favour of %(chosen)s.", chosen=chosen)
    return gettext("The tie was broken by the rule %(rule)s in favour of %(chosen)s.", rule=rule, chosen=chosen)


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
    elected_word = gettext("elected")
    bars = [
        Bar(name[c], Decimal(first["votes"][c]), first["votes"][c], c in winners, elected_word if c in winners else "")
        for c in candidates
    ]
    quota = Decimal(body["quota"])
    seats = body["seats"]
    irv = body["method"] == "irv"
    description = [
        ngettext(
            "There was %(count)s valid paper.",
            "There were %(count)s valid papers.",
            body["valid_papers"],
            count=_n(body["valid_papers"]),
        ),
        ngettext("There was %(count)s seat.", "There were %(count)s seats.", seats, count=_n(seats)),
        gettext("The quota was %(quota)s.", quota=body["quota"]),
        gettext("Elected: %(names)s.", names=_names(name[w] for w in winners))
        if winners
        else gettext("Nobody was elected."),
    ]
    chart = bar_chart(
        "first-preferences",
        gettext("First-preference votes for each candidate"),
        " ".join(description),
        bars,
        Line(quota, gettext("Quota %(quota)s", quota=body["quota"])) if not irv else None,
    )
    chart_table = Table(
        gettext("First-preference votes"),
        [gettext("Candidate"), gettext("First preferences"), gettext("Result")],
        [[name[c], first["votes"][c], gettext("Elected") if c in winners else ""] for c in candidates],
        {1},
    )
    headers = [gettext("Candidate"), *(gettext("Stage %(stage)s", stage=s["stage"]) for s in stages)]
    rows = []
    for c in candidates:
        row = [name[c]]
        for s in stages:
            cell = s["votes"][c]
            if c in s["elected"] or c in s["deemed_elected"]:
                cell = gettext("%(votes)s elected", votes=cell)
            elif c in s["excluded"]:
                cell = gettext("%(votes)s excluded", votes=cell)
            row.append(cell)
        rows.append(row)
    rows.append([gettext("Non-transferable"), *(s["non_transferable_total"] for s in stages)])
    rows.append([gettext("Quota") if not irv else gettext("Majority needed"), *(s["quota"] for s in stages)])
    notes = [_stage_note(s, name) for s in stages]
    view = ResultView(
        headline=ngettext(
            "%(count)s candidate elected", "%(count)s candidates elected", len(winners), count=_n(len(winners))
        )
        if seats > 1
        else gettext("Elected"),
        winners=[name[w] for w in winners],
        chart=chart,
        chart_table=chart_table,
        rounds=Table(gettext("Votes at each stage of the count"), headers, rows, set(range(1, len(headers)))),
        round_notes=notes,
        facts=[
            (gettext("Valid papers"), _n(body["valid_papers"])),
            (gettext("Empty papers"), _n(body["empty_papers"])),
            (gettext("Seats"), str(seats)),
            (gettext("Quota") if not irv else gettext("Majority"), body["quota"]),
            (gettext("Votes for the last stage"), ", ".join(f"{name[c]} {last['votes'][c]}" for c in candidates)),
        ],
    )
    return view


def _stage_note(stage: dict[str, Any], name: dict[str, str]) -> str:
    """What happened at one stage of a ranked count, as whole sentences."""
    number, action = stage["stage"], stage["action"]
    subject = name.get(stage["subject"], stage["subject"]) if stage["subject"] else None
    if action == "first preferences":
        sentences = [gettext("Stage %(stage)s: first preferences counted.", stage=number)]
    elif action == "surplus" and subject:
        surplus = stage["notes"].get("surplus", "")
        sentences = [
            gettext(
                "Stage %(stage)s: surplus of %(name)s (%(surplus)s) transferred.",
                stage=number,
                name=subject,
                surplus=surplus,
            )
            if surplus
            else gettext("Stage %(stage)s: surplus of %(name)s transferred.", stage=number, name=subject)
        ]
    elif action == "surplus":
        sentences = [gettext("Stage %(stage)s: surpluses transferred.", stage=number)]
    elif action == "exclusion" and subject:
        sentences = [gettext("Stage %(stage)s: %(name)s excluded.", stage=number, name=subject)]
    else:  # an action a later method might add: shown as the method wrote it
        sentences = [gettext("Stage %(stage)s: %(action)s.", stage=number, action=action)]
    for tie in stage["ties"]:
        tied = _names(name.get(t, t) for t in tie["tied"])
        chosen = name.get(tie["chosen"], tie["chosen"])
        if tie["purpose"] == "exclude":
            sentences.append(
                gettext("%(tied)s were tied for exclusion: %(chosen)s was excluded.", tied=tied, chosen=chosen)
            )
        elif tie["purpose"] == "surplus order":
            sentences.append(
                gettext(
                    "%(tied)s were tied for which surplus goes first: %(chosen)s was chosen.", tied=tied, chosen=chosen
                )
            )
        elif tie["purpose"] == "election order":
            sentences.append(
                gettext(
                    "%(tied)s were tied for the order of election: %(chosen)s was chosen.", tied=tied, chosen=chosen
                )
            )
        else:
            sentences.append(gettext("%(tied)s were tied: %(chosen)s was chosen.", tied=tied, chosen=chosen))
        if tie["stage"]:
            sentences.append(gettext("The tie was broken by looking back to stage %(stage)s.", stage=tie["stage"]))
        elif tie["by"] == "lot":
            sentences.append(gettext("The tie was broken by lot."))
        else:
            sentences.append(gettext("The tie was broken by the fixed order of the candidates."))
    return " ".join(sentences)


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
    funded_word = gettext("funded")
    bars = [
        Bar(
            titles[o.key],
            approvals.get(o.key, 0),
            ngettext(
                "%(count)s vote, %(cost)s",
                "%(count)s votes, %(cost)s",
                approvals.get(o.key, 0),
                count=_n(approvals.get(o.key, 0)),
                cost=pounds(costs[o.key]),
            ),
            o.key in selected,
            funded_word if o.key in selected else "",
        )
        for o in options
    ]
    chart = bar_chart(
        "project-support",
        gettext("Votes for each project"),
        " ".join(
            [
                gettext("The budget was %(budget)s.", budget=pounds(body["budget"])),
                ngettext(
                    "%(count)s project was funded, costing %(spent)s: %(projects)s.",
                    "%(count)s projects were funded, costing %(spent)s: %(projects)s.",
                    len(selected),
                    count=_n(len(selected)),
                    spent=pounds(body["spent"]),
                    projects=_names(titles.get(k, k) for k in selected),
                )
                if selected
                else gettext("No project was funded."),
            ]
        ),
        bars,
    )
    order = {k: n for n, k in enumerate(selected, start=1)}
    chart_table = Table(
        gettext("Projects, their cost and votes"),
        [gettext("Project"), gettext("Cost"), gettext("Votes"), gettext("Funded")],
        [
            [
                titles[o.key],
                pounds(costs[o.key]),
                f"{approvals.get(o.key, 0):,}",
                gettext("Yes (%(rank)s funded)", rank=_ordinal(order[o.key])) if o.key in order else gettext("No"),
            ]
            for o in options
        ],
        {1, 2},
    )
    rounds, notes = _pb_rounds(body, titles)
    view = ResultView(
        headline=ngettext(
            "%(count)s project funded", "%(count)s projects funded", len(selected), count=_n(len(selected))
        ),
        winners=[f"{titles.get(k, k)} ({pounds(costs.get(k, 0))})" for k in selected],
        chart=chart,
        chart_table=chart_table,
        rounds=rounds,
        round_notes=notes,
        facts=[
            (gettext("Budget"), pounds(body["budget"])),
            (gettext("Spent"), pounds(body["spent"])),
            (gettext("Left over"), pounds(Fraction(body["budget"]) - Fraction(body["spent"]))),
            (gettext("Voters"), _n(body["details"].get("voters", 0))),
        ],
    )
    if ballot.method in ("mes", "mes-add1"):
        _compare_with_greedy(view, body, titles, options, approvals, spec)
    return view


def _pb_rounds(body: dict[str, Any], titles: dict[str, str]) -> tuple[Table, list[str]]:
    rows = []
    for n, step in enumerate(body["rounds"], start=1):
        title = titles.get(step["project"], step["project"])
        if step.get("phase", "greedy") == "equal_shares":
            rows.append(
                [
                    str(n),
                    gettext("Equal Shares"),
                    title,
                    pounds(step["cost"]),
                    _n(step["supporters"]),
                    gettext("%(price)s each", price=pounds(step["price_per_voter"])),
                    gettext("Funded"),
                ]
            )
        else:
            outcome = gettext("Funded") if step["funded"] else gettext("Does not fit")
            rows.append(
                [
                    str(n),
                    gettext("Most votes first"),
                    title,
                    pounds(step["cost"]),
                    _n(step["approvals"]),
                    gettext("%(money)s left", money=pounds(step["remaining"])),
                    outcome,
                ]
            )
    details = body["details"]
    notes = []
    if details.get("completion") == "add1":
        passes = details.get("passes", 1)
        notes.append(
            ngettext(
                "Equal Shares ran %(count)s time, raising each voter's share by £1 each time while the outcome "
                "still fitted the budget; the share used was %(share)s. The money left over was then spent on "
                "the most popular projects that still fitted.",
                "Equal Shares ran %(count)s times, raising each voter's share by £1 each time while the outcome "
                "still fitted the budget; the share used was %(share)s. The money left over was then spent on "
                "the most popular projects that still fitted.",
                passes,
                count=_n(passes),
                share=pounds(details["share"]),
            )
        )
    elif details.get("share") is not None:
        notes.append(gettext("Each voter's equal share of the budget was %(share)s.", share=pounds(details["share"])))
    table = Table(
        gettext("How the projects were chosen, step by step"),
        [
            gettext("Step"),
            gettext("Rule"),
            gettext("Project"),
            gettext("Cost"),
            gettext("Supporters"),
            gettext("Price or money left"),
            gettext("Outcome"),
        ],
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
        gettext("Equal Shares and greedy side by side"),
        [
            gettext("Project"),
            gettext("Cost"),
            gettext("Votes"),
            gettext("Equal Shares"),
            gettext("Greedy (most votes first)"),
        ],
        [
            [
                titles[o.key],
                pounds(costs[o.key]),
                _n(approvals.get(o.key, 0)),
                gettext("Funded") if o.key in by_mes else gettext("Not funded"),
                gettext("Funded") if o.key in by_greedy else gettext("Not funded"),
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
            why = _funded_by_equal_shares_only(
                title, step, votes, _ordinal(rank[key]), pounds(remaining_before[key]), pounds(costs[key])
            )
        else:
            why = ngettext(
                "Greedy funds %(title)s because it is popular (%(votes)s vote, %(rank)s by votes) and still fitted "
                "the budget when its turn came. Equal Shares does not: its supporters had already spent much of "
                "their shares on other projects they voted for, so together they could not cover its cost of "
                "%(cost)s.",
                "Greedy funds %(title)s because it is popular (%(votes)s votes, %(rank)s by votes) and still fitted "
                "the budget when its turn came. Equal Shares does not: its supporters had already spent much of "
                "their shares on other projects they voted for, so together they could not cover its cost of "
                "%(cost)s.",
                votes,
                title=title,
                votes=_n(votes),
                rank=_ordinal(rank[key]),
                cost=pounds(costs[key]),
            )
        view.differences.append(Difference(title, in_mes, in_greedy, why))


def _funded_by_equal_shares_only(
    title: str, step: dict[str, Any] | None, votes: int, rank: str, left: str, cost: str
) -> str:
    """Why Equal Shares funds a project that greedy does not (two cases: by shares, or with money left over)."""
    if step:
        supporters = step["supporters"]
        return ngettext(
            "Equal Shares funds %(title)s because its %(count)s supporter could pay for it together from their "
            "equal shares (%(price)s each at most). Greedy does not: it came %(rank)s by votes (%(votes)s), and "
            "by then only %(left)s was left, less than its cost of %(cost)s.",
            "Equal Shares funds %(title)s because its %(count)s supporters could pay for it together from their "
            "equal shares (%(price)s each at most). Greedy does not: it came %(rank)s by votes (%(votes)s), and "
            "by then only %(left)s was left, less than its cost of %(cost)s.",
            supporters,
            title=title,
            count=_n(supporters),
            price=pounds(step["price_per_voter"]),
            rank=rank,
            votes=_n(votes),
            left=left,
            cost=cost,
        )
    return gettext(
        "Equal Shares funds %(title)s because there was money left after Equal Shares and it was the most "
        "popular project that still fitted. Greedy does not: it came %(rank)s by votes (%(votes)s), and by "
        "then only %(left)s was left, less than its cost of %(cost)s.",
        title=title,
        rank=rank,
        votes=_n(votes),
        left=left,
        cost=cost,
    )


# -- approval, division, resolution ----------------------------------------------------------------


def _winners_sentence(seats: int, winners: list[str]) -> str:
    return ngettext(
        "%(count)s winner: %(names)s.", "%(count)s winners: %(names)s.", seats, count=_n(seats), names=_names(winners)
    )


def _cut_tie_notes(body: dict[str, Any], titles: dict[str, str], points: bool) -> list[str]:
    """The tie for the last place, if there was one, and how it was broken."""
    cut = body["details"].get("cut_tie")
    if not cut:
        return []
    tied = _names(titles.get(t, t) for t in cut["tied"])
    if points:
        amount = cut["points"]
        tie = ngettext(
            "%(tied)s tied on %(count)s point for the last place.",
            "%(tied)s tied on %(count)s points for the last place.",
            amount,
            tied=tied,
            count=_n(amount),
        )
    else:
        amount = cut["approvals"]
        tie = ngettext(
            "%(tied)s tied on %(count)s vote for the last place.",
            "%(tied)s tied on %(count)s votes for the last place.",
            amount,
            tied=tied,
            count=_n(amount),
        )
    chosen = _names(titles.get(t, t) for t in cut["elected"])
    return [f"{tie} {_tie_rule(body['tie_break']['rule'], chosen)}"]


def _approval(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    approvals = body["details"]["approvals"]
    winners = body["winners"]
    ranking = body["details"]["ranking"]
    papers = body["details"]["ballots"]
    elected_word = gettext("elected")
    bars = [
        Bar(titles.get(k, k), approvals[k], _n(approvals[k]), k in winners, elected_word if k in winners else "")
        for k in ranking
    ]
    chart = bar_chart(
        "approvals",
        gettext("Votes for each option"),
        " ".join(
            [
                ngettext("There was %(count)s paper.", "There were %(count)s papers.", papers, count=_n(papers)),
                _winners_sentence(body["seats"], [titles.get(w, w) for w in winners]),
            ]
        ),
        bars,
    )
    table = Table(
        gettext("Votes for each option, most first"),
        [gettext("Option"), gettext("Votes"), gettext("Result")],
        [[titles.get(k, k), _n(approvals[k]), gettext("Elected") if k in winners else ""] for k in ranking],
        {1},
    )
    return ResultView(
        headline=ngettext("%(count)s winner", "%(count)s winners", len(winners), count=_n(len(winners))),
        winners=[titles.get(w, w) for w in winners],
        chart=chart,
        chart_table=table,
        round_notes=_cut_tie_notes(body, titles, points=False),
        facts=[(gettext("Papers"), _n(papers)), (gettext("Winners"), str(body["seats"]))],
    )


def _points(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    totals = body["details"]["totals"]
    winners = body["winners"]
    ranking = body["details"]["ranking"]
    papers = body["details"]["ballots"]
    elected_word = gettext("elected")
    bars = [
        Bar(titles.get(k, k), totals[k], _n(totals[k]), k in winners, elected_word if k in winners else "")
        for k in ranking
    ]
    chart = bar_chart(
        "points",
        gettext("Points for each option"),
        " ".join(
            [
                ngettext(
                    "There was %(count)s paper, sharing up to %(points)s points.",
                    "There were %(count)s papers, each sharing up to %(points)s points.",
                    papers,
                    count=_n(papers),
                    points=_n(body["points"]),
                ),
                _winners_sentence(body["seats"], [titles.get(w, w) for w in winners]),
            ]
        ),
        bars,
    )
    table = Table(
        gettext("Points for each option, most first"),
        [gettext("Option"), gettext("Points"), gettext("Result")],
        [[titles.get(k, k), _n(totals[k]), gettext("Elected") if k in winners else ""] for k in ranking],
        {1},
    )
    cap = body.get("max_per_option")
    return ResultView(
        headline=ngettext("%(count)s winner", "%(count)s winners", len(winners), count=_n(len(winners))),
        winners=[titles.get(w, w) for w in winners],
        chart=chart,
        chart_table=table,
        round_notes=_cut_tie_notes(body, titles, points=True),
        facts=[
            (gettext("Papers"), _n(papers)),
            (gettext("Winners"), str(body["seats"])),
            (gettext("Points each voter shares out"), _n(body["points"])),
            (gettext("Most points for one option"), gettext("No limit") if cap is None else _n(cap)),
        ],
    )


def _division(body: dict[str, Any], titles: dict[str, str]) -> ResultView:
    lines = body["lines"]
    allocation = body["allocation"]
    bars = [Bar(titles.get(k, k), int(allocation[k]), pence(allocation[k]), True, "") for k in lines]
    chart = bar_chart(
        "division",
        gettext("How the budget is divided"),
        gettext(
            "Budget %(budget)s: %(shares)s",
            budget=pence(body["budget"]),
            shares=_names(f"{titles.get(k, k)} {pence(allocation[k])}" for k in lines),
        ),
        bars,
    )
    table = Table(
        gettext("The budget divided"),
        [gettext("Line"), gettext("Amount"), gettext("Floor"), gettext("Ceiling")],
        [[titles.get(k, k), pence(allocation[k]), pence(body["floors"][k]), pence(body["ceilings"][k])] for k in lines],
        {1, 2, 3},
    )
    return ResultView(
        headline=gettext("The budget is divided"),
        winners=[f"{titles.get(k, k)}: {pence(allocation[k])}" for k in lines],
        chart=chart,
        chart_table=table,
        facts=[(gettext("Budget"), pence(body["budget"])), (gettext("Papers"), _n(body["details"]["ballots"]))],
        round_notes=[
            gettext(
                "Amounts are rounded to whole pence by the largest-remainder rule, so they add up to the budget "
                "exactly."
            )
        ],
    )


def _threshold_name(rule: str) -> str:
    if rule == "simple_majority":
        return gettext("simple majority")
    if rule == "two_thirds":
        return gettext("two thirds")
    if rule == "three_quarters":
        return gettext("three quarters")
    return rule.replace("_", " ")


def _resolution(body: dict[str, Any]) -> ResultView:
    details = body["details"]
    votes, proxy = details["votes"], details["of_which_proxy"]
    outcome = body["outcome"]
    labels = {choice: str(label) for choice, label in RESOLUTION_LABELS.items()}
    passed = outcome == "passed"
    passed_word = gettext("passed")
    bars = [
        Bar(labels[c], votes[c], _n(votes[c]), c == "for" and passed, passed_word if c == "for" and passed else "")
        for c in ("for", "against", "abstain")
    ]
    if outcome == "passed":
        headline, said = gettext("The resolution passed"), gettext("The resolution passed.")
    elif outcome == "failed":
        headline, said = gettext("The resolution failed"), gettext("The resolution failed.")
    else:
        headline, said = gettext("The meeting was not quorate"), gettext("The meeting was not quorate.")
    counts = gettext(
        "For %(in_favour)s, against %(against)s, abstain %(abstain)s.",
        in_favour=_n(votes["for"]),
        against=_n(votes["against"]),
        abstain=_n(votes["abstain"]),
    )
    chart = bar_chart("resolution", gettext("Votes on the resolution"), f"{said} {counts}", bars)
    table = Table(
        gettext("Votes on the resolution"),
        [gettext("Vote"), gettext("Votes"), gettext("Of which by proxy")],
        [[labels[c], _n(votes[c]), _n(proxy[c])] for c in ("for", "against", "abstain")],
        {1, 2},
    )
    quorum, threshold = details["quorum"], details["threshold"]
    required = _n(quorum["required"])
    return ResultView(
        headline=headline,
        winners=[],
        chart=chart,
        chart_table=table,
        facts=[
            (gettext("Members"), _n(quorum["members"])),
            (gettext("Present"), _n(quorum["present"])),
            (
                gettext("Quorum needed"),
                gettext("%(required)s (met)", required=required)
                if quorum["met"]
                else gettext("%(required)s (not met)", required=required),
            ),
            (gettext("Majority needed"), _threshold_name(threshold["rule"])),
            (gettext("Test"), threshold["inequality"]),
        ],
    )
