"""The ballot engine shared by every council module: ballots, casting,
counting, results and open interchange formats (ARCHITECTURE §4)."""
