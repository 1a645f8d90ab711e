"""The Method of Equal Shares (MES) for approval ballots, exact and fast.

The rule (equalshares.net; pabutools ``method_of_equal_shares``), for a budget
``B`` and ``n`` voters (blank papers included):

1. **Shares.** Every voter starts with ``b = B / n``.
2. **Price.** A project is *affordable* if its supporters hold at least its
   cost between them. Its *price per voter* ``p`` is the least amount such
   that, with each supporter paying ``min(remaining money, p)``, the cost is
   covered exactly.
3. **Choice.** Among affordable projects the one with the smallest
   *affordability* ``rho`` is funded: ``rho = p`` with cardinality utility
   (``Cardinality_Sat``) and ``rho = p / cost`` with cost utility
   (``Cost_Sat``: a supporter pays ``rho`` per unit of satisfaction, and a
   project's satisfaction is its cost). Equal ``rho`` is settled by the
   published tie-break rule (lexicographic by project id by default, as
   pabutools). Its supporters pay and the step repeats until nothing is
   affordable.
4. Projects nobody approves are never funded by MES; a project costing
   nothing is funded up front with cardinality utility when somebody approves
   it (it gives no cost-satisfaction, so cost utility ignores it), exactly as
   pabutools does.

Completions (:mod:`app.voting.methods.pb.completion`): ``"greedy"`` funds
what still fits greedily; ``"add1"`` raises every voter's share by one
currency unit per pass while the outcome stays within ``B`` and is not yet
exhaustive, then fills greedily.

**Arithmetic.** Outcomes equal the exact rational computation: every decision
is confirmed in exact fractions. Remaining money is kept both exactly (per
*state*: voters who paid for the same funded projects hold the same amount)
and as the nearest float; floats only rank candidates, with an error bound
far above float rounding, and every price that could be the minimum within
that bound is recomputed exactly before anything is decided.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, inf
from typing import Any

import numpy as np

from app.voting.methods.pb import completion as _completion
from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult, check_utility
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "pb_equal_shares"
RULES_VERSION = "pb-mes/1"
COMPLETIONS = (None, "greedy", "add1")

# Relative error allowance per term summed; float64 rounding is ~1.1e-16 per
# operation, so this leaves a margin of about four orders of magnitude.
_REL = 1e-12


class _Engine:
    """Precomputed supporters of each project over the distinct ballots."""

    def __init__(self, election: ApprovalElection, utility: str, tie_break: TieBreak) -> None:
        self.election = election
        self.cardinality = utility == "cardinality"
        approvals = election.approvals()
        self.weights = np.array([w for _, w in election.ballots], dtype=np.float64)
        self.n_ballots = len(election.ballots)
        members: dict[str, list[int]] = {p: [] for p in election.costs}
        for index, (ballot, _) in enumerate(election.ballots):
            for project in ballot:
                members[project].append(index)
        # Free projects with support are funded before MES starts (cardinality only).
        self.free = tie_break.order(
            p for p, c in election.costs.items() if c == 0 and approvals[p] > 0 and self.cardinality
        )
        self.ids = [p for p, c in election.costs.items() if c > 0 and approvals[p] > 0]
        self.tie_keys = [tie_break.key(p) for p in self.ids]
        self.cost = [election.costs[p] for p in self.ids]
        self.cost_f = [float(c) for c in self.cost]
        self.support = [approvals[p] for p in self.ids]
        self.support_f = [float(w) for w in self.support]
        self.members = [np.array(members[p], dtype=np.intp) for p in self.ids]
        self.member_w = [self.weights[m] for m in self.members]
        self.size = [len(m) + 16 for m in self.members]

    def rho(self, j: int, price: Fraction) -> Fraction:
        return price if self.cardinality else price / self.cost[j]

    def rho_f(self, j: int, price: float) -> float:
        return price if self.cardinality else price / self.cost_f[j]

    @staticmethod
    def float_price(money: np.ndarray, weights: np.ndarray, cost: float, support: float) -> float:
        """Price per voter in floats, for supporters holding ``money`` (some below ``cost / support``)."""
        order = np.argsort(money)
        money, weights = money[order], weights[order]
        paid = np.cumsum(weights * money)[:-1]
        weight_paid = np.cumsum(weights)[:-1]
        prices = (cost - paid) / (support - weight_paid)
        fits = prices <= money[1:]
        if fits.any():
            return float(prices[int(np.argmax(fits))])
        return float(money[-1])

    def run(self, share: Fraction, record: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
        """One MES pass with every voter starting at ``share``: funded projects and rounds."""
        return _Pass(self, share).run(record)


def election_weight(engine: _Engine) -> int:
    return engine.election.n_voters


class _Pass:
    """The money of every distinct ballot during one MES pass.

    Exact money is never stored per ballot: a ballot either is *drained* (holds
    exactly 0) or holds ``share`` minus the exact prices of the rounds in which
    it paid the full price (``paid[ballot, round]``). Sums and groups of exact
    money are derived from that on demand, in ``O(rounds)`` fraction
    operations. ``money`` holds the same amounts as floats, for ranking only.
    """

    def __init__(self, engine: _Engine, share: Fraction) -> None:
        self.e = engine
        self.share = share
        self.share_f = float(share)
        self.money = np.full(engine.n_ballots, self.share_f)
        self.drained = np.zeros(engine.n_ballots, dtype=bool)
        # Column-major: each round's column is contiguous, so marking its payers is cheap.
        self.paid = np.zeros((engine.n_ballots, max(1, len(engine.ids))), dtype=bool, order="F")
        self.prices: list[Fraction] = []
        # The prices as integer numerators over one common denominator, for fast exact sums.
        self.denominator = share.denominator
        self.numerators: list[int] = []
        self.share_numerator = share.numerator
        # float32 holds counts exactly below 2**24; beyond that use float64.
        self.count_dtype = np.float32 if election_weight(engine) < 2**24 else np.float64

    # -- exact money -----------------------------------------------------------------------------

    def exact_sum(self, ballots: np.ndarray) -> Fraction:
        """Exact money held by ``ballots`` (weighted)."""
        live = ballots[~self.drained[ballots]]
        if not len(live):
            return Fraction(0)
        weights = self.e.weights[live]
        total = self.share_numerator * (self.denominator // self.share.denominator) * int(weights.sum())
        rounds = len(self.prices)
        if rounds:
            counts = weights.astype(self.count_dtype) @ self.paid[live, :rounds].astype(self.count_dtype)
            for k in np.flatnonzero(counts):
                total -= self.numerators[k] * int(counts[k])
        return Fraction(total, self.denominator)

    def exact_groups(self, ballots: np.ndarray) -> list[tuple[Fraction, int, np.ndarray]]:
        """``ballots`` grouped by exact money: (money, weight, positions in ``ballots``), poorest first."""
        rounds = len(self.prices)
        key = np.packbits(np.concatenate([self.drained[ballots, None], self.paid[ballots, :rounds]], axis=1), axis=1)
        key = np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1]))).ravel()
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        weights = np.bincount(inverse, weights=self.e.weights[ballots])
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(np.bincount(inverse))
        groups = []
        for g, f in enumerate(first):
            ballot = ballots[f]
            if self.drained[ballot]:
                money = Fraction(0)
            else:
                money = self.share - sum((self.prices[k] for k in np.flatnonzero(self.paid[ballot, :rounds])), 0)
            positions = order[(bounds[g - 1] if g else 0) : bounds[g]]
            groups.append((money, int(weights[g]), positions))
        groups.sort(key=lambda group: group[0])
        return groups

    # -- exact price -----------------------------------------------------------------------------

    def exact_price(
        self, j: int, price_f: float, tol: float, affordable: bool
    ) -> tuple[Fraction, np.ndarray, int] | None:
        """Project ``j``'s exact price, or ``None`` if it is not affordable.

        Also returns which supporters end with nothing (a boolean mask over
        ``members[j]``) and the weight of those paying less than the price.
        Supporters whose float money is further than ``tol`` from the float
        price are classed by the floats; the rest are classed exactly; the
        exact price is then checked to lie within ``tol / 2`` of the float one,
        which makes the float classing exact. If the check fails the price is
        computed wholly in fractions.
        """
        members = self.e.members[j]
        if not affordable and self.exact_sum(members) < self.e.cost[j]:
            return None
        held = self.money[members]
        poor = held < price_f - tol
        band = ~poor & (held <= price_f + tol)
        weights = self.e.member_w[j]
        # |float(p) - price_f| <= 0.49 tol implies |p - price_f| <= tol / 2: float(p) is correctly
        # rounded and tol exceeds a float's spacing at p by more than ten thousand times.
        within = 0.49 * tol
        if not band.any():
            rich_weight = self.e.support[j] - int(weights[poor].sum())
            if rich_weight:
                price = (self.e.cost[j] - self.exact_sum(members[poor])) / rich_weight
                if abs(float(price) - price_f) <= within:
                    return price, poor, self.e.support[j] - rich_weight
            return self._solve(j, np.arange(len(members)), np.zeros(len(members), dtype=bool))
        solved = self._solve(j, np.flatnonzero(band), poor)
        if solved is not None and abs(float(solved[0]) - price_f) <= within:
            return solved
        return self._solve(j, np.arange(len(members)), np.zeros(len(members), dtype=bool))

    def _solve(self, j: int, unsure: np.ndarray, poor: np.ndarray) -> tuple[Fraction, np.ndarray, int] | None:
        """Exact price when supporters at ``unsure`` (positions) are classed exactly and ``poor`` are poor.

        The remaining supporters are taken as rich. With ``unsure`` = all
        supporters this is the plain exact computation.
        """
        members = self.e.members[j]
        weights = self.e.member_w[j]
        cost = self.e.cost[j]
        paid = self.exact_sum(members[poor])
        poor_weight = int(weights[poor].sum())
        groups = self.exact_groups(members[unsure])
        rich_weight = self.e.support[j] - poor_weight - sum(g[1] for g in groups)
        undecided = sum(g[1] for g in groups)
        price = None
        for money, weight, _ in groups:
            if rich_weight + undecided:
                candidate = (cost - paid) / (rich_weight + undecided)
                if candidate <= money:
                    price = candidate
                    break
            paid += money * weight
            poor_weight += weight
            undecided -= weight
        if price is None:
            if not rich_weight:
                return None
            price = (cost - paid) / rich_weight
        drained = poor.copy()
        less = int(weights[poor].sum())
        for money, weight, positions in groups:
            if money <= price:
                drained[unsure[positions]] = True
                if money < price:
                    less += weight
        return price, drained, less

    # -- the count -------------------------------------------------------------------------------

    def pay(self, j: int, price: Fraction, drained: np.ndarray) -> None:
        members = self.e.members[j]
        rich, gone = members[~drained], members[drained]
        column = self.paid[:, len(self.prices)]
        column[rich] = True
        self.money[rich] = np.maximum(self.money[rich] - float(price), 0.0)
        self.drained[gone] = True
        self.money[gone] = 0.0
        self.prices.append(price)
        if self.denominator % price.denominator:
            scale = price.denominator // gcd(self.denominator, price.denominator)
            self.denominator *= scale
            self.numerators = [a * scale for a in self.numerators]
        self.numerators.append(price.numerator * (self.denominator // price.denominator))

    def run(self, record: bool) -> tuple[list[str], list[dict[str, Any]]]:
        e = self.e
        selected: list[str] = list(e.free)
        rounds: list[dict[str, Any]] = []
        if record:
            rounds.extend({"phase": "free", "project": p, "price_per_voter": Fraction(0)} for p in e.free)
        n_voters = e.election.n_voters
        spent = Fraction(0)
        m = len(e.ids)
        share_f = self.share_f
        tol_price = [_REL * e.size[j] * (e.cost_f[j] + share_f) for j in range(m)]
        tol_total = [_REL * e.size[j] * (e.cost_f[j] + share_f * e.support_f[j]) for j in range(m)]
        tol_rho = [t if e.cardinality else t / c * (1 + _REL) for t, c in zip(tol_price, e.cost_f, strict=True)]
        # Lower bounds on each project's current rho: prices only rise as money is spent.
        lower = [e.rho_f(j, e.cost_f[j] / e.support_f[j]) - tol_rho[j] for j in range(m)]
        alive = set(range(m))
        while alive:
            best_high = inf
            evaluated: dict[int, tuple[float, float, bool]] = {}
            for j in sorted(alive, key=lower.__getitem__):
                if lower[j] > best_high:
                    break
                held = self.money[e.members[j]]
                weights = e.member_w[j]
                total = float(held @ weights)
                cost = e.cost_f[j]
                if total < cost - tol_total[j]:
                    alive.discard(j)
                    continue
                price = cost / e.support_f[j]
                if float(held.min()) < price:
                    price = e.float_price(held, weights, cost, e.support_f[j])
                rho = e.rho_f(j, price)
                lower[j] = rho - tol_rho[j]
                best_high = min(best_high, rho + tol_rho[j])
                evaluated[j] = (rho, price, total > cost + tol_total[j])
            candidates = [j for j, (rho, _, _) in evaluated.items() if rho - tol_rho[j] <= best_high]
            if not candidates:
                break
            priced = []
            dropped = False
            for j in candidates:
                _, price_f, affordable = evaluated[j]
                exact = self.exact_price(j, price_f, tol_price[j], affordable)
                if exact is None:
                    alive.discard(j)
                    dropped = True
                    continue
                priced.append((e.rho(j, exact[0]), e.tie_keys[j], j, exact))
            if dropped:
                continue  # an apparent contender was unaffordable: rank the round again
            rho, _, chosen, (price, drained, less) = min(priced, key=lambda item: item[:3])
            alive.discard(chosen)
            selected.append(e.ids[chosen])
            spent += e.cost[chosen]
            self.pay(chosen, price, drained)
            if record:
                rounds.append(
                    {
                        "phase": "equal_shares",
                        "project": e.ids[chosen],
                        "cost": e.cost[chosen],
                        "supporters": e.support[chosen],
                        "price_per_voter": price,
                        "rho": rho,
                        "supporters_paying_less": less,
                        "voters_with_money_left": n_voters - int(self.e.weights[self.drained].sum()),
                        "money_left": self.share * n_voters - spent,
                    }
                )
        return selected, rounds


def equal_shares(
    election: ApprovalElection,
    *,
    utility: str = "cost",
    completion: str | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
    max_passes: int | None = None,
) -> PBResult:
    """Count ``election`` by the Method of Equal Shares (rule in the module docstring).

    ``completion``: ``None`` (plain MES), ``"greedy"`` (then fund what fits
    greedily, same utility) or ``"add1"`` (raise each voter's share by 1 per
    pass, then greedy); ``max_passes`` caps Add1's passes (exceeding it raises
    :class:`PBInputError`; the default is no cap, as in pabutools).
    """
    check_utility(utility)
    if completion not in COMPLETIONS:
        raise PBInputError(f"unknown completion {completion!r}; expected none, 'greedy' or 'add1'")
    details: dict[str, Any] = {"voters": election.n_voters, "projects": len(election.costs), "completion": completion}
    if election.n_voters == 0:
        # pabutools: no ballots, nothing funded by MES (not even free projects).
        mes_selected: list[str] = []
        rounds: list[dict[str, Any]] = []
        details |= {"share": None, "passes": 0}
    else:
        engine = _Engine(election, utility, tie_break)
        share = election.budget / election.n_voters
        if completion == "add1":
            mes_selected, rounds, share, passes = _completion.add1(engine.run, engine.ids, election, share, max_passes)
        else:
            mes_selected, rounds = engine.run(share)
            passes = 1
        details |= {"share": share, "passes": passes}
    selected = list(mes_selected)
    details["equal_shares_selected"] = list(mes_selected)
    if completion is not None:
        added, fill_rounds = _completion.greedy_completion(election, selected, utility, tie_break)
        selected += added
        rounds = rounds + fill_rounds
    return PBResult(
        method=METHOD,
        rules_version=RULES_VERSION,
        utility=utility,
        budget=election.budget,
        selected=tuple(selected),
        rounds=tuple(rounds),
        spent=sum((election.costs[p] for p in selected), Fraction(0)),
        tie_break=tie_break,
        details=details,
    )
