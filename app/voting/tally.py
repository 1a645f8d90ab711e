"""One dispatch from a method name to a pure count, for the count job and the shell.

Two front doors lead to the same counts (``app/voting/methods``), so a result
computed from the ballot box and a recount of the exported file agree byte for
byte:

* :func:`count_papers` — a ballot's papers as the count job loads them
  (distinct contents with how many papers carry each), described by a
  :class:`BallotSpec` (plain data: no Flask, no database);
* :func:`count_file` — a BLT or Pabulib ``.pb`` file (``rochdale tally``).

Method names (``Ballot.method`` and ``rochdale tally --method``):

========== ==================================================================
approval   approval voting, ``seats`` winners
irv        instant-runoff, one seat
stv        STV under the Scottish local government rules
meek       Meek STV
greedy     PB greedy by support
mes        PB Method of Equal Shares, no completion
mes-add1   PB Method of Equal Shares, "Add1" completion then greedy fill
mean       budget division, the mean
markets    budget division, independent markets
resolution for / against / abstain (papers only; there is no file format)
points     points (cumulative) voting, ``seats`` winners (papers only)
========== ==================================================================

**The same numbers on both sides.** Options are identified by their *key*
(``BallotOption.key``), which is also the candidate name written in an
exported BLT file and the project id in an exported ``.pb`` file. PB money is
counted in pounds (``Fraction(pence, 100)``; the "Add1" completion raises
shares by one pound per pass, as Aarau and Wieliczka did in francs and
zloty), exactly the amounts an exported ``.pb`` file states. Budget-division
papers are whole pence; their ``.pb`` export is a ``cumulative`` file whose
points are pence and whose ``max_sum_points`` is the budget in pence.

**Paper contents** (what ``BallotPaper.content`` holds, per kind):

* ranked — the option keys best-first: ``["c2", "c1"]``;
* approval and PB — the approved keys: ``["p1", "p4"]``;
* division — pence per line key: ``{"youth-clubs": 150000, ...}``;
* resolution — ``"for"``, ``"against"`` or ``"abstain"``.

A paper may also be a one-key object wrapping that value (``{"ranking": [...]}``,
``{"approved": [...]}``, ``{"projects": [...]}``, ``{"allocation": {...}}``,
``{"choice": "for"}``). Anything else is a :class:`TallyError` naming the
paper's content shape; the count stores nothing.

**Ballot parameters read here** (``Ballot.parameters``): ``seats`` (ranked
and approval; default 1), ``withdrawn`` (ranked: keys struck out),
``max_approvals`` (approval), ``budget_pence`` (PB and division),
``utility`` (PB: ``"cost"`` — the default — or ``"approval"``, also spelt
``"cardinality"``), ``floors`` / ``ceilings`` (division: pence per key), and for
resolutions ``threshold``, ``base``, ``quorum_count``, ``quorum_share`` (a
fraction string such as ``"1/4"``), ``proxies_count_as_present`` and
``proxy_cap``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from pathlib import Path
from typing import Any

from app.voting.formats.blt import BltElection, BltError, parse_blt
from app.voting.formats.pabulib import PabulibError, PabulibFile
from app.voting.formats.pabulib import loads as parse_pabulib
from app.voting.methods.approval import ApprovalBallotError, count_approval
from app.voting.methods.canonical import canonical_json
from app.voting.methods.division import DivisionBallotError, count_division
from app.voting.methods.pb import ApprovalElection, PBInputError, equal_shares, greedy
from app.voting.methods.points import PointsBallotError, count_points
from app.voting.methods.ranked import RankedBallotError, RankedBallots, count_irv, count_meek, count_stv_scottish
from app.voting.methods.resolutions import CHOICES, Proxy, ResolutionRules, count_resolution
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

RANKED_METHODS = ("irv", "stv", "meek")
PB_METHODS = ("greedy", "mes", "mes-add1")
DIVISION_METHODS = ("mean", "markets")
FILE_METHODS = ("approval", *RANKED_METHODS, *PB_METHODS, *DIVISION_METHODS)
METHODS = (*FILE_METHODS, "resolution", "points")
# ``--utility`` names -> the PB methods' names (pabutools' Cost_Sat / Cardinality_Sat).
UTILITIES = {"cost": "cost", "approval": "cardinality", "cardinality": "cardinality"}
_DIVISION_RULES = {"mean": "mean", "markets": "independent_markets"}
_WRAPPERS = ("ranking", "approved", "projects", "allocation", "choice")


class TallyError(ValueError):
    """A count that cannot run: wrong method for the data, a bad parameter or paper.

    ``line`` is set when the problem is on a line of an input file.
    """

    def __init__(self, problem: str, line: int | None = None) -> None:
        self.problem = problem
        self.line = line
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class Tally:
    """A finished count: the published result and its canonical bytes.

    ``result`` is the method's published form without its ``sha256``;
    ``document`` is its canonical JSON (exactly what is stored and offered for
    download) and ``sha256`` the hex digest of ``document``.
    """

    method: str
    result: dict[str, Any]
    document: bytes
    sha256: str
    winners: tuple[str, ...]
    rounds: tuple[dict[str, Any], ...]

    def summary(self) -> dict[str, Any]:
        """What ``rochdale tally --format json`` prints."""
        return {
            "method": self.method,
            "winners": list(self.winners),
            "rounds": list(self.rounds),
            "sha256": self.sha256,
            "result": self.result,
        }


def finish(method: str, published: Mapping[str, Any]) -> Tally:
    """Wrap a method's ``as_dict()`` (which carries its own ``sha256``) as a :class:`Tally`."""
    body = {k: v for k, v in published.items() if k != "sha256"}
    document = canonical_json(body)
    digest = hashlib.sha256(document).hexdigest()
    if "sha256" in published and published["sha256"] != digest:  # the method hashed something else
        raise AssertionError(f"{method}: the published sha256 is not the hash of the published document")
    return Tally(
        method=method,
        result=body,
        document=document,
        sha256=digest,
        winners=tuple(_winners(body)),
        rounds=tuple(_rounds(body)),
    )


