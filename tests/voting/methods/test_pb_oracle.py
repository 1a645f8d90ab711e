"""Our PB outcomes equal pabutools' (exact mpq arithmetic) on generated instances.

500 random small instances per method and utility (ties, projects over the
budget, unapproved and free projects, fractional costs, blank papers, every
fifth with a seeded lot), plus 150 near-tie instances with costs around
10**12-10**19 where float prices cannot be told apart (not for Add1: with
shares that large, raising them by one unit per pass would take ~10**14
passes in pabutools and here alike), and 1000 boundary instances where
supporters hold exactly a project's cost and money equals prices, and 120
instances with amounts scaled up so that Add1 takes tens to hundreds of
passes (where it skips passes it proves unchanged).
"""

import pytest

from tests.voting.methods.pb_instances import (
    boundary_instance,
    many_passes_instance,
    mismatches,
    near_tie_instance,
    random_instance,
)

RULES = ["greedy", "mes", "mes_greedy", "mes_add1"]
UTILITIES = ["cost", "cardinality"]


@pytest.mark.parametrize("utility", UTILITIES)
@pytest.mark.parametrize("rule", RULES)
def test_equals_pabutools_on_500_random_instances(rule, utility):
    assert mismatches(random_instance, range(500), rule, utility) == []


@pytest.mark.parametrize("utility", UTILITIES)
@pytest.mark.parametrize("rule", ["greedy", "mes", "mes_greedy"])
def test_equals_pabutools_on_near_ties_with_huge_costs(rule, utility):
    assert mismatches(near_tie_instance, range(1000, 1150), rule, utility) == []


@pytest.mark.parametrize("utility", UTILITIES)
@pytest.mark.parametrize("rule", ["mes", "mes_add1"])
def test_equals_pabutools_when_money_equals_prices(rule, utility):
    assert mismatches(boundary_instance, range(2000, 3000), rule, utility) == []


@pytest.mark.parametrize("utility", UTILITIES)
def test_add1_equals_pabutools_over_many_passes(utility):
    assert mismatches(many_passes_instance, range(3000, 3120), "mes_add1", utility) == []
