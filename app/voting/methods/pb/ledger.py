"""Who holds what during one pass of the Method of Equal Shares, exactly and in floats.

Exact money is never stored per ballot: a distinct ballot either is
*drained* (holds exactly 0) or holds the starting ``share`` minus the exact
prices of the rounds in which it paid the full price (``paid[ballot, round]``).
Exact sums and groupings of money are derived from that record on demand, in
``O(rounds)`` big-integer operations (prices are kept as numerators over one
common denominator). ``money`` holds the same amounts as floats, for ranking.

:meth:`Ledger.exact_price` turns a float price into the exact one: supporters
whose float money is clearly below or above the float price are classed by
the floats, those within the error allowance are classed exactly, and the
exact price is then checked to lie within half the allowance of the float
price (which makes the float classing exact); if the check fails, the price
is computed wholly in fractions.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

import numpy as np

from app.voting.methods.pb.model import ApprovalElection
from app.voting.methods.ties import TieBreak


class Supporters:
    """The projects MES can fund, each with its supporters among the distinct ballots."""

    def __init__(self, election: ApprovalElection, cardinality: bool, tie_break: TieBreak) -> None:
        self.election = election
        self.cardinality = cardinality
        approvals = election.approvals()
        self.weights = np.array([w for _, w in election.ballots], dtype=np.float64)
        self.n_ballots = len(election.ballots)
        members: dict[str, list[int]] = {p: [] for p in election.costs}
        for index, (ballot, _) in enumerate(election.ballots):
            for project in ballot:
                members[project].append(index)
        # Free projects with support are funded before MES starts (cardinality only).
        self.free = tie_break.order(p for p, c in election.costs.items() if c == 0 and approvals[p] > 0 and cardinality)
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


class Ledger:
    """The money of every distinct ballot during one MES pass (see the module docstring)."""

    def __init__(self, supporters: Supporters, share: Fraction) -> None:
        self.e = supporters
        self.share = share
        self.money = np.full(supporters.n_ballots, float(share))
        self.drained = np.zeros(supporters.n_ballots, dtype=bool)
        # Column-major: each round's column is contiguous, so marking its payers is cheap.
        self.paid = np.zeros((supporters.n_ballots, max(1, len(supporters.ids))), dtype=bool, order="F")
        self.prices: list[Fraction] = []
        # The prices as integer numerators over one common denominator, for fast exact sums.
        self.denominator = share.denominator
        self.numerators: list[int] = []
        # float32 holds counts exactly below 2**24 voters; beyond that use float64.
        self.count_dtype = np.float32 if supporters.election.n_voters < 2**24 else np.float64

    # -- exact money -----------------------------------------------------------------------------

    def exact_sum(self, ballots: np.ndarray) -> Fraction:
        """Exact money held by ``ballots`` (weighted)."""
        live = ballots[~self.drained[ballots]]
        if not len(live):
            return Fraction(0)
        weights = self.e.weights[live]
        total = self.share.numerator * (self.denominator // self.share.denominator) * int(weights.sum())
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
        ``tol`` bounds the float error of ``price_f`` and of the float money.
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

    # -- paying --------------------------------------------------------------------------------

    def pay(self, j: int, price: Fraction, drained: np.ndarray) -> None:
        """Supporters of ``j`` pay ``price`` each, or all they hold where ``drained``."""
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
