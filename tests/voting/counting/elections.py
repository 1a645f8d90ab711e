"""Seeded random papers for the counting tests (plain data, no database)."""

from __future__ import annotations

import random

CANDIDATES = [
    ("ada", "Ada Lovelace"),
    ("grace", "Grace Hopper"),
    ("alan", "Alan Turing"),
    ("edsger", "Edsger Dijkstra"),
    ("barbara", "Barbara Liskov"),
]
PROJECTS = [
    ("p1", "Skate park", 4_000_000),
    ("p2", "Library hours", 2_500_000),
    ("p3", "Youth club", 1_500_000),
    ("p4", "Street trees", 1_000_000),
    ("p5", "Bus shelter", 500_000),
    ("p6", "Mural", 250_000),
]
LINES = [("clubs", "Youth clubs"), ("sport", "Sport"), ("arts", "Arts")]


def ranked_papers(rng: random.Random, n: int, keys: list[str] | None = None) -> list[list[str]]:
    keys = keys or [k for k, _ in CANDIDATES]
    weights = [5, 4, 3, 2, 1][: len(keys)]
    papers = []
    for _ in range(n):
        order = sorted(keys, key=lambda k: rng.random() * weights[keys.index(k)], reverse=True)
        papers.append(order[: rng.randint(1, len(order))])
    return papers


def approval_papers(rng: random.Random, n: int, keys: list[str] | None = None) -> list[list[str]]:
    keys = keys or [k for k, _, _ in PROJECTS]
    return [[k for k in keys if rng.random() < 0.2 + 0.1 * (len(keys) - keys.index(k)) / len(keys)] for _ in range(n)]


def division_papers(rng: random.Random, n: int, budget: int) -> list[dict[str, int]]:
    papers = []
    for _ in range(n):
        a = rng.randint(0, budget)
        b = rng.randint(0, budget - a)
        papers.append({"clubs": a, "sport": b, "arts": budget - a - b})
    return papers
