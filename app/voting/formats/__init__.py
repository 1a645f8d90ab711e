"""Open interchange formats for ballots: readers and writers with no Flask or database (ARCHITECTURE §4)."""
