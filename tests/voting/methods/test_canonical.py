from fractions import Fraction

import pytest

from app.voting.methods.canonical import NotCanonicalError, canonical_json, result_hash
from app.voting.methods.ties import TieBreak


def test_canonical_json_is_sorted_and_compact():
    assert canonical_json({"b": 1, "a": [Fraction(1, 3), "é"]}) == '{"a":["1/3","é"],"b":1}'.encode()


def test_floats_are_refused():
    with pytest.raises(NotCanonicalError):
        canonical_json({"x": 0.1})


def test_hash_is_stable():
    assert result_hash({"a": 1}) == result_hash({"a": 1})
    assert result_hash({"a": 1}) != result_hash({"a": 2})


def test_lot_is_reproducible_and_seed_dependent():
    ids = [str(i) for i in range(20)]
    one = TieBreak("lot", "seed-1")
    assert one.order(ids) == TieBreak("lot", "seed-1").order(list(reversed(ids)))
    assert one.order(ids) != TieBreak("lot", "seed-2").order(ids)


def test_lexicographic_matches_string_order():
    assert TieBreak().pick(["p10", "p2", "p1"]) == "p1"