def _winners(body: Mapping[str, Any]) -> list[str]:
    if "selected" in body:  # PB
        return list(body["selected"])
    if "allocation" in body:  # division: the lines given money, in ballot order
        return [line for line in body["lines"] if int(body["allocation"][line]) > 0]
    if "outcome" in body:  # resolution
        return ["for"] if body["outcome"] == "passed" else []
    return list(body["winners"])


def _rounds(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "rounds" in body:
        return list(body["rounds"])
    details = body.get("details", {})
    if "allocation" in body:
        return [{"round": 1, "allocation": body["allocation"], "exact": details.get("exact", {})}]
    if "outcome" in body:
        return [{"round": 1, "votes": details.get("votes", {}), "outcome": body["outcome"]}]
    return [{"round": 1, "approvals": details.get("approvals", {}), "elected": list(body["winners"])}]


# -- counting plain data ---------------------------------------------------------------------------


def tie_break_for(rule: str | None, seed: str | None) -> TieBreak:
    """The published tie-break: ``lot`` with its seed, else lexicographic."""
    if rule == "lot":
        if not seed:
            raise TallyError("the tie-break is a seeded lot but no seed was published")
        return TieBreak("lot", seed)
    if rule not in (None, "", "lexicographic"):
        raise TallyError(f"unknown tie-break rule {rule!r}")
    return LEXICOGRAPHIC


def pb_utility(name: str | None) -> str:
    if name is None:
        return "cost"
    try:
        return UTILITIES[name]
    except KeyError:
        raise TallyError(f"unknown utility {name!r}; expected cost or approval") from None


def count_ranked(method: str, ballots: RankedBallots, seats: int, tie_break: TieBreak) -> Tally:
    """IRV, Scottish STV or Meek STV on merged ranked papers."""
    if method == "irv":
        return finish(method, count_irv(ballots, tie_break=tie_break).as_dict())
    if seats < 1:
        raise TallyError(f"seats must be at least 1; got {seats}")
    if seats > len(ballots.candidates):
        raise TallyError(f"{seats} seats but only {len(ballots.candidates)} standing candidates")
    if method == "stv":
        return finish(method, count_stv_scottish(ballots, seats, tie_break=tie_break).as_dict())
    if method == "meek":
        return finish(method, count_meek(ballots, seats, tie_break=tie_break).as_dict())
    raise TallyError(f"{method} is not a ranked method")


def count_pb(method: str, election: ApprovalElection, utility: str, tie_break: TieBreak) -> Tally:
    """Greedy or Equal Shares (plain or Add1-completed) on an approval PB election."""
    try:
        if method == "greedy":
            result = greedy(election, utility=utility, tie_break=tie_break)
        elif method == "mes":
            result = equal_shares(election, utility=utility, tie_break=tie_break)
        elif method == "mes-add1":
            result = equal_shares(election, utility=utility, completion="add1", tie_break=tie_break)
        else:
            raise TallyError(f"{method} is not a PB method")
    except PBInputError as error:
        raise TallyError(str(error)) from None
    return finish(method, result.as_dict())


def count_approval_weighted(
    options: Sequence[str],
    weighted: Iterable[tuple[Sequence[str], int]],
    seats: int,
    max_approvals: int | None,
    tie_break: TieBreak,
) -> Tally:
    """Approval voting for ``seats`` winners on (approved options, number of papers) pairs."""
    try:
        result = count_approval(
            _expand(weighted), list(options), seats, max_approvals=max_approvals, tie_break=tie_break
        )
    except (ApprovalBallotError, ValueError) as error:
        raise TallyError(str(error)) from None
    return finish("approval", result.as_dict())


def count_points_weighted(
    options: Sequence[str],
    weighted: Iterable[tuple[Mapping[str, int], int]],
    seats: int,
    points: int,
    max_per_option: int | None,
    tie_break: TieBreak,
) -> Tally:
    """Points voting for ``seats`` winners on (points per option, number of papers) pairs."""
    try:
        result = count_points(
            _expand(weighted),
            list(options),
            seats,
            points=points,
            max_per_option=max_per_option,
            tie_break=tie_break,
        )
    except (PointsBallotError, ValueError) as error:
        raise TallyError(str(error)) from None
    return finish("points", result.as_dict())


def count_division_weighted(
    method: str,
    lines: Sequence[str],
    budget_pence: int,
    weighted: Iterable[tuple[Mapping[str, int], int]],
    floors: Mapping[str, int],
    ceilings: Mapping[str, int],
    tie_break: TieBreak,
) -> Tally:
    """The mean or independent markets on (pence per line, number of papers) pairs."""
    try:
        result = count_division(
            _expand(weighted),
            list(lines),
            budget_pence,
            rule=_DIVISION_RULES[method],
            floors=dict(floors),
            ceilings=dict(ceilings),
            tie_break=tie_break,
        )
    except (DivisionBallotError, ValueError) as error:
        raise TallyError(str(error)) from None
    return finish(method, result.as_dict())


def _expand(weighted: Iterable[tuple[Any, int]]) -> Iterator[Any]:
    for content, number in weighted:
        yield from repeat(content, number)


# -- papers from the ballot box --------------------------------------------------------------------


@dataclass(frozen=True)
class BallotSpec:
    """What a count needs to know about a ballot, as plain data.

    ``options`` are the option keys in published order; ``costs_pence`` their
    costs (PB). ``parameters`` is ``Ballot.parameters`` (see the module docstring).
    """

    kind: str
    method: str
    options: tuple[str, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    costs_pence: Mapping[str, int] = field(default_factory=dict)
    tie_break_rule: str | None = None
    tie_break_seed: str | None = None
    electorate_size: int | None = None
    title: str = ""

    @property
    def tie_break(self) -> TieBreak:
        return tie_break_for(self.tie_break_rule, self.tie_break_seed)

    @property
    def seats(self) -> int:
        return _whole(self.parameters.get("seats", 1), "seats", minimum=1)

    @property
    def budget_pence(self) -> int:
        if "budget_pence" not in self.parameters:
            raise TallyError("the ballot has no budget (parameter budget_pence)")
        return _whole(self.parameters["budget_pence"], "budget_pence", minimum=0)

    @property
    def budget(self) -> Fraction:
        """The PB budget in pounds, exactly."""
        return Fraction(self.budget_pence, 100)

    def costs(self) -> dict[str, Fraction]:
        """Each option's cost in pounds, exactly, in option order."""
        missing = [key for key in self.options if self.costs_pence.get(key) is None]
        if missing:
            raise TallyError(f"options without a cost: {', '.join(missing)}")
        return {key: Fraction(int(self.costs_pence[key]), 100) for key in self.options}

    @property
    def utility(self) -> str:
        return pb_utility(self.parameters.get("utility"))

    @property
    def max_approvals(self) -> int | None:
        value = self.parameters.get("max_approvals")
        return None if value is None else _whole(value, "max_approvals", minimum=1)

    @property
    def points(self) -> int:
        return _whole(self.parameters.get("points"), "points", minimum=1)

    @property
    def max_per_option(self) -> int | None:
        value = self.parameters.get("max_per_option")
        return None if value is None else _whole(value, "max_per_option", minimum=1)

    @property
    def withdrawn(self) -> tuple[str, ...]:
        return tuple(self.parameters.get("withdrawn") or ())

    def pence_map(self, name: str) -> dict[str, int]:
        given = self.parameters.get(name) or {}
        if not isinstance(given, Mapping):
            raise TallyError(f"{name} must map option keys to pence")
        return {str(k): _whole(v, f"{name} of {k}", minimum=0) for k, v in given.items()}

    def resolution_rules(self) -> ResolutionRules:
        p = self.parameters
        cap = p.get("proxy_cap")
        try:
            return ResolutionRules(
                threshold=p.get("threshold", "simple_majority"),
                base=p.get("base", "votes_cast"),
                quorum_count=_whole(p.get("quorum_count", 0), "quorum_count", minimum=0),
                quorum_share=Fraction(str(p.get("quorum_share", "0"))),
                proxies_count_as_present=bool(p.get("proxies_count_as_present", True)),
                proxy_cap=None if cap is None else _whole(cap, "proxy_cap", minimum=0),
            )
        except (ValueError, ZeroDivisionError) as error:
            raise TallyError(f"the resolution rules are not valid: {error}") from None


def _whole(value: Any, what: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise TallyError(f"{what} must be a whole number of at least {minimum}; got {value!r}")
    return value


def unwrap(content: Any) -> Any:
    """A paper's value, taken out of a one-key wrapper object if it has one."""
    if isinstance(content, Mapping) and len(content) == 1:
        (key, value), *_ = content.items()
        if key in _WRAPPERS:
            return value
    return content


def _as_list(content: Any, what: str) -> tuple[str, ...]:
    value = unwrap(content)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TallyError(f"a {what} paper must list option keys; found {type(value).__name__}")
    return tuple(value)


def _as_allocation(content: Any) -> dict[str, int]:
    value = content["allocation"] if isinstance(content, Mapping) and set(content) == {"allocation"} else content
    if not isinstance(value, Mapping):
        raise TallyError(f"a budget-division paper must map lines to pence; found {type(value).__name__}")
    return dict(value)


def _as_points(content: Any) -> dict[str, int]:
    # Not unwrapped: an option key may well be spelt like a wrapper ("projects").
    if not isinstance(content, Mapping):
        raise TallyError(f"a points paper must map options to points; found {type(content).__name__}")
    return dict(content)


def _as_choice(content: Any) -> str:
    value = unwrap(content)
    if value not in CHOICES:
        raise TallyError(f"a resolution paper must be one of {', '.join(CHOICES)}")
    return value


Weighted = Iterable[tuple[Any, int]]


def count_papers(spec: BallotSpec, papers: Weighted, proxy_papers: Weighted = ()) -> Tally:
    """Count a ballot's papers: ``(content, number of papers with it)`` pairs.

    ``proxy_papers`` are resolution papers cast by proxy holders (channel
    ``proxy``); they count as proxy votes. Contents are checked as they are
    read; the first bad one stops the count with a :class:`TallyError`.
    """
    method = spec.method
    tie_break = spec.tie_break
    if method not in METHODS:
        raise TallyError(f"unknown counting method {method!r}")
    try:
        if method in RANKED_METHODS:
            ballots = RankedBallots.from_counts(
                spec.options,
                [(_as_list(content, "ranked"), n) for content, n in papers],
                withdrawn=spec.withdrawn,
            )
            seats = 1 if method == "irv" else spec.seats
            return count_ranked(method, ballots, seats, tie_break)
        if method in PB_METHODS:
            election = ApprovalElection.from_weighted(
                spec.budget, spec.costs(), [(_as_list(content, "PB"), n) for content, n in papers]
            )
            return count_pb(method, election, spec.utility, tie_break)
        if method == "approval":
            weighted = [(_as_list(content, "approval"), n) for content, n in papers]
            return count_approval_weighted(spec.options, weighted, spec.seats, spec.max_approvals, tie_break)
        if method == "points":
            weighted = [(_as_points(content), n) for content, n in papers]
            return count_points_weighted(
                spec.options, weighted, spec.seats, spec.points, spec.max_per_option, tie_break
            )
        if method in DIVISION_METHODS:
            weighted = [(_as_allocation(content), n) for content, n in papers]
            return count_division_weighted(
                method,
                spec.options,
                spec.budget_pence,
                weighted,
                spec.pence_map("floors"),
                spec.pence_map("ceilings"),
                tie_break,
            )
        return _count_resolution(spec, papers, proxy_papers)
    except (RankedBallotError, PBInputError) as error:
        raise TallyError(str(error)) from None


def _count_resolution(spec: BallotSpec, papers: Weighted, proxy_papers: Weighted) -> Tally:
    votes = dict.fromkeys(CHOICES, 0)
    for content, n in papers:
        votes[_as_choice(content)] += n
    # Proxy papers carry no voter reference, so each becomes an appointment of
    # its own; the cap per holder was enforced when the proxy was recorded.
    proxies = []
    for content, n in proxy_papers:
        choice = _as_choice(content)
        for _ in range(n):
            number = len(proxies) + 1
            proxies.append(Proxy(member=f"proxy-{number}", holder=f"holder-{number}", choice=choice))
    members = spec.electorate_size
    if members is None:
        members = sum(votes.values()) + len(proxies)
    try:
        result = count_resolution(
            spec.resolution_rules(),
            members=members,
            votes_for=votes["for"],
            votes_against=votes["against"],
            abstentions=votes["abstain"],
            proxies=proxies,
        )
    except ValueError as error:
        raise TallyError(str(error)) from None
    return finish("resolution", result.as_dict())


# -- files -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCount:
    """A recount of a file: what was counted and the :class:`Tally`."""

    path: str
    file_format: str  # "blt" or "pb"
    tally: Tally


def sniff_format(path: str | Path, text: str) -> str:
    """``"blt"`` or ``"pb"``: by the file's extension, else by whether it starts with a META section."""
    suffix = Path(path).suffix.lower()
    if suffix == ".blt":
        return "blt"
    if suffix == ".pb":
        return "pb"
    first = next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return "pb" if first.split(";")[0].strip().lower() == "meta" else "blt"


def read_text(path: str | Path) -> str:
    """A file's UTF-8 text (a byte-order mark is dropped); :class:`TallyError` if unreadable."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TallyError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise TallyError(f"{path} is a directory, not a file") from None
    except OSError as error:
        raise TallyError(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TallyError(f"the file is not UTF-8 text (byte {error.start})") from None


def count_file(
    path: str | Path,
    *,
    method: str | None = None,
    utility: str | None = None,
    seats: int | None = None,
    seed: str | None = None,
) -> FileCount:
    """Recount a BLT or ``.pb`` file.

    Defaults: ``stv`` with the file's seats for BLT; ``mes-add1`` with cost
    utility for ``.pb``. ``seed`` makes ties a seeded lot. A malformed file, a
    method that does not fit the file, or a bad option raises
    :class:`TallyError` (with the line, when the file is at fault).
    """
    text = read_text(path)
    kind = sniff_format(path, text)
    if method is not None and method not in FILE_METHODS:
        raise TallyError(f"unknown method {method!r}; expected one of {', '.join(FILE_METHODS)}")
    if seats is not None and seats < 1:
        raise TallyError(f"--seats must be at least 1; got {seats}")
    tie_break = TieBreak("lot", seed) if seed else LEXICOGRAPHIC
    if kind == "blt":
        tally = _count_blt(text, method or "stv", utility, seats, tie_break)
    else:
        tally = _count_pb_file(text, method or "mes-add1", utility, seats, tie_break)
    return FileCount(str(path), kind, tally)


def _count_blt(text: str, method: str, utility: str | None, seats: int | None, tie_break: TieBreak) -> Tally:
    if method not in RANKED_METHODS:
        raise TallyError(f"{method} does not count ranked ballots; a BLT file can be counted by irv, stv or meek")
    if utility is not None:
        raise TallyError("--utility applies to PB counts of .pb files, not to BLT files")
    try:
        election = parse_blt(text)
        ballots = election.ranked_ballots()
    except BltError as error:
        raise TallyError(error.problem, error.line) from None
    except RankedBallotError as error:
        raise TallyError(str(error)) from None
    if method == "irv" and seats not in (None, 1):
        raise TallyError("irv elects one candidate; --seats must be 1")
    return count_ranked(method, ballots, seats or election.seats, tie_break)


def _count_pb_file(text: str, method: str, utility: str | None, seats: int | None, tie_break: TieBreak) -> Tally:
    if method in RANKED_METHODS:
        raise TallyError(f"{method} counts ranked ballots, which BLT files hold; a .pb file holds PB votes")
    try:
        pb = parse_pabulib(text)
    except PabulibError as error:
        raise TallyError(error.problem, error.line) from None
    vote_type = pb.vote_type
    if method in DIVISION_METHODS:
        if utility is not None:
            raise TallyError("--utility applies to greedy and Equal Shares counts")
        return _count_division_file(pb, method, tie_break)
    if vote_type not in ("approval", "choose-1"):
        raise TallyError(f"{method} counts approval votes; this file's vote_type is {vote_type}")
    if method == "approval":
        if utility is not None:
            raise TallyError("--utility applies to greedy and Equal Shares counts")
        number = seats or _meta_whole(pb, "seats")
        if number is None:
            raise TallyError("approval voting needs the number of winners: give --seats (or META seats)")
        weighted = [(vote.vote, 1) for vote in pb.votes]
        return count_approval_weighted(list(pb.projects), weighted, number, _meta_whole(pb, "max_length"), tie_break)
    if seats is not None:
        raise TallyError("--seats applies to BLT files and approval voting; a PB count is bounded by its budget")
    try:
        election = pb.approval_election()
    except (PabulibError, PBInputError) as error:
        raise TallyError(str(error)) from None
    return count_pb(method, election, pb_utility(utility), tie_break)


def _meta_whole(pb: PabulibFile, key: str) -> int | None:
    value = pb.meta.get(key, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise TallyError(f"META {key} must be a whole number; got {value!r}")
    return int(value)


def _count_division_file(pb: PabulibFile, method: str, tie_break: TieBreak) -> Tally:
    if pb.vote_type != "cumulative":
        raise TallyError(f"{method} divides a budget; it needs a cumulative .pb file, not vote_type {pb.vote_type}")
    total = _meta_whole(pb, "max_sum_points")
    if total is None:
        budget = pb.budget
        if budget.denominator != 1:
            raise TallyError("the budget to divide must be whole units (or give META max_sum_points)")
        total = int(budget)
    lines = list(pb.projects)
    floors, ceilings = {}, {}
    for project in pb.projects.values():
        for column, into in (("floor", floors), ("ceiling", ceilings)):
            raw = project.fields.get(column, "").strip()
            if raw:
                if not raw.isdigit():
                    raise TallyError(f"the {column} of {project.project_id} must be whole points; got {raw!r}")
                into[project.project_id] = int(raw)
    weighted = []
    for vote in pb.votes:
        points = vote.points or ()
        if any(p.denominator != 1 for p in points):
            raise TallyError(f"voter {vote.voter_id!r} gives fractional points; the division needs whole points")
        weighted.append(({p: int(x) for p, x in zip(vote.vote, points, strict=True)}, 1))
    return count_division_weighted(method, lines, total, weighted, floors, ceilings, tie_break)


def blt_election(spec: BallotSpec, papers: Iterable[Any]) -> BltElection:
    """The BLT file of ranked papers (in the order given): candidates named by option key.

    Identical papers are merged into one weighted line, in order of first appearance.
    """
    rankings = (_as_list(content, "ranked") for content in papers)
    try:
        return BltElection.from_rankings(
            spec.options, spec.seats, rankings, withdrawn=spec.withdrawn, title=_title(spec.title)
        )
    except BltError as error:
        raise TallyError(str(error)) from None


def _title(text: str) -> str:
    return text.replace('"', "'").replace("\r", " ").replace("\n", " ")
