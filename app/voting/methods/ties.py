"""Tie-breaking rules, documented and reproducible.

Two rules exist:

* ``lexicographic``: the candidate or project whose id sorts first (as a
  string) wins the tie. This is pabutools' default for participatory budgeting,
  so outcomes are comparable with it.
* ``lot``: a seeded lot. Every id gets the key ``SHA-256(seed + "\\x00" + id)``;
  the smallest key wins. The seed is drawn once (``new_seed``), published with
  the result, and is an input to the count, so anyone can redo the draw.

``order(ids, rule)`` returns the ids best-first under the rule; a method
facing a tie takes the first of the tied ids in that order. Methods may apply
their own statutory rule first (for example Scottish STV looks back at earlier
stages) and use this only for what remains tied.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TieBreak:
    """A tie-break rule: ``kind`` is ``"lexicographic"`` or ``"lot"`` (with ``seed``)."""

    kind: str = "lexicographic"
    seed: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("lexicographic", "lot"):
            raise ValueError(f"unknown tie-break rule {self.kind!r}")
        if self.kind == "lot" and not self.seed:
            raise ValueError("a lot needs a published seed")

    def key(self, ident: str) -> tuple[str, str]:
        if self.kind == "lot":
            return (hashlib.sha256(f"{self.seed}\x00{ident}".encode()).hexdigest(), ident)
        return (ident, "")

    def order(self, ids: Iterable[str]) -> list[str]:
        """``ids`` best-first under this rule."""
        return sorted(ids, key=self.key)

    def pick(self, ids: Iterable[str]) -> str:
        """The winner of a tie among ``ids``."""
        ordered = self.order(ids)
        if not ordered:
            raise ValueError("no ids to choose from")
        return ordered[0]

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.kind, "seed": self.seed}


LEXICOGRAPHIC = TieBreak()


def new_seed() -> str:
    """A fresh 128-bit seed, hex encoded, for a published lot."""
    return secrets.token_hex(16)
