"""Residents: the register of eligible residents, the postcode → neighbourhood
lookup, and resident profiles (verification and consent records)."""

# Registers the ``verified_residents`` electorate rule with the voting engine.
from app.residents import electorate as _electorate  # noqa: F401
