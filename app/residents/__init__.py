"""Residents: the register of eligible residents, the postcode → neighbourhood
lookup, and resident profiles (verification and consent records)."""
