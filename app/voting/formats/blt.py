"""The BLT ballot file format (as read and written by OpenSTV and Droop).

A BLT file, line by line::

    4 2                 <candidates> <seats>
    -2                  optional: withdrawn candidates, as negative numbers
    3 1 3 4 0           <weight> <preference> <preference> ... 0
    1 2 0
    1 0                 a blank paper (weight 1, no preferences)
    0                   end of the ballots
    "Ada Lovelace"      one quoted name per candidate, in number order
    "Grace Hopper"
    "Alan Turing"
    "Edsger Dijkstra"
    "Ward 3 by-election"  the title, quoted (optional when reading)

Rules this reader applies (each broken rule is a :class:`BltError` naming the
line and the problem; the CLI prints it and exits with status 2):

* numbers are whole decimal numbers; weights are positive; preferences are
  candidate numbers ``1..n`` and end with ``0``; a candidate appears at most
  once on a ballot line;
* equal preferences (``1=2``) and skipped preferences (``-``) are **not**
  supported and are refused with that reason;
* names are double-quoted, with no quote character inside; several quoted
  strings may share a line; names must be distinct and not empty;
* blank lines and lines starting with ``#`` (comments, which OpenSTV's format
  does not have) are ignored; the writer never writes them.

**Ids.** Counts identify candidates by their **names as written in the file**
(without the quotes), so results name winners exactly as the file does.

The data read is kept exactly (ballot lines in file order, unmerged), so
``parse_blt(write_blt(e)) == e`` for every election ``e``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.voting.methods.ranked.ballots import RankedBallots

_FORBIDDEN_IN_NAMES = ('"', "\n", "\r")


class BltError(ValueError):
    """A malformed BLT file (or an election that cannot be written as one).

    ``line`` is the 1-based line number of the problem, or ``None`` when it is
    not about one line; ``str(error)`` reads ``"line 7: preference 9 is not a
    candidate (there are 5)"``.
    """

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line is not None else problem)


@dataclass(frozen=True)
class BltElection:
    """The contents of a BLT file.

    ``ballots`` are ``(weight, preferences)`` pairs in file order, preferences
    being candidate numbers ``1..n``; ``withdrawn`` are candidate numbers.
    """

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[tuple[int, tuple[int, ...]], ...]
    withdrawn: tuple[int, ...] = ()
    title: str = ""

    def __post_init__(self) -> None:
        n = len(self.candidates)
        if n < 1:
            raise BltError(None, "an election needs at least one candidate")
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise BltError(None, f"seats must be a whole number of at least 1; got {self.seats!r}")
        for text in (*self.candidates, self.title):
            if not isinstance(text, str) or any(ch in text for ch in _FORBIDDEN_IN_NAMES):
                raise BltError(None, f"names and the title cannot contain quotes or line breaks: {text!r}")
        if not all(self.candidates):
            raise BltError(None, "candidate names cannot be empty")
        if len(set(self.candidates)) != n:
            raise BltError(None, "candidate names must be distinct")
        if any(not 1 <= k <= n for k in self.withdrawn) or len(set(self.withdrawn)) != len(self.withdrawn):
            raise BltError(None, f"withdrawn candidates must be distinct numbers from 1 to {n}")
        for weight, prefs in self.ballots:
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
                raise BltError(None, f"ballot weights must be positive whole numbers; got {weight!r}")
            if any(not 1 <= p <= n for p in prefs) or len(set(prefs)) != len(prefs):
                raise BltError(None, f"preferences must be distinct candidate numbers from 1 to {n}; got {prefs!r}")

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        seats: int,
        rankings: Iterable[Sequence[str]],
        *,
        withdrawn: Iterable[str] = (),
        title: str = "",
    ) -> BltElection:
        """An election from papers given as rankings of candidate names; identical papers are merged."""
        names = tuple(candidates)
        number = {name: k for k, name in enumerate(names, start=1)}
        merged: dict[tuple[int, ...], int] = {}
        for ranking in rankings:
            try:
                prefs = tuple(number[c] for c in ranking)
            except KeyError as missing:
                raise BltError(None, f"a paper ranks {missing.args[0]!r}, who is not a candidate") from None
            merged[prefs] = merged.get(prefs, 0) + 1
        try:
            gone = tuple(number[c] for c in withdrawn)
        except KeyError as missing:
            raise BltError(None, f"withdrawn {missing.args[0]!r} is not a candidate") from None
        return cls(names, seats, tuple((w, p) for p, w in merged.items()), gone, title)

    def ranked_ballots(self) -> RankedBallots:
        """The ballots ready to count, candidates named as in the file, withdrawn ones struck out."""
        names = self.candidates
        return RankedBallots.from_counts(
            names,
            ((tuple(names[p - 1] for p in prefs), weight) for weight, prefs in self.ballots),
            withdrawn=[names[k - 1] for k in self.withdrawn],
        )


def _whole(token: str) -> int | None:
    return int(token) if token.isascii() and token.isdigit() else None


def _quoted(text: str, number: int) -> list[str]:
    """The double-quoted strings making up one line of the names section."""
    out = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return out
        if text[at] != '"':
            raise BltError(number, f"expected a name in double quotes, got {text[at:].strip()!r}")
        end = text.find('"', at + 1)
        if end < 0:
            raise BltError(number, "a quoted name is not closed")
        out.append(text[at + 1 : end])
        at = end + 1


def _ballot(tokens: list[str], number: int, n: int) -> tuple[int, tuple[int, ...]]:
    weight = _whole(tokens[0])
    if weight is None or weight < 1:
        raise BltError(number, f"the ballot weight must be a positive whole number, got {tokens[0]!r}")
    if tokens[-1] != "0" or len(tokens) < 2:
        raise BltError(number, "a ballot line must end with 0")
    prefs: list[int] = []
    for item in tokens[1:-1]:
        if "=" in item:
            raise BltError(number, f"equal preferences ({item}) are not supported")
        if item == "-":
            raise BltError(number, "skipped preferences ('-') are not supported")
        pref = _whole(item)
        if pref is None:
            raise BltError(number, f"preference {item!r} is not a candidate number")
        if pref == 0:
            raise BltError(number, "text after the 0 that ends the ballot")
        if pref > n:
            raise BltError(number, f"preference {pref} is not a candidate (there are {n})")
        if pref in prefs:
            raise BltError(number, f"candidate {pref} is ranked twice")
        prefs.append(pref)
    return weight, tuple(prefs)


def parse_blt(text: str) -> BltElection:
    """Read a BLT file's text (see the module docstring for the rules)."""
    lines = [
        (number, line.rstrip("\r"))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise BltError(None, "the file is empty")
    rows = iter(lines)

    number, line = next(rows)
    header = line.split()
    sizes = [_whole(t) for t in header]
    if len(header) != 2 or None in sizes:
        raise BltError(number, f"expected '<candidates> <seats>', got {line.strip()!r}")
    n, seats = sizes
    assert n is not None and seats is not None
    if n < 1:
        raise BltError(number, "there must be at least one candidate")
    if seats < 1:
        raise BltError(number, "there must be at least one seat")

    withdrawn: list[int] = []
    ballots: list[tuple[int, tuple[int, ...]]] = []
    closed = False
    first = True
    for number, line in rows:
        tokens = line.split()
        if first and tokens[0].startswith("-"):
            for token in tokens:
                k = _whole(token[1:]) if token.startswith("-") else None
                if k is None or k < 1:
                    raise BltError(number, f"a withdrawn candidate is written as -<number>, got {token!r}")
                if k > n:
                    raise BltError(number, f"withdrawn candidate {k} is not a candidate (there are {n})")
                if k in withdrawn:
                    raise BltError(number, f"candidate {k} is withdrawn twice")
                withdrawn.append(k)
            first = False
            continue
        first = False
        if tokens == ["0"]:
            closed = True
            break
        ballots.append(_ballot(tokens, number, n))
    if not closed:
        raise BltError(lines[-1][0], "the file ends before the line holding 0 that closes the ballots")

    strings: list[tuple[int, str]] = []
    for number, line in rows:
        strings += [(number, s) for s in _quoted(line, number)]
    if len(strings) < n:
        where = strings[-1][0] if strings else number
        raise BltError(where, f"the file names {len(strings)} of the {n} candidates")
    if len(strings) > n + 1:
        raise BltError(strings[n + 1][0], "unexpected text after the title")
    names = [s for _, s in strings[:n]]
    seen: dict[str, int] = {}
    for k, (where, name) in enumerate(strings[:n], start=1):
        if not name:
            raise BltError(where, f"candidate {k} has an empty name")
        if name in seen:
            raise BltError(where, f"candidates {seen[name]} and {k} are both named {name!r}")
        seen[name] = k
    title = strings[n][1] if len(strings) > n else ""
    return BltElection(tuple(names), seats, tuple(ballots), tuple(withdrawn), title)


def read_blt(path: str | Path) -> BltElection:
    """Read a BLT file from disk (UTF-8, a leading byte-order mark allowed)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BltError(None, f"the file is not UTF-8 text (byte {error.start})") from None
    return parse_blt(text)


def write_blt(election: BltElection) -> str:
    """The BLT text of ``election``: one ballot line per entry, names and title quoted."""
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(f"-{k}" for k in election.withdrawn))
    for weight, prefs in election.ballots:
        out.append(" ".join(map(str, (weight, *prefs, 0))))
    out.append("0")
    out += [f'"{name}"' for name in election.candidates]
    out.append(f'"{election.title}"')
    return "\n".join(out) + "\n"
