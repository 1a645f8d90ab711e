"""Pure tally methods: no Flask, no SQLAlchemy, no I/O.

Each method takes plain data (ballots, candidates or projects, parameters and a
tie-break rule) and returns a result that serialises to canonical JSON with a
stable SHA-256 (``canonical.py``). Same input, same rules version, same seed:
same bytes, on any machine.
"""
