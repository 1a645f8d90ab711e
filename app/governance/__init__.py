"""The governance core: societies, their members and shares, general meetings, resolutions and elections.

Built once for every kind of co-operative a council works with (housing
co-operatives, co-operative school trusts, care social enterprises); the
housing, schools and care modules use it rather than keeping registers of
their own. Votes (resolutions, elections) go through :mod:`app.voting`.
"""

from app.governance import electorate as _electorate  # noqa: F401  (registers the society_members rule)
